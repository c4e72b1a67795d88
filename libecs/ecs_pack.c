/* ecs_pack.c — the byte alphabet of encoding=packed1 (ecs_pack.h). */
#include <errno.h>
#include <stdbool.h>

#include "ecs_pack.h"

/* The bytes that cannot travel as themselves: a C string ends at NUL, ssh's askpass
 * reader at LF or CR, and the escape must not stand for itself. */
static bool
must_escape(uint8_t c)
{
	return c == 0x00 || c == '\n' || c == '\r' || c == ECS_PACK_ESC;
}

int
ecs_pack_escape(const uint8_t *in, size_t len, struct ecs_buf *out)
{
	size_t start = out->len, run = 0;
	int r = 0;

	for (size_t i = 0; r == 0 && i <= len; i++) {
		uint8_t pair[2];

		if (i < len && !must_escape(in[i]))
			continue;
		/* the plain bytes since the last escape go out in one piece */
		r = ecs_buf_append(out, in + run, i - run);
		if (r == 0 && i < len) {
			pair[0] = ECS_PACK_ESC;
			pair[1] = in[i] ^ 0x40;
			r = ecs_buf_append(out, pair, 2);
		}
		run = i + 1;
	}
	if (r < 0)
		ecs_buf_truncate(out, start);
	return r;
}

int
ecs_pack_unescape(const char *in, size_t len, struct ecs_buf *out)
{
	const uint8_t *p = (const uint8_t *)in;
	size_t start = out->len, run = 0;
	int r = 0;

	for (size_t i = 0; r == 0 && i <= len; i++) {
		uint8_t c;

		if (i < len && p[i] != ECS_PACK_ESC && !must_escape(p[i]))
			continue;
		r = ecs_buf_append(out, p + run, i - run);
		if (r < 0 || i == len)
			break;
		if (p[i] != ECS_PACK_ESC || i + 1 == len || !must_escape(p[i + 1] ^ 0x40)) {
			r = -EBADMSG;
			break;
		}
		c = p[i + 1] ^ 0x40;
		r = ecs_buf_append(out, &c, 1);
		i++;
		run = i + 1;
	}
	if (r < 0)
		ecs_buf_truncate(out, start);
	return r;
}
