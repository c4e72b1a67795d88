/* saml_input.h — from the bytes a user handed over to the document bytes, under the caps.
 *
 * The input is the SAMLResponse form value (base64, wrapped or not) or raw XML (first
 * non-space byte '<'), or, deflated, the base64 of the Response's raw DEFLATE stream
 * (saml_inflate.h), or, packed1, that stream with a preset dictionary in the byte alphabet
 * (ecs_pack.h). All end up as the decoded document (strictly UTF-8) and as the base64
 * STS wants: the input without its whitespace, raw XML encoded, or the inflated document
 * encoded. */
#ifndef ECS_SAML_INPUT_H
#define ECS_SAML_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ecs_kbd_proto.h"
#include "saml_reject.h"

/* Both blocks are NUL-terminated one byte past their length and wiped when freed. */
struct ecs_saml_input {
	uint8_t *xml;		/* SECRET: the document */
	size_t xml_len;
	char *b64;		/* SECRET: the base64 STS gets (no whitespace) */
	size_t b64_len;
};

/* 0 with out filled (release with ecs_saml_input_free), -ECS_EREJECT (codes size,
 * encoding, deflate), or -ENOMEM. A deflated input must inflate to at most
 * ECS_RESPONSE_MAX_XML bytes, the document an ECS_RESPONSE_MAX_B64-character Response
 * holds: the same ceiling as an input sent as it is, measured after inflation. */
int ecs_saml_input_decode(const char *in, size_t len, enum ecs_kbd_encoding enc,
			  struct ecs_saml_input *out, struct ecs_reject *rej);

void ecs_saml_input_free(struct ecs_saml_input *in);

/* true if p[len] is well-formed UTF-8 (no overlong forms, surrogates, or code points past
 * U+10FFFF) without NUL bytes. */
bool ecs_utf8_ok(const unsigned char *p, size_t len);

#endif
