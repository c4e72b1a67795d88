/* login_end.c — ending a login on this host (login_end.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <syslog.h>
#include <unistd.h>

#include "credfile.h"
#include "ecs_names.h"
#include "ecs_err.h"
#include "ecs_io.h"
#include "ecs_proc.h"
#include "exec_teardown.h"
#include "logging.h"
#include "login_end.h"
#include "privs.h"
#include "ticket.h"
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

/* The fallback runtime directory of uid goes when no session of uid is left: counted, then
 * emptied as the user (empty: ecs_cred_empty run as uid, by whichever child does it), then
 * removed by root, all under the fallback's lock, so that a session opening meanwhile either
 * comes after (and makes the directory again) or is counted (and keeps it). */
static int
release_if_last(uid_t uid, const char *who, int (*empty)(void *ctx), void *ctx)
{
	struct ecs_logrec rec;
	bool removed = false;
	unsigned n = 0;
	int lfd = -1;
	int r;

	r = ecs_cred_fallback_lock(NULL, false, &lfd);
	if (r == -ENOENT) {	/* no fallback at all: nothing to release */
		r = 0;
		goto out;
	}
	if (r == 0)
		r = ecs_session_rec_count(ECS_TICKET_SPOOL, uid, &n);
	if (r < 0 || n > 0 || !ecs_cred_has_fallback(NULL, uid))
		goto out;
	/* what is inside is the user's: removed as the user; the directory itself, in root's
	 * directory, by root */
	r = empty(ctx);
	if (r == 0)
		r = ecs_cred_release(NULL, uid);
	removed = r == 0;
out:
	if (removed || r < 0) {
		ecs_logrec_init(&rec, removed ? "fallback runtime directory removed" :
				"fallback runtime directory not removed");
		ecs_logrec_add(&rec, "by", who);
		ecs_logrec_addf(&rec, "path", "%s/%u", ECS_CRED_FALLBACK, (unsigned)uid);
		if (r < 0)
			ecs_logrec_add(&rec, "reason", ecs_strerror(r));
		ecs_log_rec(removed ? LOG_INFO : LOG_ERR, &rec);
	}
	ecs_close(&lfd);
	return r;
}

/* Run as the user: empty the fallback runtime directory, which goes next. */
static int
empty_fallback(void *ctx)
{
	(void)ctx;
	return ecs_cred_empty(NULL, getuid());
}

struct ids {
	uid_t uid;
	gid_t gid;
	const char *who;
};

/* The fallback emptied by a child of its own. */
static int
empty_in_new_child(void *ctx)
{
	const struct ids *id = ctx;

	return ecs_privs_run_as(id->uid, id->gid, id->who, empty_fallback, NULL);
}

int
ecs_session_release_if_last(uid_t uid, gid_t gid, const char *who)
{
	struct ids id = { uid, gid, who };

	return release_if_last(uid, who, empty_in_new_child, &id);
}

/* Ending a login as its user is one child (fork and the privilege drop cost about as much as
 * the work itself), which root talks to over two pipes of its own making:
 *   status  the child's results, each an int written whole (smaller than PIPE_BUF): the
 *           teardown's and the credentials' (ecs_login_end's first two), then, if root asks,
 *           the emptying's;
 *   cmd     root's one question, after the first results: 'E', empty the fallback
 *           directory (root holds the fallback's lock and found no session of the user
 *           left); EOF, nothing more.
 * So the fallback's lock is held only around the emptying, as with a child of its own, never
 * while the teardown waits on SSM. What the child reports decides nothing but what root logs
 * and whether it goes on to the next part; the child is not dumpable, so the user's other
 * processes cannot write for it. */
struct user_end {
	struct ecs_exec_teardown td;
	const struct ecs_exec_login *login;
	int status[2];
	int cmd[2];
};

/* No SIGPIPE when the other side is gone (ecs_write_all): the write fails, and that part
 * with it. */
static int
put_int(int fd, int v)
{
	return ecs_write_all(fd, &v, sizeof(v));
}

/* One result from fd; -EIO when the other side ended without it. */
static int
get_int(int fd, int *v)
{
	ssize_t n;

	while ((n = read(fd, v, sizeof(*v))) < 0 && errno == EINTR)
		;
	return n == (ssize_t)sizeof(*v) ? 0 : -EIO;
}

/* The child, as the user: every part runs whatever the one before it got, and each is
 * reported on its own. */
static int
as_user(void *ctx)
{
	struct user_end *u = ctx;
	ssize_t n;
	int r;
	char c = 0;

	ecs_close(&u->status[0]);	/* root's ends */
	ecs_close(&u->cmd[1]);
	r = put_int(u->status[1], ecs_exec_teardown_run(&u->td));
	if (r == 0)
		r = put_int(u->status[1], ecs_cred_remove(NULL, u->login->uid, u->login->tag));
	while (r == 0 && (n = read(u->cmd[0], &c, 1)) < 0 && errno == EINTR)
		;
	if (r == 0 && n == 1 && c == 'E')
		r = put_int(u->status[1], ecs_cred_empty(NULL, u->login->uid));
	return r;
}

/* Root's emptier for release_if_last: the child that is already the user does it. */
static int
empty_in_child(void *ctx)
{
	struct user_end *u = ctx;
	int r, v = 0;

	r = ecs_write_all(u->cmd[1], "E", 1);
	if (r == 0)
		r = get_int(u->status[0], &v);
	return r < 0 ? r : v;
}

int
ecs_login_end(const struct ecs_conf *conf, const struct ecs_sts_trust *trust,
	      const struct ecs_exec_login *login, bool release, struct ecs_login_ended *res)
{
	struct user_end u = { .login = login, .status = { -1, -1 }, .cmd = { -1, -1 } };
	char who[128];
	pid_t pid = -1;
	int got = 0;
	int r, w;

	*res = (struct ecs_login_ended){ -EINVAL, -EINVAL, 0 };
	if (!login->tag || !ecs_name_token_ok(login->tag) || login->uid == 0)
		return -EINVAL;
	snprintf(who, sizeof(who), "%s: session %s of %s", login->by, login->tag, login->user);
	ecs_exec_teardown_begin(&u.td, conf, trust, login);
	r = pipe2(u.status, O_CLOEXEC) < 0 || pipe2(u.cmd, O_CLOEXEC) < 0 ? -errno : 0;
	if (r == 0)
		r = ecs_privs_start(login->uid, login->gid, who, as_user, &u, &pid);
	if (r < 0) {
		*res = (struct ecs_login_ended){ r, r, 0 };
		goto out;
	}
	/* the child's ends: once it is gone, a read of root's ends meets EOF */
	ecs_close(&u.status[1]);
	ecs_close(&u.cmd[0]);
	ecs_close(&u.td.report_fd);
	if (get_int(u.status[0], &res->teardown) == 0) {
		got = 1;
		if (get_int(u.status[0], &res->creds) == 0)
			got = 2;
	}
	/* the fallback goes with the user's last session, once its credentials went */
	if (got == 2 && release && res->creds == 0)
		res->release = release_if_last(login->uid, who, empty_in_child, &u);
	ecs_close(&u.cmd[1]);	/* nothing more to ask: the child ends */
	w = ecs_privs_wait(pid);
	/* a child that could not become the user, or died, left parts unreported: its exit
	 * status says why (logged by it) */
	if (got < 1)
		res->teardown = w < 0 ? w : -EIO;
	if (got < 2)
		res->creds = w < 0 ? w : -EIO;
out:
	ecs_exec_teardown_end(&u.td);
	for (int i = 0; i < 2; i++) {
		ecs_close(&u.status[i]);
		ecs_close(&u.cmd[i]);
	}
	return r;
}

int
ecs_login_reap(const struct ecs_session_rec *s, void *ctx)
{
	const struct ecs_login_reaper *g = ctx;
	const char *by = g->by;
	struct ecs_exec_login login = { s->user, s->uid, s->gid, s->tag, by };
	struct ecs_login_ended res;
	struct ecs_logrec rec;
	int r;

	/* its exec sessions first, with the credentials still there; their failures never stop
	 * the sweep. The fallback directory is gc's own pass: the record is still there. */
	r = ecs_login_end(g->conf, g->trust, &login, false, &res);
	if (r == 0)
		r = res.creds;
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
