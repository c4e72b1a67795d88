/* fuzz_privsep_wire.c — libFuzzer target for the message the sandboxed validator child sends
 * its root parent (helper/privsep_wire.c): bytes from a process that has just parsed
 * attacker XML and may be under the attacker's control.
 *
 * Properties checked beyond "no crash, no leak": whatever is accepted encodes back to the
 * very same bytes (one meaning per message), every accepted string is printable, and an
 * accepted refusal carries one of the parent's own code strings. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ecs_err.h"
#include "fuzz.h"
#include "privsep_wire.h"

static void
check_text(const char *s)
{
	for (; s != NULL && *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ecs_privsep_verdict v;
	struct ecs_buf again;
	int r;

	if (ecs_privsep_decode(data, size, &v) < 0)
		return 0;
	ecs_buf_init(&again, ECS_PRIVSEP_MSG_MAX);
	switch (v.kind) {
	case ECS_PRIVSEP_ACCEPT:
		check_text(v.res.user);
		check_text(v.res.nameid);
		check_text(v.res.issuer);
		for (size_t i = 0; i < v.res.nroles; i++)
			check_text(v.res.roles[i].role_arn);
		r = ecs_privsep_encode(&again, 0, &v.res, NULL, NULL);
		break;
	case ECS_PRIVSEP_REJECT:
		if (v.rej.code == NULL)
			abort();
		check_text(v.rej.msg);
		r = ecs_privsep_encode(&again, -ECS_EREJECT, NULL, &v.rej, NULL);
		break;
	default:
		check_text(v.stage);
		r = ecs_privsep_encode(&again, -v.err, NULL, NULL, v.stage);
		break;
	}
	if (r != 0 || again.len != size || memcmp(again.data, data, size) != 0)
		abort();
	ecs_buf_free(&again);
	ecs_privsep_verdict_free(&v);
	return 0;
}
