/* audit.h — the helper's audit records: who logged in, as whom at AWS, and when it ended.
 *
 * Only the helper (root) writes them, and only from what it verified itself (the SAML
 * validator's result, carried in root's ticket spool), what STS answered it, what the PAM
 * application (root: sshd, sudo) told it, and root's own spool. A value from a file the user
 * can write (ecs-saml-exec's exec records) appears only in an exec_terminated record, which
 * says so with claim="user". Never a secret: no Response, assertion, secret key or token.
 *
 * Five record types, each with a fixed list of fields in a fixed order (ecs_audit_schema; the
 * README's logging paragraph lists them and suite 35 holds it to the records produced):
 *   auth_accepted, auth_refused, session_open, exec_terminated, session_close
 * A field the helper does not know (no rhost; no Issuer when the Response was refused before
 * its signature was checked) is null in JSON, "-" in syslog, absent in the journal.
 *
 * Each record goes to three sinks:
 *   - syslog, LOG_AUTHPRIV, the ecs_logrec line "EVENT: key="value" ..." (logging.h), as every
 *     record of the helper;
 *   - the journal's native protocol (audit_journal.c), with MESSAGE_ID the type's stable
 *     128-bit ID and every field as ECS_<KEY>; skipped when journald's socket is absent, and
 *     bounded in time when it is there but does not read, so no login waits on it;
 *   - the JSON-lines file of `audit_log` (pam_ecs_saml.conf(5)), when configured: one object
 *     per line, written with one write(2) on an O_APPEND descriptor, so concurrent sessions
 *     never interleave; the file must be a regular file owned by root, mode 0600 (created so),
 *     and is never followed through a symlink. A refused file is logged (code audit-log) and
 *     costs no login: syslog and the journal still hold the record. */
#ifndef ECS_AUDIT_H
#define ECS_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "ecs_exec_rec.h"

enum ecs_audit_event {
	ECS_AUDIT_AUTH_ACCEPTED,
	ECS_AUDIT_AUTH_REFUSED,
	ECS_AUDIT_SESSION_OPEN,
	ECS_AUDIT_EXEC_TERMINATED,
	ECS_AUDIT_SESSION_CLOSE,
	ECS_AUDIT_NEVENTS
};

#define ECS_AUDIT_MAX_KEYS 20
#define ECS_AUDIT_RECORD_MAX 16384	/* one JSON line; longer values are cut (cut: true) */
#define ECS_AUDIT_VALUE_MAX 2048	/* bytes of one value before escaping */
#define ECS_AUDIT_CODE "audit-log"	/* the syslog code= of a refused audit_log */

struct ecs_audit_schema {
	const char *name;		/* "session_open": JSON "event", journal ECS_EVENT */
	const char *syslog_event;	/* "session open": the syslog line's EVENT */
	const char *message_id;		/* 32 lowercase hex digits, never changed */
	int prio;			/* syslog priority (auth_refused: the caller's) */
	const char *const *keys;	/* the fields in order, NULL-terminated */
};

/* The schema of event (never NULL for a valid event). */
const struct ecs_audit_schema *ecs_audit_schema(enum ecs_audit_event event);

/* A record being built. Values are borrowed until ecs_audit_emit, except ecs_audit_setf's. */
struct ecs_audit_rec {
	enum ecs_audit_event event;
	int prio;
	const char *values[ECS_AUDIT_MAX_KEYS];
	char own[2048];			/* ecs_audit_setf's formatted values */
	size_t own_len;
};

void ecs_audit_init(struct ecs_audit_rec *a, enum ecs_audit_event event);

/* Set key (one of the schema's; any other is a program error, logged and dropped) to value
 * (NULL: unknown). */
void ecs_audit_set(struct ecs_audit_rec *a, const char *key, const char *value);
void ecs_audit_setf(struct ecs_audit_rec *a, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Write the record to every sink. A sink that fails is logged, never the caller's failure. */
void ecs_audit_emit(const struct ecs_audit_rec *a);

/* The audit_log of this run's configuration (NULL: none); the path is copied. */
void ecs_audit_use_file(const char *path);

/* The record as one JSON line with its newline into out (the file sink's text; exposed for
 * the unit tests). now is the record's time. 0 or -E2BIG/-ENOMEM. */
struct ecs_buf;
int ecs_audit_render_json(const struct ecs_audit_rec *a, time_t now, const char *host,
			  struct ecs_buf *out);

/* The auth_refused record of the module's auth request (its user, service, rhost: NULL when
 * unknown) refused with code and reason at syslog priority prio. Its issuer and nameid are
 * those of ecs_audit_verified when the Response had been verified before the refusal, and
 * null before. */
void ecs_audit_auth_refused(const char *user, const char *service, const char *rhost, int prio,
			    const char *code, const char *reason);

/* The Response of this run passed the validator: its Issuer and NameID (copied) go into a
 * later auth_refused record. */
void ecs_audit_verified(const char *issuer, const char *nameid);

#define ECS_AUDIT_CODE_USERMAP "usermap-error"	/* the user map would not take the user */

/* What the helper's own teardown did to one exec session (exec_teardown.h), as root learnt
 * it from the teardown's child over root's pipe: never from a file the user can write. */
struct ecs_audit_exec_result {
	const char *ended_by;		/* the teardown's caller: "session-close", "gc", ... */
	bool terminated;		/* SSM answered TerminateSession with 200 */
	const char *code;		/* the CODE when not (exec_teardown.h), else NULL */
	const char *ssm_request_id;	/* SSM's RequestId of that answer, NULL: none */
	const char *plugin;		/* ecs_plugin_end_name, or "running" */
};

/* The exec_terminated record of one exec session that teardown ended (or tried to) at a
 * session's close, in gc or on revoke: user and session tag are root's (its session
 * record), the session's AccessKeyId root's audit note of the open (looked up here), res
 * what the helper's TerminateSession and pidfd got; everything of claim (ECS session ID,
 * cluster, task, container, region, plugin pid, start, reason) comes from ecs-saml-exec's
 * record in the user's directory: the user's claim, and labelled claim="user". */
void ecs_audit_exec_terminated(const char *user, const char *session,
			       const struct ecs_exec_rec *claim,
			       const struct ecs_audit_exec_result *res);

#endif
