/* test_sha256.c — SHA-256 against FIPS 180-4 / NIST known answers, streaming equivalence. */
#include <stdio.h>
#include <string.h>

#include "ecs_sha256.h"
#include "tap.h"

static void
hex(const uint8_t d[32], char out[65])
{
	int i;

	for (i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static int
digest_is(const void *p, size_t n, const char *want)
{
	uint8_t d[32];
	char h[65];

	ecs_sha256(p, n, d);
	hex(d, h);
	return strcmp(h, want) == 0;
}

int
main(void)
{
	static const char two_block[] =
		"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	static char million[1000000];
	struct ecs_sha256 s;
	uint8_t d1[32], d2[32];
	size_t i;
	int all_zero = 1;

	T_OK(digest_is("", 0,
		       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
	     "empty string");
	T_OK(digest_is("abc", 3,
		       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
	     "abc");
	T_OK(digest_is(two_block, strlen(two_block),
		       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
	     "448-bit message (padding spills into a second block)");
	memset(million, 'a', sizeof(million));
	T_OK(digest_is(million, sizeof(million),
		       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
	     "one million 'a'");

	/* feeding odd-sized pieces must give the one-shot digest */
	ecs_sha256_init(&s);
	for (i = 0; i < sizeof(million);) {
		size_t n = (i % 131) + 1;

		if (n > sizeof(million) - i)
			n = sizeof(million) - i;
		ecs_sha256_update(&s, million + i, n);
		i += n;
	}
	ecs_sha256_final(&s, d1);
	ecs_sha256(million, sizeof(million), d2);
	T_OK(memcmp(d1, d2, 32) == 0, "streaming in uneven pieces equals one shot");

	for (i = 0; i < sizeof(s); i++)
		if (((unsigned char *)&s)[i] != 0)
			all_zero = 0;
	T_OK(all_zero, "final wipes the context");

	/* 55 bytes leave room for the length in the last block, 56 do not, 64 fill it */
	T_OK(digest_is(million, 55,
		       "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
	     "55 'a'");
	T_OK(digest_is(million, 56,
		       "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
	     "56 'a' (the length spills into a second block)");
	T_OK(digest_is(million, 64,
		       "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
	     "64 'a' (one full block, then padding)");
	T_DONE();
}
