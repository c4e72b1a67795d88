/* replay_redis.h — one-time use of assertion IDs in Redis, shared by a fleet of bastions.
 *
 * One atomic command decides: SET <redis_key_prefix><ecs_replay_key> <who> NX PX <ms>, with
 * the entry living exactly as long as the local cache's would (ecs_replay_expiry). "OK" is
 * the one run, on any bastion, that used the Response; a nil answer is a replay. The value
 * names the bastion and the time, for whoever looks a key up. */
#ifndef ECS_REPLAY_REDIS_H
#define ECS_REPLAY_REDIS_H

#include <time.h>

#include "ecs_conf.h"
#include "redis_conn.h"

/* 0 when recorded now, -ECS_EREPLAY when an unexpired entry exists, or -errno with *f
 * saying why Redis could not be used (fail closed). */
int ecs_replay_redis_consume(const struct ecs_conf *c, const char *issuer,
			     const char *assertion_id, time_t expires_at, time_t now,
			     struct ecs_redis_fail *f);

#endif
