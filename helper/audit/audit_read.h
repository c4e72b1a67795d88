/* audit_read.h — reading the JSON-lines audit file back (`ecs-saml-helper audit`).
 *
 * The file is root's and written by the helper alone, but it is still parsed as untrusted
 * input (fuzz target tests/fuzz/fuzz_audit_line.c): a line that is not one JSON object with
 * a known "event" and an RFC 3339 "time" is counted and skipped, never trusted in part.
 *
 * Logins are joined by their session tag: a session_open record starts one, the
 * session_close record of the same tag ends it. A session_open without a close is a login
 * still open (or one whose close went to a rotated file that was not given). */
#ifndef ECS_AUDIT_READ_H
#define ECS_AUDIT_READ_H

#include <stddef.h>
#include <time.h>

struct json_t;

/* One login: the session_open record (owned reference) and, once seen, its session_close. */
struct ecs_audit_login {
	struct json_t *open;
	struct json_t *close;		/* NULL: no close record (yet) */
	time_t opened;
	time_t closed;			/* 0 without a close */
};

struct ecs_audit_logins {
	struct ecs_audit_login *v;	/* in the order of their session_open records */
	size_t n, cap;
	size_t *akid_index;		/* open addressing over v by access_key_id: index + 1 */
	size_t akid_cap;
	size_t bad_lines;		/* lines skipped as malformed */
	size_t orphan_closes;		/* session_close records without their open */
};

/* Parse one line (without its newline) into *rec (a new reference, caller json_decref's)
 * and *when. 0, or -EBADMSG for anything but one object with a string "event" of the five
 * types and an RFC 3339 "time". */
int ecs_audit_line_parse(const char *line, size_t n, struct json_t **rec, time_t *when);

/* Add the records of one file's text (lines) to l. 0 or -ENOMEM. */
int ecs_audit_logins_add_text(struct ecs_audit_logins *l, const char *text, size_t n);

/* Read the audit file at path (owned by root, not a symlink: ecs_safe_read_path) into l.
 * 0 or -errno. */
int ecs_audit_logins_add_file(struct ecs_audit_logins *l, const char *path);

/* Build the AccessKeyId index (after the last add). 0 or -ENOMEM. */
int ecs_audit_logins_index(struct ecs_audit_logins *l);

/* The login whose session_open carries access_key_id, or NULL. */
const struct ecs_audit_login *ecs_audit_logins_by_akid(const struct ecs_audit_logins *l,
						       const char *access_key_id);

/* A string field of a record, or NULL (absent, null, or not a string). */
const char *ecs_audit_str(const struct json_t *rec, const char *key);

void ecs_audit_logins_free(struct ecs_audit_logins *l);

#endif
