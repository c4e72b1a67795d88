/* sts_request.h — the AssumeRoleWithSAML Query-protocol form body.
 *
 * Action=AssumeRoleWithSAML&Version=2011-06-15&RoleArn=..&PrincipalArn=..&SAMLAssertion=..
 * &DurationSeconds=..[&Policy=..][&PolicyArns.member.N.arn=..], every value percent-encoded
 * (RFC 3986 unreserved characters kept, everything else %XX) so that base64's '+' can never
 * decode as a space. Pure functions: no I/O. */
#ifndef ECS_STS_REQUEST_H
#define ECS_STS_REQUEST_H

#include <stddef.h>
#include "ecs_buf.h"
#include "ecs_conf.h"
#include "sts_types.h"

/* Worst case: the assertion (ECS_RESPONSE_MAX_B64), the policy (ECS_STS_MAX_POLICY, up to 6
 * bytes encoded each) and ten ARNs, every byte tripled by percent-encoding. */
#define ECS_STS_BODY_MAX (512 * 1024)

/* Check every field of call (ARN syntax, base64 alphabet and length, duration range, policy
 * length and characters, at most ten policy ARNs) without building anything.
 * 0 or -EINVAL with why[whysz] naming the field. */
int ecs_sts_request_check(const struct ecs_sts_call *call, const struct ecs_strlist *policy_arns,
			  char *why, size_t whysz);

/* Append the checked form body for call (with its duration) to out, whose max must be at
 * least ECS_STS_BODY_MAX. The body holds the assertion: the caller wipes out
 * (ecs_buf_free). 0, -EINVAL (call not checked or invalid), -E2BIG or -ENOMEM. */
int ecs_sts_request_body(const struct ecs_sts_call *call, const struct ecs_strlist *policy_arns,
			 struct ecs_buf *out);

/* STS's rule for a session policy, the one place it is written: 1..ECS_STS_MAX_POLICY
 * characters, each TAB, LF, CR or U+0020..U+00FF (as UTF-8). Count them in the
 * NUL-terminated p into *nchars; 0, -EILSEQ (any other character), -EINVAL (empty) or
 * -E2BIG (too long). The template renderer checks its result with it
 * and ecs_sts_request_check checks every call with it. */
int ecs_sts_policy_check(const char *p, size_t *nchars);

/* Append value[len] percent-encoded. 0, -E2BIG or -ENOMEM. */
int ecs_sts_form_encode(struct ecs_buf *out, const char *value, size_t len);

#endif
