/* test_client_json.c — the strict JSON reader the browser capture reads DevTools messages with. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "client_json.h"
#include "tap.h"

static int
parse(const char *s, struct ecs_json *d)
{
	return ecs_json_parse(d, s, strlen(s));
}

static bool
accepts(const char *s)
{
	struct ecs_json d;
	int r = parse(s, &d);

	ecs_json_free(&d);
	return r == 0;
}

/* The decoded string at path key of s, in out (a static buffer), or NULL. */
static const char *
str_at(const char *s, const char *key)
{
	static char out[256];
	struct ecs_json d;
	struct ecs_buf b;
	const char *res = NULL;

	ecs_buf_init(&b, sizeof(out) - 1);
	if (parse(s, &d) == 0 && ecs_json_string(&d, ecs_json_member(&d, 0, key), &b) == 0) {
		memcpy(out, b.data ? (const char *)b.data : "", b.len);
		out[b.len] = '\0';
		res = out;
	}
	ecs_buf_free(&b);
	ecs_json_free(&d);
	return res;
}

int
main(void)
{
	static const char *good[] = {
		"{}", "[]", " {\"a\" : [1, -2.5e+3, 0, true, false, null]} \n", "\"x\"", "0",
		"-0.0E1", "{\"a\":{\"b\":{\"c\":[[]]}}}", "\"\\ud83d\\ude00\"", "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"",
	};
	static const char *bad[] = {
		"", " ", "{", "{\"a\":1,}", "[1,]", "[1 2]", "{\"a\" 1}", "{a:1}", "01", "1.", ".5",
		"-", "1e", "+1", "NaN", "tru", "nulll", "{} {}", "\"\\x\"", "\"\\u12\"", "\"a\nb\"",
		"\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"",
		"\"\xf5\x80\x80\x80\"", "\"\x80\"", "\"abc", "[\"a\"", "{\"a\":}", "// c\n{}",
		"'a'", "[1]x",
	};
	char deep[2 * ECS_JSON_MAX_DEPTH + 8];
	struct ecs_json d;
	long long v;
	long t;
	size_t n;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		T_OK(accepts(good[i]), "accepts %s", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		T_OK(!accepts(bad[i]), "refuses \"%s\"", bad[i]);
	T_OK(ecs_json_parse(&d, "{\"a\":\0}", 7) != 0, "refuses a NUL byte");
	ecs_json_free(&d);

	n = 0;
	for (int i = 0; i < ECS_JSON_MAX_DEPTH; i++)
		deep[n++] = '[';
	for (int i = 0; i < ECS_JSON_MAX_DEPTH; i++)
		deep[n++] = ']';
	deep[n] = '\0';
	T_OK(accepts(deep), "accepts nesting %d deep", ECS_JSON_MAX_DEPTH);
	memmove(deep + 1, deep, n + 1);
	deep[0] = '[';
	deep[n + 1] = ']';
	deep[n + 2] = '\0';
	T_OK(ecs_json_parse(&d, deep, n + 2) == -E2BIG, "refuses nesting %d deep",
	     ECS_JSON_MAX_DEPTH + 1);
	ecs_json_free(&d);

	T_OK(strcmp(str_at("{\"k\":\"a\\\"b\\\\c\\/d\\n\\u00e9\\ud83d\\ude00\"}", "k") ?: "",
		    "a\"b\\c/d\n\xc3\xa9\xf0\x9f\x98\x80") == 0, "decodes escapes and surrogate pairs");
	T_OK(strcmp(str_at("{\"k\\u0065y\":\"v\"}", "key") ?: "", "v") == 0,
	     "finds a key written with an escape");
	T_OK(str_at("{\"k\":1,\"k\":\"v\"}", "k") == NULL, "a key held twice is not looked up");
	T_OK(str_at("{\"k\":1}", "k") == NULL, "a number is not a string");
	T_OK(str_at("{\"k\":\"v\"}", "x") == NULL, "a missing key");

	T_OK(parse("{\"id\":42,\"params\":{\"request\":{\"url\":\"u\",\"n\":[1,{\"z\":2},3]},\"b\":true}}",
		   &d) == 0, "parses a nested message");
	t = ecs_json_path(&d, 0, "params", "request", "url", NULL);
	T_OK(ecs_json_string_is(&d, t, "url") == false && ecs_json_string_is(&d, t, "u"),
	     "a path to a nested string");
	T_OK(ecs_json_int(&d, ecs_json_member(&d, 0, "id"), &v) == 0 && v == 42, "an integer");
	T_OK(ecs_json_is_true(&d, ecs_json_path(&d, 0, "params", "b", NULL)),
	     "true after a nested object (skipping its tokens)");
	t = ecs_json_path(&d, 0, "params", "request", "n", NULL);
	T_OK(ecs_json_int(&d, ecs_json_element(&d, (size_t)t, 2), &v) == 0 && v == 3,
	     "an array's element after a nested object");
	T_OK(ecs_json_element(&d, (size_t)t, 3) == -ENOENT, "past an array's end");
	T_OK(ecs_json_path(&d, 0, "params", "x", "y", NULL) == -ENOENT, "a path through nothing");
	ecs_json_free(&d);
	T_OK(parse("[1.5, 1e3, 99999999999999999999]", &d) == 0 &&
		     ecs_json_int(&d, 1, &v) < 0 && ecs_json_int(&d, 2, &v) < 0 &&
		     ecs_json_int(&d, 3, &v) < 0, "only integers in range are integers");
	ecs_json_free(&d);

	{
		struct ecs_buf b;

		ecs_buf_init(&b, 64);
		T_OK(ecs_json_put_string(&b, "a\"\\\n\x01z", 6) == 0 &&
			     strcmp((const char *)b.data, "\"a\\\"\\\\\\u000a\\u0001z\"") == 0,
		     "writes a string literal with escapes");
		T_OK(accepts((const char *)b.data), "...that the reader accepts");
		ecs_buf_free(&b);
	}
	T_DONE();
}
