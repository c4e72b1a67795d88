/* privsep_hook.c — test-only misbehaviour of the validator child (see privsep_hook.h). */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "privsep_hook.h"

#ifdef ECS_TEST_HOOKS

static const char *const names[] = {
	[ECS_PRIVSEP_HOOK_STOP] = "stop",	[ECS_PRIVSEP_HOOK_CRASH] = "crash",
	[ECS_PRIVSEP_HOOK_LOOP] = "loop",	[ECS_PRIVSEP_HOOK_MEMORY] = "memory",
	[ECS_PRIVSEP_HOOK_SYSCALL] = "syscall", [ECS_PRIVSEP_HOOK_GARBAGE] = "garbage",
	[ECS_PRIVSEP_HOOK_INPROCESS] = "inprocess", [ECS_PRIVSEP_HOOK_BARE] = "bare",
};

enum ecs_privsep_hook
ecs_privsep_hook_get(void)
{
	const char *e = getenv("ECS_TEST_PRIVSEP");

	for (size_t i = 1; e != NULL && i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(e, names[i]) == 0)
			return (enum ecs_privsep_hook)i;
	return ECS_PRIVSEP_HOOK_NONE;
}

/* Allocate 16 MiB blocks, up to 4 GiB, until refused. The blocks are never touched: the
 * limit is on address space, and the machine's memory stays untouched. */
static int
hog(void)
{
	void *blocks[256] = { 0 };
	size_t i;
	int r = 0;

	for (i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++) {
		blocks[i] = malloc(16u << 20);
		if (!blocks[i]) {
			r = -ENOMEM;
			break;
		}
	}
	for (size_t j = 0; j < i; j++)
		free(blocks[j]);
	return r;
}

int
ecs_privsep_hook_run(enum ecs_privsep_hook hook, int pipe_fd)
{
	static const char junk[] = "ECSP\001\001junk";
	volatile unsigned long spin = 0;

	switch (hook) {
	case ECS_PRIVSEP_HOOK_STOP:
		raise(SIGSTOP);
		return 0;
	case ECS_PRIVSEP_HOOK_CRASH:
		*(volatile int *)(uintptr_t)spin = 1;
		return 0;
	case ECS_PRIVSEP_HOOK_LOOP:
		for (;;)
			spin++;
	case ECS_PRIVSEP_HOOK_MEMORY:
		return hog();
	case ECS_PRIVSEP_HOOK_SYSCALL:
		return socket(AF_INET, SOCK_STREAM, 0) < 0 ? -errno : -EIO;
	case ECS_PRIVSEP_HOOK_GARBAGE:
		if (write(pipe_fd, junk, sizeof(junk) - 1) < 0)
			return -errno;
		_exit(0);
	default:
		return 0;
	}
}

#else

enum ecs_privsep_hook
ecs_privsep_hook_get(void)
{
	return ECS_PRIVSEP_HOOK_NONE;
}

int
ecs_privsep_hook_run(enum ecs_privsep_hook hook, int pipe_fd)
{
	(void)hook;
	(void)pipe_fd;
	return 0;
}

#endif
