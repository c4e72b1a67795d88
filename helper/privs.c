/* privs.c — dropping root for good (the openssh permanently_set_uid pattern), and running
 * a piece of a verb as the user in a child that did. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdbool.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include "ecs_err.h"
#include "ecs_io.h"
#include "logging.h"
#include "privs.h"

/* true when the kernel reports no permitted and no effective capability left. glibc has no
 * capget wrapper and the helper does not link libcap, hence the raw syscall. */
static bool
caps_empty(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = { 0 };

	if (syscall(SYS_capget, &hdr, data) < 0)
		return false;
	for (int i = 0; i < _LINUX_CAPABILITY_U32S_3; i++)
		if (data[i].permitted != 0 || data[i].effective != 0)
			return false;
	return true;
}

int
ecs_privs_drop(uid_t uid, gid_t gid)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg, groups[2];
	int sb;

	if (uid == 0)
		return -EPERM;
	/* Any securebit (KEEP_CAPS, NO_SETUID_FIXUP, NOROOT) changes what setresuid takes away:
	 * the kernel would leave capabilities behind the uid change. */
	sb = prctl(PR_GET_SECUREBITS, 0, 0, 0, 0);
	if (sb < 0)
		return -errno;
	if (sb != 0)
		return -EPERM;
	/* groups first: once the uid is gone, the right to change them is gone too */
	if (setgroups(1, &gid) < 0 || setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0)
		return -errno;
	if (getresuid(&ru, &eu, &su) < 0 || getresgid(&rg, &eg, &sg) < 0)
		return -errno;
	if (ru != uid || eu != uid || su != uid || rg != gid || eg != gid || sg != gid)
		return -EPERM;
	if (getgroups(2, groups) != 1 || groups[0] != gid || !caps_empty())
		return -EPERM;
	if (setuid(0) == 0 || seteuid(0) == 0 || (gid != 0 && setegid(0) == 0))
		return -EPERM;
	/* a uid change may re-enable dumping: the process still holds the assertion */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return -errno;
	return 0;
}

int
ecs_privs_start(uid_t uid, gid_t gid, const char *who, int (*fn)(void *ctx), void *ctx,
		pid_t *pid)
{
	struct ecs_logrec rec;
	int r;

	*pid = fork();
	if (*pid < 0) {
		r = -errno;
		ecs_logrec_init(&rec, "cannot fork to become the user");
		ecs_logrec_add(&rec, "for", who);
		ecs_logrec_addf(&rec, "uid", "%u", (unsigned)uid);
		ecs_logrec_add(&rec, "reason", ecs_strerror(r));
		ecs_log_rec(LOG_ERR, &rec);
		return r;
	}
	if (*pid == 0) {
		r = ecs_privs_drop(uid, gid);
		if (r < 0) {
			ecs_logrec_init(&rec, "cannot become the user");
			ecs_logrec_add(&rec, "for", who);
			ecs_logrec_addf(&rec, "uid", "%u", (unsigned)uid);
			ecs_logrec_add(&rec, "reason", ecs_strerror(r));
			ecs_log_rec(LOG_ERR, &rec);
		} else {
			ecs_logrec_init(&rec, "running as the user");
			ecs_logrec_add(&rec, "for", who);
			ecs_logrec_addf(&rec, "uid", "%u", (unsigned)uid);
			ecs_logrec_addf(&rec, "gid", "%u", (unsigned)gid);
			ecs_log_rec(LOG_DEBUG, &rec);
			r = fn(ctx);
		}
		_exit(ecs_err_to_exit(r));
	}
	return 0;
}

int
ecs_privs_wait(pid_t pid)
{
	int status = 0;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return ecs_exit_to_err(status);
}

int
ecs_privs_run_as(uid_t uid, gid_t gid, const char *who, int (*fn)(void *ctx), void *ctx)
{
	pid_t pid;
	int r;

	r = ecs_privs_start(uid, gid, who, fn, ctx, &pid);
	return r < 0 ? r : ecs_privs_wait(pid);
}

struct report {
	int (*fn)(void *ctx, int report_fd);
	void *ctx;
	int rfd, wfd;
};

static int
report_child(void *ctx)
{
	struct report *rp = ctx;

	ecs_close(&rp->rfd);
	return rp->fn(rp->ctx, rp->wfd);
}

int
ecs_privs_run_as_report(uid_t uid, gid_t gid, const char *who,
			int (*fn)(void *ctx, int report_fd), void *ctx, char *out, size_t outsz)
{
	struct report rp = { fn, ctx, -1, -1 };
	int p[2];
	size_t n = 0;
	ssize_t got;
	int r;

	out[0] = '\0';
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	rp.rfd = p[0];
	rp.wfd = p[1];
	r = ecs_privs_run_as(uid, gid, who, report_child, &rp);
	ecs_close(&rp.wfd);	/* the child's copy went with it: the read ends at EOF */
	while (n + 1 < outsz && (got = read(rp.rfd, out + n, outsz - 1 - n)) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			break;
		n += (size_t)got;
	}
	out[n] = '\0';
	ecs_close(&rp.rfd);
	return r;
}
