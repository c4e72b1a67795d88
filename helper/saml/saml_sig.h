/* saml_sig.h — the signatures of a pre-scanned Response: where they may be, what they may
 * reference, which algorithms they may use, and whether a pinned key verifies them.
 *
 * A Signature may only be a direct child of the Response or of the Assertion (at most one
 * each); every ds:Signature elsewhere is wrapping. Each must have exactly one Reference
 * whose URI is '#' + its parent's ID, transforms exactly [enveloped, exc-c14n], and
 * allow-listed c14n, digest and signature algorithms. xmlsec then verifies each with every
 * pinned key of the matching type (a fresh context per key, KeyInfo never consulted), and
 * only ret == 0 with status Succeeded counts. A Response signature covers the Assertion,
 * which the pre-scan proved is its only Assertion and a direct child. */
#ifndef ECS_SAML_SIG_H
#define ECS_SAML_SIG_H

#include <stdbool.h>
#include "saml_doc.h"
#include "saml_reject.h"
#include "saml_trust.h"

/* 0 with *idp_mask = the IdPs (bit i = trust entity_ids[i]) with a key that verified every
 * signature present; -ECS_EREJECT (wrapping, reference, algorithm, signature) or -ENOMEM. */
int ecs_saml_sig_check(const struct ecs_trust *t, bool allow_sha1, const struct ecs_saml_doc *d,
		       unsigned *idp_mask, struct ecs_reject *rej);

#endif
