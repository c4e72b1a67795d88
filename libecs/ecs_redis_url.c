/* ecs_redis_url.c — the value of `replay_cache` (ecs_redis_url.h). */
#include <stdint.h>
#include <string.h>

#include "ecs_redis_url.h"
#include "ecs_str.h"

bool
ecs_replay_cache_is_file(const char *value)
{
	return strcmp(value, "file") == 0;
}

/* A decimal in [min, max] spanning exactly s[0..n). */
static bool
number(const char *s, size_t n, unsigned min, unsigned max, unsigned *out)
{
	char tmp[8];
	uint64_t v;

	if (n == 0 || n >= sizeof(tmp))
		return false;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	if (ecs_parse_u64(tmp, min, max, &v) < 0)
		return false;
	*out = (unsigned)v;
	return true;
}

static bool
host_char_ok(char c, bool bracketed)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    c == '.' || c == '-')
		return true;
	return bracketed && c == ':';
}

const char *
ecs_url_host_port(const char *s, char host[ECS_URL_HOST_MAX + 1], unsigned *port,
		  const char **end_out)
{
	const char *h = s, *end;
	bool bracketed = s[0] == '[';
	size_t n;

	if (bracketed) {
		h = s + 1;
		end = strchr(h, ']');
		if (!end)
			return "an IPv6 address must be closed with ']'";
		n = (size_t)(end - h);
		end++;
	} else {
		n = strcspn(h, ":/");
		end = h + n;
	}
	if (n == 0)
		return "no host";
	if (n > ECS_URL_HOST_MAX)
		return "host name too long";
	for (size_t i = 0; i < n; i++)
		if (!host_char_ok(h[i], bracketed))
			return "the host is no DNS name, IPv4 or [IPv6] address";
	memcpy(host, h, n);
	host[n] = '\0';
	if (*end == ':') {
		n = strcspn(end + 1, "/");
		if (!number(end + 1, n, 1, 65535, port))
			return "the port is not a number in 1..65535";
		end += 1 + n;
	}
	*end_out = end;
	return NULL;
}

/* HOST[:PORT][/DB] */
static const char *
parse_inet(const char *s, struct ecs_redis_url *u)
{
	const char *end;
	const char *why;

	u->port = ECS_REDIS_DEFAULT_PORT;
	why = ecs_url_host_port(s, u->host, &u->port, &end);
	if (why)
		return why;
	if (*end == '/' && end[1] != '\0') {
		if (!number(end + 1, strlen(end + 1), 0, ECS_REDIS_DB_MAX, &u->db))
			return "the database after '/' is not a number in 0..65535";
	} else if (*end != '\0' && strcmp(end, "/") != 0) {
		return "unexpected characters after the host";
	}
	return NULL;
}

/* /PATH[?db=DB] */
static const char *
parse_unix(const char *s, struct ecs_redis_url *u)
{
	size_t n = strcspn(s, "?");

	if (s[0] != '/')
		return "redis+unix:// wants an absolute socket path (redis+unix:///run/redis.sock)";
	if (n > ECS_REDIS_PATH_MAX)
		return "the socket path is longer than a unix socket allows";
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f)
			return "a space or control character in the socket path";
	if (strstr(s, "/../") || (n >= 3 && strncmp(s + n - 3, "/..", 3) == 0))
		return "'..' in the socket path";
	memcpy(u->path, s, n);
	u->path[n] = '\0';
	if (s[n] == '?' &&
	    (!ecs_startswith(s + n, "?db=") ||
	     !number(s + n + 4, strlen(s + n + 4), 0, ECS_REDIS_DB_MAX, &u->db)))
		return "after the socket path only ?db=N (0..65535) may follow";
	return NULL;
}

const char *
ecs_redis_url_parse(const char *url, struct ecs_redis_url *u)
{
	const char *rest;

	memset(u, 0, sizeof(*u));
	if (ecs_startswith(url, "redis://")) {
		u->transport = ECS_REDIS_TCP;
		rest = url + 8;
	} else if (ecs_startswith(url, "rediss://")) {
		u->transport = ECS_REDIS_TLS;
		rest = url + 9;
	} else if (ecs_startswith(url, "redis+unix://")) {
		u->transport = ECS_REDIS_UNIX;
		return parse_unix(url + 13, u);
	} else {
		return "neither 'file' nor a redis://, rediss:// or redis+unix:// URL";
	}
	/* a password here would sit in a file every user can read */
	if (strchr(rest, '@'))
		return "credentials do not go in the URL: set redis_user and redis_password_file";
	return parse_inet(rest, u);
}
