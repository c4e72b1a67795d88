/* ecs_buf.c — bounded byte buffer. Growth never uses realloc: the old block could be
 * released without being wiped, so we copy into a new block and wipe the old one. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecs_buf.h"
#include "ecs_secmem.h"

#define ECS_BUF_MIN_CAP 64

void
ecs_buf_init(struct ecs_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

/* Capacity (terminator included) for at least need bytes: doubling, bounded by max + 1. */
static size_t
ecs_buf_grow_cap(const struct ecs_buf *b, size_t need)
{
	size_t cap = b->cap ? b->cap : ECS_BUF_MIN_CAP;

	while (cap < need + 1 && cap <= b->max / 2)
		cap *= 2;
	if (cap < need + 1)
		cap = need + 1;
	if (cap - 1 > b->max)
		cap = b->max + 1;
	return cap;
}

int
ecs_buf_append(struct ecs_buf *b, const void *p, size_t n)
{
	uint8_t *nd;
	size_t cap;

	if (n > b->max || b->len > b->max - n)
		return -E2BIG;
	if (b->data && b->len + n + 1 <= b->cap) {
		/* memmove: p may point into our own data */
		if (n)
			memmove(b->data + b->len, p, n);
		b->len += n;
		b->data[b->len] = 0;
		return 0;
	}
	cap = ecs_buf_grow_cap(b, b->len + n);
	nd = malloc(cap);
	if (!nd)
		return -ENOMEM;
	if (b->len)
		memcpy(nd, b->data, b->len);
	/* copy the new bytes before releasing the old block, in case p points into it */
	if (n)
		memcpy(nd + b->len, p, n);
	ecs_free_secret(b->data, b->cap);
	b->data = nd;
	b->cap = cap;
	b->len += n;
	b->data[b->len] = 0;
	return 0;
}

int
ecs_buf_puts(struct ecs_buf *b, const char *s)
{
	return ecs_buf_append(b, s, strlen(s));
}

int
ecs_buf_printf(struct ecs_buf *b, const char *fmt, ...)
{
	char small[256];
	char *big = NULL;
	va_list ap;
	int n;
	int r;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		r = -EINVAL;
		goto out;
	}
	if ((size_t)n < sizeof(small)) {
		r = ecs_buf_append(b, small, (size_t)n);
		goto out;
	}
	if ((size_t)n > b->max || b->len > b->max - (size_t)n) {
		r = -E2BIG;
		goto out;
	}
	big = malloc((size_t)n + 1);
	if (!big) {
		r = -ENOMEM;
		goto out;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	r = ecs_buf_append(b, big, (size_t)n);
out:
	/* the formatted text may carry a secret (a rendered credential file) */
	ECS_WIPE_OBJ(small);
	ecs_free_secret(big, big ? (size_t)n + 1 : 0);
	return r;
}

void
ecs_buf_truncate(struct ecs_buf *b, size_t len)
{
	if (!b->data || len >= b->len)
		return;
	ecs_wipe(b->data + len, b->len - len);
	b->len = len;
	b->data[len] = 0;
}

void
ecs_buf_clear(struct ecs_buf *b)
{
	ecs_buf_truncate(b, 0);
}

void
ecs_buf_free(struct ecs_buf *b)
{
	ecs_free_secret(b->data, b->cap);
	ecs_buf_init(b, b->max);
}

uint8_t *
ecs_buf_take(struct ecs_buf *b, size_t *len_out)
{
	uint8_t *p = b->data;

	*len_out = b->len;
	/* ownership of the block moves to the caller */
	ecs_buf_init(b, b->max);
	return p;
}
