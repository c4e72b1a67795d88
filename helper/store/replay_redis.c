/* replay_redis.c — the replay cache on Redis (replay_redis.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ecs_err.h"
#include "replay.h"
#include "replay_redis.h"

int
ecs_replay_redis_consume(const struct ecs_conf *c, const char *issuer, const char *assertion_id,
			 time_t expires_at, time_t now, struct ecs_redis_fail *f)
{
	char key[ECS_REPLAY_KEY_LEN + 80], value[128], host[64] = "", ms[24], text[160];
	struct ecs_resp_reply rep;
	struct ecs_redis *rc = NULL;
	int64_t ttl = ((int64_t)expires_at - (int64_t)now) * 1000;
	size_t n;
	int r;

	/* an entry that expired already guards nothing, but Redis wants PX > 0 */
	if (ttl < 1000)
		ttl = 1000;
	/* the prefix is at most 64 characters (ecs_conf) */
	n = (size_t)snprintf(key, sizeof(key) - ECS_REPLAY_KEY_LEN, "%s", c->redis_key_prefix);
	if (n >= sizeof(key) - ECS_REPLAY_KEY_LEN)
		return -EINVAL;
	ecs_replay_key(issuer, assertion_id, key + n);
	gethostname(host, sizeof(host) - 1);
	snprintf(value, sizeof(value), "host=%s used=%" PRId64, host, (int64_t)now);
	snprintf(ms, sizeof(ms), "%" PRId64, ttl);
	r = ecs_redis_open(c, &rc, f);
	if (r < 0)
		goto out;
	r = ecs_redis_call(rc, 6, (const char *[]){ "SET", key, value, "NX", "PX", ms }, NULL,
			   &rep, f);
	if (r < 0)
		goto out;
	if (ecs_resp_is_simple(&rep, "OK")) {
		r = 0;
	} else if (rep.type == ECS_RESP_NULL) {
		r = -ECS_EREPLAY;
	} else {
		n = rep.len < sizeof(text) - 1 ? rep.len : sizeof(text) - 1;
		for (size_t i = 0; i < n; i++)
			text[i] = rep.str && rep.str[i] >= 0x20 && rep.str[i] < 0x7f ?
				  (char)rep.str[i] : '?';
		text[n] = '\0';
		f->code = rep.type == ECS_RESP_ERROR ? ECS_REDIS_E_REFUSED : ECS_REDIS_E_PROTOCOL;
		snprintf(f->detail, sizeof(f->detail), "SET NX refused or not understood: %s%s",
			 rep.type == ECS_RESP_ERROR ? "" : "an unexpected answer ", text);
		r = -ECS_EPROTO;
	}
out:
	ecs_redis_close(rc);
	return r;
}
