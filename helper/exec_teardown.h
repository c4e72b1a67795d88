/* exec_teardown.h — a login's ECS Exec sessions end with the login.
 *
 * An exec session outlives the SSH session and the deletion of its credentials: it ends
 * only when its shell exits, after AWS's 20-minute idle timeout, or on ssm:TerminateSession.
 * So at session close, in gc for a session that died without one, and for the operator's
 * revoke, BEFORE the login's credentials are removed:
 *   - every record ecs-saml-exec left in the login's credential directory (ecs_exec_rec.h)
 *     is read as untrusted input (the directory is the user's): fd-relative, no symlink
 *     followed, the user's own file, bounded, parsed strictly, its session ID the file's;
 *   - each recorded session gets ssm:TerminateSession, signed with the login's own
 *     credentials (read back the same way, credread.h) and sent through the helper's HTTPS
 *     transport with the STS trust (ssm_terminate.h);
 *   - the recorded session-manager-plugin, if it still runs, is stopped by pidfd, and only
 *     if it is that process: its start time, uid and name (exec_stop.h);
 *   - one record per exec session is logged ("exec session ended"), a failure with its CODE
 *     below; a record that was ended is removed.
 * Everything happens as the login's user (in the one child that ends the login as the user:
 * login_end.h) within ECS_TEARDOWN_BUDGET_MS,
 * and whatever fails is logged and never stops the logout: the caller goes on either way.
 * For each exec session that user's side reports, over a pipe root made (the side is not
 * the user's to trace or write for: privs.c), what TerminateSession and the pidfd got; root
 * then writes the exec_terminated audit record (audit.h) from that report and its own
 * records, never from a file the user can write: the exec record's fields go in as the
 * user's claim.
 *
 * SSM's endpoint: ssm_endpoint when the configuration sets one (as ecs-saml-exec's
 * --endpoint-url is used for every service), else https://ssm.REGION.amazonaws.com with the
 * record's region (a region name, else the configuration's). */
#ifndef ECS_EXEC_TEARDOWN_H
#define ECS_EXEC_TEARDOWN_H

#include <sys/types.h>

#include "ecs_conf.h"
#include "sts_trust.h"

/* CODEs of the records the teardown logs (ecs-saml-helper(8), README 5) */
#define ECS_TEARDOWN_E_RECORD "exec-record-invalid"	/* a record that is not one: unsafe
							 * file, bad form, another uid */
#define ECS_TEARDOWN_E_CREDS "exec-credentials-unreadable"	/* no login credentials to
								 * sign TerminateSession */
#define ECS_TEARDOWN_E_REFUSED "exec-terminate-refused"	/* SSM answered with an error */
#define ECS_TEARDOWN_E_UNREACHABLE "exec-terminate-unreachable"	/* no answer from SSM */
#define ECS_TEARDOWN_E_PLUGIN "exec-plugin-not-stopped"	/* still there after SIGKILL */
#define ECS_TEARDOWN_E_TIMEOUT "exec-teardown-timeout"	/* the budget ran out first */
#define ECS_TEARDOWN_E_CONFIG "exec-teardown-config"	/* no configuration or trust: no
							 * TerminateSession */

#define ECS_TEARDOWN_BUDGET_MS 6000L	/* the whole teardown of one login */
#define ECS_TEARDOWN_CALL_MS 2500L	/* one TerminateSession at most */
#define ECS_TEARDOWN_MAX_RECORDS 64	/* records read per login; more are logged */

/* The login whose exec sessions end. */
struct ecs_exec_login {
	const char *user;
	uid_t uid;
	gid_t gid;
	const char *tag;	/* the login's session tag: its credential directory */
	const char *by;		/* who ends it, for the records: "session-close", "gc", ... */
};

/* One login's teardown, in three steps around the child that runs as the login's user
 * (login_end.h: the same child then removes the credentials):
 *   ecs_exec_teardown_begin  as root, before the child starts: fills *t and makes the
 *                            report pipe (a pipe that cannot be made is logged; the
 *                            sessions are still ended);
 *   ecs_exec_teardown_run    as the user, in the child: ends every recorded session.
 *                            0 when every one was ended, else a negative value; either way
 *                            everything was logged;
 *   ecs_exec_teardown_end    as root, once the child has ended (or never started): the
 *                            exec_terminated audit records from its report; closes the pipe.
 * conf and trust may be NULL (the configuration could not be read): the plugins are still
 * stopped, TerminateSession is skipped and logged (ECS_TEARDOWN_E_CONFIG). */
struct ecs_exec_teardown {
	const struct ecs_conf *conf;
	const struct ecs_sts_trust *trust;
	const struct ecs_exec_login *login;
	int report_fd;		/* the pipe's write end: the user's side reports on it */
	int report_rfd;		/* its read end: root's (the child closes its copy) */
};

void ecs_exec_teardown_begin(struct ecs_exec_teardown *t, const struct ecs_conf *conf,
			     const struct ecs_sts_trust *trust, const struct ecs_exec_login *login);
int ecs_exec_teardown_run(struct ecs_exec_teardown *t);
void ecs_exec_teardown_end(struct ecs_exec_teardown *t);

#endif
