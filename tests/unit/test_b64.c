/* test_b64.c — strict base64: RFC 4648 vectors, paste wrapping, refusals, buffer caps. */
#include <errno.h>
#include <string.h>

#include "ecs_b64.h"
#include "ecs_buf.h"
#include "tap.h"

/* Decode s and compare with want; returns the decoder's result (or 99 on a mismatch). */
static int
decode_eq(const char *s, const char *want)
{
	struct ecs_buf b;
	int r;

	ecs_buf_init(&b, 1 << 20);
	r = ecs_b64_decode(s, strlen(s), &b);
	if (r == 0 && want && (b.len != strlen(want) || memcmp(b.data ? b.data : (uint8_t *)"",
							       want, b.len) != 0))
		r = 99;
	ecs_buf_free(&b);
	return r;
}

static int
encode_eq(const char *s, const char *want)
{
	struct ecs_buf b;
	int r;

	ecs_buf_init(&b, 1 << 20);
	r = ecs_b64_encode(s, strlen(s), &b);
	if (r == 0 && (b.len != strlen(want) || (b.len && strcmp((char *)b.data, want) != 0)))
		r = 99;
	ecs_buf_free(&b);
	return r;
}

static void
test_vectors(void)
{
	/* RFC 4648 §10 */
	static const char *const v[][2] = {
		{ "", "" },	      { "f", "Zg==" },	       { "fo", "Zm8=" },
		{ "foo", "Zm9v" },    { "foob", "Zm9vYg==" }, { "fooba", "Zm9vYmE=" },
		{ "foobar", "Zm9vYmFy" },
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		T_OK(encode_eq(v[i][0], v[i][1]) == 0, "encode RFC 4648 vector '%s'", v[i][0]);
		T_OK(decode_eq(v[i][1], v[i][0]) == 0, "decode RFC 4648 vector '%s'", v[i][1]);
	}
}

static void
test_wrapping(void)
{
	T_OK(decode_eq("Zm9v\r\nYmFy\r\n", "foobar") == 0, "CRLF line breaks are skipped");
	T_OK(decode_eq("  Zm9v\tYm\nFy  ", "foobar") == 0, "spaces, tabs and LF anywhere");
	T_OK(decode_eq("Zm9vYg=\r\n=", "foob") == 0, "a break between the two '=' is wrapping");
	T_OK(decode_eq("\r\n \t", "") == 0, "only whitespace decodes to nothing");
}

static void
test_refusals(void)
{
	T_OK(decode_eq("Zm9vYg", NULL) == -EBADMSG, "missing padding refused");
	T_OK(decode_eq("Zm9vYg=", NULL) == -EBADMSG, "short padding refused");
	T_OK(decode_eq("Zm9vYg===", NULL) == -EBADMSG, "three '=' refused");
	T_OK(decode_eq("Zg==Zg==", NULL) == -EBADMSG, "data after padding refused");
	T_OK(decode_eq("Z=g=", NULL) == -EBADMSG, "'=' in the middle refused");
	T_OK(decode_eq("Zh==", NULL) == -EBADMSG, "non-zero bits left over after '==' refused");
	T_OK(decode_eq("Zm9=", NULL) == -EBADMSG, "non-zero bits left over after '=' refused");
	T_OK(decode_eq("Zm-_", NULL) == -EBADMSG, "URL-safe alphabet refused");
	T_OK(decode_eq("Zm9v\vYmFy", NULL) == -EBADMSG, "vertical tab is not wrapping");
	T_OK(decode_eq("Zm9v\xc3\xa9", NULL) == -EBADMSG, "non-ASCII refused");
	T_OK(decode_eq("Zm9", NULL) == -EBADMSG, "a partial quantum refused");
	T_OK(decode_eq("====", NULL) == -EBADMSG, "only padding refused");
}

static void
test_embedded_nul(void)
{
	struct ecs_buf b;

	ecs_buf_init(&b, 64);
	T_OK(ecs_b64_decode("Zm9v\0YmFy", 9, &b) == -EBADMSG && b.len == 0,
	     "a NUL inside the input is refused, not a terminator");
	ecs_buf_free(&b);
}

static void
test_caps(void)
{
	struct ecs_buf b;

	ecs_buf_init(&b, 5);
	T_OK(ecs_buf_append(&b, "x", 1) == 0, "prefix in buffer");
	T_OK(ecs_b64_decode("Zm9vYmFy", 8, &b) == -E2BIG && b.len == 1 &&
		     strcmp((char *)b.data, "x") == 0,
	     "decode over max is -E2BIG and appends nothing");
	T_OK(ecs_b64_decode("Zm9v", 4, &b) == 0 && b.len == 4 &&
		     memcmp(b.data, "xfoo", 4) == 0,
	     "decode appends after existing content");
	T_OK(ecs_b64_decode("Zg=", 3, &b) == -EBADMSG && b.len == 4,
	     "bad input leaves the buffer as it was");
	ecs_buf_free(&b);

	ecs_buf_init(&b, 7);
	T_OK(ecs_b64_encode("foobar", 6, &b) == -E2BIG && b.len == 0,
	     "encode over max is -E2BIG and appends nothing");
	ecs_buf_free(&b);
}

static void
test_roundtrip_and_count(void)
{
	struct ecs_buf enc, dec;
	unsigned char bin[3000];
	size_t i;
	int ok = 1;

	for (i = 0; i < sizeof(bin); i++)
		bin[i] = (unsigned char)(i * 7 + i / 256);
	/* every length crosses the internal staging block boundaries differently */
	for (i = 0; i < sizeof(bin) && ok; i += 97) {
		ecs_buf_init(&enc, 1 << 16);
		ecs_buf_init(&dec, 1 << 16);
		ok = ecs_b64_encode(bin, i, &enc) == 0 && enc.len == (i + 2) / 3 * 4 &&
		     ecs_b64_decode((char *)enc.data, enc.len, &dec) == 0 && dec.len == i &&
		     (i == 0 || memcmp(dec.data, bin, i) == 0);
		ecs_buf_free(&enc);
		ecs_buf_free(&dec);
	}
	T_OK(ok, "binary round trip at lengths 0..2910 (step 97)");
	T_OK(ecs_b64_count("Zm9v\r\nYm Fy\t", 12) == 8, "count skips whitespace");
	T_OK(ecs_b64_count("", 0) == 0, "count of nothing");
	T_OK(ecs_b64_count("Zg==", 4) == 4, "count includes padding");
}

int
main(void)
{
	test_vectors();
	test_wrapping();
	test_refusals();
	test_embedded_nul();
	test_caps();
	test_roundtrip_and_count();
	T_DONE();
}
