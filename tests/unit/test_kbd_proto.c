/* test_kbd_proto.c — the conversation protocol v1: headers, prompts, completeness. */
#include <errno.h>
#include <string.h>

#include "ecs_b64.h"
#include "ecs_buf.h"
#include "ecs_kbd_proto.h"
#include "ecs_limits.h"
#include "tap.h"

static const char xml_doc[] =
	"<?xml version=\"1.0\"?><samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\""
	" ID=\"_r\"><saml:Assertion/></samlp:Response>\n";

static void
test_header(void)
{
	struct ecs_kbd_proto_header h;
	static char longest[ECS_RESPONSE_MAX_B64];
	char out[160], big[2501];
	static const char abc_hex[] =
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
	char want[160];
	size_t k;

	T_OK(ecs_kbd_proto_format_header("abc", 3, ECS_KBD_ENC_NONE, false, out, sizeof(out), &k) == 0, "format header of abc");
	snprintf(want, sizeof(want), "ecs-saml/1 chunks=1 length=3 sha256=%s", abc_hex);
	T_OK(strcmp(out, want) == 0, "header text carries the FIPS 180-4 digest of abc");
	T_OK(ecs_kbd_proto_parse_header(out, &h) == 0 && h.length == 3 && h.chunks == 1 &&
		     h.sha256[0] == 0xba && h.sha256[31] == 0xad,
	     "parse what format wrote");

	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	T_OK(ecs_kbd_proto_format_header(big, 2500, ECS_KBD_ENC_NONE, false, out, sizeof(out), &k) == 0 &&
		     ecs_kbd_proto_parse_header(out, &h) == 0 && h.chunks == 3 && h.length == 2500,
	     "2500 characters are 3 chunks");
	T_OK(ecs_kbd_proto_format_header(big, 1000, ECS_KBD_ENC_NONE, false, out, sizeof(out), &k) == 0 &&
		     ecs_kbd_proto_parse_header(out, &h) == 0 && h.chunks == 1,
	     "exactly 1000 characters are 1 chunk");
	T_OK(ecs_kbd_proto_format_header(big, 0, ECS_KBD_ENC_NONE, false, out, sizeof(out), &k) == -ERANGE, "empty payload refused");
	T_OK(ecs_kbd_proto_format_header(big, ECS_RESPONSE_MAX_B64 + 1, ECS_KBD_ENC_NONE, false, out, sizeof(out), &k) ==
		     -ERANGE,
	     "payload over the cap refused");
	T_OK(ecs_kbd_proto_format_header(big, 10, ECS_KBD_ENC_NONE, false, out, 40, &k) == -E2BIG, "small output buffer: -E2BIG");

	T_OK(ecs_kbd_proto_format_header("abc", 3, ECS_KBD_ENC_NONE, false, out, sizeof(out), &k) == 0 &&
		     ecs_kbd_proto_parse_header(out, &h) == 0 && h.encoding == ECS_KBD_ENC_NONE,
	     "no encoding field: not deflated");
	T_OK(ecs_kbd_proto_format_header("abc", 3, ECS_KBD_ENC_DEFLATE, false, out, sizeof(out), &k) == 0, "format a deflate header");
	snprintf(want, sizeof(want), "ecs-saml/1 chunks=1 length=3 sha256=%s encoding=deflate", abc_hex);
	T_OK(strcmp(out, want) == 0, "the deflate header is the v1 header plus ' encoding=deflate'");
	T_OK(ecs_kbd_proto_parse_header(out, &h) == 0 && h.encoding == ECS_KBD_ENC_DEFLATE && h.length == 3,
	     "parse the deflate header back");
	memset(longest, 'A', sizeof(longest));
	T_OK(ecs_kbd_proto_format_header(longest, ECS_RESPONSE_MAX_B64, ECS_KBD_ENC_DEFLATE, false, out, sizeof(out), &k) == 0 &&
		     ecs_kbd_proto_parse_header(out, &h) == 0 && h.encoding == ECS_KBD_ENC_DEFLATE && h.chunks == 100,
	     "the longest deflate header fits its 160-byte buffer");
	snprintf(want, sizeof(want), "ecs-saml/1 chunks=1 length=3 sha256=%s encoding=gzip", abc_hex);
	T_OK(ecs_kbd_proto_parse_header(want, &h) == -EBADMSG, "another encoding refused");
	T_OK(strcmp(ecs_kbd_encoding_name(ECS_KBD_ENC_NONE), "none") == 0 &&
		     strcmp(ecs_kbd_encoding_name(ECS_KBD_ENC_DEFLATE), "deflate") == 0 &&
		     strcmp(ecs_kbd_encoding_name(ECS_KBD_ENC_PACKED1), "packed1") == 0,
	     "the encodings' names for logs are the header's values");
	snprintf(want, sizeof(want), "ecs-saml/1 chunks=1 length=3 sha256=%s encoding=deflate ", abc_hex);
	T_OK(ecs_kbd_proto_parse_header(want, &h) == -EBADMSG, "garbage after the encoding refused");
	snprintf(want, sizeof(want), "ecs-saml/1 chunks=1 length=3 sha256=%s encoding=deflat", abc_hex);
	T_OK(ecs_kbd_proto_parse_header(want, &h) == -EBADMSG, "a cut encoding field refused");

	T_OK(ecs_kbd_proto_parse_header("PHNhbWxwOlJlc3BvbnNl", &h) == -ENOENT, "base64 is not a header");
	T_OK(ecs_kbd_proto_parse_header("<samlp:Response/>", &h) == -ENOENT, "XML is not a header");
	T_OK(ecs_kbd_proto_parse_header("", &h) == -ENOENT, "empty answer is not a header");

	snprintf(want, sizeof(want), "ecs-saml/2 chunks=1 length=3 sha256=%s", abc_hex);
	T_OK(ecs_kbd_proto_parse_header(want, &h) == -EBADMSG, "other version refused");
	snprintf(want, sizeof(want), "ecs-saml/1 chunks=2 length=3 sha256=%s", abc_hex);
	T_OK(ecs_kbd_proto_parse_header(want, &h) == -EBADMSG, "inconsistent chunk count refused");
	snprintf(want, sizeof(want), "ecs-saml/1 chunks=0 length=0 sha256=%s", abc_hex);
	T_OK(ecs_kbd_proto_parse_header(want, &h) == -EBADMSG, "zero length refused");
	snprintf(want, sizeof(want), "ecs-saml/1 chunks=101 length=100001 sha256=%s", abc_hex);
	T_OK(ecs_kbd_proto_parse_header(want, &h) == -EBADMSG, "length over the cap refused");
	snprintf(want, sizeof(want), "ecs-saml/1 chunks=01 length=3 sha256=%s", abc_hex);
	T_OK(ecs_kbd_proto_parse_header(want, &h) == -EBADMSG, "leading zero refused");
	snprintf(want, sizeof(want), "ecs-saml/1 chunks=1 length=3 sha256=%s ", abc_hex);
	T_OK(ecs_kbd_proto_parse_header(want, &h) == -EBADMSG, "trailing garbage refused");
	snprintf(want, sizeof(want), "ecs-saml/1 chunks=1 length=3 sha256=%.63s", abc_hex);
	T_OK(ecs_kbd_proto_parse_header(want, &h) == -EBADMSG, "short digest refused");
	T_OK(ecs_kbd_proto_parse_header("ecs-saml/1 chunks=1 length=3 sha256=BA7816BF8F01CFEA414140DE5"
				    "DAE2223B00361A396177A9CB410FF61F20015AD",
				    &h) == -EBADMSG,
	     "uppercase digest refused");
	T_OK(ecs_kbd_proto_parse_header("ecs-saml/1 chunks=99999999999999999999999 length=3", &h) ==
		     -EBADMSG,
	     "overflowing number refused");
}

/* Parse text expecting a refusal, with a reason for the user. */
static void
refused(const char *text, const char *what)
{
	struct ecs_kbd_proto_header h;

	T_OK(ecs_kbd_proto_parse_header(text, &h) == -EBADMSG && h.defect != NULL &&
		     h.defect[0] != '\0',
	     "%s: refused, saying why", what);
}

/* " inline=K DATA": the header answer is chunk 0 (ecs_kbd_proto.h). */
static void
test_inline(void)
{
	static const char abc_hex[] =
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
	static char b64[ECS_RESPONSE_MAX_B64 + 1];
	struct ecs_kbd_proto_header h;
	char out[ECS_KBD_PROTO_SSH_CUT + 1], want[2 * ECS_KBD_PROTO_SSH_CUT];
	size_t k, n;
	bool all_ok = true, saves = true;
	int r;

	for (size_t i = 0; i < ECS_RESPONSE_MAX_B64; i++)
		b64[i] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[(i * 7) % 64];

	r = ecs_kbd_proto_format_header("abc", 3, ECS_KBD_ENC_DEFLATE, true, out, sizeof(out), &k);
	snprintf(want, sizeof(want),
		 "ecs-saml/1 chunks=0 length=3 sha256=%s encoding=deflate inline=3 abc", abc_hex);
	T_OK(r == 0 && k == 3 && strcmp(out, want) == 0,
	     "a short Response rides whole in the header: chunks=0 ... inline=3 abc");
	T_OK(ecs_kbd_proto_parse_header(out, &h) == 0 && h.chunks == 0 && h.length == 3 &&
		     h.inlined == 3 && h.encoding == ECS_KBD_ENC_DEFLATE && strcmp(h.inline_chars, "abc") == 0 &&
		     h.sha256[0] == 0xba,
	     "parse it back: no chunk prompt to come, the 3 characters at hand");
	T_OK(ecs_kbd_proto_format_header("abc", 3, ECS_KBD_ENC_NONE, true, out, sizeof(out), &k) == 0 &&
		     ecs_kbd_proto_parse_header(out, &h) == 0 && h.encoding == ECS_KBD_ENC_NONE && h.inlined == 3,
	     "inline without deflate parses too (the fields are independent)");

	r = ecs_kbd_proto_format_header(b64, 2500, ECS_KBD_ENC_DEFLATE, true, out, sizeof(out), &k);
	T_OK(r == 0 && strlen(out) == ECS_KBD_PROTO_SSH_CUT && k == 891,
	     "2500 characters: the header fills ssh's 1023 bytes with 891 of them (got %zu, %zu)",
	     strlen(out), k);
	T_OK(ecs_kbd_proto_parse_header(out, &h) == 0 && h.chunks == 2 && h.inlined == 891 &&
		     memcmp(h.inline_chars, b64, 891) == 0 && h.inline_chars[891] == '\0',
	     "... and 2 chunk prompts follow instead of 3");
	T_OK(ecs_kbd_proto_format_header(b64, ECS_RESPONSE_MAX_B64, ECS_KBD_ENC_DEFLATE, true, out, sizeof(out),
					 &k) == 0 &&
		     strlen(out) <= ECS_KBD_PROTO_SSH_CUT &&
		     ecs_kbd_proto_parse_header(out, &h) == 0 && h.chunks == 100,
	     "the longest Response: within 1023 bytes, 100 chunks after the header's share");
	T_OK(ecs_kbd_proto_format_header(b64, ECS_RESPONSE_MAX_B64, ECS_KBD_ENC_DEFLATE, false, out, sizeof(out),
					 &k) == 0 &&
		     k == 0 && ecs_kbd_proto_parse_header(out, &h) == 0 && h.inlined == 0 &&
		     h.inline_chars == NULL && h.chunks == 100,
	     "without inline_first: the plain header of the first v1, nothing inline");
	memset(want, 'x', sizeof(want));
	T_OK(ecs_kbd_proto_format_header(b64, 2500, ECS_KBD_ENC_DEFLATE, true, want, 160, &k) == -E2BIG && k == 0 &&
		     want[0] == '\0' && want[159] == '\0',
	     "a buffer too small: -E2BIG, nothing of the Response left in it");

	/* Every length up to 3 chunks and a few past: each fits, parses back with the first K
	 * characters, and takes one prompt fewer whenever the last chunk's share fits in K. */
	for (size_t len = 1; len <= 3200; len++) {
		unsigned before = (unsigned)((len + 999) / 1000);

		r = ecs_kbd_proto_format_header(b64, len, ECS_KBD_ENC_DEFLATE, true, out, sizeof(out), &k);
		if (r != 0 || k == 0 || k > len || strlen(out) > ECS_KBD_PROTO_SSH_CUT ||
		    ecs_kbd_proto_parse_header(out, &h) != 0 || h.length != len || h.inlined != k ||
		    h.chunks != (len - k + 999) / 1000 || memcmp(h.inline_chars, b64, k) != 0)
			all_ok = false;
		else if ((len - 1) % 1000 < k && h.chunks != before - 1)
			saves = false;
	}
	T_OK(all_ok, "lengths 1..3200: format and parse agree, within 1023 bytes");
	T_OK(saves, "lengths 1..3200: one chunk prompt fewer whenever the rest fits in K");

	/* Refusals: an untrusted answer, judged strictly. */
#define HDR(chunks, len) "ecs-saml/1 chunks=" chunks " length=" len " sha256=%s encoding=deflate"
	snprintf(want, sizeof(want), HDR("0", "3") " inline=0 ", abc_hex);
	refused(want, "inline=0");
	snprintf(want, sizeof(want), HDR("0", "3") " inline=4 abcd", abc_hex);
	refused(want, "K over L");
	snprintf(want, sizeof(want), HDR("0", "3") " inline=3 ab", abc_hex);
	refused(want, "fewer characters than K");
	snprintf(want, sizeof(want), HDR("0", "3") " inline=3 abcd", abc_hex);
	refused(want, "more characters than K");
	snprintf(want, sizeof(want), HDR("0", "3") " inline=3 ", abc_hex);
	refused(want, "no character after inline=3");
	snprintf(want, sizeof(want), HDR("0", "3") " inline=3abc", abc_hex);
	refused(want, "no space after K");
	snprintf(want, sizeof(want), HDR("0", "3") " inline=3  ab", abc_hex);
	refused(want, "two spaces after K");
	snprintf(want, sizeof(want), HDR("0", "3") " inline=03 abc", abc_hex);
	refused(want, "K with a leading zero");
	snprintf(want, sizeof(want), HDR("0", "3") " inline= abc", abc_hex);
	refused(want, "K missing");
	snprintf(want, sizeof(want), HDR("0", "3") " inline=-3 abc", abc_hex);
	refused(want, "negative K");
	snprintf(want, sizeof(want), HDR("0", "3") " inline=3 a c", abc_hex);
	refused(want, "a space among the inline characters");
	snprintf(want, sizeof(want), HDR("0", "3") " inline=3 a\nc", abc_hex);
	refused(want, "a newline among the inline characters");
	snprintf(want, sizeof(want), HDR("0", "3") " inline=3 a<c", abc_hex);
	refused(want, "a '<' among the inline characters");
	snprintf(want, sizeof(want), HDR("0", "3") " inline=3 a\xc3\xa9", abc_hex);
	refused(want, "non-ASCII among the inline characters");
	snprintf(want, sizeof(want), HDR("1", "3") " inline=3 abc", abc_hex);
	refused(want, "K = L but a chunk announced");
	snprintf(want, sizeof(want), HDR("0", "4") " inline=3 abc", abc_hex);
	refused(want, "chunks=0 but one character not inline (a header that lies)");
	snprintf(want, sizeof(want), HDR("1", "1004") " inline=3 abc", abc_hex);
	refused(want, "1001 characters left but one chunk announced");
	snprintf(want, sizeof(want), HDR("0", "3") " inline=1024 abc", abc_hex);
	refused(want, "K over the cap, short answer");
	snprintf(want, sizeof(want), "ecs-saml/1 chunks=0 length=3 sha256=%s inline=3 abc encoding=deflate",
		 abc_hex);
	refused(want, "the fields out of order");
	snprintf(want, sizeof(want), HDR("0", "3") " inline=3 abc inline=3 abc", abc_hex);
	refused(want, "the field twice");
	n = (size_t)snprintf(want, sizeof(want), HDR("0", "1024") " inline=1024 ", abc_hex);
	memset(want + n, 'A', 1024);
	want[n + 1024] = '\0';
	refused(want, "K over the cap (1024)");
	/* K within its digits' cap, but the whole answer past what ssh passes. */
	n = (size_t)snprintf(want, sizeof(want), HDR("0", "950") " inline=950 ", abc_hex);
	memset(want + n, 'A', 950);
	want[n + 950] = '\0';
	refused(want, "a header of over 1023 bytes");
	T_OK(strlen(want) > ECS_KBD_PROTO_SSH_CUT, "(that one is %zu bytes)", strlen(want));
#undef HDR
}

/* encoding=packed1: bytes, not base64, in the inline share and the chunks. */
static void
test_packed1(void)
{
	char out[ECS_KBD_PROTO_SSH_CUT + 1], want[512], prompt[ECS_KBD_PROTO_PROMPT_MAX];
	const char bytes[] = "\x01\x40\xff\x80 <=>\x7f\x1b\x01\x4a";	/* escapes, high bytes */
	struct ecs_kbd_proto_header h;
	size_t k;

	T_OK(ecs_kbd_proto_format_header(bytes, strlen(bytes), ECS_KBD_ENC_PACKED1, true, out,
					 sizeof(out), &k) == 0 && k == strlen(bytes),
	     "a packed1 header carrying its %zu bytes inline", strlen(bytes));
	T_OK(strstr(out, " encoding=packed1 inline=12 ") != NULL, "... says encoding=packed1: %s",
	     strstr(out, " encoding") ? strstr(out, " encoding") : out);
	T_OK(ecs_kbd_proto_parse_header(out, &h) == 0 && h.encoding == ECS_KBD_ENC_PACKED1 &&
		     h.inlined == k && memcmp(h.inline_chars, bytes, k) == 0,
	     "parse it back: packed1, the bytes as they were");
	snprintf(want, sizeof(want), "%.*s", (int)(strstr(out, " inline=") - out), out);
	T_OK(ecs_kbd_proto_parse_header(want, &h) == -EBADMSG,
	     "the same header without its inline share: the chunk count no longer matches");
	snprintf(want, sizeof(want), "%.*s encoding=deflate inline=12 %s",
		 (int)(strstr(out, " encoding=") - out), out, bytes);
	T_OK(ecs_kbd_proto_parse_header(want, &h) == -EBADMSG,
	     "the same bytes announced as deflate: an inline character outside base64");
	snprintf(want, sizeof(want), "%.*s encoding=packed2", (int)(strstr(out, " encoding=") - out),
		 out);
	T_OK(ecs_kbd_proto_parse_header(want, &h) == -EBADMSG, "encoding=packed2: not known, refused");

	T_OK(ecs_kbd_proto_format_prompt(ECS_PROMPT_RESPONSE, 0, 0, NULL, prompt, sizeof(prompt)) ==
		     0 && ecs_kbd_proto_offers_packed1(prompt),
	     "the module's RESPONSE prompt offers packed1");
	T_OK(!ecs_kbd_proto_offers_packed1("Paste your SAML response (base64) and press Enter.\n"
					   "SAML response [ecs-saml/1]: "),
	     "a prompt without the line (an older module) does not");
	T_OK(!ecs_kbd_proto_offers_packed1("banner " ECS_KBD_PROTO_OFFER_PACKED1 "\nSAML response "
					   "[ecs-saml/1]: "),
	     "nor does the text inside another line (a banner quoting it)");
	T_OK(!ecs_kbd_proto_offers_packed1(ECS_KBD_PROTO_OFFER_PACKED1 "x\nSAML response "
					   "[ecs-saml/1]: "),
	     "nor a longer line that starts with it");
	T_OK(ecs_kbd_proto_offers_packed1("(user@host) intro\n" ECS_KBD_PROTO_OFFER_PACKED1 "\n"
					  "SAML response [ecs-saml/1]: "),
	     "a line of its own anywhere in the instructions does");
}

static void
test_prompts(void)
{
	const char *roles[] = { "arn:aws:iam::123456789012:role/A", "arn:aws:iam::123456789012:role/B" };
	char p[ECS_KBD_PROTO_PROMPT_MAX], q[ECS_KBD_PROTO_PROMPT_MAX + 64];
	unsigned i, n;

	T_OK(ecs_kbd_proto_format_prompt(ECS_PROMPT_RESPONSE, 0, 0, NULL, p, sizeof(p)) == 0 &&
		     ecs_kbd_proto_classify_prompt(p, &i, &n) == ECS_PROMPT_RESPONSE,
	     "response prompt round trip");
	T_OK(strstr(p, "[ecs-saml/1]") != NULL, "response prompt carries the tag");
	T_OK(ecs_kbd_proto_format_prompt(ECS_PROMPT_CHUNK, 3, 17, NULL, p, sizeof(p)) == 0 &&
		     strcmp(p, "SAML chunk 3/17 [ecs-saml/1]: ") == 0,
	     "chunk prompt text");
	T_OK(ecs_kbd_proto_classify_prompt(p, &i, &n) == ECS_PROMPT_CHUNK && i == 3 && n == 17,
	     "chunk prompt classified with its numbers");
	snprintf(q, sizeof(q), "Some info from the server\n%s", p);
	T_OK(ecs_kbd_proto_classify_prompt(q, &i, &n) == ECS_PROMPT_CHUNK && i == 3,
	     "info text prepended by sshd is tolerated");
	T_OK(ecs_kbd_proto_format_prompt(ECS_PROMPT_LINE, 42, 0, NULL, p, sizeof(p)) == 0 &&
		     ecs_kbd_proto_classify_prompt(p, &i, &n) == ECS_PROMPT_LINE && i == 42 && n == 0,
	     "line prompt round trip");
	T_OK(ecs_kbd_proto_format_prompt(ECS_PROMPT_ROLE, 0, 2, roles, p, sizeof(p)) == 0 &&
		     ecs_kbd_proto_classify_prompt(p, &i, &n) == ECS_PROMPT_ROLE && n == 2,
	     "role prompt round trip counts two roles");
	T_OK(strstr(p, "  2) arn:aws:iam::123456789012:role/B\n") != NULL, "role prompt lists ARNs");
	T_OK(ecs_kbd_proto_format_prompt(ECS_PROMPT_CHUNK, 4, 3, NULL, p, sizeof(p)) == -EINVAL,
	     "chunk index beyond total refused");
	T_OK(ecs_kbd_proto_format_prompt(ECS_PROMPT_CHUNK, 1, 3, NULL, p, 10) == -E2BIG,
	     "small prompt buffer: -E2BIG");
	T_OK(ecs_kbd_proto_format_prompt(ECS_PROMPT_UNKNOWN, 1, 3, NULL, p, sizeof(p)) == -EINVAL,
	     "unknown kind refused");

	T_OK(ecs_kbd_proto_classify_prompt("Password: ", &i, &n) == ECS_PROMPT_UNKNOWN,
	     "password prompt is not ours");
	T_OK(ecs_kbd_proto_classify_prompt("SAML chunk 0/3 [ecs-saml/1]: ", &i, &n) == ECS_PROMPT_UNKNOWN,
	     "chunk 0 is not a prompt");
	T_OK(ecs_kbd_proto_classify_prompt("SAML chunk 4/3 [ecs-saml/1]: ", &i, &n) == ECS_PROMPT_UNKNOWN,
	     "chunk beyond total is not a prompt");
	T_OK(ecs_kbd_proto_classify_prompt("SAML chunk 1/3 [ecs-saml/2]: ", &i, &n) == ECS_PROMPT_UNKNOWN,
	     "other version is not ours");
	T_OK(ecs_kbd_proto_classify_prompt("SAML response [ecs-saml/1]: \nPassword: ", &i, &n) ==
		     ECS_PROMPT_UNKNOWN,
	     "our tag on an earlier line does not count");
	T_OK(ecs_kbd_proto_classify_prompt("Role number [ecs-saml/1 role]: ", &i, &n) ==
		     ECS_PROMPT_UNKNOWN,
	     "role prompt without a role list is not ours");
}

static void
test_complete(void)
{
	struct ecs_buf b;
	char *s;
	int r;

	T_OK(ecs_kbd_proto_looks_complete(xml_doc, strlen(xml_doc)), "raw XML Response complete");
	T_OK(!ecs_kbd_proto_looks_complete(xml_doc, strlen(xml_doc) - 10), "raw XML cut is incomplete");
	T_OK(ecs_kbd_proto_looks_complete("<Response></Response >", 22), "unprefixed close with space");
	T_OK(!ecs_kbd_proto_looks_complete("<x></ResponseX>", 15), "other element is not a Response");
	T_OK(!ecs_kbd_proto_looks_complete("<x></:Response>", 15), "empty prefix refused");
	T_OK(!ecs_kbd_proto_looks_complete("", 0), "empty text is incomplete");

	ecs_buf_init(&b, 4096);
	/* T_OK evaluates its condition twice: calls with side effects stay outside it. */
	r = ecs_b64_encode(xml_doc, strlen(xml_doc), &b);
	T_OK(r == 0, "encode fixture");
	s = (char *)b.data;
	T_OK(ecs_kbd_proto_looks_complete(s, b.len), "base64 Response complete");
	T_OK(!ecs_kbd_proto_looks_complete(s, b.len - 4), "base64 cut at a group boundary incomplete");
	T_OK(!ecs_kbd_proto_looks_complete(s, b.len - 3), "base64 cut mid-group incomplete");
	T_OK(!ecs_kbd_proto_looks_complete("not base64 at all!", 18), "garbage incomplete");
	ecs_buf_free(&b);
}

int
main(void)
{
	test_header();
	test_inline();
	test_packed1();
	test_prompts();
	test_complete();
	T_DONE();
}
