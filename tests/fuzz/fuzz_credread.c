/* fuzz_credread.c — libFuzzer target for the strict reader of a session's credentials file
 * (credread.h), which the helper's teardown runs, as the user, on a file the user may have
 * rewritten.
 *
 * Property beyond "no crash": an accepted file yields three values of printable ASCII
 * without spaces, each found verbatim in the input after its key. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "credread.h"
#include "fuzz.h"

static void
check(const uint8_t *data, size_t size, const char *key, const char *v)
{
	char needle[128];
	size_t n = strlen(v);

	if (n == 0)
		abort();
	for (size_t i = 0; i < n; i++)
		if (v[i] <= 0x20 || v[i] >= 0x7f)
			abort();
	snprintf(needle, sizeof(needle), "%s = ", key);
	if (!memmem(data, size, needle, strlen(needle)) || !memmem(data, size, v, n))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ecs_sts_creds c;

	if (ecs_cred_parse((const char *)data, size, &c) < 0) {
		if (c.access_key_id || c.secret_access_key || c.session_token)
			abort();
		return 0;
	}
	check(data, size, "aws_access_key_id", c.access_key_id);
	check(data, size, "aws_secret_access_key", c.secret_access_key);
	check(data, size, "aws_session_token", c.session_token);
	ecs_sts_creds_free(&c);
	return 0;
}
