/* saml_verify.h — strict validation of an AWS-bound SAML 2.0 Response.
 *
 * A verifier is built once per process from the configuration: it loads and checks every
 * pinned IdP key (RSA >= 2048 bits, EC P-256 or larger) so repeated validations reuse them.
 * ecs_saml_verify() then takes the Response exactly as the user handed it over (the base64
 * SAMLResponse form value, possibly wrapped, or raw XML), and either fills a result read only
 * from the signature-verified nodes, or refuses with a stable code (saml_reject.h).
 *
 * It never consults the replay cache (see replay.h): the caller decides when an assertion
 * is consumed.
 *
 * Building a verifier loads libxml2 and xmlsec (xml_lib.h), with the wiping allocator, in
 * the calling process: the sandboxed child that calls ecs_saml_verify inherits them.
 */
#ifndef ECS_SAML_VERIFY_H
#define ECS_SAML_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include "ecs_conf.h"
#include "ecs_kbd_proto.h"
#include "saml_reject.h"
#include "saml_result.h"

struct ecs_verifier;

/* Build a verifier from the trust settings of conf (idp metadata files, or entity IDs with
 * PEM certificates), which the verifier copies. 0, -ENOMEM, or -ECS_ECONFIG with rej->msg
 * saying what to fix (code ECS_XML_LIB_CODE: libxml2 or xmlsec does not load). Caller frees *out with ecs_verifier_free(). */
int ecs_verifier_new(const struct ecs_conf *conf, struct ecs_verifier **out,
		     struct ecs_reject *rej);

/* As ecs_verifier_new, but trusting exactly one IdP given in memory (entity ID and PEM
 * certificates); conf's own IdP list is ignored. For the fuzzer and unit tests. */
int ecs_verifier_new_pem(const struct ecs_conf *conf, const char *entity_id, const char *pem,
			 size_t pem_len, struct ecs_verifier **out, struct ecs_reject *rej);

void ecs_verifier_free(struct ecs_verifier *v);

/* Validate in[len] (in encoding enc, saml_input.h) at time now. 0 with *out filled (caller frees with ecs_saml_result_free),
 * -ECS_EREJECT with rej filled, or -ENOMEM/-EIO (internal). out is always left either
 * filled or empty, never half-filled. */
int ecs_saml_verify(const struct ecs_verifier *v, const char *in, size_t len, enum ecs_kbd_encoding enc,
		    time_t now, struct ecs_saml_result *out, struct ecs_reject *rej);

#endif
