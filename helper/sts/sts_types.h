/* sts_types.h — what one AssumeRoleWithSAML exchange carries: the call, the credentials STS
 * issued and why a call failed (STS's limits are in ecs_limits.h).
 *
 * The pieces of the STS client (sts.c drives; sts_request.c builds the call, sts_reply.c reads
 * the answer, sts_policy.c fills the session policy) all speak these types, so they live here,
 * below every one of them, and the includes run one way. */
#ifndef ECS_STS_TYPES_H
#define ECS_STS_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* What to ask for. Borrowed pointers; nothing here is freed by the STS code. */
struct ecs_sts_call {
	const char *role_arn;		/* RoleArn, from the verified Role attribute */
	const char *principal_arn;	/* PrincipalArn (the SAML provider) */
	const char *saml_b64;		/* the Response, base64 without whitespace (secret) */
	size_t saml_len;		/* its length, 4..ECS_RESPONSE_MAX_B64 */
	unsigned duration;		/* DurationSeconds, within ECS_STS_MIN/MAX_DURATION:
					 * see ecs_sts_duration() */
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
	const char *cause;		/* ECS_STS_CAUSE_* (sts_errmap.h) when STS sent no error
					 * document, else NULL: the code= of the log line */
	int http_status;		/* 0 when no HTTP answer arrived */
	unsigned attempts;		/* HTTP requests made */
	unsigned retried_duration;	/* 3600 when a duration retry happened, else 0 */
};

/* Wipe and free everything *c owns and zero it. NULL-safe, idempotent. */
void ecs_sts_creds_free(struct ecs_sts_creds *c);

#endif
