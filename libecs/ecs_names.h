/* ecs_names.h — one syntax check per kind of name that crosses a trust boundary.
 *
 * Every program checks a name of a given kind with the one function here, so the helper, the
 * PAM and NSS modules, the client and the configuration parser never disagree on what a name
 * is. All are pure byte checks: no locale, no case folding, no normalisation. A site's own
 * rule for names (a POSIX ERE) is compiled and matched here too (ecs_name_rule_*).
 */
#ifndef ECS_NAMES_H
#define ECS_NAMES_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#define ECS_NAME_USER_MAX 32		/* bytes in a Unix user or group name */
#define ECS_NAME_SERVICE_MAX 64		/* bytes in a PAM service name */
#define ECS_NAME_TOKEN_LEN 32		/* lowercase hex digits in a ticket id or session tag */
#define ECS_NAME_REGION_MAX 32		/* bytes in an AWS region name */
#define ECS_NAME_SESSION_MAX 64		/* bytes in a RoleSessionName or SourceIdentity */
#define ECS_NAME_CLUSTER_MAX 255	/* bytes in an ECS cluster name */
#define ECS_ARN_PARTITION_MAX 32	/* bytes in the partition of an ARN we accept */

/* Unix user name: ^[a-z_][a-z0-9_-]{0,31}$ */
bool ecs_name_user_ok(const char *s);

/* Unix group name (nss_group): the same bytes as a user name. */
bool ecs_name_group_ok(const char *s);

/* PAM service name, as PAM_SERVICE names a stack: ^[A-Za-z0-9_.-]{1,64}$ */
bool ecs_name_service_ok(const char *s);

/* AWS RoleSessionName and SourceIdentity: ^[A-Za-z0-9_+=,.@-]{2,64}$;
 * SourceIdentity also must not start with "aws:" (checked by ecs_name_source_identity_ok). */
bool ecs_name_session_ok(const char *s);
bool ecs_name_source_identity_ok(const char *s);

/* AWS region: ^[a-z]{2}(-[a-z]+)+-[0-9]+$, at most 32 bytes (eu-west-1, us-gov-west-1). */
bool ecs_name_region_ok(const char *s);

/* ECS cluster name: ^[A-Za-z0-9_-]{1,255}$ (safe inside a JSON string and an ARN). */
bool ecs_name_cluster_ok(const char *s);

/* Ticket and session-tag ids: exactly ECS_NAME_TOKEN_LEN lowercase hex characters. */
bool ecs_name_token_ok(const char *s);

/* Exactly n lowercase hex characters (file names the helper derives from a hash). */
bool ecs_name_hex_ok(const char *s, size_t n);

/* arn:PARTITION:iam::ACCOUNT(12 digits):role/PATH/NAME — 20..2048 characters. */
bool ecs_arn_role_ok(const char *s);
/* arn:PARTITION:iam::ACCOUNT:saml-provider/NAME — 20..2048 characters. */
bool ecs_arn_provider_ok(const char *s);
/* arn:PARTITION:iam::ACCOUNT:policy/PATH/NAME, ACCOUNT 12 digits or "aws" (an AWS managed
 * policy) — 20..2048 characters. */
bool ecs_arn_policy_ok(const char *s);

/* The partition and account of a role ARN (what a session policy template fills in). */
struct ecs_arn_parts {
	char partition[ECS_ARN_PARTITION_MAX + 1];
	char account[13];
};

/* true and *out filled if s passes ecs_arn_role_ok (and its partition fits). */
bool ecs_arn_role_split(const char *s, struct ecs_arn_parts *out);

/* A site's rule for names: compile ere as a POSIX extended expression, unchanged.
 * 0, -EINVAL (does not compile) or -ENOMEM. Release with regfree. */
int ecs_name_rule_compile(const char *ere, regex_t *re);

/* Whether the compiled rule matches name as a whole (not a prefix or any substring). */
bool ecs_name_rule_match(const regex_t *re, const char *name);

#endif
