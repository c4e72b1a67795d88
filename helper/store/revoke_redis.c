/* revoke_redis.c — a fleet-wide revocation of a user in Redis (revoke_redis.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ecs_err.h"
#include "ecs_limits.h"
#include "ecs_names.h"
#include "ecs_redis_url.h"
#include "revoke_redis.h"

bool
ecs_revoked_fleet(const struct ecs_conf *c)
{
	return c->replay_cache != NULL && !ecs_replay_cache_is_file(c->replay_cache);
}

unsigned
ecs_revoked_ttl(const struct ecs_conf *c)
{
	return ECS_STS_MAX_DURATION + c->max_assertion_age + c->clock_skew;
}

static int
key_of(const struct ecs_conf *c, const char *user, char *key, size_t keysz)
{
	if (!ecs_name_user_ok(user))
		return -EINVAL;
	if ((size_t)snprintf(key, keysz, "%s" ECS_REVOKED_KEY "%s", c->redis_key_prefix, user) >=
	    keysz)
		return -ENAMETOOLONG;
	return 0;
}

/* An answer that is not the one the command has: the protocol's failure. */
static int
unexpected(const char *what, struct ecs_redis_fail *f)
{
	f->code = ECS_REDIS_E_PROTOCOL;
	snprintf(f->detail, sizeof(f->detail), "%s: an unexpected answer", what);
	return -ECS_EPROTO;
}

int
ecs_revoked_check(const struct ecs_conf *c, const char *user, struct ecs_redis_fail *f)
{
	char key[256];
	struct ecs_resp_reply rep;
	struct ecs_redis *rc = NULL;
	int r;

	memset(f, 0, sizeof(*f));
	r = key_of(c, user, key, sizeof(key));
	if (r == 0)
		r = ecs_redis_open(c, &rc, f);
	if (r == 0)
		r = ecs_redis_call(rc, 2, (const char *[]){ "EXISTS", key }, NULL, &rep, f);
	if (r == 0 && rep.type == ECS_RESP_ERROR) {
		f->code = ECS_REDIS_E_REFUSED;
		snprintf(f->detail, sizeof(f->detail), "EXISTS %.200s refused", key);
		r = -ECS_EPROTO;
	} else if (r == 0) {
		if (rep.type != ECS_RESP_INTEGER || rep.integer < 0 || rep.integer > 1)
			r = unexpected("EXISTS", f);
		else
			r = (int)rep.integer;
	}
	ecs_redis_close(rc);
	return r;
}

int
ecs_revoked_put(const struct ecs_conf *c, const char *user, unsigned ttl, time_t now,
		struct ecs_redis_fail *f)
{
	char key[256], value[128], host[64] = "", secs[16];
	struct ecs_resp_reply rep;
	struct ecs_redis *rc = NULL;
	int r;

	memset(f, 0, sizeof(*f));
	gethostname(host, sizeof(host) - 1);
	snprintf(value, sizeof(value), "host=%s revoked=%" PRId64, host, (int64_t)now);
	snprintf(secs, sizeof(secs), "%u", ttl);
	r = key_of(c, user, key, sizeof(key));
	if (r == 0)
		r = ecs_redis_open(c, &rc, f);
	if (r == 0)
		r = ecs_redis_call(rc, 5, (const char *[]){ "SET", key, value, "EX", secs }, NULL,
				   &rep, f);
	if (r == 0 && !ecs_resp_is_simple(&rep, "OK")) {
		if (rep.type == ECS_RESP_ERROR) {
			f->code = ECS_REDIS_E_REFUSED;
			snprintf(f->detail, sizeof(f->detail), "SET %.200s refused", key);
			r = -ECS_EPROTO;
		} else {
			r = unexpected("SET", f);
		}
	}
	ecs_redis_close(rc);
	return r;
}
