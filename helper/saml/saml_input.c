/* saml_input.c — input caps, base64 or raw XML, UTF-8. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

#include "ecs_b64.h"
#include "ecs_buf.h"
#include "ecs_limits.h"
#include "ecs_pack.h"
#include "ecs_secmem.h"
#include "ecs_err.h"
#include "saml_inflate.h"
#include "saml_input.h"

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
		unsigned char c;

		/* Markup is mostly ASCII: take 8 bytes at a time while none has the high bit
		 * (and none is NUL, which the byte-wise path refuses). */
		while (len - i >= 8) {
			uint64_t w;

			memcpy(&w, p + i, 8);
			if ((w & 0x8080808080808080ull) ||
			    ((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull))
				break;
			i += 8;
		}
		if (i == len)
			break;
		c = p[i];
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

enum b64_class {
	B64_BAD = 0,
	B64_DATA,
	B64_PAD,
	B64_SPACE,
};

/* Copy the base64 characters of in[len] into out->b64, dropping the blanks a paste adds,
 * and check the alphabet and padding on the way: one pass, one table look-up per byte.
 * 0, -E2BIG (over the cap), -EBADMSG or -ENOMEM. Decoding is then OpenSSL's block decoder
 * on the clean string: the Response is up to ECS_RESPONSE_MAX_B64 characters and this runs
 * on every login, next to a signature check it should not outweigh. */
static int
strip_b64(const char *in, size_t len, struct ecs_saml_input *out)
{
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	static uint8_t class[256];
	size_t i, run, n = 0, pad = 0;
	char *dst;
	int r = 0;

	if (!class['A']) {
		for (i = 0; alphabet[i]; i++)
			class[(unsigned char)alphabet[i]] = B64_DATA;
		class['='] = B64_PAD;
		class[' '] = class['\t'] = class['\r'] = class['\n'] = B64_SPACE;
	}
	out->b64 = malloc((len < ECS_RESPONSE_MAX_B64 ? len : ECS_RESPONSE_MAX_B64) + 1);
	if (!out->b64)
		return -ENOMEM;
	dst = out->b64;
	for (i = 0; i < len && r == 0;) {
		/* Runs of data characters (76 between line breaks in a paste) go in one copy. */
		for (run = i; run < len && class[(unsigned char)in[run]] == B64_DATA; run++)
			;
		if (run > i) {
			if (pad)
				r = -EBADMSG;	/* data after padding */
			else if (run - i > ECS_RESPONSE_MAX_B64 - n)
				r = -E2BIG;
			if (r < 0)
				break;
			memcpy(dst + n, in + i, run - i);
			n += run - i;
			i = run;
			continue;
		}
		switch (class[(unsigned char)in[i]]) {
		case B64_SPACE:
			break;
		case B64_PAD:
			if (n == ECS_RESPONSE_MAX_B64)
				r = -E2BIG;
			else
				dst[n++] = in[i];
			pad++;
			break;
		default:
			r = -EBADMSG;
			break;
		}
		i++;
	}
	/* Recorded even on failure, so the free wipes every byte copied. */
	dst[n] = '\0';
	out->b64_len = n;
	if (r == 0 && (n == 0 || n % 4 != 0 || pad > 2))
		r = -EBADMSG;
	return r;
}

static int
decode_b64(struct ecs_saml_input *d)
{
	size_t pad = 0;
	int n;

	if (d->b64[d->b64_len - 1] == '=')
		pad = d->b64[d->b64_len - 2] == '=' ? 2 : 1;
	d->xml = malloc(d->b64_len / 4 * 3 + 1);
	if (!d->xml)
		return -ENOMEM;
	n = EVP_DecodeBlock(d->xml, (const unsigned char *)d->b64, (int)d->b64_len);
	if (n < 0 || (size_t)n < pad)
		return -EBADMSG;
	d->xml_len = (size_t)n - pad;	/* EVP_DecodeBlock counts the padding as zero bytes */
	d->xml[d->xml_len] = '\0';
	return 0;
}

static int
copy_xml(const char *in, size_t len, struct ecs_saml_input *d)
{
	size_t n = (len + 2) / 3 * 4;

	d->xml = malloc(len + 1);
	d->b64 = malloc(n + 1);
	if (!d->xml || !d->b64)
		return -ENOMEM;
	memcpy(d->xml, in, len);
	d->xml[len] = '\0';
	d->xml_len = len;
	/* STS gets the bytes we validate, base64-encoded as its API wants. */
	EVP_EncodeBlock((unsigned char *)d->b64, d->xml, (int)len);
	d->b64_len = n;
	return 0;
}

/* packed1: the stream's bytes from the byte alphabet, into d->xml (ecs_pack.h). */
static int
unpack(const char *in, size_t len, struct ecs_saml_input *d)
{
	struct ecs_buf b;
	int r;

	ecs_buf_init(&b, len);
	r = ecs_pack_unescape(in, len, &b);
	if (r == 0 && b.len == 0)
		r = -EBADMSG;
	if (r == 0)
		d->xml = malloc(b.len + 1);
	if (r == 0 && !d->xml)
		r = -ENOMEM;
	if (r == 0) {
		memcpy(d->xml, b.data, b.len);
		d->xml[b.len] = '\0';
		d->xml_len = b.len;
	}
	ecs_buf_free(&b);
	return r;
}

/* d holds a decoded DEFLATE stream in place of a document: put the inflated document there
 * instead, and its base64 (what STS gets). packed1's stream starts from its dictionary. */
static int
inflate_input(struct ecs_saml_input *d, enum ecs_kbd_encoding enc, struct ecs_reject *rej)
{
	bool dict = enc == ECS_KBD_ENC_PACKED1;
	uint8_t *doc = NULL;
	size_t n = 0;
	int r;

	r = ecs_saml_inflate(d->xml, d->xml_len, dict ? ecs_pack_dict1 : NULL,
			     dict ? ecs_pack_dict1_len : 0, ECS_RESPONSE_MAX_XML, &doc, &n);
	if (r == -E2BIG)
		return ecs_reject(rej, ECS_REJ_DEFLATE, "the deflated input inflates past %d "
				  "bytes, the document of a %d-character Response (the STS "
				  "limit): a decompression bomb, or not a Response",
				  ECS_RESPONSE_MAX_XML, ECS_RESPONSE_MAX_B64);
	if (r == -EBADMSG)
		return ecs_reject(rej, ECS_REJ_DEFLATE, "the deflated input is not a whole raw "
				  "DEFLATE stream (corrupt, cut short, or followed by more "
				  "bytes)");
	if (r < 0)
		return r;
	ecs_saml_input_free(d);
	r = copy_xml((const char *)doc, n, d);
	ecs_free_secret(doc, n + 1);
	return r;
}

/* packed1 (ecs_pack.h): bytes, not text, so no whitespace to skip, and '<' is as good a
 * first byte as any. */
static int
decode_packed(const char *in, size_t len, struct ecs_saml_input *out, struct ecs_reject *rej)
{
	int r;

	if (len > ECS_RESPONSE_MAX_B64)
		return ecs_reject(rej, ECS_REJ_SIZE, "the packed input is %zu bytes, the limit is %d",
				  len, ECS_RESPONSE_MAX_B64);
	r = unpack(in, len, out);
	if (r == -EBADMSG)
		return ecs_reject(rej, ECS_REJ_DEFLATE, "the packed input is not in the byte "
				  "alphabet (a stray or unknown escape, or a NUL, LF or CR)");
	return r < 0 ? r : inflate_input(out, ECS_KBD_ENC_PACKED1, rej);
}

/* Raw XML, or base64: of the Response, or (deflate) of its DEFLATE stream. */
static int
decode_text(const char *in, size_t len, enum ecs_kbd_encoding enc, struct ecs_saml_input *out,
	    struct ecs_reject *rej)
{
	bool deflated = enc == ECS_KBD_ENC_DEFLATE;
	size_t i = 0;
	int r;

	while (i < len && is_space(in[i]))
		i++;
	if (i == len)
		return ecs_reject(rej, ECS_REJ_ENCODING, "the input is empty");
	if (in[i] == '<' && !deflated)
		return len <= ECS_RESPONSE_MAX_XML ? copy_xml(in, len, out) :
		       ecs_reject(rej, ECS_REJ_SIZE, "raw XML input is %zu bytes, the limit is %d",
				  len, ECS_RESPONSE_MAX_XML);
	r = strip_b64(in, len, out);
	if (r == 0)
		r = decode_b64(out);
	if (r == -E2BIG)
		r = ecs_reject(rej, ECS_REJ_SIZE, "input is %zu base64 characters, the STS "
			       "limit is %d", ecs_b64_count(in, len), ECS_RESPONSE_MAX_B64);
	else if (r == -EBADMSG)
		r = ecs_reject(rej, ECS_REJ_ENCODING, deflated ?
			       "the deflated input is not base64" :
			       "input is neither base64 (the SAMLResponse form value) nor XML");
	if (r == 0 && deflated)
		r = inflate_input(out, enc, rej);
	return r;
}

int
ecs_saml_input_decode(const char *in, size_t len, enum ecs_kbd_encoding enc,
		      struct ecs_saml_input *out, struct ecs_reject *rej)
{
	int r;

	memset(out, 0, sizeof(*out));
	r = enc == ECS_KBD_ENC_PACKED1 ? decode_packed(in, len, out, rej)
				       : decode_text(in, len, enc, out, rej);
	if (r == 0 && !ecs_utf8_ok(out->xml, out->xml_len))
		r = ecs_reject(rej, ECS_REJ_ENCODING, "the document is not valid UTF-8");
	if (r < 0)
		ecs_saml_input_free(out);
	return r;
}

void
ecs_saml_input_free(struct ecs_saml_input *in)
{
	if (in->xml)
		ecs_free_secret(in->xml, in->xml_len + 1);
	if (in->b64)
		ecs_free_secret(in->b64, in->b64_len + 1);
	memset(in, 0, sizeof(*in));
}
