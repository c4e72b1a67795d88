/* Unit tests: the RESP2 encoder and reply reader (helper/store/resp.c), and the Redis URL
 * of replay_cache (libecs/ecs_redis_url.c). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ecs_redis_url.h"
#include "resp.h"
#include "tap.h"

static ssize_t
parse_str(const char *s, struct ecs_resp_reply *r)
{
	return ecs_resp_parse((const uint8_t *)s, strlen(s), r);
}

static int
is_str(const struct ecs_resp_reply *r, const char *s)
{
	return r->len == strlen(s) && memcmp(r->str, s, r->len) == 0;
}

static void
encoder(void)
{
	struct ecs_buf b;
	const char *set[] = { "SET", "k", "v", "NX", "PX", "480000" };
	const char *bin[] = { "AUTH", "p\r\nw" };
	const size_t binlen[] = { 4, 4 };

	ecs_buf_init(&b, 1024);
	T_OK(ecs_resp_command(&b, 6, set, NULL) == 0 &&
	     strcmp((const char *)b.data, "*6\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n$2\r\nNX\r\n"
		    "$2\r\nPX\r\n$6\r\n480000\r\n") == 0, "SET NX PX as an array of bulk strings");
	ecs_buf_clear(&b);
	T_OK(ecs_resp_command(&b, 2, bin, binlen) == 0 && b.len == 24 &&
	     memcmp(b.data, "*2\r\n$4\r\nAUTH\r\n$4\r\np\r\nw\r\n", 24) == 0,
	     "bytes are length-prefixed: a CR LF inside an argument cannot start a command");
	ecs_buf_clear(&b);
	T_OK(ecs_resp_command(&b, 0, set, NULL) == -EINVAL && b.len == 0, "no argument: EINVAL");
	T_OK(ecs_resp_command(&b, ECS_RESP_ARGS_MAX + 1, set, NULL) == -EINVAL,
	     "too many arguments: EINVAL");
	ecs_buf_free(&b);
	ecs_buf_init(&b, 20);
	T_OK(ecs_resp_command(&b, 6, set, NULL) == -E2BIG && b.len == 0,
	     "over the buffer's cap: E2BIG and nothing half-written");
	ecs_buf_free(&b);
}

static void
decoder(void)
{
	struct ecs_resp_reply r;
	const char *two = "+OK\r\n$-1\r\n";

	T_OK(parse_str("+OK\r\n", &r) == 5 && ecs_resp_is_simple(&r, "OK"), "+OK");
	T_OK(parse_str("+PONG\r\n", &r) == 7 && ecs_resp_is_simple(&r, "PONG") &&
	     !ecs_resp_is_simple(&r, "OK"), "+PONG is not OK");
	T_OK(parse_str("$-1\r\n", &r) == 5 && r.type == ECS_RESP_NULL, "$-1: nil (SET NX lost)");
	T_OK(parse_str("*-1\r\n", &r) == 5 && r.type == ECS_RESP_NULL, "*-1: nil");
	T_OK(parse_str("-WRONGPASS invalid username-password pair\r\n", &r) > 0 &&
	     r.type == ECS_RESP_ERROR && is_str(&r, "WRONGPASS invalid username-password pair"),
	     "an error reply");
	T_OK(parse_str(":-42\r\n", &r) == 6 && r.type == ECS_RESP_INTEGER && r.integer == -42,
	     "an integer");
	T_OK(parse_str("$5\r\nhe\r\no\r\n", &r) == 11 && r.type == ECS_RESP_BULK &&
	     is_str(&r, "he\r\no"), "a bulk string holds any bytes");
	T_OK(parse_str("$0\r\n\r\n", &r) == 6 && r.type == ECS_RESP_BULK && r.len == 0,
	     "an empty bulk string");
	T_OK(parse_str("*2\r\n:1\r\n*1\r\n$1\r\nx\r\n", &r) == 19 && r.type == ECS_RESP_ARRAY &&
	     r.integer == 2, "a nested array is read whole");
	T_OK(parse_str(two, &r) == 5 && ecs_resp_is_simple(&r, "OK") &&
	     parse_str(two + 5, &r) == 5 && r.type == ECS_RESP_NULL,
	     "two replies in one read: one at a time");

	/* incomplete: wait for more */
	T_OK(parse_str("", &r) == 0, "nothing yet");
	T_OK(parse_str("+OK", &r) == 0, "no CR LF yet");
	T_OK(parse_str("+OK\r", &r) == 0, "CR without LF yet");
	T_OK(parse_str("$5\r\nhel", &r) == 0, "a bulk string not all there");
	T_OK(parse_str("$5\r\nhello", &r) == 0, "a bulk string without its CR LF yet");
	T_OK(parse_str("*2\r\n:1\r\n", &r) == 0, "an array missing an element");

	/* not RESP */
	T_OK(parse_str("HTTP/1.1 400 Bad Request\r\n", &r) == -EPROTO, "HTTP is no RESP");
	T_OK(parse_str("\r\n", &r) == -EPROTO, "an empty line");
	T_OK(parse_str("+OK\n", &r) == -EPROTO, "a bare LF");
	T_OK(parse_str("+O\rK\r\n", &r) == -EPROTO, "a bare CR");
	T_OK(parse_str("$5\r\nhelloXY", &r) == -EPROTO, "a bulk string not ended by CR LF");
	T_OK(parse_str("$-2\r\n", &r) == -EPROTO, "a negative length other than -1");
	T_OK(parse_str("$65537\r\n", &r) == -EPROTO, "a bulk string over the cap");
	T_OK(parse_str("*1025\r\n", &r) == -EPROTO, "an array over the cap");
	T_OK(parse_str(":+1\r\n", &r) == -EPROTO && parse_str(":01\r\n", &r) == -EPROTO &&
	     parse_str(":-0\r\n", &r) == -EPROTO && parse_str(":\r\n", &r) == -EPROTO &&
	     parse_str(":1x\r\n", &r) == -EPROTO, "integers: no sign, leading zero, -0, empty, junk");
	T_OK(parse_str(":99999999999999999999\r\n", &r) == -EPROTO, "an integer past 64 bits");
	T_OK(parse_str("*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n", &r) == -EPROTO,
	     "arrays nested deeper than the cap");
	{
		char line[ECS_RESP_LINE_MAX + 8];

		memset(line, 'a', sizeof(line));
		line[0] = '+';
		T_OK(ecs_resp_parse((const uint8_t *)line, sizeof(line), &r) == -EPROTO,
		     "a line over the cap without CR LF is refused, not waited for");
	}
}

static void
urls(void)
{
	struct ecs_redis_url u;

	T_OK(ecs_replay_cache_is_file("file") && !ecs_replay_cache_is_file("files"), "'file'");
	T_OK(ecs_redis_url_parse("redis://10.0.0.5", &u) == NULL && u.transport == ECS_REDIS_TCP &&
	     strcmp(u.host, "10.0.0.5") == 0 && u.port == 6379 && u.db == 0,
	     "redis://HOST: port 6379, db 0");
	T_OK(ecs_redis_url_parse("rediss://cache.example.com:6380/3", &u) == NULL &&
	     u.transport == ECS_REDIS_TLS && strcmp(u.host, "cache.example.com") == 0 &&
	     u.port == 6380 && u.db == 3, "rediss://HOST:PORT/DB");
	T_OK(ecs_redis_url_parse("redis://[2001:db8::1]:7000/", &u) == NULL &&
	     strcmp(u.host, "2001:db8::1") == 0 && u.port == 7000, "an IPv6 address in brackets");
	T_OK(ecs_redis_url_parse("redis+unix:///run/redis/redis.sock?db=2", &u) == NULL &&
	     u.transport == ECS_REDIS_UNIX && strcmp(u.path, "/run/redis/redis.sock") == 0 &&
	     u.db == 2, "redis+unix:///PATH?db=N");
	T_OK(ecs_redis_url_parse("redis://u:p@h", &u) != NULL, "credentials in the URL");
	T_OK(ecs_redis_url_parse("redis://", &u) != NULL, "no host");
	T_OK(ecs_redis_url_parse("redis://h:0", &u) != NULL &&
	     ecs_redis_url_parse("redis://h:65536", &u) != NULL &&
	     ecs_redis_url_parse("redis://h:", &u) != NULL, "ports 0, 65536, none after ':'");
	T_OK(ecs_redis_url_parse("redis://h/65536", &u) != NULL &&
	     ecs_redis_url_parse("redis://h/-1", &u) != NULL, "a database out of range");
	T_OK(ecs_redis_url_parse("redis://h_x", &u) != NULL &&
	     ecs_redis_url_parse("redis://[::1", &u) != NULL, "a bad host");
	T_OK(ecs_redis_url_parse("redis+unix://run/x", &u) != NULL &&
	     ecs_redis_url_parse("redis+unix:///run/../x", &u) != NULL &&
	     ecs_redis_url_parse("redis+unix:///x?db=a", &u) != NULL, "bad socket paths");
	T_OK(ecs_redis_url_parse("https://h", &u) != NULL, "another scheme");
}

int
main(void)
{
	encoder();
	decoder();
	urls();
	T_DONE();
}
