/* pam_spawn.c — running ecs-saml-helper, the way pam_unix runs unix_chkpwd.
 *
 * The module lives in someone else's process (sshd, sudo), so it leaves no trace there:
 * SIGCHLD is set to its default only while the helper runs (so waitpid sees our child even
 * if the application ignores SIGCHLD) and then restored; no descriptor leaks into the child
 * (close_range in start_helper, sanitize_fds); the child gets a fixed path, an empty
 * environment and its data only through its stdin. The channel is a socketpair rather than a pipe so that a
 * helper dying before it has read everything costs us EPIPE from send(MSG_NOSIGNAL) instead
 * of a SIGPIPE that would kill the application. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <security/pam_ext.h>
#include <security/pam_modutil.h>
#include <syslog.h>

#include "ecs_err.h"
#include "ecs_io.h"
#include "ecs_secmem.h"
#include "ecs_helper_proto.h"
#include "ecs_helper_server.h"
#include "pam_log.h"
#include "pam_server.h"
#include "pam_spawn.h"

/* stdin and stdout are the channel already; stderr goes to /dev/null and every other
 * descriptor is closed. close_range() is one system call; libpam's
 * pam_modutil_sanitize_helper_fds closes each number up to RLIMIT_NOFILE in turn, which is
 * 20,000 calls under a stock sshd, three times per login, and was a fifth of the CPU a
 * login cost the bastion (make bench). It stays as the fallback for kernels before 5.9. */
static int
sanitize_fds(pam_handle_t *pamh)
{
	int null = open("/dev/null", O_WRONLY);	/* closed by close_range unless it is 2 */

	if (null < 0 || dup2(null, STDERR_FILENO) < 0)
		return -1;
	if (close_range(STDERR_FILENO + 1, ~0U, 0) == 0)
		return 0;
	return pam_modutil_sanitize_helper_fds(pamh, PAM_MODUTIL_IGNORE_FD, PAM_MODUTIL_IGNORE_FD,
					       PAM_MODUTIL_NULL_FD);
}

static char *const helper_envp[] = { NULL };

/* The child side of fork_helper: never returns. */
static void __attribute__((noreturn))
run_child(pam_handle_t *pamh, int fd, const char *verb)
{
	char *const argv[] = { (char *)"ecs-saml-helper", (char *)verb, NULL };
	sigset_t none;

	if (dup2(fd, STDIN_FILENO) < 0 || dup2(fd, STDOUT_FILENO) < 0)
		_exit(ECS_EXIT_INTERNAL);
	if (sanitize_fds(pamh) < 0)
		_exit(ECS_EXIT_INTERNAL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* only the effective uid is 0 here (see start_helper) */
	if (setuid(0) != 0)
		_exit(ECS_EXIT_INTERNAL);
	execve(ECS_HELPER_PATH, argv, helper_envp);
	_exit(ECS_EXIT_INTERNAL);
}

/* posix_spawn: glibc starts the child in the application's address space (CLONE_VM and
 * CLONE_VFORK) instead of copying it, which a fork of sshd costs three times per login.
 * The same set-up as run_child, as spawn actions. 0 or -errno (the exec's own failure too). */
static int
spawn_helper(int fd, const char *verb, pid_t *pid)
{
	char *const argv[] = { (char *)"ecs-saml-helper", (char *)verb, NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none;
	int r;

	sigemptyset(&none);
	r = posix_spawn_file_actions_init(&fa);
	if (r != 0)
		return -r;
	r = posix_spawnattr_init(&attr);
	if (r != 0)
		goto out;
	r = posix_spawn_file_actions_adddup2(&fa, fd, STDIN_FILENO);
	if (r == 0)
		r = posix_spawn_file_actions_adddup2(&fa, fd, STDOUT_FILENO);
	if (r == 0)
		r = posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	if (r == 0)	/* close_range, or glibc's own loop before Linux 5.9 */
		r = posix_spawn_file_actions_addclosefrom_np(&fa, STDERR_FILENO + 1);
	if (r == 0)
		r = posix_spawnattr_setsigmask(&attr, &none);
	if (r == 0)
		r = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
	if (r == 0)
		r = posix_spawn(pid, ECS_HELPER_PATH, &fa, &attr, argv, helper_envp);
	posix_spawnattr_destroy(&attr);
out:
	posix_spawn_file_actions_destroy(&fa);
	return -r;
}

/* Start the helper on fd. Under a setuid application (sudo, su) only the effective uid is
 * 0; the helper insists on a real uid of 0, which posix_spawn cannot set, so there the
 * module forks and sets it, as pam_unix does for unix_chkpwd. 0 or -errno. */
static int
start_helper(pam_handle_t *pamh, int fd, const char *verb, pid_t *pid)
{
	if (geteuid() != 0 || getuid() == 0)
		return spawn_helper(fd, verb, pid);
	*pid = fork();
	if (*pid == 0)
		run_child(pamh, fd, verb);
	return *pid < 0 ? -errno : 0;
}

static long
ms_until(const struct timespec *deadline)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (deadline->tv_sec - now.tv_sec) * 1000L + (deadline->tv_nsec - now.tv_nsec) / 1000000L;
}

/* Wait until fd is ready for events, or the deadline passes (-ETIMEDOUT). */
static int
wait_ready(int fd, short events, const struct timespec *deadline)
{
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = events };
		long left = ms_until(deadline);
		int pr;

		if (left <= 0)
			return -ETIMEDOUT;
		pr = poll(&pfd, 1, (int)(left > 60000 ? 60000 : left));
		if (pr > 0)
			return 0;
		if (pr < 0 && errno != EINTR)
			return -errno;
	}
}

/* Write all of p[len] to the non-blocking fd within the deadline: a helper that stops
 * reading must not hold sshd or sudo past it. (ecs_write_all blocks without a deadline and
 * cannot resume after EAGAIN, hence this loop of its own.) */
static int
send_all(int fd, const uint8_t *p, size_t len, const struct timespec *deadline)
{
	while (len > 0) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
		int r;

		if (n >= 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -errno;
		r = wait_ready(fd, POLLOUT, deadline);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Read the helper's reply from the non-blocking fd to EOF, within the deadline and the cap. */
static int
recv_reply(int fd, const struct timespec *deadline, struct ecs_buf *reply)
{
	uint8_t chunk[4096];
	int r = 0;

	for (;;) {
		ssize_t n = recv(fd, chunk, sizeof(chunk), 0);

		if (n == 0)
			break;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
			r = -errno;
			break;
		}
		if (n < 0) {
			r = wait_ready(fd, POLLIN, deadline);
			if (r < 0)
				break;
			continue;
		}
		r = ecs_buf_append(reply, chunk, (size_t)n);
		if (r < 0) {
			r = r == -E2BIG ? -EBADMSG : r;
			break;
		}
	}
	ECS_WIPE_OBJ(chunk);
	return r;
}

/* Reap the helper. Closing its stdout is not exiting: one that lingers after EOF is given
 * until the deadline, then killed. With kill_now (a failed exchange) it is killed at once.
 * 0 with *status, -ETIMEDOUT when it had to be killed, or -errno. */
static int
reap(pid_t pid, const struct timespec *deadline, bool kill_now, int *status)
{
	struct timespec pause = { 0, 1000000L };	/* 1 ms, doubled up to 64 ms */
	pid_t w;

	while (!kill_now) {
		w = waitpid(pid, status, WNOHANG);
		if (w == pid)
			return 0;
		if (w < 0 && errno != EINTR)
			return -errno;
		if (w == 0 && ms_until(deadline) <= 0)
			break;
		if (w == 0) {
			nanosleep(&pause, NULL);
			if (pause.tv_nsec < 64000000L)
				pause.tv_nsec *= 2;
		}
	}
	kill(pid, SIGKILL);
	while (waitpid(pid, status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return kill_now ? 0 : -ETIMEDOUT;
}

/* Send the request (after the preamble, when there is one), end our side, and read the
 * reply to EOF: one exchange, on a helper's stdin and stdout or on the server's connection.
 * 0 or -errno; a peer that stopped reading early still has its reply read. */
static int
exchange(int fd, const char *preamble, const void *request, size_t len,
	 const struct timespec *deadline, struct ecs_buf *reply)
{
	int io = 0;

	if (preamble != NULL)
		io = send_all(fd, (const uint8_t *)preamble, strlen(preamble), deadline);
	if (io == 0)
		io = send_all(fd, request, len, deadline);
	shutdown(fd, SHUT_WR);
	if (io == 0 || io == -EPIPE || io == -ECONNRESET)
		io = recv_reply(fd, deadline, reply);
	return io;
}

/* The helper server's answer on fd (pam_server.h): its reply and the child's wait status.
 * The reply may carry the trailer beyond the helper's own cap. 0 or -errno (-EBADMSG: no
 * trailer, the server did not finish the exchange). */
static int
ask_server(int fd, const char *verb, const void *request, size_t len,
	   const struct timespec *deadline, struct ecs_buf *reply, int *status)
{
	char preamble[ECS_HELPER_SERVER_VERB_MAX + 2];
	int io;

	if (snprintf(preamble, sizeof(preamble), "%s\n", verb) >= (int)sizeof(preamble))
		return -EINVAL;
	reply->max += ECS_HELPER_SERVER_TRAILER_LEN;
	io = exchange(fd, preamble, request, len, deadline, reply);
	if (io == 0)
		io = ecs_helper_server_untrail(reply, status);
	reply->max -= ECS_HELPER_SERVER_TRAILER_LEN;
	if (io == 0 && reply->len > reply->max)
		io = -EBADMSG;
	return io;
}

/* A helper of our own: started on a socketpair, asked, reaped. *started is false when it
 * could not be started (logged here). 0 or -errno, with *status once it was reaped. */
static int
ask_fresh(pam_handle_t *pamh, const char *verb, const void *request, size_t len,
	  const struct timespec *deadline, struct ecs_buf *reply, int *status, bool *started)
{
	int sv[2] = { -1, -1 };
	pid_t pid = -1;
	int io, wr;

	*started = false;
	/* only our end is non-blocking: the helper reads its stdin the ordinary way */
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0 ||
	    fcntl(sv[0], F_SETFL, O_NONBLOCK) < 0) {
		io = -errno;
		goto out;
	}
	io = start_helper(pamh, sv[1], verb, &pid);
	if (io < 0) {
		ecs_pam_log(pamh, LOG_ERR, "cannot start the helper", "verb", verb, "path",
			    ECS_HELPER_PATH, "reason", ecs_strerror(io), (char *)NULL);
		goto out;
	}
	*started = true;
	ecs_close(&sv[1]);
	/* A helper that died early shows in its exit status: its reply still counts. */
	io = exchange(sv[0], NULL, request, len, deadline, reply);
	/* the helper must not outlive a failed exchange, nor block us in waitpid */
	wr = reap(pid, deadline, io < 0, status);
	if (io == 0)
		io = wr;
out:
	ecs_close(&sv[0]);
	ecs_close(&sv[1]);
	return io;
}

int
ecs_spawn_helper(pam_handle_t *pamh, const char *verb, const void *request, size_t len,
		 unsigned timeout_s, struct ecs_buf *reply)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL }, saved;
	struct timespec deadline;
	struct ecs_logrec rec;
	bool started = true;
	int status = 0;
	int fd = -1;
	int r, io;

	ecs_buf_init(reply, ECS_HELPER_PROTO_MAX_TOTAL);
	sigemptyset(&dfl.sa_mask);
	sigaction(SIGCHLD, &dfl, &saved);
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout_s;
	r = ecs_server_connect(pamh, &fd);
	if (r == 0)
		io = ask_server(fd, verb, request, len, &deadline, reply, &status);
	else if (r == -ENOENT)
		io = ask_fresh(pamh, verb, request, len, &deadline, reply, &status, &started);
	else
		goto out;
	r = io < 0 ? io : ecs_exit_to_err(status);
	if (started && (io < 0 || WIFSIGNALED(status) || r == -EIO)) {
		ecs_logrec_init(&rec, "helper failed");
		ecs_logrec_add(&rec, "verb", verb);
		if (fd >= 0)
			ecs_logrec_add(&rec, "via", ECS_HELPER_SOCKET);
		if (io < 0)
			ecs_logrec_add(&rec, "reason", ecs_strerror(io));
		else if (WIFSIGNALED(status))
			ecs_logrec_addf(&rec, "signal", "%d", WTERMSIG(status));
		else
			ecs_logrec_addf(&rec, "exit_status", "%d", WEXITSTATUS(status));
		ecs_pam_log_rec(pamh, LOG_ERR, &rec);
	}
out:
	sigaction(SIGCHLD, &saved, NULL);
	ecs_close(&fd);
	return r;
}
