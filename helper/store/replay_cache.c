/* replay_cache.c — the configured replay cache (replay_cache.h). */
#include <string.h>

#include "ecs_redis_url.h"
#include "replay.h"
#include "replay_cache.h"
#include "replay_redis.h"

int
ecs_replay_cache_consume(const struct ecs_conf *c, const char *issuer, const char *assertion_id,
			 time_t expires_at, time_t now, struct ecs_redis_fail *f)
{
	memset(f, 0, sizeof(*f));
	if (c->replay_cache == NULL || ecs_replay_cache_is_file(c->replay_cache))
		return ecs_replay_consume(c->state_dir, issuer, assertion_id, expires_at, now);
	return ecs_replay_redis_consume(c, issuer, assertion_id, expires_at, now, f);
}
