/* caller.c — the PAM application's process (caller.h). */
#include <unistd.h>

#include "caller.h"

static pid_t caller;	/* 0: the parent is the caller */

pid_t
ecs_caller_pid(void)
{
	return caller > 0 ? caller : getppid();
}

void
ecs_caller_set(pid_t pid)
{
	caller = pid;
}
