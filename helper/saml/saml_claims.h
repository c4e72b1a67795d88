/* saml_claims.h — what a verified Response says, checked against the configured policy.
 *
 * Runs only after saml_sig.h accepted the signatures, and reads only the Assertion that the
 * pre-scan and the signature checks bound together (plus the Response's own Issuer, Status,
 * Destination and InResponseTo, which can only add refusals). */
#ifndef ECS_SAML_CLAIMS_H
#define ECS_SAML_CLAIMS_H

#include <time.h>
#include <libxml/tree.h>
#include "saml_doc.h"
#include "saml_policy.h"
#include "saml_reject.h"
#include "saml_result.h"
#include "saml_trust.h"

/* The elements of the Assertion the claims are read from, located once (structure). */
struct ecs_saml_shape {
	xmlNode *response_issuer;	/* may be NULL */
	xmlNode *status;
	xmlNode *issuer;
	xmlNode *subject;
	xmlNode *nameid;
	xmlNode *conditions;
	xmlNode *authn;
	xmlNode *attributes;		/* AttributeStatement, may be NULL */
};

/* Check everything and fill out (strings owned by out). 0, -ECS_EREJECT or -ENOMEM. On
 * failure out may hold some fields: the caller frees it with ecs_saml_result_free. */
int ecs_saml_claims(const struct ecs_saml_policy *p, const struct ecs_trust *t,
		    unsigned idp_mask, const struct ecs_saml_doc *d, time_t now,
		    struct ecs_saml_result *out, struct ecs_reject *rej);

#endif
