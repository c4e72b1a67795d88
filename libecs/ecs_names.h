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

/* Unix user name, the hard rules that hold whatever the site's policy says: 1..32 bytes of
 * POSIX's portable set [A-Za-z0-9._-]; never a leading '-' (it reads as an option) or '.'
 * (hidden, and "." / ".."), never ".." anywhere (it would reach a path), never all digits
 * (it reads as a UID). Every program checks a name it is handed with this; what a site
 * admits within it is the user-name policy below. */
bool ecs_name_user_ok(const char *s);

/* Unix group name (nss_group): the same hard rules as a user name. */
bool ecs_name_group_ok(const char *s);

/* The user-name policy, one for the helper (which names a Response may map to) and the NSS
 * module (which names it may answer for before the first login), built from the file-only
 * keys user_name_rule and user_name_lowercase:
 *   - the hard rules of ecs_name_user_ok always apply;
 *   - without a rule, the default: no upper case (first.last, j_doe, ops-1);
 *   - with a rule, the name must match that ERE as a whole instead (it may admit capitals);
 *   - lowercase maps A-Z to a-z before anything is checked (First.Last -> first.last), so
 *     two IdP names that differ only in case become one Unix user: opt-in. A name with
 *     capitals is then never a user, whatever the rule admits. */
struct ecs_name_policy {
	regex_t rule;			/* valid when has_rule */
	bool has_rule;
	bool lowercase;
};

/* rule may be NULL or "" (the default). 0, -EINVAL (rule does not compile) or -ENOMEM.
 * Release with ecs_name_policy_free. */
int ecs_name_policy_init(struct ecs_name_policy *p, const char *rule, bool lowercase);
void ecs_name_policy_free(struct ecs_name_policy *p);

/* Why name is not a user name under p, or NULL when it is one. The reason is a phrase for
 * a log line or a message ("it has capital letters (user_name_lowercase maps them)"). */
const char *ecs_name_policy_refusal(const struct ecs_name_policy *p, const char *name);

/* ecs_name_policy_refusal(p, name) == NULL */
bool ecs_name_policy_ok(const struct ecs_name_policy *p, const char *name);

/* The Unix name for a name from the IdP (src[0..len), not NUL-terminated): lowercased when
 * p says so, then checked. 0 with out set; -EINVAL with *why set (out then holds what was
 * checked, cut to fit, for the message). */
int ecs_name_policy_map(const struct ecs_name_policy *p, const char *src, size_t len,
			char out[ECS_NAME_USER_MAX + 1], const char **why);

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

/* A VPC endpoint ID as aws:SourceVpce carries it: vpce- and 8 or 17 lowercase hex digits. */
bool ecs_name_vpce_ok(const char *s);

/* A KMS key ARN, what kms:GenerateDataKey is granted on:
 * arn:PARTITION:kms:REGION:ACCOUNT(12 digits):key/ID, ID 1..64 of [A-Za-z0-9-] (a key ID, or
 * a multi-Region key's mrk-...). An alias is not a key: IAM matches the key's ARN. */
bool ecs_arn_kms_key_ok(const char *s);

/* The partition and account of a role ARN (what a session policy template fills in). */
struct ecs_arn_parts {
	char partition[ECS_ARN_PARTITION_MAX + 1];
	char account[13];
};

/* true and *out filled if s passes ecs_arn_role_ok (and its partition fits). */
bool ecs_arn_role_split(const char *s, struct ecs_arn_parts *out);

/* Why a site's rule for names is refused before it is compiled, or NULL: longer than
 * ECS_NAME_RULE_MAX, two repetitions in a row (a+*, a{2}+: undefined in POSIX, and glibc's
 * regcomp takes time exponential in their number), or repetitions that expand to more than
 * ECS_NAME_RULE_POSITIONS positions (((a{32}){32}){32} takes glibc seconds). A name is at
 * most 32 bytes: no sensible rule comes near either limit, and every process that loads the
 * configuration (NSS included) compiles the rule. */
#define ECS_NAME_RULE_MAX 256
#define ECS_NAME_RULE_POSITIONS 2048
const char *ecs_name_rule_shape(const char *ere);

/* A site's rule for names: compile ere as a POSIX extended expression, unchanged, once
 * ecs_name_rule_shape accepts it. 0, -EINVAL (refused or does not compile) or -ENOMEM.
 * Release with regfree. */
int ecs_name_rule_compile(const char *ere, regex_t *re);

/* Whether the compiled rule matches name as a whole (not a prefix or any substring). */
bool ecs_name_rule_match(const regex_t *re, const char *name);

#endif
