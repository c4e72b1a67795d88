/* client_json.c — the strict JSON reader of client_json.h: a recursive descent over the text
 * that records one token per value, and decoding on demand. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "client_json.h"

struct parser {
	struct ecs_json *doc;
	const char *s;
	size_t len, i;
};

static void
skip_ws(struct parser *p)
{
	while (p->i < p->len) {
		char c = p->s[p->i];

		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			return;
		p->i++;
	}
}

/* A new token of type at the current position; its index, or a negative errno. */
static long
new_tok(struct parser *p, enum ecs_json_type type)
{
	struct ecs_json *d = p->doc;

	if (d->ntok == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		struct ecs_json_tok *t;

		if (d->cap >= ECS_JSON_MAX_TOKENS)
			return -E2BIG;
		if (cap > ECS_JSON_MAX_TOKENS)
			cap = ECS_JSON_MAX_TOKENS;
		t = realloc(d->tok, cap * sizeof(*t));
		if (t == NULL)
			return -ENOMEM;
		d->tok = t;
		d->cap = cap;
	}
	d->tok[d->ntok] = (struct ecs_json_tok){ .type = type, .start = p->i };
	return (long)d->ntok++;
}

static int
hex4(const char *s, unsigned *out)
{
	unsigned v = 0;

	for (int k = 0; k < 4; k++) {
		char c = s[k];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* The length of the valid UTF-8 sequence at s[0..n) (shortest form, no surrogates, at most
 * U+10FFFF), or 0. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t need;
	uint32_t cp, min;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		need = 2;
		cp = c & 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 3;
		cp = c & 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 4;
		cp = c & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (n < need)
		return 0;
	for (size_t k = 1; k < need; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[k] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return need;
}

/* A string, the opening quote at p->i. Checked whole here so that decoding cannot fail. */
static int
parse_string(struct parser *p)
{
	long t = new_tok(p, ECS_JSON_STRING);

	if (t < 0)
		return (int)t;
	p->i++;
	p->doc->tok[t].start = p->i;
	while (p->i < p->len) {
		unsigned char c = (unsigned char)p->s[p->i];

		if (c == '"') {
			p->doc->tok[t].end = p->i++;
			p->doc->tok[t].next = p->doc->ntok;
			return 0;
		}
		if (c < 0x20)
			return -EBADMSG;
		if (c == '\\') {
			unsigned u, lo;

			if (p->i + 1 >= p->len)
				return -EBADMSG;
			c = (unsigned char)p->s[p->i + 1];
			if (strchr("\"\\/bfnrt", c) != NULL && c != '\0') {
				p->i += 2;
				continue;
			}
			if (c != 'u' || p->len - p->i < 6 || hex4(p->s + p->i + 2, &u) < 0)
				return -EBADMSG;
			p->i += 6;
			if (u >= 0xdc00 && u <= 0xdfff)
				return -EBADMSG;	/* a low surrogate alone */
			if (u >= 0xd800 && u <= 0xdbff) {
				if (p->len - p->i < 6 || p->s[p->i] != '\\' || p->s[p->i + 1] != 'u' ||
				    hex4(p->s + p->i + 2, &lo) < 0 || lo < 0xdc00 || lo > 0xdfff)
					return -EBADMSG;
				p->i += 6;
			}
			continue;
		}
		c = (unsigned char)utf8_len((const unsigned char *)p->s + p->i, p->len - p->i);
		if (c == 0)
			return -EBADMSG;
		p->i += c;
	}
	return -EBADMSG;
}

static int
digits(struct parser *p)
{
	size_t from = p->i;

	while (p->i < p->len && p->s[p->i] >= '0' && p->s[p->i] <= '9')
		p->i++;
	return p->i > from ? 0 : -EBADMSG;
}

static int
parse_number(struct parser *p)
{
	long t = new_tok(p, ECS_JSON_NUMBER);

	if (t < 0)
		return (int)t;
	if (p->s[p->i] == '-')
		p->i++;
	if (p->i < p->len && p->s[p->i] == '0')
		p->i++;
	else if (digits(p) < 0)
		return -EBADMSG;
	if (p->i < p->len && p->s[p->i] == '.') {
		p->i++;
		if (digits(p) < 0)
			return -EBADMSG;
	}
	if (p->i < p->len && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
		p->i++;
		if (p->i < p->len && (p->s[p->i] == '+' || p->s[p->i] == '-'))
			p->i++;
		if (digits(p) < 0)
			return -EBADMSG;
	}
	p->doc->tok[t].end = p->i;
	p->doc->tok[t].next = p->doc->ntok;
	return 0;
}

static int
parse_literal(struct parser *p, const char *word, enum ecs_json_type type)
{
	size_t n = strlen(word);
	long t;

	if (p->len - p->i < n || memcmp(p->s + p->i, word, n) != 0)
		return -EBADMSG;
	t = new_tok(p, type);
	if (t < 0)
		return (int)t;
	p->i += n;
	p->doc->tok[t].end = p->i;
	p->doc->tok[t].next = p->doc->ntok;
	return 0;
}

static int parse_value(struct parser *p, unsigned depth);

/* An array or object, the opening bracket at p->i. */
static int
parse_container(struct parser *p, unsigned depth, bool object)
{
	char close = object ? '}' : ']';
	long t = new_tok(p, object ? ECS_JSON_OBJECT : ECS_JSON_ARRAY);
	size_t count = 0;
	int r;

	if (t < 0)
		return (int)t;
	if (depth >= ECS_JSON_MAX_DEPTH)
		return -E2BIG;
	p->i++;
	skip_ws(p);
	if (p->i < p->len && p->s[p->i] == close) {
		p->i++;
		goto done;
	}
	for (;;) {
		skip_ws(p);
		if (object) {
			if (p->i >= p->len || p->s[p->i] != '"')
				return -EBADMSG;
			r = parse_string(p);
			if (r < 0)
				return r;
			skip_ws(p);
			if (p->i >= p->len || p->s[p->i] != ':')
				return -EBADMSG;
			p->i++;
		}
		r = parse_value(p, depth + 1);
		if (r < 0)
			return r;
		count++;
		skip_ws(p);
		if (p->i >= p->len)
			return -EBADMSG;
		if (p->s[p->i] == close) {
			p->i++;
			break;
		}
		if (p->s[p->i] != ',')
			return -EBADMSG;
		p->i++;
	}
done:
	p->doc->tok[t].end = p->i;
	p->doc->tok[t].count = count;
	p->doc->tok[t].next = p->doc->ntok;
	return 0;
}

static int
parse_value(struct parser *p, unsigned depth)
{
	skip_ws(p);
	if (p->i >= p->len)
		return -EBADMSG;
	switch (p->s[p->i]) {
	case '{':
		return parse_container(p, depth, true);
	case '[':
		return parse_container(p, depth, false);
	case '"':
		return parse_string(p);
	case 't':
		return parse_literal(p, "true", ECS_JSON_TRUE);
	case 'f':
		return parse_literal(p, "false", ECS_JSON_FALSE);
	case 'n':
		return parse_literal(p, "null", ECS_JSON_NULL);
	default:
		if (p->s[p->i] == '-' || (p->s[p->i] >= '0' && p->s[p->i] <= '9'))
			return parse_number(p);
		return -EBADMSG;
	}
}

int
ecs_json_parse(struct ecs_json *doc, const char *text, size_t len)
{
	struct parser p = { .doc = doc, .s = text, .len = len };
	int r;

	*doc = (struct ecs_json){ .text = text, .len = len };
	r = parse_value(&p, 0);
	if (r == 0) {
		skip_ws(&p);
		if (p.i != len)
			r = -EBADMSG;
	}
	if (r < 0)
		ecs_json_free(doc);
	return r;
}

void
ecs_json_free(struct ecs_json *doc)
{
	free(doc->tok);
	doc->tok = NULL;
	doc->ntok = doc->cap = 0;
}

/* Decode the escape at s (after the backslash, validated by the parse) into utf8[], return
 * its length; *used is the escape's length in the text. */
static size_t
decode_escape(const char *s, char utf8[4], size_t *used)
{
	unsigned u, lo;

	*used = 1;
	switch (s[0]) {
	case 'b': utf8[0] = '\b'; return 1;
	case 'f': utf8[0] = '\f'; return 1;
	case 'n': utf8[0] = '\n'; return 1;
	case 'r': utf8[0] = '\r'; return 1;
	case 't': utf8[0] = '\t'; return 1;
	case 'u': break;
	default: utf8[0] = s[0]; return 1;
	}
	hex4(s + 1, &u);
	*used = 5;
	if (u >= 0xd800 && u <= 0xdbff) {
		hex4(s + 7, &lo);
		u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
		*used = 11;
	}
	if (u < 0x80) {
		utf8[0] = (char)u;
		return 1;
	}
	if (u < 0x800) {
		utf8[0] = (char)(0xc0 | u >> 6);
		utf8[1] = (char)(0x80 | (u & 0x3f));
		return 2;
	}
	if (u < 0x10000) {
		utf8[0] = (char)(0xe0 | u >> 12);
		utf8[1] = (char)(0x80 | (u >> 6 & 0x3f));
		utf8[2] = (char)(0x80 | (u & 0x3f));
		return 3;
	}
	utf8[0] = (char)(0xf0 | u >> 18);
	utf8[1] = (char)(0x80 | (u >> 12 & 0x3f));
	utf8[2] = (char)(0x80 | (u >> 6 & 0x3f));
	utf8[3] = (char)(0x80 | (u & 0x3f));
	return 4;
}

static bool
valid_tok(const struct ecs_json *doc, long t)
{
	return t >= 0 && (size_t)t < doc->ntok;
}

int
ecs_json_string(const struct ecs_json *doc, long t, struct ecs_buf *out)
{
	const struct ecs_json_tok *k;
	size_t i, run, mark = out->len;
	int r = 0;

	if (!valid_tok(doc, t) || doc->tok[t].type != ECS_JSON_STRING)
		return -EINVAL;
	k = &doc->tok[t];
	i = k->start;
	while (i < k->end && r == 0) {
		char utf8[4];
		size_t used, n;

		/* Copy the run up to the next escape in one go: a Response is one long run. */
		run = i;
		while (run < k->end && doc->text[run] != '\\')
			run++;
		if (run > i) {
			r = ecs_buf_append(out, doc->text + i, run - i);
			i = run;
			continue;
		}
		n = decode_escape(doc->text + i + 1, utf8, &used);
		r = ecs_buf_append(out, utf8, n);
		i += 1 + used;
	}
	if (r < 0)
		ecs_buf_truncate(out, mark);
	return r;
}

bool
ecs_json_string_is(const struct ecs_json *doc, long t, const char *s)
{
	struct ecs_buf b;
	bool eq;

	if (!valid_tok(doc, t) || doc->tok[t].type != ECS_JSON_STRING)
		return false;
	/* Most keys and values carry no escape: compare in place. */
	if (memchr(doc->text + doc->tok[t].start, '\\', doc->tok[t].end - doc->tok[t].start) == NULL)
		return doc->tok[t].end - doc->tok[t].start == strlen(s) &&
		       memcmp(doc->text + doc->tok[t].start, s, strlen(s)) == 0;
	ecs_buf_init(&b, strlen(s) + 1);
	eq = ecs_json_string(doc, t, &b) == 0 && b.len == strlen(s) &&
	     (b.len == 0 || memcmp(b.data, s, b.len) == 0);
	ecs_buf_free(&b);
	return eq;
}

long
ecs_json_member(const struct ecs_json *doc, size_t obj, const char *key)
{
	long found = -ENOENT;
	size_t i;

	if (!valid_tok(doc, (long)obj) || doc->tok[obj].type != ECS_JSON_OBJECT)
		return -ENOENT;
	i = obj + 1;
	for (size_t m = 0; m < doc->tok[obj].count; m++) {
		if (ecs_json_string_is(doc, (long)i, key)) {
			if (found >= 0)
				return -EBADMSG;
			found = (long)i + 1;
		}
		i = doc->tok[i + 1].next;
	}
	return found;
}

long
ecs_json_path(const struct ecs_json *doc, size_t obj, ...)
{
	const char *key;
	long t = (long)obj;
	va_list ap;

	va_start(ap, obj);
	while ((key = va_arg(ap, const char *)) != NULL && t >= 0)
		t = ecs_json_member(doc, (size_t)t, key);
	va_end(ap);
	return t;
}

long
ecs_json_element(const struct ecs_json *doc, size_t arr, size_t i)
{
	size_t t;

	if (!valid_tok(doc, (long)arr) || doc->tok[arr].type != ECS_JSON_ARRAY ||
	    i >= doc->tok[arr].count)
		return -ENOENT;
	t = arr + 1;
	while (i-- > 0)
		t = doc->tok[t].next;
	return (long)t;
}

int
ecs_json_int(const struct ecs_json *doc, long t, long long *out)
{
	const struct ecs_json_tok *k;
	long long v = 0;
	bool neg;
	size_t i;

	if (!valid_tok(doc, t) || doc->tok[t].type != ECS_JSON_NUMBER)
		return -EINVAL;
	k = &doc->tok[t];
	i = k->start;
	neg = doc->text[i] == '-';
	if (neg)
		i++;
	for (; i < k->end; i++) {
		int d = doc->text[i] - '0';

		if (d < 0 || d > 9)
			return -EINVAL;	/* a fraction or an exponent */
		if (v > (LLONG_MAX - d) / 10)
			return -EINVAL;
		v = v * 10 + d;
	}
	*out = neg ? -v : v;
	return 0;
}

bool
ecs_json_is_true(const struct ecs_json *doc, long t)
{
	return valid_tok(doc, t) && doc->tok[t].type == ECS_JSON_TRUE;
}

int
ecs_json_put_string(struct ecs_buf *out, const char *s, size_t n)
{
	size_t mark = out->len;
	int r = ecs_buf_append(out, "\"", 1);

	for (size_t i = 0; i < n && r == 0; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			r = ecs_buf_printf(out, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			r = ecs_buf_printf(out, "\\u%04x", c);
		else
			r = ecs_buf_append(out, &s[i], 1);
	}
	if (r == 0)
		r = ecs_buf_append(out, "\"", 1);
	if (r < 0)
		ecs_buf_truncate(out, mark);
	return r;
}
