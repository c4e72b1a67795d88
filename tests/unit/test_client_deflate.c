/* test_client_deflate.c — ecs-saml-ssh's DEFLATE encoder (client_deflate.c), judged by zlib.
 *
 * zlib's inflate is the reference reader here (the helper inflates with it too): every
 * output must inflate back to the input exactly, and on SAML the encoder must come close to
 * zlib's own best level, since the chunk count — one network round trip each — follows
 * from the size. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "client_answer.h"
#include "client_deflate.h"
#include "client_input.h"
#include "ecs_b64.h"
#include "ecs_kbd_proto.h"
#include "ecs_limits.h"
#include "ecs_sha256.h"
#include "tap.h"

#define BIG (1u << 22)

static uint8_t back[BIG];

/* Inflate raw DEFLATE src[n] into back[]; the size or -1. */
static long
inflate_raw(const uint8_t *src, size_t n)
{
	z_stream s;
	long out = -1;
	int r;

	memset(&s, 0, sizeof(s));
	if (inflateInit2(&s, -15) != Z_OK)
		return -1;
	s.next_in = (Bytef *)src;
	s.avail_in = (uInt)n;
	s.next_out = back;
	s.avail_out = sizeof(back);
	r = inflate(&s, Z_FINISH);
	/* the stream must end exactly where the encoder's output does */
	if (r == Z_STREAM_END && s.avail_in == 0)
		out = (long)s.total_out;
	inflateEnd(&s);
	return out;
}

static size_t
zlib_best(const uint8_t *in, size_t n)
{
	z_stream s;
	static uint8_t z[BIG + BIG / 8];
	size_t out = 0;

	memset(&s, 0, sizeof(s));
	if (deflateInit2(&s, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK)
		return 0;
	s.next_in = (Bytef *)in;
	s.avail_in = (uInt)n;
	s.next_out = z;
	s.avail_out = sizeof(z);
	if (deflate(&s, Z_FINISH) == Z_STREAM_END)
		out = s.total_out;
	deflateEnd(&s);
	return out;
}

/* Compress in[n], check the round trip; the compressed size, or 0 on any failure. */
static size_t
round_trip(const uint8_t *in, size_t n)
{
	struct ecs_buf out;
	size_t size = 0;

	ecs_buf_init(&out, BIG + BIG / 8);
	if (ecs_deflate(in, n, &out) == 0 && inflate_raw(out.data, out.len) == (long)n &&
	    (n == 0 || memcmp(back, in, n) == 0))
		size = out.len;
	ecs_buf_free(&out);
	return size;
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint8_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint8_t)(rng >> 24);
}

static void
edge_cases(void)
{
	static uint8_t buf[BIG];
	struct ecs_buf small;
	size_t n, far;

	n = round_trip(buf, 0);
	T_OK(n > 0 && n <= 2, "empty input: a %zu-byte stream that inflates to nothing", n);
	for (unsigned v = 0; v < 256; v += 51) {
		buf[0] = (uint8_t)v;
		T_OK(round_trip(buf, 1) > 0, "one byte 0x%02x", v);
	}
	memcpy(buf, "ab", 2);
	T_OK(round_trip(buf, 2) > 0, "two bytes");
	memcpy(buf, "abcabcabc", 9);
	T_OK(round_trip(buf, 9) > 0, "a match overlapping its own source");

	memset(buf, 'A', 100000);
	n = round_trip(buf, 100000);
	T_OK(n > 0 && n < 400, "a run of 100000 equal bytes shrinks to %zu bytes", n);
	memset(buf, 0, 70000);
	T_OK(round_trip(buf, 70000) > 0, "a run of 70000 zero bytes");
	for (size_t i = 0; i < 5000; i++)
		buf[i] = (uint8_t)"ab"[i % 2];
	T_OK(round_trip(buf, 5000) > 0, "a two-byte period");

	for (size_t i = 0; i < 300000; i++)
		buf[i] = rnd();
	n = round_trip(buf, 300000);
	T_OK(n > 0 && n <= 300000 + 5 * (300000 / 65535 + 1),
	     "300000 random bytes: stored blocks, grown by %zu bytes only", n - 300000);
	n = round_trip(buf, 77);
	T_OK(n > 0 && n <= 77 + 5, "77 random bytes (%zu)", n);

	/* a match exactly as far back as the window reaches is found (the stream shrinks
	 * against the same bytes without it), and one a byte farther is not needed */
	for (size_t i = 0; i < 40600; i++)
		buf[i] = (uint8_t)('a' + rnd() % 16);
	far = round_trip(buf, 40600);
	memcpy(buf + 40000, buf + 40000 - 32768, 300);
	memcpy(buf + 40300, buf + 40300 - 32769, 300);
	n = round_trip(buf, 40600);
	T_OK(n > 0 && far > 0 && n + 100 < far,
	     "a match at distance 32768 (%zu bytes, %zu without it)", n, far);

	/* text-like, past the window and the largest Response, in several passes of it */
	for (size_t i = 0; i < 1000000; i++)
		buf[i] = (uint8_t)("<saml:Attribute Name=\"x\">\n"[rnd() % 26] ^ (rnd() < 8));
	n = round_trip(buf, 1000000);
	T_OK(n > 0, "1000000 bytes of skewed text (%zu)", n);
	n = round_trip(buf, ECS_RESPONSE_MAX_XML);
	T_OK(n > 0, "ECS_RESPONSE_MAX_XML bytes (%zu)", n);

	ecs_buf_init(&small, 10);
	memset(buf, 'x', 1000);
	for (size_t i = 0; i < 1000; i += 7)
		buf[i] = rnd();
	T_OK(ecs_deflate(buf, 1000, &small) == -E2BIG, "an output over its buffer's cap is -E2BIG");
	ecs_buf_free(&small);
}

static unsigned corpus_files, corpus_ok, corpus_close;
static size_t biggest_b64, biggest_deflated_b64;

static int
one_file(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	static uint8_t buf[BIG];
	size_t n, ours, theirs;
	FILE *f;

	(void)st;
	(void)ftw;
	if (type != FTW_F || strlen(path) < 4 || strcmp(path + strlen(path) - 4, ".xml") != 0)
		return 0;
	f = fopen(path, "rb");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	corpus_files++;
	ours = round_trip(buf, n);
	theirs = zlib_best(buf, n);
	if (ours == 0) {
		printf("# round trip failed: %s\n", path);
		return 0;
	}
	corpus_ok++;
	/* within 2% (and a few bytes) of zlib -9 */
	if (ours <= theirs + theirs / 50 + 8)
		corpus_close++;
	else
		printf("# %s: %zu bytes, zlib -9 %zu\n", path, ours, theirs);
	if (strstr(path, "responses/") && strstr(path, "20k.xml") && (n + 2) / 3 * 4 > biggest_b64) {
		biggest_b64 = (n + 2) / 3 * 4;
		biggest_deflated_b64 = (ours + 2) / 3 * 4;
	}
	return 0;
}

static void
corpus(void)
{
	const char *shared = getenv("ECS_SHARED");
	char dir[4096];

	if (shared == NULL)
		shared = "../shared";
	snprintf(dir, sizeof(dir), "%s/saml-corpus/responses", shared);
	nftw(dir, one_file, 16, FTW_PHYS);
	snprintf(dir, sizeof(dir), "%s/interop-corpus", shared);
	nftw(dir, one_file, 16, FTW_PHYS);
	T_OK(corpus_files >= 50, "the shared corpus is there (%u XML files under %s)",
	     corpus_files, shared);
	T_OK(corpus_ok == corpus_files, "every corpus file round-trips (%u of %u)", corpus_ok,
	     corpus_files);
	T_OK(corpus_close == corpus_files, "every corpus file within 2%% of zlib -9 (%u of %u)",
	     corpus_close, corpus_files);
	T_OK(biggest_b64 > 20000 && biggest_deflated_b64 <= 4000,
	     "the 20 KB Response: %zu base64 characters, deflated %zu (4 chunks at most)",
	     biggest_b64, biggest_deflated_b64);
}

/* The Response as ecs-saml-ssh sends it: deflated, base64, announced in the header. */
static void
response_deflated(void)
{
	static const char xml[] = "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\">"
				  "<saml:Issuer>https://idp.example.test/</saml:Issuer>"
				  "<saml:Issuer>https://idp.example.test/</saml:Issuer></samlp:Response>";
	struct ecs_kbd_proto_header h;
	struct ecs_client_response resp;
	struct ecs_client_answerer a;
	struct ecs_buf raw, out;
	char prompt[ECS_KBD_PROTO_PROMPT_MAX];

	ecs_client_response_init(&resp);
	ecs_buf_init(&raw, 4096);
	ecs_buf_init(&out, 4096);
	T_OK(ecs_client_response_parse(xml, strlen(xml), &resp) == 0 &&
		     ecs_client_response_deflate(&resp) == 0 && resp.deflated.len > 0 &&
		     resp.deflated.len < resp.b64.len,
	     "the Response deflates to fewer base64 characters (%zu, not %zu)", resp.deflated.len,
	     resp.b64.len);
	T_OK(ecs_b64_decode((const char *)resp.deflated.data, resp.deflated.len, &raw) == 0 &&
		     inflate_raw(raw.data, raw.len) == (long)strlen(xml) &&
		     memcmp(back, xml, strlen(xml)) == 0,
	     "its base64 decodes to a DEFLATE stream of the document");

	ecs_client_answerer_init(&a, ECS_CLIENT_CHUNKED, (const char *)resp.deflated.data,
				 resp.deflated.len, ECS_KBD_ENC_DEFLATE, NULL);
	ecs_kbd_proto_format_prompt(ECS_PROMPT_RESPONSE, 0, 0, NULL, prompt, sizeof(prompt));
	T_OK(ecs_client_answer(&a, prompt, &out) == 0 &&
		     ecs_kbd_proto_parse_header((const char *)out.data, &h) == 0 && h.encoding == ECS_KBD_ENC_DEFLATE &&
		     h.length == resp.deflated.len,
	     "chunked and deflated: the header says encoding=deflate, with the deflated length");
	T_OK(h.inlined == h.length && h.chunks == 0 && a.sent &&
		     memcmp(h.inline_chars, resp.deflated.data, h.length) == 0,
	     "... and, this short, carries all of it inline: no chunk prompt to come");
	ecs_buf_clear(&out);
	ecs_kbd_proto_format_prompt(ECS_PROMPT_CHUNK, 1, 1, NULL, prompt, sizeof(prompt));
	T_OK(ecs_client_answer(&a, prompt, &out) == -EALREADY && out.len == 0,
	     "a chunk prompt after it all went inline: refused, nothing sent twice");
	ecs_kbd_proto_format_prompt(ECS_PROMPT_RESPONSE, 0, 0, NULL, prompt, sizeof(prompt));
	ecs_client_answerer_init(&a, ECS_CLIENT_CHUNKED, (const char *)resp.b64.data,
				 resp.b64.len, ECS_KBD_ENC_NONE, NULL);
	T_OK(ecs_client_answer(&a, prompt, &out) == 0 &&
		     ecs_kbd_proto_parse_header((const char *)out.data, &h) == 0 && h.encoding == ECS_KBD_ENC_NONE &&
		     h.inlined == 0 && h.chunks == 1 && !a.sent,
	     "not deflated (--no-compress): the v1 header as before, nothing inline");
	ecs_client_answerer_init(&a, ECS_CLIENT_LINES, (const char *)resp.b64.data,
				 resp.b64.len, ECS_KBD_ENC_DEFLATE, NULL);
	T_OK(a.encoding == ECS_KBD_ENC_NONE, "lines mode (sudo, no header to say so) never deflates");
	ecs_buf_free(&out);
	ecs_buf_free(&raw);
	ecs_client_response_free(&resp);
}

/* A deflated conversation of 2500 characters, as the module drives it: the header carries
 * the first ones, the chunks it announces carry the rest, and together they are the whole,
 * under the header's digest. */
static void
inline_conversation(void)
{
	static char b64[2501];
	char prompt[ECS_KBD_PROTO_PROMPT_MAX];
	struct ecs_kbd_proto_header h;
	struct ecs_client_answerer a;
	struct ecs_buf out, all;
	uint8_t d[ECS_SHA256_LEN];
	bool ok = true;

	for (size_t i = 0; i < sizeof(b64) - 1; i++)
		b64[i] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[(i * 5) % 64];
	ecs_buf_init(&out, 4096);
	ecs_buf_init(&all, 4096);
	ecs_client_answerer_init(&a, ECS_CLIENT_CHUNKED, b64, 2500, ECS_KBD_ENC_DEFLATE, NULL);
	ecs_kbd_proto_format_prompt(ECS_PROMPT_RESPONSE, 0, 0, NULL, prompt, sizeof(prompt));
	T_OK(ecs_client_answer(&a, prompt, &out) == 0 && out.len <= ECS_KBD_PROTO_SSH_CUT &&
		     ecs_kbd_proto_parse_header((const char *)out.data, &h) == 0 && h.encoding == ECS_KBD_ENC_DEFLATE &&
		     h.length == 2500 && h.inlined > 800 && h.chunks == 2 && a.chunks == 2,
	     "2500 deflated characters: a header within 1023 bytes carrying %zu, then 2 chunks, "
	     "not 3", h.inlined);
	ecs_buf_append(&all, h.inline_chars, h.inlined);
	ecs_buf_clear(&out);
	ecs_kbd_proto_format_prompt(ECS_PROMPT_CHUNK, 1, 3, NULL, prompt, sizeof(prompt));
	T_OK(ecs_client_answer(&a, prompt, &out) == -EPROTO && out.len == 0,
	     "a chunk prompt counting 3 chunks (no inline share) is refused");
	for (unsigned i = 1; i <= h.chunks; i++) {
		ecs_kbd_proto_format_prompt(ECS_PROMPT_CHUNK, i, h.chunks, NULL, prompt,
					    sizeof(prompt));
		ok = ok && ecs_client_answer(&a, prompt, &out) == 0 &&
		     out.len == (i < h.chunks ? 1000 : 2500 - h.inlined - 1000);
		ecs_buf_append(&all, out.data, out.len);
		ecs_buf_clear(&out);
	}
	ecs_sha256(all.data, all.len, d);
	T_OK(ok && a.sent && all.len == 2500 && memcmp(all.data, b64, 2500) == 0 &&
		     memcmp(d, h.sha256, sizeof(d)) == 0,
	     "inline share + chunks reassemble to the whole, under the header's digest");
	ecs_buf_free(&out);
	ecs_buf_free(&all);
}

int
main(void)
{
	edge_cases();
	response_deflated();
	inline_conversation();
	corpus();
	T_DONE();
}
