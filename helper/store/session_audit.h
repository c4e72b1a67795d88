/* session_audit.h — what the session_close audit record needs from session_open.
 *
 * Session open records <spool>/audit/<tag> (root 0600, beside the session record of
 * session_rec.h): the user, PAM service, rhost, when it opened, and the AccessKeyId STS
 * issued. The helper's session_close and exec_terminated records (audit.h) take the
 * AccessKeyId and duration from here, never from anything the user can write. Close (or gc,
 * for a session that ended without one) removes it. */
#ifndef ECS_SESSION_AUDIT_H
#define ECS_SESSION_AUDIT_H

#include <time.h>

#define ECS_SESSION_AUDIT_SUB "audit"

/* Strings owned after ecs_session_audit_get (free with ecs_session_audit_free). rhost and
 * access_key_id may be NULL (unknown). */
struct ecs_session_audit {
	char *user;
	char *service;
	char *rhost;
	char *access_key_id;
	time_t opened;
};

/* Record s for session tag (replacing an earlier one). 0 or -errno (-EINVAL: a value that
 * cannot be stored faithfully). */
int ecs_session_audit_put(const char *spool, const char *tag, const struct ecs_session_audit *s);

/* Read tag's record into *out. 0, -ENOENT, -EBADMSG or -errno. */
int ecs_session_audit_get(const char *spool, const char *tag, struct ecs_session_audit *out);

/* Remove tag's record; a missing one is success. */
int ecs_session_audit_remove(const char *spool, const char *tag);

void ecs_session_audit_free(struct ecs_session_audit *s);

#endif
