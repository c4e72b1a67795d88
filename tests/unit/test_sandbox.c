/* test_sandbox.c — the validator child's sandbox (helper/privsep_sandbox.c) with its seccomp
 * filter as compiled at build time: the child's own pid is where the filter compares
 * tgkill's target (abort() and raise() work, they signal the process itself), a call the
 * filter leaves to its default fails with EPERM, writing the pipe works, and a socket kills
 * the child with SIGSYS. Each case runs in a forked child (as root: it becomes nobody). */
#include <errno.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "privsep_sandbox.h"
#include "tap.h"

#define NOBODY 65534

enum { ENTERED = 1, SELF_SIGNAL = 2, DEFAULT_EPERM = 4 };

/* Enter the sandbox, then report on the pipe which calls did what; or, with socket_too,
 * make the call the filter kills. */
static void __attribute__((noreturn))
child(int fd, int socket_too)
{
	struct ecs_sandbox_id id = { .change = geteuid() == 0, .uid = NOBODY, .gid = NOBODY };
	const char *step = NULL;
	unsigned char seen = 0;

	if (ecs_sandbox_enter(&id, fd, &step) != 0)
		_exit(2);
	seen |= ENTERED;
	if (socket_too)
		socket(AF_INET, SOCK_STREAM, 0);
	/* signal 0: the permission check only */
	if (syscall(SYS_tgkill, getpid(), gettid(), 0) == 0)
		seen |= SELF_SIGNAL;
	/* getppid cannot fail in the kernel: -1 is the filter's default answer */
	errno = 0;
	if (syscall(SYS_getppid) == -1 && errno == EPERM)
		seen |= DEFAULT_EPERM;
	_exit(write(ECS_SANDBOX_PIPE_FD, &seen, 1) == 1 ? 0 : 3);
}

/* Run child(); its report byte (-1 if none) and its wait status. */
static int
run(int socket_too, int *status)
{
	unsigned char seen;
	int p[2], got = -1;
	pid_t pid;

	*status = -1;
	if (pipe(p) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		child(p[1], socket_too);
	}
	close(p[1]);
	if (pid > 0 && read(p[0], &seen, 1) == 1)
		got = seen;
	close(p[0]);
	if (pid > 0)
		waitpid(pid, status, 0);
	return got;
}

int
main(void)
{
	int status, seen;

	seen = run(0, &status);
	T_OK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	     "the child enters the sandbox and writes its pipe (status 0x%x)", status);
	T_OK(seen >= 0 && (seen & ENTERED), "the sandbox is set up");
	T_OK(seen >= 0 && (seen & SELF_SIGNAL),
	     "the filter lets the child signal itself: its own pid is in the compiled filter");
	T_OK(seen >= 0 && (seen & DEFAULT_EPERM),
	     "a call the filter does not list fails with EPERM");
	seen = run(1, &status);
	T_OK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS,
	     "a socket in the sandbox kills the child with SIGSYS (status 0x%x)", status);
	T_OK(seen == -1, "... before it could say anything");
	T_DONE();
}
