/* login_end.c — ending a login on this host (login_end.h). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <syslog.h>
#include <unistd.h>

#include "credfile.h"
#include "ecs_err.h"
#include "ecs_io.h"
#include "ecs_proc.h"
#include "exec_teardown.h"
#include "logging.h"
#include "login_end.h"
#include "privs.h"
#include "verbs.h"

/* true once the process of pidfd has exited, waiting at most ms */
static bool
exited(int pidfd, int ms)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };
	int n;

	while ((n = poll(&p, 1, ms)) < 0 && errno == EINTR)
		;
	return n > 0;
}

int
ecs_login_kill(const struct ecs_session_rec *s)
{
	unsigned long long start;
	int pidfd;
	int r;

	pidfd = (int)syscall(SYS_pidfd_open, s->pid, 0);
	if (pidfd < 0)
		return errno == ESRCH ? 0 : -errno;
	/* held now: the pid cannot name another process until pidfd is closed */
	r = ecs_proc_start_time(s->pid, &start);
	if (r == -ESRCH || (r == 0 && start != s->start)) {
		r = 0;	/* that login's process is gone; the pid is another's */
		goto out;
	}
	if (r < 0)
		goto out;
	if (syscall(SYS_pidfd_send_signal, pidfd, SIGTERM, NULL, 0) < 0) {
		r = errno == ESRCH ? 0 : -errno;
		goto out;
	}
	if (exited(pidfd, ECS_LOGIN_GRACE_MS))
		goto out;
	if (syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0) < 0 && errno != ESRCH) {
		r = -errno;
		goto out;
	}
	if (!exited(pidfd, ECS_LOGIN_GRACE_MS))
		r = -ETIMEDOUT;
out:
	ecs_close(&pidfd);
	return r;
}

/* Run as the session's user (ecs_privs_run_as): its credential files. */
static int
remove_creds(void *ctx)
{
	const struct ecs_session_rec *s = ctx;

	return ecs_cred_remove(NULL, s->uid, s->tag);
}

int
ecs_login_reap(const struct ecs_session_rec *s, void *ctx)
{
	const struct ecs_login_reaper *g = ctx;
	const char *by = g->by;
	struct ecs_exec_login login = { s->user, s->uid, s->gid, s->tag, by };
	struct ecs_logrec rec;
	char who[96];
	int r;

	/* its exec sessions first, with the credentials still there; never stops the sweep */
	ecs_exec_teardown(g->conf, g->trust, &login);
	snprintf(who, sizeof(who), "%s: session %s of %s", by, s->tag, s->user);
	r = ecs_privs_run_as(s->uid, s->gid, who, remove_creds, (void *)s);
	if (r < 0) {
		ecs_log(LOG_ERR, "gc credentials not removed", "by", by, "session", s->tag, "user",
			s->user, "reason", ecs_strerror(r), (char *)NULL);
		return r;
	}
	ecs_logrec_init(&rec, "gc credentials removed");
	ecs_logrec_add(&rec, "by", by);
	ecs_logrec_add(&rec, "session", s->tag);
	ecs_logrec_add(&rec, "user", s->user);
	ecs_logrec_addf(&rec, "pid_gone", "%ld", (long)s->pid);
	ecs_log_rec(LOG_INFO, &rec);
	ecs_session_audit_close(s->tag, s->user, by);
	return 0;
}
