/* client_input.c — recognise and normalise a SAMLResponse copied by a user (client_input.h). */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "client_deflate.h"
#include "client_input.h"
#include "ecs_b64.h"
#include "ecs_kbd_proto.h"
#include "ecs_limits.h"
#include "ecs_pack.h"
#include "ecs_secmem.h"
#include "ecs_time.h"

#define FORM_KEY "SAMLResponse="

void
ecs_client_response_init(struct ecs_client_response *r)
{
	ecs_buf_init(&r->b64, ECS_RESPONSE_MAX_B64);
	ecs_buf_init(&r->xml, ECS_RESPONSE_MAX_XML);
	ecs_buf_init(&r->deflated, ECS_RESPONSE_MAX_B64);
	ecs_buf_init(&r->packed, ECS_RESPONSE_MAX_B64);
}

void
ecs_client_response_free(struct ecs_client_response *r)
{
	ecs_buf_free(&r->b64);
	ecs_buf_free(&r->xml);
	ecs_buf_free(&r->deflated);
	ecs_buf_free(&r->packed);
}

/* r->packed from r->xml: its stream with dictionary 1, escaped. */
static int
pack(struct ecs_client_response *r, struct ecs_buf *raw)
{
	int rc;

	ecs_buf_clear(raw);
	rc = ecs_deflate_dict(r->xml.data, r->xml.len, ecs_pack_dict1, ecs_pack_dict1_len, raw);
	if (rc == 0)
		rc = ecs_pack_escape(raw->data, raw->len, &r->packed);
	/* ecs_pack_escape appended nothing: deflate is still there to send */
	return rc == -E2BIG ? 0 : rc;
}

int
ecs_client_response_deflate(struct ecs_client_response *r)
{
	struct ecs_buf raw;
	int rc;

	/* stored blocks bound the stream: 5 bytes per 64 KB over the document */
	ecs_buf_init(&raw, ECS_RESPONSE_MAX_XML + 64);
	ecs_buf_clear(&r->deflated);
	ecs_buf_clear(&r->packed);
	rc = ecs_deflate(r->xml.data, r->xml.len, &raw);
	if (rc == 0)
		rc = ecs_b64_encode(raw.data, raw.len, &r->deflated);
	if (rc == 0)
		rc = pack(r, &raw);
	ecs_buf_free(&raw);
	return rc;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
ecs_client_url_decode(const char *in, size_t len, struct ecs_buf *out)
{
	struct ecs_buf tmp;
	size_t i = 0;
	int r = 0;

	/* Decoded into a buffer of our own, so a refusal half-way leaves out untouched and the
	 * partial secret is wiped with tmp. */
	ecs_buf_init(&tmp, out->max);
	while (i < len && r == 0) {
		char c = in[i];

		if (c == '%') {
			int hi = i + 2 < len ? hex_value(in[i + 1]) : -1;
			int lo = i + 2 < len ? hex_value(in[i + 2]) : -1;

			if (hi < 0 || lo < 0) {
				r = -EBADMSG;
				break;
			}
			c = (char)(hi << 4 | lo);
			i += 3;
		} else {
			/* HTML forms encode a space as '+'; a real '+' of base64 arrives as %2B. */
			if (c == '+')
				c = ' ';
			i++;
		}
		r = ecs_buf_append(&tmp, &c, 1);
	}
	if (r == 0 && tmp.len > 0)
		r = ecs_buf_append(out, tmp.data, tmp.len);
	ecs_buf_free(&tmp);
	return r;
}

/* Skip the XML prolog (declaration, comments, processing instructions, whitespace, a UTF-8
 * BOM) and tell whether the root element's local name is Response. */
static bool
root_is_response(const char *x, size_t len)
{
	static const char bom[] = "\xef\xbb\xbf";
	size_t i = 0;

	if (len >= 3 && memcmp(x, bom, 3) == 0)
		i = 3;
	for (;;) {
		const char *end;
		size_t name, local;

		while (i < len && is_space(x[i]))
			i++;
		if (i + 1 >= len || x[i] != '<')
			return false;
		if (x[i + 1] == '?' || (i + 3 < len && memcmp(x + i, "<!--", 4) == 0)) {
			const char *close = x[i + 1] == '?' ? "?>" : "-->";

			end = memmem(x + i, len - i, close, strlen(close));
			if (end == NULL)
				return false;
			i = (size_t)(end - x) + strlen(close);
			continue;
		}
		/* The root element: its name runs to whitespace, '>' or '/'. */
		name = ++i;
		local = name;
		while (i < len && !is_space(x[i]) && x[i] != '>' && x[i] != '/') {
			if (x[i] == ':')
				local = i + 1;
			i++;
		}
		return i < len && i - local == strlen("Response") &&
		       memcmp(x + local, "Response", strlen("Response")) == 0;
	}
}

/* The decoded document is in r->xml: check it and produce the canonical base64. */
static int
finish_from_xml(struct ecs_client_response *r)
{
	int rc;

	if (!root_is_response((const char *)r->xml.data, r->xml.len))
		return -EBADMSG;
	rc = ecs_b64_encode(r->xml.data, r->xml.len, &r->b64);
	if (rc < 0)
		return rc;
	/* The same completeness test the bastion applies, so a truncated copy is caught
	 * here with a clear message instead of there as a signature failure. */
	if (!ecs_kbd_proto_looks_complete((const char *)r->b64.data, r->b64.len))
		return -EBADMSG;
	return 0;
}

static int
parse_b64(const char *in, size_t len, struct ecs_client_response *r)
{
	int rc;

	if (ecs_b64_count(in, len) > ECS_RESPONSE_MAX_B64)
		return -E2BIG;
	rc = ecs_b64_decode(in, len, &r->xml);
	if (rc < 0)
		return rc;
	return finish_from_xml(r);
}

/* Find the SAMLResponse field of a form body: at the start or after '&'. */
static const char *
form_value(const char *in, size_t len, size_t *vlen)
{
	size_t klen = strlen(FORM_KEY);
	size_t i = 0;

	while (i + klen <= len) {
		if ((i == 0 || in[i - 1] == '&') && memcmp(in + i, FORM_KEY, klen) == 0) {
			const char *v = in + i + klen;
			const char *amp = memchr(v, '&', len - i - klen);
			size_t n = amp ? (size_t)(amp - v) : len - i - klen;

			/* A copied body often ends with a newline. */
			while (n > 0 && is_space(v[n - 1]))
				n--;
			*vlen = n;
			return v;
		}
		i++;
	}
	return NULL;
}

int
ecs_client_response_parse(const char *in, size_t len, struct ecs_client_response *r)
{
	struct ecs_buf value;
	const char *v;
	size_t vlen;
	int rc;

	ecs_buf_init(&value, ECS_CLIENT_INPUT_MAX);
	while (len > 0 && is_space(*in)) {
		in++;
		len--;
	}
	if (len == 0) {
		rc = -EBADMSG;
		goto out;
	}
	if (*in == '<' || (len >= 3 && memcmp(in, "\xef\xbb\xbf", 3) == 0)) {
		rc = ecs_buf_append(&r->xml, in, len);
		if (rc == 0)
			rc = finish_from_xml(r);
		goto out;
	}
	v = form_value(in, len, &vlen);
	if (v != NULL) {
		rc = ecs_client_url_decode(v, vlen, &value);
		if (rc == 0)
			rc = parse_b64((const char *)value.data, value.len, r);
		goto out;
	}
	rc = parse_b64(in, len, r);
out:
	ecs_buf_free(&value);
	if (rc < 0)
		ecs_client_response_free(r);
	return rc;
}

int
ecs_client_not_on_or_after(const char *xml, size_t len, time_t *out)
{
	static const char attr[] = "NotOnOrAfter=";
	const size_t alen = sizeof(attr) - 1;
	const char *p = xml;
	const char *end = xml + len;
	bool found = false;
	time_t best = 0;

	while ((p = memmem(p, (size_t)(end - p), attr, alen)) != NULL) {
		char value[64];
		const char *q, *close;
		time_t t;
		int rc;

		/* Only the attribute itself, not SessionNotOnOrAfter (the console session's end,
		 * which STS does not enforce on the exchange). */
		if (p == xml || !is_space(p[-1])) {
			p += alen;
			continue;
		}
		q = p + alen;
		p = q;
		if (q >= end || (*q != '"' && *q != '\''))
			continue;
		close = memchr(q + 1, *q, (size_t)(end - q - 1));
		if (close == NULL || (size_t)(close - q - 1) >= sizeof(value))
			return -EINVAL;
		memcpy(value, q + 1, (size_t)(close - q - 1));
		value[close - q - 1] = '\0';
		rc = ecs_time_parse(value, &t);
		if (rc < 0)
			return rc;
		if (!found || t < best)
			best = t;
		found = true;
		p = close + 1;
	}
	if (!found)
		return -ENOENT;
	*out = best;
	return 0;
}
