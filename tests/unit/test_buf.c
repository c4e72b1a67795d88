/* test_buf.c — the bounded buffer: caps, termination, growth, self-append, take, wipe. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ecs_buf.h"
#include "ecs_secmem.h"
#include "tap.h"

static void
test_caps(void)
{
	struct ecs_buf b;

	ecs_buf_init(&b, 8);
	T_OK(b.data == NULL && b.len == 0, "init allocates nothing");
	T_OK(ecs_buf_puts(&b, "12345678") == 0 && b.len == 8 && b.data[8] == 0,
	     "fill to max, NUL-terminated");
	T_OK(ecs_buf_append(&b, "9", 1) == -E2BIG && b.len == 8 &&
		     strcmp((char *)b.data, "12345678") == 0,
	     "one byte over max: -E2BIG, unchanged");
	T_OK(ecs_buf_append(&b, "", 0) == 0 && b.len == 8, "empty append at max");
	ecs_buf_clear(&b);
	T_OK(b.len == 0 && b.data && b.data[0] == 0, "clear keeps the allocation, empty string");
	T_OK(ecs_buf_append(&b, "x", SIZE_MAX) == -E2BIG, "huge length refused without overflow");
	ecs_buf_free(&b);
	T_OK(b.data == NULL && b.len == 0 && b.max == 8, "free leaves an empty reusable buffer");
}

static void
test_truncate(void)
{
	struct ecs_buf b;
	uint8_t *old;

	ecs_buf_init(&b, 64);
	ecs_buf_truncate(&b, 0);
	T_OK(b.data == NULL && b.len == 0, "truncate of a never-used buffer is harmless");
	ecs_buf_puts(&b, "public:secret");
	old = b.data;
	ecs_buf_truncate(&b, 7);
	T_OK(b.len == 7 && strcmp((char *)b.data, "public:") == 0 && b.data == old,
	     "truncate keeps the prefix and the allocation");
	T_OK(b.data[8] == 0 && b.data[12] == 0, "the dropped bytes are wiped");
	ecs_buf_truncate(&b, 50);
	T_OK(b.len == 7, "truncate past the end changes nothing");
	ecs_buf_free(&b);
}

static void
test_growth(void)
{
	struct ecs_buf b;
	char chunk[1000];
	size_t i;
	int ok = 1;

	ecs_buf_init(&b, 1 << 20);
	for (i = 0; i < 300 && ok; i++) {
		memset(chunk, 'a' + (int)(i % 26), sizeof(chunk));
		ok = ecs_buf_append(&b, chunk, sizeof(chunk)) == 0;
	}
	T_OK(ok && b.len == 300000 && b.cap > b.len && b.data[b.len] == 0,
	     "grows through many reallocations");
	T_OK(b.data[0] == 'a' && b.data[299999] == 'a' + 299 % 26, "content kept across growth");
	ecs_buf_free(&b);

	ecs_buf_init(&b, 1 << 20);
	ecs_buf_puts(&b, "abcdefgh");
	/* appending the buffer to itself must survive the reallocation */
	for (i = 0; i < 8 && ok; i++)
		ok = ecs_buf_append(&b, b.data, b.len) == 0;
	T_OK(ok && b.len == 8 << 8 && memcmp(b.data + b.len - 8, "abcdefgh", 8) == 0,
	     "self-append across reallocations");
	ecs_buf_free(&b);
}

static void
test_printf(void)
{
	struct ecs_buf b;
	char big[600];

	ecs_buf_init(&b, 1000);
	T_OK(ecs_buf_printf(&b, "%s=%d", "n", 42) == 0 && strcmp((char *)b.data, "n=42") == 0,
	     "printf appends");
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	T_OK(ecs_buf_printf(&b, "[%s]", big) == 0 && b.len == 4 + 601 && b.data[b.len - 1] == ']',
	     "printf longer than the stack staging area");
	T_OK(ecs_buf_printf(&b, "%s", big) == -E2BIG && b.len == 605, "printf over max: -E2BIG");
	ecs_buf_free(&b);
}

static void
test_take(void)
{
	struct ecs_buf b;
	uint8_t *p;
	size_t n = 99;

	ecs_buf_init(&b, 64);
	p = ecs_buf_take(&b, &n);
	T_OK(p == NULL && n == 0, "take of a never-used buffer is NULL, 0");
	ecs_buf_puts(&b, "secret");
	p = ecs_buf_take(&b, &n);
	T_OK(p && n == 6 && strcmp((char *)p, "secret") == 0 && b.data == NULL && b.len == 0,
	     "take hands over the data and empties the buffer");
	ecs_free_secret(p, n + 1);
	T_OK(ecs_buf_puts(&b, "again") == 0 && b.len == 5, "buffer usable after take");
	ecs_buf_free(&b);
}

int
main(void)
{
	test_caps();
	test_truncate();
	test_growth();
	test_printf();
	test_take();
	T_DONE();
}
