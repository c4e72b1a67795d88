/* fuzz_exec_rec.c — libFuzzer target for the exec session record's parser
 * (ecs_exec_rec_parse), which the helper's teardown runs on a file in the user's directory.
 *
 * Property beyond "no crash": an accepted record renders back to exactly the bytes given
 * (one spelling per record), and a rejected one leaves the struct zeroed. */
#include <stdlib.h>
#include <string.h>

#include "ecs_buf.h"
#include "ecs_exec_rec.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct ecs_exec_rec zero;
	struct ecs_exec_rec rec;
	struct ecs_buf b;

	if (ecs_exec_rec_parse((const char *)data, size, &rec) < 0) {
		if (memcmp(&rec, &zero, sizeof(rec)) != 0)
			abort();
		return 0;
	}
	ecs_buf_init(&b, ECS_EXEC_REC_MAX * 2);
	if (ecs_exec_rec_render(&rec, &b) != 0 || b.len != size ||
	    memcmp(b.data, data, size) != 0)
		abort();
	ecs_buf_free(&b);
	return 0;
}
