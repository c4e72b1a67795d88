/* fuzz_time.c — libFuzzer target for the xs:dateTime parser.
 *
 * Property beyond "no crash": an accepted instant in years 0001..9999 formats to a string
 * that parses back to the same second. */
#include <stdlib.h>
#include <string.h>

#include "ecs_time.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[ECS_TIME_BUFSZ];
	char *s;
	time_t t, again;

	if (size > 256)
		return 0;
	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = 0;
	if (ecs_time_parse(s, &t) == 0 && t >= -62135596800 && t <= 253402300799) {
		ecs_time_format(t, buf);
		if (ecs_time_parse(buf, &again) != 0 || again != t)
			abort();
	}
	free(s);
	return 0;
}
