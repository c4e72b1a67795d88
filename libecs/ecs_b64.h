/* ecs_b64.h — standard base64 (RFC 4648 §4, with '=' padding).
 *
 * The decoder is strict about the alphabet and the padding but tolerates the wrapping a
 * user's copy and paste produces: spaces, tabs, CR and LF anywhere are skipped. Anything
 * else (URL-safe alphabet, stray '=' in the middle, bits left over after padding) is -EBADMSG. */
#ifndef ECS_B64_H
#define ECS_B64_H

#include <stddef.h>
#include "ecs_buf.h"

/* Decode len bytes of in, appending the bytes to out (its max applies: -E2BIG).
 * 0, -EBADMSG or -ENOMEM. On error out holds nothing new. */
int ecs_b64_decode(const char *in, size_t len, struct ecs_buf *out);

/* Number of base64 characters in in[len], whitespace not counted. */
size_t ecs_b64_count(const char *in, size_t len);

/* Encode, appending to out without line breaks. 0, -E2BIG or -ENOMEM. */
int ecs_b64_encode(const void *in, size_t len, struct ecs_buf *out);

#endif
