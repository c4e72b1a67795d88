/* client_json.h — a small, strict JSON reader (and a string writer) for the DevTools messages
 * ecs-saml-ssh --browser exchanges with the browser.
 *
 * The bytes come from a browser that renders pages of the IdP's choosing, so they are read as
 * untrusted: RFC 8259 exactly (no comments, no trailing commas, no NaN, no leading zeros, no
 * bytes after the value), strings in valid UTF-8 with no raw control characters and with
 * every \u surrogate paired, nesting at most ECS_JSON_MAX_DEPTH deep, at most
 * ECS_JSON_MAX_TOKENS values. A lookup of a key an object holds twice fails rather than
 * picking one of them. The client links libc and libecs only, hence no JSON library.
 *
 * The parse keeps offsets into the caller's text (which must outlive the document) and
 * decodes a string only when asked, into a buffer the caller wipes. */
#ifndef ECS_CLIENT_JSON_H
#define ECS_CLIENT_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "ecs_buf.h"

#define ECS_JSON_MAX_DEPTH 32
#define ECS_JSON_MAX_TOKENS 65536

enum ecs_json_type {
	ECS_JSON_NULL,
	ECS_JSON_FALSE,
	ECS_JSON_TRUE,
	ECS_JSON_NUMBER,
	ECS_JSON_STRING,
	ECS_JSON_ARRAY,
	ECS_JSON_OBJECT,
};

/* One value. An object's members follow it as key (a STRING), value, key, value...; an
 * array's elements follow it in order; each value's own children come right after it. */
struct ecs_json_tok {
	enum ecs_json_type type;
	size_t start, end;	/* the value's text; for a string, between the quotes, undecoded */
	size_t next;		/* index of the first token after this value and its children */
	size_t count;		/* members of an object, elements of an array */
};

struct ecs_json {
	const char *text;
	size_t len;
	struct ecs_json_tok *tok;
	size_t ntok, cap;
};

/* Parse text[len] into doc (token 0 is the top value). 0; -EBADMSG for anything that is not
 * one strict JSON value; -E2BIG past the depth or token limit; -ENOMEM. On error doc holds
 * nothing; ecs_json_free is always safe after the call. */
int ecs_json_parse(struct ecs_json *doc, const char *text, size_t len);
void ecs_json_free(struct ecs_json *doc);

/* The member `key` of the object at token obj: its value's token index; -ENOENT when absent
 * (or obj is not an object), -EBADMSG when the object holds the key more than once. */
long ecs_json_member(const struct ecs_json *doc, size_t obj, const char *key);

/* Follow a path of keys from token obj, NULL-terminated: ecs_json_path(d, 0, "params",
 * "request", "url", NULL). A token index, or a negative errno as for ecs_json_member. */
long ecs_json_path(const struct ecs_json *doc, size_t obj, ...) __attribute__((sentinel));

/* The element i of the array at token arr, or -ENOENT. */
long ecs_json_element(const struct ecs_json *doc, size_t arr, size_t i);

/* Append the decoded string at token t to out (UTF-8). 0, -EINVAL (not a string), -E2BIG,
 * -ENOMEM. */
int ecs_json_string(const struct ecs_json *doc, long t, struct ecs_buf *out);

/* Whether token t is a string equal to s once decoded. */
bool ecs_json_string_is(const struct ecs_json *doc, long t, const char *s);

/* The integer at token t (no fraction, no exponent, within long long). 0 or -EINVAL. */
int ecs_json_int(const struct ecs_json *doc, long t, long long *out);

/* Whether token t is `true` (false for a missing token or any other value). */
bool ecs_json_is_true(const struct ecs_json *doc, long t);

/* Append s[n] to out as a JSON string literal, quotes included: '"', '\\' and control
 * characters escaped; other bytes as they are (the caller passes UTF-8). */
int ecs_json_put_string(struct ecs_buf *out, const char *s, size_t n);

#endif
