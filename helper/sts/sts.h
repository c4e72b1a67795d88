/* sts.h — STS AssumeRoleWithSAML: one call, its credentials, its error.
 *
 * The call is an unsigned Query-protocol form POST over HTTPS (libcurl), to conf->sts_endpoint
 * (https:// only, no redirects), verifying the peer against conf->sts_ca_file or the system
 * store. Everything happens within one wall-clock budget of conf->sts_timeout seconds:
 * throttling, 5xx and transport errors are retried with jittered backoff while the budget
 * lasts; a ValidationError saying DurationSeconds exceeds the role's MaxSessionDuration is
 * retried once with 3600 s (and logged). Every outcome is logged to syslog (LOG_AUTHPRIV) with
 * the STS RequestId, the AccessKeyId on success, and never a secret or the assertion.
 *
 * Run it only after dropping privileges to the user: it needs nothing of root's.
 */
#ifndef ECS_STS_H
#define ECS_STS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include "ecs_conf.h"

#define ECS_STS_NS "https://sts.amazonaws.com/doc/2011-06-15/"
#define ECS_STS_MIN_DURATION 900
#define ECS_STS_MAX_DURATION 43200
#define ECS_STS_FALLBACK_DURATION 3600	/* every role allows at least one hour */
#define ECS_STS_MAX_POLICY 2048		/* characters of inline + managed policy plaintext */
#define ECS_STS_MAX_POLICY_ARNS 10

/* What to ask for. Borrowed pointers; nothing here is freed by the STS code. */
struct ecs_sts_call {
	const char *role_arn;		/* RoleArn, from the verified Role attribute */
	const char *principal_arn;	/* PrincipalArn (the SAML provider) */
	const char *saml_b64;		/* the Response, base64 without whitespace (secret) */
	size_t saml_len;		/* its length, 4..100000 */
	unsigned duration;		/* DurationSeconds, 900..43200: see ecs_sts_duration() */
	const char *policy;		/* rendered session policy JSON (ecs_policy_render) or NULL */
};

/* What STS issued. Every pointer is owned (malloc'd) and released by ecs_sts_creds_free;
 * the secret key and token are wiped there. Optional members are NULL when STS omitted them. */
struct ecs_sts_creds {
	char *access_key_id;
	char *secret_access_key;	/* secret */
	char *session_token;		/* secret */
	time_t expiration;
	char *expiration_str;		/* as STS sent it */
	char *assumed_role_arn;		/* arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION */
	char *assumed_role_id;		/* ROLEID:SESSION */
	char *request_id;		/* ResponseMetadata/RequestId (or x-amzn-RequestId) */
	char *source_identity;
	char *subject;			/* NameID as STS saw it */
	char *issuer;
	unsigned packed_policy_size;	/* percent of the packed limit used */
	unsigned duration;		/* DurationSeconds actually granted by the final request */
	bool duration_shortened;	/* the role's maximum forced a retry with a shorter duration */
};

/* Why a call failed. Always filled by ecs_sts_assume on failure; on success only attempts
 * and retried_duration are meaningful.
 * user_msg is a static, short sentence fit to show the user (PAM_ERROR_MSG); code and
 * message are STS's own (sanitised: printable ASCII only, truncated), empty for transport
 * failures, where message holds the transport's reason instead. */
struct ecs_sts_error {
	char code[64];
	char message[256];
	char request_id[80];
	const char *user_msg;
	int http_status;		/* 0 when no HTTP answer arrived */
	unsigned attempts;		/* HTTP requests made */
	unsigned retried_duration;	/* 3600 when a duration retry happened, else 0 */
};

/* Call AssumeRoleWithSAML. On success fills *out (caller frees with ecs_sts_creds_free).
 * Returns 0, or:
 *   -ECS_ESTS      STS answered with an error document (err->code says which);
 *   -ETIMEDOUT     the budget ran out (slow or unreachable peer);
 *   -ECONNREFUSED, -EHOSTUNREACH, -EPROTO  transport failures, after the retries;
 *   -EPERM         TLS: peer not trusted, or the endpoint is not https:// (never retried);
 *   -EFBIG         the reply exceeded the size cap;
 *   -EBADMSG       the reply was not a well-formed STS document;
 *   -ECS_ECONFIG   no endpoint, or a CA file libcurl cannot use;
 *   -EINVAL        a call field out of range (never sent);
 *   -ENOMEM.
 * err is filled for every failure (user_msg never NULL). */
int ecs_sts_assume(const struct ecs_conf *conf, const struct ecs_sts_call *call,
		   struct ecs_sts_creds *out, struct ecs_sts_error *err);

/* Wipe and free everything *c owns and zero it. NULL-safe, idempotent. */
void ecs_sts_creds_free(struct ecs_sts_creds *c);

/* The DurationSeconds to request: the configured duration, shortened to the assertion's
 * SessionDuration attribute (0 = absent) and to SessionNotOnOrAfter (0 = absent) as seen
 * from now, and kept within 900..43200 (STS itself ends the session at SessionNotOnOrAfter
 * when that is under 900 s away). 0 when SessionNotOnOrAfter has already passed: the caller
 * must refuse the session. */
unsigned ecs_sts_duration(unsigned configured, unsigned session_duration,
			  time_t session_not_on_or_after, time_t now);

#endif
