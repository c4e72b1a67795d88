/* ecs_exec_rec.h — the record of one ECS Exec session, kept for teardown at logout.
 *
 * ecs-saml-exec writes one record per exec session it opens, in the login's credential
 * directory (<runtime>/pam_ecs_saml/<tag>/, the directory of AWS_SHARED_CREDENTIALS_FILE),
 * as the user, before session-manager-plugin runs:
 *
 *   name   exec-<session_id>          (ECS_EXEC_REC_PREFIX + the ECS session ID)
 *   mode   0600, owned by the user, written atomically (O_EXCL temporary, fsync, rename)
 *   text   ecs-saml-exec 1            (ECS_EXEC_REC_MAGIC)
 *          session_id=ecs-execute-command-0123456789abcdef0
 *          cluster=prod               (the cluster's name)
 *          task=0123456789abcdef0123456789abcdef   (the task's ID)
 *          container=app
 *          region=eu-west-1
 *          ssm_endpoint=https://ssm.eu-west-1.amazonaws.com   (where TerminateSession goes)
 *          pid=12345                  (session-manager-plugin's pid ...)
 *          pid_start=987654           (... and its /proc start time: pid reuse is told apart)
 *          uid=1000
 *          start=1767225600           (when it was opened, seconds since the epoch)
 *          reason=INC-42 restart      ("-" when none was given)
 *
 * in exactly this order, one newline after each line, every value non-empty and without a
 * newline (ecs_kvrec.h). ecs-saml-exec removes the record when the plugin ends by itself;
 * a record left behind names a session that may still be open: teardown (the helper, at
 * session close and in gc) terminates it with ssm:TerminateSession using the login's
 * credentials, stops the plugin if it still runs (pid + pid_start), then removes it. */
#ifndef ECS_EXEC_REC_H
#define ECS_EXEC_REC_H

#include <stdbool.h>
#include <sys/types.h>

#include "ecs_buf.h"

#define ECS_EXEC_REC_MAGIC "ecs-saml-exec 1"
#define ECS_EXEC_REC_PREFIX "exec-"
#define ECS_EXEC_REC_MAX 4096		/* bytes in a record file */
#define ECS_EXEC_SESSION_ID_MAX 128

struct ecs_exec_rec {
	char session_id[ECS_EXEC_SESSION_ID_MAX + 1];	/* [A-Za-z0-9_-] */
	char cluster[256];
	char task[256];
	char container[256];
	char region[33];
	char ssm_endpoint[513];
	char reason[257];
	pid_t pid;
	unsigned long long pid_start;
	uid_t uid;
	long long start;
};

/* An ECS/SSM session ID fit to name a file: 1..ECS_EXEC_SESSION_ID_MAX of [A-Za-z0-9_-]. */
bool ecs_exec_session_id_ok(const char *id);

/* Whether a directory entry's name is a record's (ECS_EXEC_REC_PREFIX + a session ID). */
bool ecs_exec_rec_name_ok(const char *name);

/* The record as text into out (appended). 0, -EINVAL (a field that is empty where it may
 * not be, has a newline, or a session ID that is not ecs_exec_session_id_ok), -E2BIG. */
int ecs_exec_rec_render(const struct ecs_exec_rec *rec, struct ecs_buf *out);

/* Parse text[len] (a record file's contents) into rec. 0 or -EBADMSG / -ENOMEM. */
int ecs_exec_rec_parse(const char *text, size_t len, struct ecs_exec_rec *rec);

/* Write rec as <dfd>/exec-<session_id>, 0600, atomically. 0 or -errno. */
int ecs_exec_rec_write(int dfd, const struct ecs_exec_rec *rec);

/* Remove <dfd>/exec-<session_id>; a record already gone is success. */
int ecs_exec_rec_remove(int dfd, const char *session_id);

#endif
