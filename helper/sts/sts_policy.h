/* sts_policy.h — the session policy template, filled in before the STS call.
 *
 * The template (conf->session_policy, e.g. pam.d/ecs-exec-session-policy.json) is JSON with
 * variables substituted byte for byte:
 *   ${partition}  the role ARN's partition (aws, aws-cn, aws-us-gov)
 *   ${account}    the role ARN's 12-digit account
 *   ${region}     conf->region
 *   ${user}       the Unix user
 *   ${clusters}   a JSON array with, for every conf->ecs_clusters NAME, the cluster ARN
 *                 arn:P:ecs:R:A:cluster/NAME and the pattern of its tasks, the task ARN
 *                 prefix arn:P:ecs:R:A:task/NAME/ followed by a wildcard
 *   ${cluster_patterns}  a JSON array with, for every cluster, "*:cluster/NAME": StringLike
 *                 patterns for the ecs:cluster condition key (a third of ${clusters}' size)
 *   ${exec_kms}   nothing, or a comma and the statement allowing kms:GenerateDataKey on the
 *                 conf->exec_kms_key ARNs
 *   ${pinning}    nothing, or a comma and the Deny of every call from outside
 *                 conf->pin_source_ip / conf->pin_source_vpce (see sts_policy.c)
 *   ${aws:NAME}   an IAM policy variable (${aws:userid}): kept for AWS to fill in
 * ${exec_kms} and ${pinning} go after the last statement; a configured key the template has
 * no place for is an error, as is any of them without a session_policy.
 * Every substituted value is checked against a strict character set first, so nothing that
 * needs JSON escaping is ever inserted. Any other "${" is an error (a typo must not reach AWS).
 * The result must be 1..2048 characters, each TAB, LF, CR or U+0020..U+00FF as STS requires,
 * else -E2BIG / -EINVAL with err naming the cause — before anything is sent.
 */
#ifndef ECS_STS_POLICY_H
#define ECS_STS_POLICY_H

#include <stddef.h>
#include "ecs_conf.h"

#define ECS_POLICY_TEMPLATE_MAX 16384	/* bytes of template file */

struct ecs_policy_vars {
	const char *role_arn;	/* the partition and the account come from it */
	const char *user;	/* Unix user name */
};

/* Load conf->session_policy (a root-owned file, see ecs_safe_read_path) and fill it.
 * 0 with *out = NULL when no session_policy is configured; 0 with *out a malloc'd
 * NUL-terminated policy (caller frees with free()); -ECS_ECONFIG, -E2BIG, -EINVAL, -ENOENT,
 * -ENOMEM with err[errsz] saying why. */
int ecs_policy_render(const struct ecs_conf *conf, const struct ecs_policy_vars *vars,
		      char **out, char *err, size_t errsz);

/* The same, from template text in memory (unit tests, the probe). */
int ecs_policy_render_text(const char *tmpl, size_t len, const struct ecs_conf *conf,
			   const struct ecs_policy_vars *vars, char **out, char *err,
			   size_t errsz);

#endif
