/* doc_run.c — run one program for a check, with a deadline (doctor.h): sshd -T and the
 * time-sync tools. doctor must never hang, whatever the program does. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "doctor.h"
#include "ecs_io.h"

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void __attribute__((noreturn))
child(char *const argv[], int out)
{
	char *env[4] = { (char *)"PATH=/usr/sbin:/usr/bin:/sbin:/bin", (char *)"LC_ALL=C", NULL };
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);

#ifdef ECS_TEST_HOOKS
	/* the suites' ASan build preloads the runtime in the namespace's programs: they keep
	 * its options (no leak reports from sshd) */
	static char asan[256];

	if (getenv("ASAN_OPTIONS")) {
		snprintf(asan, sizeof(asan), "ASAN_OPTIONS=%s", getenv("ASAN_OPTIONS"));
		env[2] = asan;
	}
#endif

	setpgid(0, 0);	/* the whole group is killed at the deadline */
	if (null < 0 || dup2(null, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
		_exit(126);
	execve(argv[0], argv, env);
	_exit(errno == ENOENT ? 127 : 126);
}

int
ecs_doc_run_prog(char *const argv[], int timeout_ms, char *out, size_t outsz, int *status)
{
	long long deadline = now_ms() + timeout_ms;
	struct pollfd pfd;
	size_t len = 0;
	int p[2] = { -1, -1 }, r = 0;
	pid_t pid;
	ssize_t n;
	char sink[512];

	out[0] = '\0';
	*status = 0;
	if (access(argv[0], X_OK) < 0)
		return -errno;
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		r = -errno;
		goto out;
	}
	if (pid == 0)
		child(argv, p[1]);
	ecs_close(&p[1]);
	pfd.fd = p[0];
	pfd.events = POLLIN;
	for (;;) {
		long long left = deadline - now_ms();

		if (left <= 0) {
			r = -ETIMEDOUT;
			break;
		}
		if (poll(&pfd, 1, (int)left) < 0 && errno != EINTR) {
			r = -errno;
			break;
		}
		if (!(pfd.revents & (POLLIN | POLLHUP)))
			continue;
		if (len + 1 < outsz)
			n = read(p[0], out + len, outsz - 1 - len);
		else
			n = read(p[0], sink, sizeof(sink));	/* keep draining: no blocked child */
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (len + 1 < outsz)
			len += (size_t)n;
	}
	out[len] = '\0';
	/* output ended: the program may still linger; it gets what is left of the deadline */
	while (r == 0 && waitpid(pid, status, WNOHANG) == 0) {
		if (now_ms() >= deadline)
			r = -ETIMEDOUT;
		else
			nanosleep(&(struct timespec){ 0, 10 * 1000 * 1000 }, NULL);
	}
	if (r == -ETIMEDOUT || r < 0) {
		kill(-pid, SIGKILL);
		while (waitpid(pid, status, 0) < 0 && errno == EINTR)
			;
	}
	if (r == 0 && WIFEXITED(*status) && WEXITSTATUS(*status) == 127)
		r = -ENOENT;
out:
	ecs_close(&p[0]);
	ecs_close(&p[1]);
	return r;
}
