/* login_end.h — ending a login on this host, the one way revoke and gc do it.
 *
 * A login is its session record (session_rec.h): the process that opened the PAM session
 * (sshd's privileged monitor, sudo) named by pid and start time. Ending it is signalling
 * that process, so that the PAM application closes the session itself (sshd's monitor
 * forwards SIGTERM to the user's side and runs pam_close_session when it is gone: the
 * session close of the helper, with everything it ends), and then reaping what a close
 * that never came left behind (the credentials and the record), as gc does for any session
 * whose process is gone. */
#ifndef ECS_LOGIN_END_H
#define ECS_LOGIN_END_H

#include <stdbool.h>

#include "ecs_conf.h"
#include "exec_teardown.h"
#include "session_rec.h"
#include "sts_trust.h"

/* Signal the login's process: SIGTERM, then SIGKILL when it is still there after
 * ECS_LOGIN_GRACE_MS. The process is held by a pidfd opened before its start time is
 * compared with the record's, so a pid reused meanwhile is never signalled. Returns once
 * it has exited: 0 (also when it was gone already), or -errno. */
#define ECS_LOGIN_GRACE_MS 5000
int ecs_login_kill(const struct ecs_session_rec *s);

/* A login's end as its user, in ONE child that drops to the login's uid:gid for good
 * (privs.h; a fork and a drop cost about what the work does): its ECS Exec sessions end
 * (exec_teardown.h: with the credentials still there), then its credential files go
 * (ecs_cred_remove), then, with release and once they went, the user's fallback runtime
 * directory if root finds under the fallback's lock that no session of the user is left
 * (ecs_session_release_if_last's rule, emptied by the same child). Each part runs whatever
 * the one before got; each result comes back on its own, and the teardown and the release
 * are logged with their codes as they happen. Root never opens a path in the user's
 * runtime directory; only the child does, fd-relative, as the user. Returns 0 with *res
 * filled, or -errno (-EINVAL: a bad tag or uid 0; no child could be started: every part
 * failed with it, logged). */
struct ecs_login_ended {
	int teardown;	/* ecs_exec_teardown_run's: 0 when every exec session ended */
	int creds;	/* ecs_cred_remove's: 0 when they are gone (or were already) */
	int release;	/* 0 also when the directory stays (not the last session, none) */
};
int ecs_login_end(const struct ecs_conf *conf, const struct ecs_sts_trust *trust,
		  const struct ecs_exec_login *login, bool release, struct ecs_login_ended *res);

/* When uid has no session record left, remove its fallback runtime directory (emptied as
 * the user in a child of its own, removed by root) under the fallback's lock. who names the
 * caller in the log. 0 or -errno (logged). For gc's pass over the fallback directories and
 * a session-open that failed; a close does it inside ecs_login_end. */
int ecs_session_release_if_last(uid_t uid, gid_t gid, const char *who);

/* What reaping needs, read once per run as root (ctx of ecs_login_reap). */
struct ecs_login_reaper {
	const struct ecs_conf *conf;
	const struct ecs_sts_trust *trust;	/* NULL: sts_ca_file unusable (no TerminateSession) */
	const char *by;				/* "gc", "revoke": for the records */
};

/* The reaper of a session whose process is gone, for ecs_session_rec_sweep (ctx: a struct
 * ecs_login_reaper): its ECS Exec sessions end and its credential files go as at a close
 * (ecs_login_end, without the release: gc's own pass does that). 0 when the record may go, or -errno (logged;
 * the record stays for the next gc). */
int ecs_login_reap(const struct ecs_session_rec *s, void *ctx);

#endif
