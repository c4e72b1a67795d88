/* test_saml_inflate.c — a deflated Response in the helper: inflation under the cap
 * (helper/saml/saml_inflate.c) and the deflated and packed1 paths of the input decoder
 * (saml_input.c).
 * zlib's own deflate makes the streams here: the client's encoder has tests of its own. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "ecs_b64.h"
#include "ecs_err.h"
#include "ecs_limits.h"
#include "ecs_pack.h"
#include "ecs_secmem.h"
#include "saml_inflate.h"
#include "saml_input.h"
#include "tap.h"

#define STREAM_MAX (1u << 20)

static uint8_t stream[STREAM_MAX];

/* Raw DEFLATE of in[n] into stream[], from packed1's preset dictionary when dict; its
 * length. */
static size_t
deflate_from(const void *in, size_t n, bool dict)
{
	z_stream z;
	size_t out = 0;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK)
		return 0;
	if (dict && deflateSetDictionary(&z, (const Bytef *)ecs_pack_dict1,
					 (uInt)ecs_pack_dict1_len) != Z_OK) {
		deflateEnd(&z);
		return 0;
	}
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)n;
	z.next_out = stream;
	z.avail_out = sizeof(stream);
	if (deflate(&z, Z_FINISH) == Z_STREAM_END)
		out = z.total_out;
	deflateEnd(&z);
	return out;
}

static size_t
deflate_raw(const void *in, size_t n)
{
	return deflate_from(in, n, false);
}

/* The result of inflating stream[0..n) under max: 0 or -errno; *len its size. */
static int
inflate_n(size_t n, size_t max, size_t *len)
{
	uint8_t *out = NULL;
	int r = ecs_saml_inflate(stream, n, NULL, 0, max, &out, len);

	if (r == 0 && (out == NULL || out[*len] != '\0'))
		r = -EFAULT;
	if (out)
		ecs_free_secret(out, *len + 1);
	return r;
}

/* Decode stream[0..n) base64-encoded, as the module hands a deflated Response over; the
 * reject code, "ok" or "error". On "ok", *d is filled (caller frees). */
static const char *
decode_deflated(size_t n, struct ecs_saml_input *d)
{
	static struct ecs_reject rej;
	struct ecs_buf b64;
	int r;

	memset(&rej, 0, sizeof(rej));
	ecs_buf_init(&b64, 2 * STREAM_MAX);
	r = ecs_b64_encode(stream, n, &b64);
	if (r == 0)
		r = ecs_saml_input_decode((const char *)b64.data, b64.len, ECS_KBD_ENC_DEFLATE, d, &rej);
	ecs_buf_free(&b64);
	if (r == 0)
		return "ok";
	return r == -ECS_EREJECT ? rej.code : "error";
}

/* Decode text[n] as packed1 characters; as decode_deflated. */
static const char *
decode_packed_text(const char *text, size_t n, struct ecs_saml_input *d)
{
	static struct ecs_reject rej;
	int r;

	memset(&rej, 0, sizeof(rej));
	r = ecs_saml_input_decode(text, n, ECS_KBD_ENC_PACKED1, d, &rej);
	if (r == 0)
		return "ok";
	return r == -ECS_EREJECT ? rej.code : "error";
}

/* Decode stream[0..n) in the byte alphabet, as the module hands a packed1 Response over. */
static const char *
decode_packed(size_t n, struct ecs_saml_input *d)
{
	struct ecs_buf text;
	const char *res = "error";

	ecs_buf_init(&text, 2 * STREAM_MAX);
	if (ecs_pack_escape(stream, n, &text) == 0)
		res = decode_packed_text((const char *)text.data, text.len, d);
	ecs_buf_free(&text);
	return res;
}

int
main(void)
{
	static char doc[ECS_RESPONSE_MAX_XML + 2];
	static const char small[] = "<samlp:Response>caf\xc3\xa9</samlp:Response>";
	struct ecs_saml_input d;
	struct ecs_buf want;
	size_t n, len = 0;
	char *zeros;

	/* --- ecs_saml_inflate ---------------------------------------------------------- */
	n = deflate_raw(small, strlen(small));
	T_OK(inflate_n(n, 100, &len) == 0 && len == strlen(small), "a whole stream inflates");
	T_OK(inflate_n(n, strlen(small), &len) == 0, "an output exactly at the cap is accepted");
	T_OK(inflate_n(n, strlen(small) - 1, &len) == -E2BIG, "one byte over the cap: -E2BIG");
	T_OK(inflate_n(n - 1, 100, &len) == -EBADMSG, "a stream cut by one byte: -EBADMSG");
	T_OK(inflate_n(1, 100, &len) == -EBADMSG, "a stream of its first byte only: -EBADMSG");
	T_OK(inflate_n(0, 100, &len) == -EBADMSG, "no stream at all: -EBADMSG");
	stream[n] = 'x';
	T_OK(inflate_n(n + 1, 100, &len) == -EBADMSG, "a byte after the stream's end: -EBADMSG");
	memcpy(stream, "\xff\xff\xff\xff", 4);	/* block type 3 is reserved */
	T_OK(inflate_n(4, 100, &len) == -EBADMSG, "a corrupt stream (reserved block type): -EBADMSG");
	/* a zlib-wrapped stream is not raw DEFLATE */
	memcpy(stream, "\x78\x9c\x4b\x04\x00\x00\x62\x00\x62", 9);
	T_OK(inflate_n(9, 100, &len) < 0, "a zlib-wrapped stream is refused");

	/* a decompression bomb: 50 MB of zeros in about 50 KB, stopped at the cap */
	zeros = calloc(1, 50u << 20);
	n = zeros ? deflate_raw(zeros, 50u << 20) : 0;
	free(zeros);
	T_OK(n > 0 && n < 60000, "the bomb is %zu bytes", n);
	T_OK(inflate_n(n, ECS_RESPONSE_MAX_XML, &len) == -E2BIG, "the bomb: -E2BIG at the cap");

	/* --- ecs_saml_input_decode, deflated ------------------------------------------ */
	n = deflate_raw(small, strlen(small));
	ecs_buf_init(&want, 1024);
	ecs_b64_encode(small, strlen(small), &want);
	T_OK(strcmp(decode_deflated(n, &d), "ok") == 0 && d.xml_len == strlen(small) &&
		     memcmp(d.xml, small, d.xml_len) == 0 && d.b64_len == want.len &&
		     memcmp(d.b64, want.data, want.len) == 0,
	     "deflated input: the document, and its own base64 for STS");
	ecs_saml_input_free(&d);
	ecs_buf_free(&want);

	memset(doc, 'x', sizeof(doc));
	doc[0] = '<';
	n = deflate_raw(doc, ECS_RESPONSE_MAX_XML);
	T_OK(strcmp(decode_deflated(n, &d), "ok") == 0 && d.b64_len <= ECS_RESPONSE_MAX_B64,
	     "inflating to exactly the cap (%d bytes, %d base64 characters) is accepted",
	     ECS_RESPONSE_MAX_XML, ECS_RESPONSE_MAX_B64);
	ecs_saml_input_free(&d);
	n = deflate_raw(doc, ECS_RESPONSE_MAX_XML + 1);
	T_OK(strcmp(decode_deflated(n, &d), "deflate") == 0, "one byte past the cap: deflate");

	zeros = calloc(1, 10u << 20);
	n = zeros ? deflate_raw(zeros, 10u << 20) : 0;
	free(zeros);
	T_OK(strcmp(decode_deflated(n, &d), "deflate") == 0, "a 10 MB bomb: deflate");
	n = deflate_raw(small, strlen(small));
	T_OK(strcmp(decode_deflated(n - 2, &d), "deflate") == 0, "a cut stream: deflate");
	stream[n] = 0;
	T_OK(strcmp(decode_deflated(n + 1, &d), "deflate") == 0, "bytes after the stream: deflate");
	n = deflate_raw("\xff\xfe<x/>", 6);
	T_OK(strcmp(decode_deflated(n, &d), "encoding") == 0,
	     "inflated bytes that are not UTF-8: encoding");
	T_OK(ecs_saml_input_decode("<x/>", 4, ECS_KBD_ENC_DEFLATE, &d, &(struct ecs_reject){ 0 }) == -ECS_EREJECT,
	     "raw XML where a deflated stream is announced is refused");
	T_OK(ecs_saml_input_decode("not base64!", 11, ECS_KBD_ENC_DEFLATE, &d, &(struct ecs_reject){ 0 }) ==
		     -ECS_EREJECT,
	     "text that is not base64 where a deflated stream is announced is refused");

	/* --- ecs_saml_input_decode, packed1 ------------------------------------------- */
	{
		static const char saml[] =
			"<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" "
			"Destination=\"https://signin.aws.amazon.com/saml\"><saml:Attribute "
			"Name=\"https://aws.amazon.com/SAML/Attributes/Role\"/></samlp:Response>";
		size_t plain = deflate_raw(saml, strlen(saml));

		n = deflate_from(saml, strlen(saml), true);
		T_OK(n > 0 && n < plain / 2, "the preset dictionary at work: %zu bytes, not %zu", n,
		     plain);
		ecs_buf_init(&want, 1024);
		ecs_b64_encode(saml, strlen(saml), &want);
		T_OK(strcmp(decode_packed(n, &d), "ok") == 0 && d.xml_len == strlen(saml) &&
			     memcmp(d.xml, saml, d.xml_len) == 0 && d.b64_len == want.len &&
			     memcmp(d.b64, want.data, want.len) == 0,
		     "packed1 input: the document, and its own base64 for STS");
		ecs_saml_input_free(&d);
		ecs_buf_free(&want);
		T_OK(strcmp(decode_deflated(n, &d), "deflate") == 0,
		     "the same stream announced as deflate (no dictionary) reaches back too far: "
		     "deflate");
	}
	n = deflate_from(small, strlen(small), false);
	T_OK(strcmp(decode_packed(n, &d), "ok") == 0 && d.xml_len == strlen(small),
	     "packed1 need not use its dictionary: a plain stream decodes too");
	ecs_saml_input_free(&d);
	n = deflate_from(doc, ECS_RESPONSE_MAX_XML + 1, true);
	T_OK(strcmp(decode_packed(n, &d), "deflate") == 0, "packed1, one byte past the cap: deflate");
	zeros = calloc(1, 10u << 20);
	n = zeros ? deflate_from(zeros, 10u << 20, true) : 0;
	free(zeros);
	T_OK(strcmp(decode_packed(n, &d), "deflate") == 0, "packed1, a 10 MB bomb: deflate");
	T_OK(strcmp(decode_packed_text("ab\001Zcd", 6, &d), "deflate") == 0,
	     "packed1 with an escape that stands for nothing: deflate");
	T_OK(strcmp(decode_packed_text("abcd\001", 5, &d), "deflate") == 0,
	     "packed1 ending on a lone escape: deflate");
	T_OK(strcmp(decode_packed_text("ab\ncd", 5, &d), "deflate") == 0,
	     "packed1 with a raw LF: deflate");
	T_OK(strcmp(decode_packed_text("", 0, &d), "deflate") == 0, "packed1, empty: deflate");
	{
		char *big = malloc(ECS_RESPONSE_MAX_B64 + 1);

		if (big)
			memset(big, 'x', ECS_RESPONSE_MAX_B64 + 1);
		T_OK(big && strcmp(decode_packed_text(big, ECS_RESPONSE_MAX_B64 + 1, &d), "size") == 0,
		     "packed1 past %d bytes: size", ECS_RESPONSE_MAX_B64);
		free(big);
	}
	T_DONE();
}
