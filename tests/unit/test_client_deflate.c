/* test_client_deflate.c — ecs-saml-ssh's DEFLATE encoder (client_deflate.c), judged by zlib.
 *
 * zlib's inflate is the reference reader here (the helper inflates with it too): every
 * output must inflate back to the input exactly, and on SAML the encoder must come close to
 * zlib's own best level, since the chunk count — one network round trip each — follows
 * from the size. With a preset dictionary zlib reads it after inflateSetDictionary, as
 * the helper does for encoding=packed1, and the conversation that carries the packed
 * form must reassemble, unescape and inflate back to the Response. */
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
#include "ecs_pack.h"
#include "ecs_sha256.h"
#include "tap.h"

#define BIG (1u << 22)

static uint8_t back[BIG];

/* Inflate raw DEFLATE src[n], preset with dict[dict_len] (none when 0), into back[]; the
 * size or -1. */
static long
inflate_dict(const uint8_t *src, size_t n, const void *dict, size_t dict_len)
{
	z_stream s;
	long out = -1;
	int r;

	memset(&s, 0, sizeof(s));
	if (inflateInit2(&s, -15) != Z_OK)
		return -1;
	if (dict_len > 0 && inflateSetDictionary(&s, dict, (uInt)dict_len) != Z_OK) {
		inflateEnd(&s);
		return -1;
	}
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

static long
inflate_raw(const uint8_t *src, size_t n)
{
	return inflate_dict(src, n, NULL, 0);
}

/* zlib -9's stream for in[n], preset with dict[dict_len] (none when 0): its size. */
static size_t
zlib_best_dict(const uint8_t *in, size_t n, const void *dict, size_t dict_len)
{
	z_stream s;
	static uint8_t z[BIG + BIG / 8];
	size_t out = 0;

	memset(&s, 0, sizeof(s));
	if (deflateInit2(&s, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK)
		return 0;
	if (dict_len > 0 && deflateSetDictionary(&s, dict, (uInt)dict_len) != Z_OK) {
		deflateEnd(&s);
		return 0;
	}
	s.next_in = (Bytef *)in;
	s.avail_in = (uInt)n;
	s.next_out = z;
	s.avail_out = sizeof(z);
	if (deflate(&s, Z_FINISH) == Z_STREAM_END)
		out = s.total_out;
	deflateEnd(&s);
	return out;
}

static size_t
zlib_best(const uint8_t *in, size_t n)
{
	return zlib_best_dict(in, n, NULL, 0);
}

/* Compress in[n] against dict[dict_len] (ecs_deflate itself without one), check the round
 * trip; the compressed size, or 0 on any failure. */
static size_t
round_trip_dict(const uint8_t *in, size_t n, const void *dict, size_t dict_len)
{
	struct ecs_buf out;
	size_t size = 0;
	int r;

	ecs_buf_init(&out, BIG + BIG / 8);
	r = dict ? ecs_deflate_dict(in, n, dict, dict_len, &out) : ecs_deflate(in, n, &out);
	if (r == 0 && inflate_dict(out.data, out.len, dict, dict_len) == (long)n &&
	    (n == 0 || memcmp(back, in, n) == 0))
		size = out.len;
	ecs_buf_free(&out);
	return size;
}

static size_t
round_trip(const uint8_t *in, size_t n)
{
	return round_trip_dict(in, n, NULL, 0);
}

static size_t
round_trip_dict1(const uint8_t *in, size_t n)
{
	return round_trip_dict(in, n, ecs_pack_dict1, ecs_pack_dict1_len);
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

/* Matches into the dictionary: taken as far as the window reaches, across dictionary and
 * input, never farther (zlib refuses a distance past what it holds). */
static void
dictionary_cases(void)
{
	static uint8_t buf[BIG], dict[40000];
	const uint8_t *d1 = (const uint8_t *)ecs_pack_dict1;
	/* the input's byte that sits 32768 after the dictionary's first (the compiler cannot
	 * know the dictionary is shorter than the window) */
	size_t n, plain, start = ecs_pack_dict1_len < 32768 ? 32768 - ecs_pack_dict1_len : 0;

	n = round_trip_dict1(buf, 0);
	T_OK(n > 0 && n <= 2, "empty input with a dictionary: a %zu-byte stream", n);
	memcpy(buf, d1 + ecs_pack_dict1_len - 2000, 2000);
	memcpy(buf + 2000, d1, 500);
	n = round_trip_dict1(buf, 2500);
	T_OK(n > 0 && n < 40, "2500 bytes of the dictionary's own text: %zu bytes of matches", n);

	for (size_t i = 0; i < 300000; i++)
		buf[i] = rnd();
	n = round_trip_dict1(buf, 300000);
	T_OK(n > 0 && n <= 300000 + 5 * (300000 / 65535 + 1),
	     "300000 random bytes with a dictionary: stored blocks of the input alone (+%zu)",
	     n - 300000);
	n = round_trip_dict1(buf, 77);
	T_OK(n > 0 && n <= 77 + 5, "77 random bytes with a dictionary (%zu)", n);

	/* the input starts 7511 bytes into the window: its byte 32768 - 7511 may still copy
	 * the dictionary's first, and 300 bytes later the one 32769 back is out of reach */
	for (size_t i = 0; i < start + 600; i++)
		buf[i] = (uint8_t)('a' + rnd() % 16);
	memcpy(buf + start, d1, 300);
	memcpy(buf + start + 300, d1 + 299, 300);
	plain = round_trip(buf, start + 600);
	n = round_trip_dict1(buf, start + 600);
	T_OK(n > 0 && plain > 0 && n + 100 < plain,
	     "a match 32768 back into the dictionary (%zu bytes, %zu without it), none 32769 "
	     "back", n, plain);

	/* a dictionary longer than the window: only its last 32 KB can be referred to */
	for (size_t i = 0; i < sizeof(dict); i++)
		dict[i] = (uint8_t)('a' + rnd() % 16);
	memcpy(buf, dict + sizeof(dict) - 300, 300);
	memcpy(buf + 300, dict, 300);
	n = round_trip_dict(buf, 600, dict, sizeof(dict));
	T_OK(n > 0 && n < 250, "a 40000-byte dictionary: its tail matched, its head out of "
	     "reach (%zu bytes)", n);

	for (size_t i = 0; i < 1000000; i++)
		buf[i] = (uint8_t)("<saml:Attribute Name=\"x\">\n"[rnd() % 26] ^ (rnd() < 8));
	T_OK(round_trip_dict1(buf, 1000000) > 0, "1000000 bytes of skewed text with a dictionary");
}

static unsigned corpus_files, corpus_ok, corpus_close, corpus_dict_ok, corpus_dict_close;
static size_t biggest_b64, biggest_deflated_b64;

/* The RESPONSE prompt as the module writes it, with or without its packed1 offer. */
static void
response_prompt(char *prompt, size_t size, bool offer)
{
	static const char line[] = ECS_KBD_PROTO_OFFER_PACKED1 "\n";
	char *at;

	ecs_kbd_proto_format_prompt(ECS_PROMPT_RESPONSE, 0, 0, NULL, prompt, size);
	at = strstr(prompt, line);
	if (!offer && at != NULL)
		memmove(at, at + strlen(line), strlen(at + strlen(line)) + 1);
}

/* A whole chunked conversation as the module drives it, from RESPONSE prompt prompt: the
 * answers it took, header included, or 0 on any failure. What they carried (the inline
 * share, then the chunks) is appended to all, checked against the digest in *h. */
static unsigned
converse(struct ecs_client_answerer *a, const char *prompt, struct ecs_kbd_proto_header *h,
	 struct ecs_buf *all)
{
	char chunk[ECS_KBD_PROTO_PROMPT_MAX];
	uint8_t d[ECS_SHA256_LEN];
	struct ecs_buf out;
	unsigned answers = 0;

	ecs_buf_init(&out, 4096);
	if (ecs_client_answer(a, prompt, &out) != 0 ||
	    ecs_kbd_proto_parse_header((const char *)out.data, h) != 0 ||
	    ecs_buf_append(all, h->inline_chars, h->inlined) != 0)
		goto out;
	for (unsigned i = 1; i <= h->chunks; i++) {
		ecs_buf_clear(&out);
		ecs_kbd_proto_format_prompt(ECS_PROMPT_CHUNK, i, h->chunks, NULL, chunk,
					    sizeof(chunk));
		if (ecs_client_answer(a, chunk, &out) != 0 ||
		    ecs_buf_append(all, out.data, out.len) != 0)
			goto out;
	}
	ecs_sha256(all->data, all->len, d);
	if (a->sent && all->len == h->length && memcmp(d, h->sha256, sizeof(d)) == 0)
		answers = 1 + h->chunks;
out:
	ecs_buf_free(&out);
	return answers;
}

/* Whether packed[len] unescapes to a stream that inflates, from packed1's dictionary, to
 * xml[xml_len] exactly, as the helper reads it. */
static bool
unpacks_to(const uint8_t *packed, size_t len, const uint8_t *xml, size_t xml_len)
{
	struct ecs_buf raw;
	bool ok;

	ecs_buf_init(&raw, BIG);
	ok = ecs_pack_unescape((const char *)packed, len, &raw) == 0 &&
	     inflate_dict(raw.data, raw.len, ecs_pack_dict1, ecs_pack_dict1_len) == (long)xml_len &&
	     memcmp(back, xml, xml_len) == 0;
	ecs_buf_free(&raw);
	return ok;
}

/* Answers per Response size class of the corpus: the most any of its files took. */
static struct {
	const char *name, *suffix;
	unsigned files, packed_max, deflate_max;
} sizes[2] = { { "5 KB", "5k.xml", 0, 0, 0 }, { "20 KB", "20k.xml", 0, 0, 0 } };
static unsigned measured, measured_ok;
/* The interop corpus's Responses from IdP products (not the unsigned templates): how many,
 * how many take 2 answers packed, the most any takes, and the range deflated. */
static unsigned idp_files, idp_packed2, idp_packed_max, idp_deflate_min = ~0u, idp_deflate_max;

/* The answers the Response in xml[n] takes, packed to a bastion that offers it and deflated
 * to one that does not, as ecs-saml-ssh sets its answerer up; checks that the packed
 * conversation carries the Response. Files over the caps are no Response to send. */
static void
measure(const char *path, const uint8_t *xml, size_t n)
{
	char prompt[ECS_KBD_PROTO_PROMPT_MAX];
	struct ecs_client_response resp;
	struct ecs_kbd_proto_header h;
	struct ecs_client_answerer a;
	struct ecs_buf all;
	unsigned packed, deflated;

	ecs_client_response_init(&resp);
	ecs_buf_init(&all, ECS_RESPONSE_MAX_B64);
	if (ecs_client_response_parse((const char *)xml, n, &resp) != 0)
		goto out;
	measured++;
	ecs_client_answerer_init_response(&a, ECS_CLIENT_CHUNKED, &resp, true, NULL);
	response_prompt(prompt, sizeof(prompt), true);
	packed = converse(&a, prompt, &h, &all);
	if (packed > 0 && h.encoding == ECS_KBD_ENC_PACKED1 && resp.packed.len < resp.deflated.len &&
	    unpacks_to(all.data, all.len, resp.xml.data, resp.xml.len))
		measured_ok++;
	else
		printf("# packed conversation failed: %s\n", path);
	ecs_buf_clear(&all);
	ecs_client_answerer_init_response(&a, ECS_CLIENT_CHUNKED, &resp, true, NULL);
	response_prompt(prompt, sizeof(prompt), false);
	deflated = converse(&a, prompt, &h, &all);
	if (strstr(path, "interop-corpus/") && !strstr(path, ".tmpl.")) {
		idp_files++;
		idp_packed2 += packed <= 2;
		idp_packed_max = packed > idp_packed_max ? packed : idp_packed_max;
		idp_deflate_min = deflated < idp_deflate_min ? deflated : idp_deflate_min;
		idp_deflate_max = deflated > idp_deflate_max ? deflated : idp_deflate_max;
	}
	for (unsigned k = 0; k < 2; k++) {
		size_t sl = strlen(sizes[k].suffix);

		if (!strstr(path, "responses/") || strlen(path) < sl ||
		    strcmp(path + strlen(path) - sl, sizes[k].suffix) != 0)
			continue;
		sizes[k].files++;
		if (packed > sizes[k].packed_max)
			sizes[k].packed_max = packed;
		if (deflated > sizes[k].deflate_max)
			sizes[k].deflate_max = deflated;
	}
out:
	ecs_buf_free(&all);
	ecs_client_response_free(&resp);
}

static int
one_file(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	static uint8_t buf[BIG];
	size_t n, ours, theirs, with_dict;
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
	with_dict = round_trip_dict1(buf, n);
	theirs = zlib_best_dict(buf, n, ecs_pack_dict1, ecs_pack_dict1_len);
	corpus_dict_ok += with_dict > 0;
	corpus_dict_close += with_dict > 0 && with_dict <= theirs + theirs / 50 + 8;
	measure(path, buf, n);
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
	T_OK(corpus_dict_ok == corpus_files,
	     "every corpus file round-trips with packed1's dictionary (%u of %u)",
	     corpus_dict_ok, corpus_files);
	T_OK(corpus_dict_close == corpus_files,
	     "every corpus file within 2%% of zlib -9 with the same dictionary (%u of %u)",
	     corpus_dict_close, corpus_files);
	T_OK(measured > 40 && measured_ok == measured,
	     "every corpus Response within the caps goes packed in a conversation that "
	     "unpacks back to it, and in fewer bytes than deflated (%u of %u)", measured_ok,
	     measured);
	/* README: most of them take 2 answers packed, not 4, and none more than 3 */
	T_OK(idp_files >= 10 && idp_packed2 * 3 >= idp_files * 2 && idp_packed_max <= 3,
	     "the IdP products' Responses: %u of %u take 2 answers packed, none more than %u "
	     "(deflated, %u to %u)", idp_packed2, idp_files, idp_packed_max, idp_deflate_min,
	     idp_deflate_max);
	for (unsigned k = 0; k < 2; k++)
		T_OK(sizes[k].files > 0 && sizes[k].packed_max <= 3,
		     "the %s Responses (%u): at most %u answers with encoding=packed1, header "
		     "included (%u with deflate)", sizes[k].name, sizes[k].files,
		     sizes[k].packed_max, sizes[k].deflate_max);
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

/* The packed form to a bastion that offers it, the deflated one to a bastion that does not,
 * the base64 with --no-compress, the paste lines to sudo. */
static void
packed_conversation(void)
{
	static const char head[] = "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:"
				   "protocol\" Destination=\"https://signin.aws.amazon.com/saml\">"
				   "<ds:SignatureValue>";
	static const char tail[] = "</ds:SignatureValue></samlp:Response>";
	static const char b64chars[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char xml[sizeof(head) + 3000 + sizeof(tail)], prompt[ECS_KBD_PROTO_PROMPT_MAX];
	struct ecs_client_response resp;
	struct ecs_kbd_proto_header h;
	struct ecs_client_answerer a;
	struct ecs_buf all, out;
	unsigned n;

	/* a signature's worth of random base64: a stream of every byte value, escapes too */
	memcpy(xml, head, strlen(head));
	for (size_t i = 0; i < 3000; i++)
		xml[strlen(head) + i] = b64chars[rnd() % 64];
	memcpy(xml + strlen(head) + 3000, tail, sizeof(tail));
	ecs_client_response_init(&resp);
	ecs_buf_init(&all, ECS_RESPONSE_MAX_B64);
	ecs_buf_init(&out, 4096);
	T_OK(ecs_client_response_parse(xml, strlen(xml), &resp) == 0, "a 3 KB Response");

	ecs_client_answerer_init_response(&a, ECS_CLIENT_CHUNKED, &resp, true, NULL);
	response_prompt(prompt, sizeof(prompt), true);
	n = converse(&a, prompt, &h, &all);
	T_OK(n == 3 && h.encoding == ECS_KBD_ENC_PACKED1 && h.length == resp.packed.len &&
		     h.inlined > 800,
	     "a prompt offering packed1: the header says encoding=packed1 with the packed "
	     "length and carries %zu bytes inline, %u answers in all", h.inlined, n);
	T_OK(all.len == resp.packed.len && memcmp(all.data, resp.packed.data, all.len) == 0 &&
		     memchr(all.data, ECS_PACK_ESC, all.len) != NULL,
	     "inline bytes + chunks are the packed text, escapes and all, under the digest");
	T_OK(unpacks_to(all.data, all.len, resp.xml.data, resp.xml.len),
	     "... which unescapes and inflates, from the dictionary, to the Response");

	ecs_buf_clear(&all);
	ecs_client_answerer_init_response(&a, ECS_CLIENT_CHUNKED, &resp, true, NULL);
	response_prompt(prompt, sizeof(prompt), false);
	n = converse(&a, prompt, &h, &all);
	T_OK(n > 0 && h.encoding == ECS_KBD_ENC_DEFLATE && all.len == resp.deflated.len &&
		     memcmp(all.data, resp.deflated.data, all.len) == 0,
	     "a prompt without the offer: encoding=deflate as before (%u answers)", n);

	ecs_buf_clear(&all);
	ecs_client_answerer_init_response(&a, ECS_CLIENT_CHUNKED, &resp, true, NULL);
	snprintf(prompt, sizeof(prompt), "Banner: " ECS_KBD_PROTO_OFFER_PACKED1
		 "\nSAML response [" ECS_KBD_PROTO_TAG "]: ");
	n = converse(&a, prompt, &h, &all);
	T_OK(n > 0 && h.encoding == ECS_KBD_ENC_DEFLATE,
	     "the offer inside another line (a banner's) is no offer: deflate");

	ecs_buf_clear(&all);
	ecs_client_answerer_init_response(&a, ECS_CLIENT_CHUNKED, &resp, false, NULL);
	response_prompt(prompt, sizeof(prompt), true);
	n = converse(&a, prompt, &h, &all);
	T_OK(n > 0 && h.encoding == ECS_KBD_ENC_NONE && h.inlined == 0 &&
		     all.len == resp.b64.len && memcmp(all.data, resp.b64.data, all.len) == 0,
	     "--no-compress, offered packed1: the Response's base64 and the first v1 header");

	ecs_client_answerer_init_response(&a, ECS_CLIENT_LINES, &resp, true, NULL);
	T_OK(ecs_client_answer(&a, prompt, &out) == 0 && a.encoding == ECS_KBD_ENC_NONE &&
		     out.len == ECS_CLIENT_LINE && memcmp(out.data, resp.b64.data, out.len) == 0,
	     "lines mode (sudo), offered packed1: the first line of the base64");
	ecs_buf_free(&out);
	ecs_buf_free(&all);
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
	dictionary_cases();
	response_deflated();
	packed_conversation();
	inline_conversation();
	corpus();
	T_DONE();
}
