/* exec_stop.c — stopping a login's session-manager-plugin by pidfd (see exec_stop.h). */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ecs_io.h"
#include "ecs_proc.h"
#include "exec_stop.h"

const char *
ecs_plugin_end_name(enum ecs_plugin_end e)
{
	switch (e) {
	case ECS_PLUGIN_GONE:
		return "gone";
	case ECS_PLUGIN_EXITED:
		return "exited";
	case ECS_PLUGIN_STOPPED:
		return "stopped";
	case ECS_PLUGIN_KILLED:
		return "killed";
	case ECS_PLUGIN_NOT_OURS:
		return "not-ours";
	}
	return "?";
}

int
ecs_plugin_check(pid_t pid, unsigned long long pid_start, uid_t uid)
{
	struct ecs_proc_identity id;
	int r;

	if (pid <= 1)
		return -EPERM;
	r = ecs_proc_identity(pid, &id);
	if (r < 0)
		return r;
	if (id.start != pid_start)
		return -ESRCH;	/* the recorded process is gone; this is a later one */
	if (id.uid != uid || strcmp(id.comm, ECS_PLUGIN_COMM) != 0)
		return -EPERM;
	return 0;
}

/* Until the process behind pidfd ends (the pidfd turns readable), at most ms. */
static bool
ended_within(int pidfd, long ms)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };
	int n;

	if (ms < 0)
		ms = 0;
	do
		n = poll(&p, 1, (int)ms);
	while (n < 0 && errno == EINTR);
	return n > 0;
}

static int
send_signal(int pidfd, int sig)
{
	if (syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) < 0)
		return errno == ESRCH ? 0 : -errno;	/* ended meanwhile: fine */
	return 0;
}

int
ecs_plugin_stop(pid_t pid, unsigned long long pid_start, uid_t uid, long grace_ms,
		long wait_ms, enum ecs_plugin_end *end)
{
	int pidfd = -1;
	long fd;
	int r;

	/* held first, checked second: the pidfd names the process that was there when it was
	 * opened, and the check proves that is the recorded one (started before the record
	 * was written, it held the pid all along) */
	fd = syscall(SYS_pidfd_open, pid, 0);
	if (fd < 0) {
		r = -errno;
		if (r == -ESRCH) {
			*end = ECS_PLUGIN_GONE;
			r = 0;
		}
		goto out;
	}
	pidfd = (int)fd;
	r = ecs_plugin_check(pid, pid_start, uid);
	if (r == -ESRCH || r == -EPERM) {
		*end = r == -ESRCH ? ECS_PLUGIN_GONE : ECS_PLUGIN_NOT_OURS;
		r = 0;
		goto out;
	}
	if (r < 0)
		goto out;
	if (grace_ms > 0 && ended_within(pidfd, grace_ms)) {
		*end = ECS_PLUGIN_EXITED;
		goto out;
	}
	r = send_signal(pidfd, SIGTERM);
	if (r == 0 && ended_within(pidfd, wait_ms)) {
		*end = ECS_PLUGIN_STOPPED;
		goto out;
	}
	if (r == 0)
		r = send_signal(pidfd, SIGKILL);
	if (r == 0 && ended_within(pidfd, wait_ms))
		*end = ECS_PLUGIN_KILLED;
	else if (r == 0)
		r = -ETIMEDOUT;
out:
	ecs_close(&pidfd);
	return r;
}
