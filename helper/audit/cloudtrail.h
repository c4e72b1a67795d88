/* cloudtrail.h — CloudTrail log files as AWS delivers them to S3, read for `audit exec`.
 *
 * A log file is one JSON object {"Records": [ ... ]}, gzip-compressed (.json.gz, as S3
 * receives it) or plain (as after a download and gunzip); both are read through zlib's gzread,
 * which passes plain files through. A path may be a file or a directory tree (walked in name
 * order, so AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/ comes out in time order); in a tree,
 * only files named *.json or *.json.gz are read. Files are read one at a time (each is a few
 * MB at most), so a year of them streams through in constant memory.
 *
 * Every file is untrusted input (fuzz target tests/fuzz/fuzz_cloudtrail.c): a file that is not
 * such an object (its structure is scanned: strings, brackets, the top-level keys), or is
 * larger than ECS_CT_FILE_MAX uncompressed, is reported and skipped. Only three kinds of
 * record are handed on: ecs:ExecuteCommand, sts:AssumeRoleWithSAML and ssm:StartSession; a
 * record is parsed (by Jansson, strictly) only when its text can be one of them, and one that
 * then lacks eventName/eventSource/eventTime or is not valid JSON is counted and skipped. */
#ifndef ECS_CLOUDTRAIL_H
#define ECS_CLOUDTRAIL_H

#include <stddef.h>
#include <time.h>

#define ECS_CT_FILE_MAX ((size_t)256 << 20)	/* uncompressed bytes of one log file */

enum ecs_ct_kind { ECS_CT_EXECUTE_COMMAND, ECS_CT_ASSUME_ROLE_WITH_SAML, ECS_CT_START_SESSION };

/* One record, its strings pointing into the parsed file (valid during the callback); any of
 * them may be NULL when the record lacks it. */
struct ecs_ct_event {
	enum ecs_ct_kind kind;
	time_t time;
	const char *event_time;		/* eventTime as written */
	const char *event_id;
	const char *region;
	const char *error_code;		/* errorCode: the call failed (AccessDenied, ...) */
	const char *access_key_id;	/* userIdentity.accessKeyId; AssumeRoleWithSAML: the
					 * issued responseElements.credentials.accessKeyId */
	const char *arn;		/* userIdentity.arn (assumed-role/ROLE/SESSION) */
	const char *source_identity;	/* sessionContext.sourceIdentity; AssumeRoleWithSAML:
					 * requestParameters/responseElements sourceIdentity */
	/* ExecuteCommand */
	const char *cluster, *task, *container, *command, *ecs_session_id;
	/* AssumeRoleWithSAML */
	const char *assertion_id;	/* sAMLAssertionID */
	const char *role_session_name, *role_arn, *subject, *issuer;
	/* StartSession */
	const char *target;
};

struct ecs_ct_stats {
	size_t files, bad_files, bytes, records, bad_records, events;
};

/* Returns 0 to go on, a positive value to stop the read (which returns it). */
typedef int (*ecs_ct_cb)(const struct ecs_ct_event *ev, void *ctx);

/* Parse one log file's text and call cb for each of the three kinds of event, in file order.
 * 0, -EBADMSG (not a CloudTrail log file), or cb's first non-zero result. */
int ecs_ct_parse(const char *text, size_t n, ecs_ct_cb cb, void *ctx, struct ecs_ct_stats *st);

/* Read path (a file, or a directory tree) file by file. A file that cannot be read or parsed
 * is reported on stderr and counted in st->bad_files; the walk goes on. 0, -errno for a path
 * that cannot be opened at all, -ENOMEM, or cb's first non-zero result. */
int ecs_ct_read_path(const char *path, ecs_ct_cb cb, void *ctx, struct ecs_ct_stats *st);

#endif
