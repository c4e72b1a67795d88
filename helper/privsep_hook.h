/* privsep_hook.h — test-only misbehaviour of the sandboxed validator child.
 *
 * Compiled in only with ECS_TEST_HOOKS (the in-tree build the test suites use; `make install`
 * builds without it, and suite 08 checks that the installed helper has none). There the
 * environment variable ECS_TEST_PRIVSEP picks one, so the suites can watch the sandbox
 * handle each failure:
 *   stop       the child stops itself (SIGSTOP) once sandboxed, so /proc can be read
 *   crash      a write through a null pointer (a memory bug in a parser)
 *   loop       a busy loop (the CPU rlimit)
 *   memory     allocating until refused (the address-space rlimit)
 *   syscall    socket(2) (seccomp kills it)
 *   garbage    a malformed answer
 *   inprocess  no child: validate in the helper itself (tests/bench's baseline)
 *   bare       a child that validates without entering the sandbox (tests/bench: the cost
 *              of the fork and the pipe alone)
 * Without ECS_TEST_HOOKS, ecs_privsep_hook_get() is always ECS_PRIVSEP_HOOK_NONE. */
#ifndef ECS_PRIVSEP_HOOK_H
#define ECS_PRIVSEP_HOOK_H

enum ecs_privsep_hook {
	ECS_PRIVSEP_HOOK_NONE = 0,
	ECS_PRIVSEP_HOOK_STOP,
	ECS_PRIVSEP_HOOK_CRASH,
	ECS_PRIVSEP_HOOK_LOOP,
	ECS_PRIVSEP_HOOK_MEMORY,
	ECS_PRIVSEP_HOOK_SYSCALL,
	ECS_PRIVSEP_HOOK_GARBAGE,
	ECS_PRIVSEP_HOOK_INPROCESS,
	ECS_PRIVSEP_HOOK_BARE,
};

/* The hook the environment asks for (in the parent, before the fork). */
enum ecs_privsep_hook ecs_privsep_hook_get(void);

/* In the sandboxed child, before validating: misbehave as asked. Returns 0 to go on
 * validating, or -errno to report as the validation's failure; some hooks never return. */
int ecs_privsep_hook_run(enum ecs_privsep_hook hook, int pipe_fd);

#endif
