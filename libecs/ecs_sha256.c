/* ecs_sha256.c — SHA-256 per FIPS 180-4, written plainly; speed is not the point here
 * (at most 100 kB are hashed per login). */
#include <string.h>

#include "ecs_secmem.h"
#include "ecs_sha256.h"

static const uint32_t ecs_sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
	0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
	0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
	0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
	0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
	0xc67178f2,
};

static uint32_t
ecs_ror(uint32_t x, unsigned n)
{
	return x >> n | x << (32 - n);
}

static void
ecs_sha256_block(struct ecs_sha256 *s, const uint8_t *p)
{
	uint32_t w[64];
	uint32_t a, b, c, d, e, f, g, h, t1, t2;
	unsigned i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (i = 16; i < 64; i++) {
		uint32_t s0 = ecs_ror(w[i - 15], 7) ^ ecs_ror(w[i - 15], 18) ^ w[i - 15] >> 3;
		uint32_t s1 = ecs_ror(w[i - 2], 17) ^ ecs_ror(w[i - 2], 19) ^ w[i - 2] >> 10;

		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = s->h[0];
	b = s->h[1];
	c = s->h[2];
	d = s->h[3];
	e = s->h[4];
	f = s->h[5];
	g = s->h[6];
	h = s->h[7];
	for (i = 0; i < 64; i++) {
		t1 = h + (ecs_ror(e, 6) ^ ecs_ror(e, 11) ^ ecs_ror(e, 25)) + ((e & f) ^ (~e & g)) +
		     ecs_sha256_k[i] + w[i];
		t2 = (ecs_ror(a, 2) ^ ecs_ror(a, 13) ^ ecs_ror(a, 22)) +
		     ((a & b) ^ (a & c) ^ (b & c));
		h = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	s->h[0] += a;
	s->h[1] += b;
	s->h[2] += c;
	s->h[3] += d;
	s->h[4] += e;
	s->h[5] += f;
	s->h[6] += g;
	s->h[7] += h;
	/* the schedule holds the input (a SAML Response) in the clear */
	ECS_WIPE_OBJ(w);
}

void
ecs_sha256_init(struct ecs_sha256 *s)
{
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};

	memcpy(s->h, iv, sizeof(iv));
	s->bits = 0;
	s->fill = 0;
	memset(s->block, 0, sizeof(s->block));
}

void
ecs_sha256_update(struct ecs_sha256 *s, const void *p, size_t n)
{
	const uint8_t *in = p;

	s->bits += (uint64_t)n * 8;
	while (n) {
		size_t take = sizeof(s->block) - s->fill;

		if (take > n)
			take = n;
		memcpy(s->block + s->fill, in, take);
		s->fill += take;
		in += take;
		n -= take;
		if (s->fill == sizeof(s->block)) {
			ecs_sha256_block(s, s->block);
			s->fill = 0;
		}
	}
}

void
ecs_sha256_final(struct ecs_sha256 *s, uint8_t out[ECS_SHA256_LEN])
{
	uint64_t bits = s->bits;
	unsigned i;

	s->block[s->fill++] = 0x80;
	if (s->fill > 56) {
		memset(s->block + s->fill, 0, sizeof(s->block) - s->fill);
		ecs_sha256_block(s, s->block);
		s->fill = 0;
	}
	memset(s->block + s->fill, 0, 56 - s->fill);
	for (i = 0; i < 8; i++)
		s->block[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
	ecs_sha256_block(s, s->block);
	for (i = 0; i < 8; i++) {
		out[4 * i] = (uint8_t)(s->h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(s->h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(s->h[i] >> 8);
		out[4 * i + 3] = (uint8_t)s->h[i];
	}
	ecs_wipe(s, sizeof(*s));
}

void
ecs_sha256(const void *p, size_t n, uint8_t out[ECS_SHA256_LEN])
{
	struct ecs_sha256 s;

	ecs_sha256_init(&s);
	ecs_sha256_update(&s, p, n);
	ecs_sha256_final(&s, out);
}
