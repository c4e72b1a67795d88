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

#include "ecs_conf.h"
#include "session_rec.h"
#include "sts_trust.h"

/* Signal the login's process: SIGTERM, then SIGKILL when it is still there after
 * ECS_LOGIN_GRACE_MS. The process is held by a pidfd opened before its start time is
 * compared with the record's, so a pid reused meanwhile is never signalled. Returns once
 * it has exited: 0 (also when it was gone already), or -errno. */
#define ECS_LOGIN_GRACE_MS 5000
int ecs_login_kill(const struct ecs_session_rec *s);

/* What reaping needs, read once per run as root (ctx of ecs_login_reap). */
struct ecs_login_reaper {
	const struct ecs_conf *conf;
	const struct ecs_sts_trust *trust;	/* NULL: sts_ca_file unusable (no TerminateSession) */
	const char *by;				/* "gc", "revoke": for the records */
};

/* The reaper of a session whose process is gone, for ecs_session_rec_sweep (ctx: a struct
 * ecs_login_reaper): its ECS Exec sessions end as at a close (exec_teardown.h), then its
 * credential files are removed as its user. 0 when the record may go, or -errno (logged;
 * the record stays for the next gc). */
int ecs_login_reap(const struct ecs_session_rec *s, void *ctx);

#endif
