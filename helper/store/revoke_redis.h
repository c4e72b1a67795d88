/* revoke_redis.h — a fleet-wide revocation of a user, in the Redis of `replay_cache`.
 *
 * `ecs-saml-helper revoke USER` on any bastion writes <redis_key_prefix>revoked:<USER>
 * (SET ... EX), living as long as the longest credentials a login can hold plus the longest
 * a Response can wait for its login (ecs_revoked_ttl). While it exists every bastion refuses
 * USER's auth (code revoked) and its gc ends USER's live logins. The key shares the replay
 * keys' prefix, so the ACL user's key pattern covers it (a replay key is 64 hex characters
 * and never "revoked:..."); the check is EXISTS, which the ACL user must be allowed. */
#ifndef ECS_REVOKE_REDIS_H
#define ECS_REVOKE_REDIS_H

#include <stdbool.h>
#include <time.h>

#include "ecs_conf.h"
#include "redis_conn.h"

#define ECS_REVOKED_KEY "revoked:"
#define ECS_REVOKED_CODE "revoked"	/* the code of the refusal and of the records */

/* true when replay_cache names a Redis: only then is there a fleet to revoke in. */
bool ecs_revoked_fleet(const struct ecs_conf *c);

/* Seconds a revocation lives: STS's longest credentials (12 h) plus max_assertion_age and
 * clock_skew, so no login that was under way when it was written outlives it. */
unsigned ecs_revoked_ttl(const struct ecs_conf *c);

/* 1 when user is revoked fleet-wide, 0 when not, or -errno with *f filled (fail closed). */
int ecs_revoked_check(const struct ecs_conf *c, const char *user, struct ecs_redis_fail *f);

/* Write user's revocation (value: the host and time it was made), for ttl seconds.
 * 0 or -errno with *f filled. */
int ecs_revoked_put(const struct ecs_conf *c, const char *user, unsigned ttl, time_t now,
		    struct ecs_redis_fail *f);

#endif
