/* sts.h — STS AssumeRoleWithSAML: one exchange, retried within a budget (its call,
 * credentials and error are in sts_types.h).
 *
 * The call is an unsigned Query-protocol form POST over HTTPS (libcurl), to conf->sts_endpoint
 * (https:// only, no redirects), verifying the peer against the trust root read as root
 * before the privilege drop (sts_trust.h: conf->sts_ca_file alone, or the system store) and
 * conf->sts_pin_sha256. Everything happens within one wall-clock budget of conf->sts_timeout seconds:
 * throttling, 5xx and transport errors are retried with jittered backoff while the budget
 * lasts; a ValidationError saying DurationSeconds exceeds the role's MaxSessionDuration is
 * retried once with 3600 s (and logged). Every outcome is logged to syslog (LOG_AUTHPRIV) with
 * the STS RequestId, the AccessKeyId on success, and never a secret or the assertion.
 *
 * Run it only after dropping privileges to the user: it needs nothing of root's.
 */
#ifndef ECS_STS_H
#define ECS_STS_H

#include <time.h>
#include "ecs_conf.h"
#include "sts_trust.h"
#include "sts_types.h"

#define ECS_STS_FALLBACK_DURATION 3600	/* every role allows at least one hour */

/* Call AssumeRoleWithSAML, trusting what trust holds (ecs_sts_trust_load, as root, before
 * the drop). On success fills *out (caller frees with ecs_sts_creds_free).
 * Returns 0, or:
 *   -ECS_ESTS      STS answered with an error document (err->code says which);
 *   -ETIMEDOUT     the budget ran out (slow or unreachable peer);
 *   -ECONNREFUSED, -EHOSTUNREACH, -EPROTO  transport failures, after the retries;
 *   -EACCES        the proxy refused the CONNECT tunnel or its credentials (never
 *                  retried);
 *   -EPERM         TLS: peer not trusted or not pinned, or the endpoint is not https://
 *                  (never retried);
 *   -EFBIG         the reply exceeded the size cap;
 *   -EBADMSG       the reply was not a well-formed STS document;
 *   -ECS_ECONFIG   no endpoint, or trust libcurl cannot use;
 *   -EINVAL        a call field out of range (never sent);
 *   -ENOMEM.
 * err is filled for every failure (user_msg never NULL). */
int ecs_sts_assume(const struct ecs_conf *conf, const struct ecs_sts_trust *trust,
		   const struct ecs_sts_call *call, struct ecs_sts_creds *out,
		   struct ecs_sts_error *err);

/* The DurationSeconds to request: the configured duration, shortened to the assertion's
 * SessionDuration attribute (0 = absent) and to SessionNotOnOrAfter (0 = absent) as seen
 * from now, and kept within 900..43200 (STS itself ends the session at SessionNotOnOrAfter
 * when that is under 900 s away). 0 when SessionNotOnOrAfter has already passed: the caller
 * must refuse the session. */
unsigned ecs_sts_duration(unsigned configured, unsigned session_duration,
			  time_t session_not_on_or_after, time_t now);

#endif
