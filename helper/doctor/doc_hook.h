/* doc_hook.h — test-only inputs of doctor's checks of the host itself.
 *
 * Compiled in only with ECS_TEST_HOOKS (the in-tree build the suites use; `make install`
 * builds without it, and suite 08 checks that the installed helper has none). There the
 * environment variable ECS_TEST_DOCTOR_<NAME> replaces one fact no test can set up on a
 * shared machine:
 *   IMDS     "ADDR:PORT" instead of the instance metadata service 169.254.169.254:80
 *   ADJTIME  "synced MAXERROR_US" or "unsynced": the kernel's clock state (adjtimex)
 * Without ECS_TEST_HOOKS, ecs_doc_hook() is always NULL. */
#ifndef ECS_DOC_HOOK_H
#define ECS_DOC_HOOK_H

#include <stdlib.h>

static inline const char *
ecs_doc_hook(const char *name)
{
#ifdef ECS_TEST_HOOKS
	char var[64];

	snprintf(var, sizeof(var), "ECS_TEST_DOCTOR_%s", name);
	return getenv(var);
#else
	(void)name;
	return NULL;
#endif
}

#endif
