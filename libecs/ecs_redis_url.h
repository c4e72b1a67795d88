/* ecs_redis_url.h — where the shared replay cache lives: the value of `replay_cache`.
 *
 *   file                          the local cache under state_dir (the default)
 *   redis://HOST[:PORT][/DB]      Redis over TCP
 *   rediss://HOST[:PORT][/DB]     Redis over TLS (what managed Redis offers)
 *   redis+unix:///PATH[?db=DB]    Redis on a local unix socket
 *
 * HOST is a DNS name, an IPv4 address or an IPv6 address in brackets; PORT defaults to 6379,
 * DB to 0. No credentials in the URL: the configuration file is readable by everyone (the
 * NSS module reads it), so the user goes in redis_user and the password in the root-only
 * redis_password_file. Parsed here, libc only, so that the configuration refuses a bad value
 * at load with a sentence saying what is wrong with it, and the helper connects to exactly
 * what was checked. */
#ifndef ECS_REDIS_URL_H
#define ECS_REDIS_URL_H

#include <stdbool.h>

#define ECS_REDIS_DEFAULT_PORT 6379
#define ECS_URL_HOST_MAX 253	/* a DNS name's length */
#define ECS_REDIS_HOST_MAX ECS_URL_HOST_MAX
#define ECS_REDIS_PATH_MAX 107	/* sun_path less its NUL */
#define ECS_REDIS_DB_MAX 65535

enum ecs_redis_transport {
	ECS_REDIS_TCP = 0,
	ECS_REDIS_TLS,
	ECS_REDIS_UNIX,
};

struct ecs_redis_url {
	enum ecs_redis_transport transport;
	char host[ECS_REDIS_HOST_MAX + 1];	/* TCP and TLS; an IPv6 address without [] */
	unsigned port;
	char path[ECS_REDIS_PATH_MAX + 1];	/* unix */
	unsigned db;
};

/* true when value selects the local file cache ("file"). */
bool ecs_replay_cache_is_file(const char *value);

/* The HOST[:PORT] every URL key shares (replay_cache's, sts_proxy's): HOST a DNS name, an
 * IPv4 address or an IPv6 address in brackets (stored without them), PORT 1..65535 (*port
 * untouched when absent). *end is where the text after them starts. NULL, or why not. */
const char *ecs_url_host_port(const char *s, char host[ECS_URL_HOST_MAX + 1], unsigned *port,
			      const char **end);

/* Parse a Redis URL into *u. NULL on success, else a phrase saying what is wrong with it
 * (for "'replay_cache': PHRASE"). */
const char *ecs_redis_url_parse(const char *url, struct ecs_redis_url *u);

#endif
