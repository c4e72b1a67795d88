/* ecs_buf.h — a bounded, growable byte buffer that wipes what it held.
 *
 * Every buffer has a hard maximum set at init; appends beyond it fail with -E2BIG and
 * leave the buffer unchanged. The data is always NUL-terminated one byte past len, so a
 * text buffer can be read as a C string (the terminator is not counted in len). */
#ifndef ECS_BUF_H
#define ECS_BUF_H

#include <stddef.h>
#include <stdint.h>

struct ecs_buf {
	uint8_t *data;	/* owned; NULL until the first append */
	size_t len;
	size_t cap;
	size_t max;	/* hard cap on len */
};

/* Set up an empty buffer that may grow to max bytes. Allocates nothing. */
void ecs_buf_init(struct ecs_buf *b, size_t max);

/* Append n bytes. 0, -E2BIG (over max, nothing appended) or -ENOMEM. */
int ecs_buf_append(struct ecs_buf *b, const void *p, size_t n);

/* Append a C string (without its NUL). */
int ecs_buf_puts(struct ecs_buf *b, const char *s);

/* printf-style append; -E2BIG if the result would pass max. */
int ecs_buf_printf(struct ecs_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Wipe and drop everything after the first len bytes (len > b->len is a no-op), keeping the
 * allocation: undoes a partial append, even on a buffer that never allocated. */
void ecs_buf_truncate(struct ecs_buf *b, size_t len);

/* Wipe the contents and set len to 0, keeping the allocation. */
void ecs_buf_clear(struct ecs_buf *b);

/* Wipe and free; the buffer is left empty and reusable with the same max. */
void ecs_buf_free(struct ecs_buf *b);

/* Give the data away: returns the NUL-terminated block (caller frees with
 * ecs_free_secret(p, *len_out + 1) or free() when not secret) and leaves b empty.
 * Returns NULL for an empty buffer only if nothing was ever appended; then *len_out is 0. */
uint8_t *ecs_buf_take(struct ecs_buf *b, size_t *len_out);

#endif
