/* ecs_limits.h — limits that more than one program or layer enforces, each spelled once.
 *
 * Most are AWS STS's own (AssumeRoleWithSAML): the configuration refuses values STS would
 * refuse, the PAM module and the client refuse a Response STS would refuse, and the helper
 * checks everything again before the call, so that every refusal comes early and says
 * clearly why — and all of them must agree on what the limit is. */
#ifndef ECS_LIMITS_H
#define ECS_LIMITS_H

/* Base64 characters (whitespace not counted) of a Response: STS's limit on SAMLAssertion. */
#define ECS_RESPONSE_MAX_B64 100000
/* Bytes of a raw-XML Response: the decoded size of ECS_RESPONSE_MAX_B64 characters. */
#define ECS_RESPONSE_MAX_XML (ECS_RESPONSE_MAX_B64 / 4 * 3)

/* DurationSeconds (and the SessionDuration attribute that may shorten it). */
#define ECS_STS_MIN_DURATION 900
#define ECS_STS_MAX_DURATION 43200
/* Characters of the inline session policy, and managed policy ARNs per call. */
#define ECS_STS_MAX_POLICY 2048
#define ECS_STS_MAX_POLICY_ARNS 10

#endif
