/* ecs_kbd_proto.c — the keyboard-interactive conversation protocol, version 1 (see ecs_kbd_proto.h).
 *
 * Both ends of the conversation run this code: the PAM module formats prompts and parses
 * answers, the client recognises prompts and formats answers. Keeping both sides in one file
 * is what keeps them in step. Everything here is a pure function of its arguments. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ecs_b64.h"
#include "ecs_buf.h"
#include "ecs_kbd_proto.h"
#include "ecs_limits.h"
#include "ecs_secmem.h"
#include "ecs_sha256.h"

#define HEADER_PREFIX "ecs-saml/"
#define HEADER_DEFLATE " encoding=deflate"
#define HEADER_PACKED1 " encoding=packed1"
#define HEADER_INLINE " inline="
#define TAG_TEXT "[" ECS_KBD_PROTO_TAG "]"

#define RESPONSE_INTRO                                                                    \
	"Paste your SAML response (base64) and press Enter.\n"                              \
	"Stock ssh cuts answers at 1023 characters: paste `base64 -w 76` output line by "  \
	"line and end with an empty line, or log in with ecs-saml-ssh.\n"                   \
	ECS_KBD_PROTO_OFFER_PACKED1 "\n"
#define RESPONSE_PROMPT "SAML response " TAG_TEXT ": "
#define CHUNK_PROMPT_FMT "SAML chunk %u/%u " TAG_TEXT ": "
#define LINE_PROMPT_FMT "SAML response line %u " TAG_TEXT " (empty line when done): "
#define ROLE_PROMPT "Role number [" ECS_KBD_PROTO_TAG " role]: "

/* Parse an unsigned decimal of 1..max digits with no leading zero, stopping at the first
 * non-digit. Returns the number of characters consumed, 0 when there is no valid number. */
static size_t
parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	size_t i = 0;

	/* A leading zero would give one number two spellings; "0" alone is still a number. */
	if (s[0] == '0') {
		if (s[1] >= '0' && s[1] <= '9')
			return 0;
		*out = 0;
		return 1;
	}
	while (s[i] >= '0' && s[i] <= '9') {
		unsigned d = (unsigned)(s[i] - '0');

		if (v > (max - d) / 10)
			return 0;
		v = v * 10 + d;
		i++;
	}
	if (i > 0)
		*out = v;
	return i;
}

/* Lowercase only: the digest has one spelling, the one ecs_kbd_proto_format_header writes. */
static int
hex_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static unsigned
chunks_for(size_t length)
{
	return (unsigned)((length + ECS_KBD_PROTO_CHUNK - 1) / ECS_KBD_PROTO_CHUNK);
}

/* The header field of each encoding, "" for none. */
static const char *
encoding_field(enum ecs_kbd_encoding enc)
{
	switch (enc) {
	case ECS_KBD_ENC_DEFLATE:
		return HEADER_DEFLATE;
	case ECS_KBD_ENC_PACKED1:
		return HEADER_PACKED1;
	default:
		return "";
	}
}

const char *
ecs_kbd_encoding_name(enum ecs_kbd_encoding enc)
{
	/* the header field's value, past " encoding=" */
	return enc == ECS_KBD_ENC_NONE ? "none" : encoding_field(enc) + strlen(" encoding=");
}

/* The optional encoding field at *p, if any: *p moves past it. */
static enum ecs_kbd_encoding
take_encoding(const char **p)
{
	static const enum ecs_kbd_encoding all[] = { ECS_KBD_ENC_DEFLATE, ECS_KBD_ENC_PACKED1 };

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		const char *f = encoding_field(all[i]);
		size_t n = strlen(f);

		if (strncmp(*p, f, n) == 0 && ((*p)[n] == '\0' || (*p)[n] == ' ')) {
			*p += n;
			return all[i];
		}
	}
	return ECS_KBD_ENC_NONE;
}

static bool
is_b64_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '+' || c == '/' || c == '=';
}

/* Set h->defect; always -EBADMSG. */
static int
defect(struct ecs_kbd_proto_header *h, const char *why)
{
	h->defect = why;
	return -EBADMSG;
}

/* The optional " inline=K DATA" field at p (the end of the answer follows DATA). */
static int
parse_inline(const char *p, struct ecs_kbd_proto_header *h)
{
	unsigned long k;
	size_t n, rest;

	p += sizeof(HEADER_INLINE) - 1;
	n = parse_uint(p, ECS_KBD_PROTO_SSH_CUT, &k);
	if (n == 0 || p[n] != ' ')
		return defect(h, "the inline count is not a number followed by one space");
	if (k == 0)
		return defect(h, "inline=0 (leave the field out instead)");
	p += n + 1;
	rest = strlen(p);
	if (rest != k)
		return defect(h, rest < k ? "fewer inline characters than the inline count"
					  : "more inline characters than the inline count");
	/* packed1's bytes are checked where they are decoded, in the helper */
	for (size_t i = 0; h->encoding != ECS_KBD_ENC_PACKED1 && i < rest; i++)
		if (!is_b64_char(p[i]))
			return defect(h, "an inline character outside base64");
	h->inlined = k;
	h->inline_chars = p;
	return 0;
}

int
ecs_kbd_proto_parse_header(const char *answer, struct ecs_kbd_proto_header *h)
{
	static const char k_chunks[] = " chunks=", k_length[] = " length=", k_sha[] = " sha256=";
	const char *p = answer;
	unsigned long chunks, length;
	size_t n;
	int r;

	h->encoding = ECS_KBD_ENC_NONE;
	h->inlined = 0;
	h->inline_chars = NULL;
	h->defect = NULL;
	/* Neither base64 ('-' is outside its alphabet) nor XML ('<') can start like this, so
	 * anything with the prefix is a header attempt, judged strictly from here on. */
	if (strncmp(p, HEADER_PREFIX, strlen(HEADER_PREFIX)) != 0)
		return -ENOENT;
	if (strncmp(p, ECS_KBD_PROTO_TAG, strlen(ECS_KBD_PROTO_TAG)) != 0)
		return defect(h, "not protocol version 1");
	p += strlen(ECS_KBD_PROTO_TAG);

	if (strncmp(p, k_chunks, sizeof(k_chunks) - 1) != 0)
		return defect(h, "no chunks= field");
	p += sizeof(k_chunks) - 1;
	n = parse_uint(p, ECS_KBD_PROTO_MAX_ROUNDS, &chunks);
	if (n == 0)
		return defect(h, "the chunk count is not a number up to the round cap");
	p += n;

	if (strncmp(p, k_length, sizeof(k_length) - 1) != 0)
		return defect(h, "no length= field after the chunk count");
	p += sizeof(k_length) - 1;
	n = parse_uint(p, ECS_RESPONSE_MAX_B64, &length);
	if (n == 0 || length == 0)
		return defect(h, "the length is not a number from 1 to the size cap");
	p += n;

	if (strncmp(p, k_sha, sizeof(k_sha) - 1) != 0)
		return defect(h, "no sha256= field after the length");
	p += sizeof(k_sha) - 1;
	for (unsigned i = 0; i < ECS_SHA256_LEN; i++) {
		int hi = hex_nibble(p[2 * i]);
		int lo = hi < 0 ? -1 : hex_nibble(p[2 * i + 1]);

		if (lo < 0)
			return defect(h, "the digest is not 64 lowercase hex digits");
		h->sha256[i] = (uint8_t)(hi << 4 | lo);
	}
	p += 2 * ECS_SHA256_LEN;

	/* Optional fields, each at most once and in this order: one spelling per header. */
	h->encoding = take_encoding(&p);
	if (strncmp(p, HEADER_INLINE, sizeof(HEADER_INLINE) - 1) == 0) {
		/* Checked first, so a header that ssh cut is named as such. */
		if (strlen(answer) > ECS_KBD_PROTO_SSH_CUT)
			return defect(h, "longer than the 1023 bytes ssh passes");
		r = parse_inline(p, h);
		if (r < 0)
			return r;
	} else if (*p != '\0') {
		return defect(h, "an unknown field or text after the digest");
	}

	if (h->inlined > length)
		return defect(h, "more inline characters than the length");
	if (chunks != chunks_for(length - h->inlined))
		return defect(h, "the chunk count does not match the length");
	h->length = length;
	h->chunks = (unsigned)chunks;
	return 0;
}

/* Decimal digits of v. */
static size_t
digits(size_t v)
{
	size_t n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

/* Bytes of the header for len characters in enc carrying k inline, 0 < k. */
static size_t
inline_header_size(size_t len, enum ecs_kbd_encoding enc, size_t k)
{
	return strlen(ECS_KBD_PROTO_TAG " chunks=") + digits(chunks_for(len - k)) +
	       strlen(" length=") + digits(len) + strlen(" sha256=") + 2 * ECS_SHA256_LEN +
	       strlen(encoding_field(enc)) + strlen(HEADER_INLINE) + digits(k) + 1 + k;
}

int
ecs_kbd_proto_format_header(const char *b64, size_t len, enum ecs_kbd_encoding enc,
			    bool inline_first, char *out, size_t outsz, size_t *inlined)
{
	uint8_t d[ECS_SHA256_LEN];
	char hex[2 * ECS_SHA256_LEN + 1];
	size_t k = 0;
	int n;

	*inlined = 0;
	if (len == 0 || len > ECS_RESPONSE_MAX_B64)
		return -ERANGE;
	if (inline_first) {
		/* The most that fits: the size falls with k, by one byte per character but for
		 * a digit of k or of the chunk count now and then, so counting down ends soon. */
		k = len < ECS_KBD_PROTO_SSH_CUT ? len : ECS_KBD_PROTO_SSH_CUT;
		while (k > 0 && inline_header_size(len, enc, k) > ECS_KBD_PROTO_SSH_CUT)
			k--;
	}
	ecs_sha256(b64, len, d);
	for (unsigned i = 0; i < ECS_SHA256_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	if (k > 0)
		n = snprintf(out, outsz, "%s chunks=%u length=%zu sha256=%s%s%s%zu %.*s",
			     ECS_KBD_PROTO_TAG, chunks_for(len - k), len, hex,
			     encoding_field(enc), HEADER_INLINE, k, (int)k, b64);
	else
		n = snprintf(out, outsz, "%s chunks=%u length=%zu sha256=%s%s", ECS_KBD_PROTO_TAG,
			     chunks_for(len), len, hex, encoding_field(enc));
	if (n < 0 || (size_t)n >= outsz) {
		if (outsz > 0)
			ecs_wipe(out, outsz);
		return -E2BIG;
	}
	*inlined = k;
	return 0;
}

int
ecs_kbd_proto_format_prompt(enum ecs_prompt_kind kind, unsigned index, unsigned total,
			const char *const *roles, char *out, size_t outsz)
{
	struct ecs_buf b;
	int r;

	/* The buffer caps at outsz - 1 so that its NUL terminator fits into out too. */
	if (outsz == 0)
		return -E2BIG;
	ecs_buf_init(&b, outsz - 1);
	switch (kind) {
	case ECS_PROMPT_RESPONSE:
		r = ecs_buf_puts(&b, RESPONSE_INTRO RESPONSE_PROMPT);
		break;
	case ECS_PROMPT_CHUNK:
		r = index >= 1 && index <= total ? ecs_buf_printf(&b, CHUNK_PROMPT_FMT, index, total)
						 : -EINVAL;
		break;
	case ECS_PROMPT_LINE:
		r = index >= 1 ? ecs_buf_printf(&b, LINE_PROMPT_FMT, index) : -EINVAL;
		break;
	case ECS_PROMPT_ROLE:
		r = total >= 1 ? ecs_buf_puts(&b, "Roles:\n") : -EINVAL;
		for (unsigned i = 0; r == 0 && i < total; i++)
			r = ecs_buf_printf(&b, "  %u) %s\n", i + 1, roles[i]);
		if (r == 0)
			r = ecs_buf_puts(&b, ROLE_PROMPT);
		break;
	default:
		r = -EINVAL;
		break;
	}
	if (r == 0)
		memcpy(out, b.data, b.len + 1);
	else if (r == -E2BIG || r == -ENOMEM)
		r = -E2BIG;
	ecs_buf_free(&b);
	return r;
}

/* Match "TEXT<number>" at s; on success advance *s past the number. */
static bool
take_number(const char **s, const char *text, unsigned long max, unsigned long *v)
{
	size_t tl = strlen(text), n;

	if (strncmp(*s, text, tl) != 0)
		return false;
	n = parse_uint(*s + tl, max, v);
	if (n == 0 || *v == 0)
		return false;
	*s += tl + n;
	return true;
}

/* Count the "  N) " lines of a role prompt, which must run 1, 2, ... in order. */
static unsigned
count_roles(const char *prompt, size_t upto)
{
	unsigned n = 0;
	const char *p = strstr(prompt, "Roles:\n");

	if (p == NULL || (size_t)(p - prompt) > upto)
		return 0;
	p += strlen("Roles:\n");
	for (;;) {
		unsigned long v;
		const char *q = p;

		if (!take_number(&q, "  ", ECS_KBD_PROTO_MAX_ROUNDS, &v) || v != n + 1u ||
		    strncmp(q, ") ", 2) != 0)
			break;
		n++;
		q = strchr(q, '\n');
		if (q == NULL)
			break;
		p = q + 1;
	}
	return n;
}

bool
ecs_kbd_proto_offers_packed1(const char *prompt)
{
	const char *p = prompt;
	size_t n = strlen(ECS_KBD_PROTO_OFFER_PACKED1);

	/* a line of its own, so no other text (a banner, a user name) can offer it by chance */
	while ((p = strstr(p, ECS_KBD_PROTO_OFFER_PACKED1)) != NULL) {
		if ((p == prompt || p[-1] == '\n') && p[n] == '\n')
			return true;
		p += n;
	}
	return false;
}

enum ecs_prompt_kind
ecs_kbd_proto_classify_prompt(const char *prompt, unsigned *index, unsigned *total)
{
	const char *nl = strrchr(prompt, '\n');
	const char *last = nl != NULL ? nl + 1 : prompt;
	const char *p = last;
	unsigned long a, b;

	*index = 0;
	*total = 0;
	/* sshd prepends any info text to the next prompt, so only the last line decides. */
	if (strcmp(last, RESPONSE_PROMPT) == 0)
		return ECS_PROMPT_RESPONSE;
	if (strcmp(last, ROLE_PROMPT) == 0) {
		*total = count_roles(prompt, (size_t)(last - prompt));
		return *total > 0 ? ECS_PROMPT_ROLE : ECS_PROMPT_UNKNOWN;
	}
	if (take_number(&p, "SAML chunk ", ECS_KBD_PROTO_MAX_ROUNDS, &a) &&
	    take_number(&p, "/", ECS_KBD_PROTO_MAX_ROUNDS, &b) && a <= b &&
	    strcmp(p, " " TAG_TEXT ": ") == 0) {
		*index = (unsigned)a;
		*total = (unsigned)b;
		return ECS_PROMPT_CHUNK;
	}
	p = last;
	if (take_number(&p, "SAML response line ", ECS_KBD_PROTO_MAX_ROUNDS, &a) &&
	    strcmp(p, " " TAG_TEXT " (empty line when done): ") == 0) {
		*index = (unsigned)a;
		return ECS_PROMPT_LINE;
	}
	return ECS_PROMPT_UNKNOWN;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool
is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '.';
}

/* true when xml[len] ends, trailing whitespace aside, with "</Response>" or
 * "</PREFIX:Response>" (XML allows whitespace before the '>'). */
static bool
ends_with_response_close(const char *xml, size_t len)
{
	static const char local[] = "Response";
	size_t e = len, ll = sizeof(local) - 1;

	while (e > 0 && is_space(xml[e - 1]))
		e--;
	if (e == 0 || xml[e - 1] != '>')
		return false;
	e--;
	while (e > 0 && is_space(xml[e - 1]))
		e--;
	if (e < ll + 2 || memcmp(xml + e - ll, local, ll) != 0)
		return false;
	e -= ll;
	if (xml[e - 1] == ':') {
		size_t s = --e;

		while (e > 0 && is_name_char(xml[e - 1]))
			e--;
		if (e == s)
			return false;
	}
	return e >= 2 && xml[e - 2] == '<' && xml[e - 1] == '/';
}

bool
ecs_kbd_proto_looks_complete(const char *text, size_t len)
{
	struct ecs_buf xml;
	size_t i = 0;
	bool ok;

	while (i < len && is_space(text[i]))
		i++;
	if (i < len && text[i] == '<')
		return ends_with_response_close(text + i, len - i);

	/* Base64: a cut answer almost never decodes (its length breaks the 4-character
	 * grouping); if it does, the decoded document still lacks its closing tag. */
	ecs_buf_init(&xml, len);
	ok = ecs_b64_decode(text + i, len - i, &xml) == 0 && xml.len > 0 &&
	     ends_with_response_close((const char *)xml.data, xml.len);
	ecs_buf_free(&xml);
	return ok;
}
