/* ecs_sha256.h — SHA-256 (FIPS 180-4) for the conversation protocol's digest check.
 * libc-only on purpose: the PAM module and the client must not link a crypto library. */
#ifndef ECS_SHA256_H
#define ECS_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define ECS_SHA256_LEN 32	/* bytes in a digest */

struct ecs_sha256 {
	uint32_t h[8];
	uint64_t bits;
	uint8_t block[64];
	size_t fill;
};

void ecs_sha256_init(struct ecs_sha256 *s);
void ecs_sha256_update(struct ecs_sha256 *s, const void *p, size_t n);
void ecs_sha256_final(struct ecs_sha256 *s, uint8_t out[ECS_SHA256_LEN]);	/* wipes s */
void ecs_sha256(const void *p, size_t n, uint8_t out[ECS_SHA256_LEN]);

#endif
