/* fuzz_sts_reply.c — libFuzzer target for the STS reply parser (helper core).
 *
 * Properties checked beyond "no crash, no leak": whatever is accepted as credentials can go
 * into an INI file unchanged (no space, no control character in a key or token, a real
 * expiry), and an accepted error carries a printable code and a single-line message. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ecs_err.h"
#include "fuzz.h"
#include "sts.h"
#include "sts_reply.h"

static void
check_token(const char *s)
{
	if (!s || !*s)
		abort();
	for (; *s; s++)
		if (*s <= 0x20 || *s >= 0x7f)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ecs_sts_creds c;
	struct ecs_sts_error e;
	const char *p;
	int r;

	memset(&e, 0, sizeof(e));
	r = ecs_sts_reply_parse(data, size, &c, &e);
	if (r == 0) {
		check_token(c.access_key_id);
		check_token(c.secret_access_key);
		check_token(c.session_token);
		check_token(c.assumed_role_arn);
		if (c.expiration == 0)
			abort();
	} else if (r == -ECS_ESTS) {
		check_token(e.code);
		for (p = e.message; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				abort();	/* it goes into one log line */
	} else if (c.access_key_id || c.secret_access_key) {
		abort();	/* a refused reply must leave nothing behind */
	}
	ecs_sts_creds_free(&c);
	return 0;
}
