/* saml_input.c — input caps, base64 or raw XML, UTF-8. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "ecs_b64.h"
#include "ecs_err.h"
#include "saml_input.h"
#include "saml_verify.h"

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool
ecs_utf8_ok(const unsigned char *p, size_t len)
{
	size_t i = 0, n, k;
	unsigned long cp;

	while (i < len) {
		unsigned char c = p[i];

		if (c == 0)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return false;	/* continuation byte, 0xc0/0xc1 or 0xf5+ */
		}
		if (len - i <= n)
			return false;
		for (k = 1; k <= n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		/* overlong forms, UTF-16 surrogates, beyond Unicode */
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return false;
		i += n + 1;
	}
	return true;
}

int
ecs_saml_input_decode(const char *in, size_t len, struct ecs_saml_input *out,
		      struct ecs_reject *rej)
{
	size_t i = 0, nb64;
	int r;

	ecs_buf_init(&out->xml, ECS_SAML_MAX_XML);
	ecs_buf_init(&out->b64, ECS_SAML_MAX_B64);
	while (i < len && is_space(in[i]))
		i++;
	if (i == len) {
		r = ecs_reject(rej, ECS_REJ_ENCODING, "the input is empty");
		goto out;
	}
	if (in[i] == '<') {
		if (len > ECS_SAML_MAX_XML) {
			r = ecs_reject(rej, ECS_REJ_SIZE,
				       "raw XML input is %zu bytes, the limit is %d", len,
				       ECS_SAML_MAX_XML);
			goto out;
		}
		r = ecs_buf_append(&out->xml, in, len);
		if (r < 0)
			goto out;
	} else {
		nb64 = ecs_b64_count(in, len);
		if (nb64 > ECS_SAML_MAX_B64) {
			r = ecs_reject(rej, ECS_REJ_SIZE,
				       "input is %zu base64 characters, the STS limit is %d", nb64,
				       ECS_SAML_MAX_B64);
			goto out;
		}
		r = ecs_b64_decode(in, len, &out->xml);
		if (r == -EBADMSG || r == -E2BIG) {
			r = ecs_reject(rej, ECS_REJ_ENCODING,
				       "input is neither base64 (the SAMLResponse form value) nor XML");
			goto out;
		}
		if (r < 0)
			goto out;
	}
	if (!ecs_utf8_ok(out->xml.data, out->xml.len)) {
		r = ecs_reject(rej, ECS_REJ_ENCODING, "the document is not valid UTF-8");
		goto out;
	}
	/* STS gets the bytes we validate, never the caller's spelling of them. */
	r = ecs_b64_encode(out->xml.data, out->xml.len, &out->b64);
out:
	if (r < 0)
		ecs_saml_input_free(out);
	return r;
}

void
ecs_saml_input_free(struct ecs_saml_input *in)
{
	ecs_buf_free(&in->xml);
	ecs_buf_free(&in->b64);
}
