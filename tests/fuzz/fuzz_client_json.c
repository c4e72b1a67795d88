/* fuzz_client_json.c — libFuzzer target for the strict JSON reader of DevTools messages
 * (client_json.h).
 *
 * Properties checked beyond "no crash": every token lies inside the text and inside its
 * parent; every string decodes, and written back with ecs_json_put_string it parses again to
 * the same bytes; lookups and walks over every token stay in bounds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "client_json.h"
#include "fuzz.h"

static void
check_string(const struct ecs_json *d, long t)
{
	struct ecs_buf s, lit, back;
	struct ecs_json d2;

	ecs_buf_init(&s, 1 << 22);
	ecs_buf_init(&lit, 1 << 24);
	ecs_buf_init(&back, 1 << 22);
	if (ecs_json_string(d, t, &s) != 0)
		abort();
	if (ecs_json_put_string(&lit, (const char *)s.data, s.len) == 0) {
		if (ecs_json_parse(&d2, (const char *)lit.data, lit.len) != 0 ||
		    ecs_json_string(&d2, 0, &back) != 0 || back.len != s.len ||
		    (s.len > 0 && memcmp(back.data, s.data, s.len) != 0))
			abort();
		ecs_json_free(&d2);
	}
	ecs_buf_free(&s);
	ecs_buf_free(&lit);
	ecs_buf_free(&back);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ecs_json d;
	long long v;

	if (ecs_json_parse(&d, (const char *)data, size) != 0) {
		if (d.tok != NULL || d.ntok != 0)
			abort();
		return 0;
	}
	if (d.ntok == 0 || d.tok[0].next != d.ntok)
		abort();
	for (size_t i = 0; i < d.ntok; i++) {
		const struct ecs_json_tok *k = &d.tok[i];

		if (k->start > k->end || k->end > size || k->next <= i || k->next > d.ntok)
			abort();
		if (k->type == ECS_JSON_STRING)
			check_string(&d, (long)i);
		if (k->type == ECS_JSON_NUMBER)
			(void)ecs_json_int(&d, (long)i, &v);
		if (k->type == ECS_JSON_OBJECT) {
			(void)ecs_json_member(&d, i, "method");
			(void)ecs_json_path(&d, i, "params", "request", "postData", NULL);
		}
		if (k->type == ECS_JSON_ARRAY && k->count > 0 &&
		    ecs_json_element(&d, i, k->count - 1) < 0)
			abort();
	}
	ecs_json_free(&d);
	return 0;
}
