/* pam_spawn.c — running ecs-saml-helper, the way pam_unix runs unix_chkpwd.
 *
 * The module lives in someone else's process (sshd, sudo), so it leaves no trace there:
 * SIGCHLD is set to its default only while the helper runs (so waitpid sees our child even
 * if the application ignores SIGCHLD) and then restored; no descriptor leaks into the child
 * (pam_modutil_sanitize_helper_fds); the child gets a fixed path, an empty environment and
 * its data only through its stdin. The channel is a socketpair rather than a pipe so that a
 * helper dying before it has read everything costs us EPIPE from send(MSG_NOSIGNAL) instead
 * of a SIGPIPE that would kill the application. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <security/pam_ext.h>
#include <security/pam_modutil.h>
#include <syslog.h>

#include "ecs_err.h"
#include "ecs_safefile.h"
#include "ecs_secmem.h"
#include "ecs_wire.h"
#include "pam_spawn.h"

/* The child side of the fork: never returns. */
static void __attribute__((noreturn))
run_child(pam_handle_t *pamh, int fd, const char *verb)
{
	char *const argv[] = { (char *)"ecs-saml-helper", (char *)verb, NULL };
	char *const envp[] = { NULL };
	sigset_t none;

	if (dup2(fd, STDIN_FILENO) < 0 || dup2(fd, STDOUT_FILENO) < 0)
		_exit(ECS_EXIT_INTERNAL);
	if (pam_modutil_sanitize_helper_fds(pamh, PAM_MODUTIL_IGNORE_FD, PAM_MODUTIL_IGNORE_FD,
					    PAM_MODUTIL_NULL_FD) < 0)
		_exit(ECS_EXIT_INTERNAL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* Under a setuid application (sudo, su) only the effective uid is 0; the helper
	 * insists on a real uid of 0, so make it so, as pam_unix does for unix_chkpwd. */
	if (geteuid() == 0 && setuid(0) != 0)
		_exit(ECS_EXIT_INTERNAL);
	execve(ECS_HELPER_PATH, argv, envp);
	_exit(ECS_EXIT_INTERNAL);
}

static int
send_all(int fd, const uint8_t *p, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static long
ms_until(const struct timespec *deadline)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (deadline->tv_sec - now.tv_sec) * 1000L + (deadline->tv_nsec - now.tv_nsec) / 1000000L;
}

/* Read the helper's reply to EOF, within the deadline and the cap. */
static int
recv_reply(int fd, const struct timespec *deadline, struct ecs_buf *reply)
{
	uint8_t chunk[4096];
	int r = 0;

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		long left = ms_until(deadline);
		ssize_t n;
		int pr;

		if (left <= 0) {
			r = -ETIMEDOUT;
			break;
		}
		pr = poll(&pfd, 1, (int)(left > 60000 ? 60000 : left));
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr < 0) {
			r = -errno;
			break;
		}
		if (pr == 0)
			continue;
		n = recv(fd, chunk, sizeof(chunk), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			break;
		}
		if (n == 0)
			break;
		r = ecs_buf_append(reply, chunk, (size_t)n);
		if (r < 0) {
			r = r == -E2BIG ? -EBADMSG : r;
			break;
		}
	}
	ECS_WIPE_OBJ(chunk);
	return r;
}

/* One mapping of the helper's exit status (ecs_err.h) back to an error value. */
static int
status_to_err(int status)
{
	if (!WIFEXITED(status))
		return -EIO;
	switch (WEXITSTATUS(status)) {
	case ECS_EXIT_OK:
		return 0;
	case ECS_EXIT_REJECT:
		return -ECS_EREJECT;
	case ECS_EXIT_USAGE:
		return -ECS_ECONFIG;
	default:
		return -EIO;
	}
}

int
ecs_spawn_helper(pam_handle_t *pamh, const char *verb, const void *request, size_t len,
		 unsigned timeout_s, struct ecs_buf *reply)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL }, saved;
	struct timespec deadline;
	int sv[2] = { -1, -1 };
	pid_t pid = -1;
	int status = 0;
	int r, io;

	ecs_buf_init(reply, ECS_WIRE_MAX_TOTAL);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	sigemptyset(&dfl.sa_mask);
	sigaction(SIGCHLD, &dfl, &saved);
	pid = fork();
	if (pid == 0)
		run_child(pamh, sv[1], verb);
	if (pid < 0) {
		r = -errno;
		pam_syslog(pamh, LOG_ERR, "cannot fork the helper: %m");
		goto out;
	}
	ecs_close(&sv[1]);

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout_s;
	/* A helper that died early shows in its exit status: its reply still counts. */
	io = send_all(sv[0], request, len);
	shutdown(sv[0], SHUT_WR);
	if (io == 0 || io == -EPIPE || io == -ECONNRESET)
		io = recv_reply(sv[0], &deadline, reply);
	/* the helper must not outlive a failed exchange, nor block us in waitpid */
	if (io < 0)
		kill(pid, SIGKILL);

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			status = -1;
			break;
		}
	}
	r = io < 0 ? io : status_to_err(status);
	if (io < 0)
		pam_syslog(pamh, LOG_ERR, "helper %s: %s", verb, ecs_strerror(io));
	else if (r == -EIO)
		pam_syslog(pamh, LOG_ERR, "helper %s failed (status 0x%x)", verb, (unsigned)status);
out:
	sigaction(SIGCHLD, &saved, NULL);
	ecs_close(&sv[0]);
	ecs_close(&sv[1]);
	return r;
}
