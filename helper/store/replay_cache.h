/* replay_cache.h — one-time use through the cache the configuration names: the local files
 * under state_dir (replay.h) or Redis (replay_redis.h), by `replay_cache`. auth and
 * verify --consume both come through here, so an operator's verify tries what logins use. */
#ifndef ECS_REPLAY_CACHE_H
#define ECS_REPLAY_CACHE_H

#include <time.h>

#include "ecs_conf.h"
#include "redis_conn.h"

/* 0 when recorded now, -ECS_EREPLAY when already used, or -errno. When Redis was the cause,
 * f->code names it (ECS_REDIS_E_*) and f->detail says what happened; f->code is NULL for
 * the file cache's errors (state_dir unsafe or unwritable, ENOSPC). */
int ecs_replay_cache_consume(const struct ecs_conf *c, const char *issuer,
			     const char *assertion_id, time_t expires_at, time_t now,
			     struct ecs_redis_fail *f);

#endif
