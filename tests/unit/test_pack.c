/* test_pack.c — encoding=packed1's byte alphabet and its preset dictionary (ecs_pack.h).
 *
 * The alphabet must carry every byte value, spell each stream one way only, and refuse any
 * other spelling without leaving half of it behind; the dictionary is part of the wire, so
 * its bytes are pinned by their digest: a change to them is a new encoding, not an edit. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ecs_buf.h"
#include "ecs_pack.h"
#include "ecs_sha256.h"
#include "tap.h"

#define DICT1_SHA256 "f822b1413400f99893b7ded9f247f0824a9ad8493be11e81758676567ddbd3f3"
#define DICT1_LEN 7511

/* Unescape s[n] into a buffer already holding "keep": the result, and whether the buffer
 * still holds exactly "keep" (nothing appended) afterwards when it fails. */
static int
unescape_keeps(const char *s, size_t n, int *kept)
{
	struct ecs_buf b;
	int r;

	ecs_buf_init(&b, 1 << 16);
	ecs_buf_puts(&b, "keep");
	r = ecs_pack_unescape(s, n, &b);
	*kept = b.len == 4 && memcmp(b.data, "keep", 4) == 0;
	ecs_buf_free(&b);
	return r;
}

static void
round_trip(void)
{
	uint8_t all[256];
	struct ecs_buf esc, back;
	bool clean = true;

	for (unsigned i = 0; i < 256; i++)
		all[i] = (uint8_t)i;
	ecs_buf_init(&esc, 1024);
	ecs_buf_init(&back, 1024);
	T_OK(ecs_pack_escape(all, sizeof(all), &esc) == 0 && esc.len == 256 + 4,
	     "all 256 byte values: 260 bytes, four of them escaped");
	for (size_t i = 0; i < esc.len; i++)
		clean = clean && esc.data[i] != 0x00 && esc.data[i] != '\n' && esc.data[i] != '\r';
	T_OK(clean, "no NUL, LF or CR in the escaped form");
	T_OK(ecs_pack_unescape((const char *)esc.data, esc.len, &back) == 0 &&
		     back.len == 256 && memcmp(back.data, all, 256) == 0,
	     "... which unescapes to them again");
	ecs_buf_free(&esc);
	ecs_buf_free(&back);
}

static void
escapes(void)
{
	static const uint8_t in[] = { 0x00, '\n', '\r', ECS_PACK_ESC, 'A' };
	static const char want[] = "\x01\x40\x01\x4a\x01\x4d\x01\x41" "A";
	struct ecs_buf b, small;

	ecs_buf_init(&b, 64);
	T_OK(ecs_pack_escape(in, sizeof(in), &b) == 0 && b.len == sizeof(want) - 1 &&
		     memcmp(b.data, want, b.len) == 0,
	     "NUL, LF, CR and the escape go as 0x01 then the byte XOR 0x40; 'A' as itself");
	ecs_buf_free(&b);
	ecs_buf_init(&small, 6);
	ecs_buf_puts(&small, "ab");
	T_OK(ecs_pack_escape(in, sizeof(in), &small) == -E2BIG && small.len == 2 &&
		     memcmp(small.data, "ab", 2) == 0,
	     "an escaped form over the buffer's cap is -E2BIG, nothing appended");
	ecs_buf_free(&small);
}

static void
malformed(void)
{
	static const struct {
		const char *s;
		size_t n;
		const char *why;
	} bad[] = {
		{ "ab\x01", 3, "a lone escape at the end" },
		{ "\x01" "B", 2, "an escape of 0x02, which travels as itself" },
		{ "\x01\x01", 2, "an escape followed by an escape" },
		{ "a\nb", 3, "a raw LF" },
		{ "a\rb", 3, "a raw CR" },
		{ "a\0b", 3, "a raw NUL" },
		{ "ok\x01\x40ok\x01", 7, "a good escape, then a lone one" },
	};
	int kept;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		T_OK(unescape_keeps(bad[i].s, bad[i].n, &kept) == -EBADMSG && kept,
		     "refused with -EBADMSG, nothing appended: %s", bad[i].why);
	T_OK(unescape_keeps("", 0, &kept) == 0 && kept, "the empty text is the empty stream");
}

static void
dictionary(void)
{
	uint8_t d[ECS_SHA256_LEN];
	char hex[2 * ECS_SHA256_LEN + 1];

	ecs_sha256(ecs_pack_dict1, ecs_pack_dict1_len, d);
	for (size_t i = 0; i < sizeof(d); i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	T_OK(ecs_pack_dict1_len == DICT1_LEN && strcmp(hex, DICT1_SHA256) == 0,
	     "dictionary 1 is the wire's: %zu bytes, SHA-256 %s", ecs_pack_dict1_len, hex);
}

int
main(void)
{
	round_trip();
	escapes();
	malformed();
	dictionary();
	T_DONE();
}
