/* client_input.h — turning what a user copied out of a browser into the base64 Response.
 *
 * ecs-saml-ssh accepts the SAMLResponse in the three shapes people actually end up holding:
 *   - the base64 form value (wrapped or not), as the IdP posts it;
 *   - the URL-encoded form body "SAMLResponse=...&RelayState=..." from a network panel;
 *   - the decoded XML document.
 * Whatever the shape, the result is the canonical, unwrapped base64 the bastion expects and
 * the decoded XML (kept only to judge the expiry locally). Both are secrets: the caller
 * wipes them with ecs_client_response_free. No XML parser runs here on purpose: the client
 * links libc and the common layer only, and the bastion does the real validation. */
#ifndef ECS_CLIENT_INPUT_H
#define ECS_CLIENT_INPUT_H

#include <stddef.h>
#include <time.h>

#include "ecs_buf.h"

/* Bytes accepted from a file or stdin: a form body of an ECS_RESPONSE_MAX_B64-character
 * Response with every character percent-encoded is 300 KB; anything larger is not a Response. */
#define ECS_CLIENT_INPUT_MAX (320u * 1024u)

struct ecs_client_response {
	struct ecs_buf b64;	/* canonical base64, no whitespace */
	struct ecs_buf xml;	/* the decoded document */
	struct ecs_buf deflated;	/* base64 of xml's DEFLATE stream, once made */
	struct ecs_buf packed;	/* encoding=packed1: xml's DEFLATE stream with the preset
				 * dictionary, in the byte alphabet (ecs_pack.h), once made;
				 * empty when it would be over the cap */
};

/* Set the buffers up empty (caps: ECS_RESPONSE_MAX_B64, and its decoded size for xml). */
void ecs_client_response_init(struct ecs_client_response *r);

/* Wipe and release every buffer; r stays initialised. */
void ecs_client_response_free(struct ecs_client_response *r);

/* Fill r->deflated with the base64 of r->xml's raw DEFLATE stream (client_deflate.h), what
 * the chunk header's " encoding=deflate" announces, and r->packed with what
 * " encoding=packed1" announces. 0, -E2BIG (never for a Response within the caps: DEFLATE
 * grows an input by a few bytes at most) or -ENOMEM. A packed form over the cap of
 * ECS_RESPONSE_MAX_B64 bytes (escapes double a byte; no real Response comes near) is no
 * error: r->packed stays empty, and deflate does. */
int ecs_client_response_deflate(struct ecs_client_response *r);

/* Decode application/x-www-form-urlencoded text in[len] ('+' is a space, %XX a byte),
 * appending to out. 0, -EBADMSG (a '%' not followed by two hex digits), -E2BIG, -ENOMEM. */
int ecs_client_url_decode(const char *in, size_t len, struct ecs_buf *out);

/* Recognise the shape of in[len] and fill r (which must be freshly initialised).
 * 0; -EBADMSG when the text is none of the three shapes or does not hold a complete SAML
 * Response; -E2BIG when it is over the STS limit of ECS_RESPONSE_MAX_B64 characters; -ENOMEM.
 * On error r holds nothing. */
int ecs_client_response_parse(const char *in, size_t len, struct ecs_client_response *r);

/* The earliest NotOnOrAfter="..." instant in xml[len] (Conditions and
 * SubjectConfirmationData both carry one; the Response is dead at the earlier of them).
 * A tolerant text scan, not validation. 0; -ENOENT when there is none; -EINVAL when a
 * value is not a valid xs:dateTime. */
int ecs_client_not_on_or_after(const char *xml, size_t len, time_t *out);

#endif
