/* fuzz_conf.c — libFuzzer target for the configuration parser: the input is parsed as a
 * file, then each of its lines is applied as a module argument, then finish runs.
 *
 * Property beyond "no crash" (and no leak, which libFuzzer's LeakSanitizer checks): every
 * failure comes with a message for the administrator. */
#include <stdlib.h>
#include <string.h>

#include "ecs_conf.h"
#include "fuzz.h"

#define FUZZ_CONF_MAX_ARGS 32

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ecs_conf c;
	char err[ECS_CONF_ERRSZ];
	char *copy, *line, *save = NULL;
	unsigned nargs = 0;
	int r;

	if (size > ECS_CONF_MAX_SIZE)
		return 0;
	ecs_conf_init(&c);
	err[0] = 0;
	r = ecs_conf_parse_text(&c, (const char *)data, size, "fuzz.conf", err, sizeof(err));
	if (r < 0 && err[0] == 0)
		abort();
	copy = malloc(size + 1);
	if (!copy)
		goto out;
	memcpy(copy, data, size);
	copy[size] = 0;
	for (line = strtok_r(copy, "\n", &save); line && nargs < FUZZ_CONF_MAX_ARGS;
	     line = strtok_r(NULL, "\n", &save), nargs++) {
		err[0] = 0;
		if (ecs_conf_set_arg(&c, line, err, sizeof(err)) < 0 && err[0] == 0)
			abort();
	}
	free(copy);
	err[0] = 0;
	if (ecs_conf_finish(&c, err, sizeof(err)) < 0 && err[0] == 0)
		abort();
out:
	ecs_conf_free(&c);
	return 0;
}
