/* fuzz_resp.c — libFuzzer target for the RESP2 reply reader (helper/store/resp.c), which
 * reads what a Redis server, or whatever answers in its place, sends.
 *
 * Properties checked beyond "no crash, no leak": a reply taken is within the input and is
 * taken again, whole, from exactly its own bytes; a string points inside the input; a
 * reply cut short is "incomplete" (0), never a different reply. And the encoder's output
 * for arguments cut from the input reads back as one array of that many elements. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "resp.h"

static void
check_reply(const uint8_t *data, size_t size)
{
	struct ecs_resp_reply r, again;
	ssize_t n = ecs_resp_parse(data, size, &r);

	if (n < 0)
		return;
	if ((size_t)n > size)
		abort();
	if (n == 0)
		return;
	if ((r.type == ECS_RESP_SIMPLE || r.type == ECS_RESP_ERROR || r.type == ECS_RESP_BULK) &&
	    (r.str < data || r.str + r.len > data + n))
		abort();
	if (ecs_resp_parse(data, (size_t)n, &again) != n || again.type != r.type)
		abort();
	if (n > 1 && ecs_resp_parse(data, (size_t)n - 1, &again) != 0)
		abort();
}

static void
check_roundtrip(const uint8_t *data, size_t size)
{
	const char *argv[ECS_RESP_ARGS_MAX];
	size_t lens[ECS_RESP_ARGS_MAX], argc = 0, at = 0, n;
	struct ecs_resp_reply r;
	struct ecs_buf b;

	/* arguments: runs of the input split at '|' */
	while (at <= size && argc < ECS_RESP_ARGS_MAX) {
		const uint8_t *bar = memchr(data + at, '|', size - at);

		n = bar ? (size_t)(bar - (data + at)) : size - at;
		argv[argc] = (const char *)data + at;
		lens[argc++] = n;
		at += n + 1;
	}
	ecs_buf_init(&b, 4 * size + 1024);
	if (ecs_resp_command(&b, argc, argv, lens) == 0 &&
	    (ecs_resp_parse(b.data, b.len, &r) != (ssize_t)b.len || r.type != ECS_RESP_ARRAY ||
	     r.integer != (int64_t)argc) &&
	    size <= ECS_RESP_BULK_MAX)
		abort();
	ecs_buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_reply(data, size);
	check_roundtrip(data, size);
	return 0;
}
