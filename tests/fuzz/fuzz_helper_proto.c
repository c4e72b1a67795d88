/* fuzz_helper_proto.c — libFuzzer target for the module⇄helper framing reader.
 *
 * Property checked beyond "no crash": every message the reader accepts is re-encoded by the
 * writer to exactly the same bytes, so reader and writer agree on one spelling. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ecs_helper_proto.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ecs_helper_proto_reader rd;
	struct ecs_helper_proto_frame f;
	struct ecs_buf again;
	char *s = NULL;
	int r;

	if (ecs_helper_proto_begin(&again) < 0)
		return 0;
	r = ecs_helper_proto_reader_init(&rd, data, size);
	while (r == 0) {
		r = ecs_helper_proto_next(&rd, &f);
		if (r != 1)
			break;
		if (ecs_helper_proto_frame_str(&f, ECS_HELPER_PROTO_MAX_FRAME, &s) == 0 && strlen(s) != f.len)
			abort();
		free(s);
		s = NULL;
		r = ecs_helper_proto_put(&again, (enum ecs_helper_proto_type)f.type, f.data, f.len);
		if (r < 0)
			abort();
	}
	if (r == 0) {
		if (ecs_helper_proto_end(&again) < 0 || again.len != size || memcmp(again.data, data, size) != 0)
			abort();
	}
	ecs_buf_free(&again);
	return 0;
}
