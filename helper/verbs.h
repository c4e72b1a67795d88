/* verbs.h — the helper's verbs. Each lives in helper/verb_<name>.c and gets one line in the
 * table of main.c.
 *
 * A handler receives the arguments after the verb (argv[0] is the verb itself, as with
 * getopt) and returns 0 or -errno / -ECS_E*; main.c maps that to the exit status once, with
 * ecs_err_to_exit(). A handler writes its own stdout/stderr lines (e.g. "reject: CODE: why")
 * and never calls exit(). -EINVAL means a usage error (exit 2): the handler has already
 * printed what was wrong. Libraries are initialised and syslog is open before it runs. */
#ifndef ECS_VERBS_H
#define ECS_VERBS_H

#include <sys/types.h>

int ecs_verb_verify(int argc, char **argv);
int ecs_verb_users(int argc, char **argv);	/* verb_users.c: init, list, show, pin, remove,
						 * move-idp */
int ecs_verb_auth(int argc, char **argv);		/* verb_auth.c: run by the PAM module */
int ecs_verb_session_open(int argc, char **argv);	/* verb_session.c: run by the PAM module */
int ecs_verb_session_close(int argc, char **argv);	/* verb_session.c: run by the PAM module */
int ecs_verb_unknown_user(int argc, char **argv);	/* verb_unknown_user.c: run by the module */
int ecs_verb_gc(int argc, char **argv);			/* verb_gc.c: sweep dead sessions */
int ecs_verb_doctor(int argc, char **argv);		/* verb_doctor.c: check the host */
int ecs_verb_sessions(int argc, char **argv);		/* verb_sessions.c: live logins */
int ecs_verb_revoke(int argc, char **argv);		/* verb_revoke.c: end a user's access */
int ecs_verb_audit(int argc, char **argv);		/* verb_audit.c: sessions, exec, fields */
int ecs_verb_serve(int argc, char **argv);		/* verb_serve.c: the helper kept warm */

/* main.c, for the helper server's child: run the module verb `name` (auth, session-open,
 * session-close, unknown-user) as main would, with syslog opened; any other name is a usage
 * error. Returns the exit status. */
int ecs_run_module_verb(const char *name);

/* verb_session.c, for close and gc: the session_close audit record of session tag of user
 * (closed_by "pam" or "gc"), from root's note of its open (session_audit.h), which goes. */
void ecs_session_audit_close(const char *tag, const char *user, const char *closed_by);

#endif
