/* fuzz_ecs_reply.c — libFuzzer target for ecs-saml-exec's readers of ECS's JSON replies:
 * every input goes through the DescribeTasks reader (and, when it parses, the container
 * choice, the readiness check and the SSM target), the ExecuteCommand reader and the error
 * reader.
 *
 * Properties beyond "no crash" and no leak: a parsed session ID names a file safely (no '/',
 * no dot-dot), the handover names the same session, and an error's code and message are
 * printable. */
#include <stdlib.h>
#include <string.h>

#include "ecs_exec_rec.h"
#include "exec_ecs.h"
#include "fuzz.h"

static void
printable(const char *s)
{
	for (; *s; s++)
		if (*s < 0x20 || *s >= 0x7f)
			abort();
}

static void
describe(const char *text, size_t len)
{
	struct ecs_exec_task t;
	char err[512], *target = NULL;
	size_t idx = 0;

	if (ecs_exec_parse_describe(text, len, &t) < 0)
		return;
	if (!t.missing && ecs_exec_choose_container(&t, NULL, &idx, err, sizeof(err)) == 0 &&
	    ecs_exec_check_ready(&t, idx, err, sizeof(err)) == 0) {
		if (ecs_exec_target_json(t.cluster_name, t.task_id, t.containers[idx].runtime_id,
					 &target) < 0)
			abort();	/* a ready container always makes a target */
		free(target);
	}
	ecs_exec_task_free(&t);
}

static void
execute(const char *text, size_t len)
{
	struct ecs_exec_session s;

	if (ecs_exec_parse_execute(text, len, &s) < 0)
		return;
	if (!ecs_exec_session_id_ok(s.session_id) || !strstr(s.handover, s.session_id))
		abort();
	ecs_exec_session_free(&s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ecs_aws_error e;

	ecs_exec_json_init();
	describe((const char *)data, size);
	execute((const char *)data, size);
	ecs_exec_parse_error((const char *)data, size, "X:y", &e);
	printable(e.code);
	printable(e.message);
	return 0;
}
