/* session_rec.h — which PAM session owns which credential directory, for gc, and what
 * `ecs-saml-helper sessions` and `revoke` show of a live login.
 *
 * Session open records <spool>/sessions/<tag> (root 0600): the user, uid, gid and the pid
 * and start time of the process that opened the session (the PAM application: sshd's
 * monitor, sudo), when it opened, the PAM service and rhost, the role, and once STS has
 * answered, the AccessKeyId, SourceIdentity and expiry of its credentials (a field not
 * known is "-"). Everything in it comes from root's side of the helper: the ticket, the
 * PAM request, and what the user's side of session-open reports of STS's answer over a
 * pipe (never from a file the user can write). Close removes the record. Records of
 * format 1 (helper 0.x, without the fields after start) are still read. A record whose process is gone (the pid no
 * longer exists, or now belongs to a process started at another time) marks a session that
 * ended without a close: gc removes its credentials and the record. */
#ifndef ECS_SESSION_REC_H
#define ECS_SESSION_REC_H

#include <stdbool.h>
#include <sys/types.h>
#include <time.h>
#include "ecs_names.h"

#include "ecs_helper_proto.h"

#define ECS_SESSION_SUB "sessions"

struct ecs_session_rec {
	char tag[ECS_NAME_TOKEN_LEN + 1];
	char *user;
	uid_t uid;
	gid_t gid;
	pid_t pid;
	unsigned long long start;	/* /proc/PID/stat starttime, clock ticks since boot */
	/* format 2; "-" or 0 when not known (a format 1 record, STS not answered yet) */
	time_t opened;			/* seconds since the epoch */
	char *service;			/* PAM service */
	char *rhost;			/* PAM_RHOST, printable ASCII */
	char *role;			/* role ARN */
	char *access_key_id;
	char *source_identity;
	time_t expiration;		/* of the credentials */
};

/* What session-open knows of the session before STS answers. NULL members are "-". */
struct ecs_session_info {
	const char *service;
	const char *rhost;
	const char *role;
};

/* Free what *s holds (NULL-safe members) and zero it. */
void ecs_session_rec_free(struct ecs_session_rec *s);

/* Record a new session of user (uid:gid) owned by process pid, under a tag minted here
 * (ecs_spool_new_id) and returned in tag: the name of the session's record and of its
 * credential directory, which the module only carries. 0 or -errno (-ESRCH if pid is not
 * running); on failure tag is empty. */
int ecs_session_rec_put(const char *spool, const char *user, uid_t uid, gid_t gid, pid_t pid,
			const struct ecs_session_info *info, char tag[ECS_NAME_TOKEN_LEN + 1]);

/* Add what STS issued to the record of tag (which must be uid's): AccessKeyId,
 * SourceIdentity (NULL: "-") and expiry. The record is rewritten atomically. 0 or -errno
 * (-EPERM for another uid's record, -EINVAL for a value unfit for the record). */
int ecs_session_rec_set_creds(const char *spool, const char *tag, uid_t uid,
			      const char *access_key_id, const char *source_identity,
			      time_t expiration);

/* Call fn(record, ctx) for every record that can be read, in no particular order; stops at
 * the first fn that fails and returns that. A record that cannot be read is skipped (gc
 * deals with it). 0 or -errno. */
int ecs_session_rec_each(const char *spool, int (*fn)(const struct ecs_session_rec *s, void *ctx),
			 void *ctx);

/* Remove the record of tag if it belongs to uid. A missing record is success; a record of
 * another uid is -EPERM and stays. */
int ecs_session_rec_remove(const char *spool, const char *tag, uid_t uid);

/* true while the process that opened the session still runs. */
bool ecs_session_rec_alive(const struct ecs_session_rec *s);

/* For every record whose process is gone, call reap(record, ctx); when reap returns 0 the
 * record is removed. Corrupt records are removed; one that cannot be read for another
 * reason is kept. *removed (may be NULL) counts removed records. 0 or -errno. */
int ecs_session_rec_sweep(const char *spool, int (*reap)(const struct ecs_session_rec *s, void *ctx),
			  void *ctx, unsigned *removed);

/* How many session records uid has (*n), live or not: its fallback runtime directory goes
 * with the last one (credfile.h). A record that cannot be read may be anyone's and counts
 * for every uid. 0 or -errno. */
int ecs_session_rec_count(const char *spool, uid_t uid, unsigned *n);

#endif
