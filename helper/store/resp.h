/* resp.h — the Redis protocol (RESP2), both ways: a command as an array of bulk strings,
 * and one reply read from the bytes the server sent.
 *
 * The reader takes bytes from the network, so it trusts nothing: every length is checked
 * against what was received and against caps far above anything the replay cache's
 * commands can be answered with, arrays nest at most ECS_RESP_DEPTH_MAX deep, and anything
 * that is not RESP2 is -EPROTO, never a guess. It only looks at the bytes: a reply refers
 * into the caller's buffer and owns nothing. */
#ifndef ECS_RESP_H
#define ECS_RESP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ecs_buf.h"

#define ECS_RESP_LINE_MAX 4096		/* a simple string, error or length line */
#define ECS_RESP_BULK_MAX 65536		/* a bulk string */
#define ECS_RESP_ARRAY_MAX 1024		/* elements of an array */
#define ECS_RESP_DEPTH_MAX 4		/* arrays inside arrays */
#define ECS_RESP_ARGS_MAX 16		/* arguments of a command we send */

enum ecs_resp_type {
	ECS_RESP_SIMPLE,	/* +OK */
	ECS_RESP_ERROR,		/* -ERR ... */
	ECS_RESP_INTEGER,	/* :1 */
	ECS_RESP_BULK,		/* $3 foo */
	ECS_RESP_NULL,		/* $-1 or *-1: SET NX when the key exists */
	ECS_RESP_ARRAY,		/* *N ... (elements checked, not returned) */
};

struct ecs_resp_reply {
	enum ecs_resp_type type;
	const uint8_t *str;	/* SIMPLE, ERROR, BULK: into the parsed buffer, not NUL-ended */
	size_t len;
	int64_t integer;	/* INTEGER; ARRAY: its number of elements */
};

/* Append the command argv[0..argc) (lens[i] bytes each; lens NULL = C strings) to out as a
 * RESP array of bulk strings. 0, -EINVAL (no or too many arguments), -E2BIG, -ENOMEM. */
int ecs_resp_command(struct ecs_buf *out, size_t argc, const char *const *argv,
		     const size_t *lens);

/* Read one reply from buf[0..len). > 0: the bytes it took, *out filled; 0: the reply is not
 * complete yet (read more and call again with everything); -EPROTO: not a RESP2 reply, or
 * beyond the caps above. */
ssize_t ecs_resp_parse(const uint8_t *buf, size_t len, struct ecs_resp_reply *out);

/* true when the reply is exactly the simple string s (e.g. "OK", "PONG"). */
int ecs_resp_is_simple(const struct ecs_resp_reply *r, const char *s);

#endif
