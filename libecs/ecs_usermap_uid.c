/* ecs_usermap_uid.c — the derived UID of a federated user (see ecs_usermap_uid.h). */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "ecs_sha256.h"
#include "ecs_usermap_uid.h"

#define UID_SALT "ecs-saml-uid-v1"	/* hashed with its NUL: version 1 of the derivation */

int
ecs_usermap_derive_uid(const char *name, uint32_t min, uint32_t max, uint32_t *out)
{
	static const char salt[] = UID_SALT;	/* sizeof includes the NUL, which is hashed */
	struct ecs_sha256 s;
	uint8_t md[ECS_SHA256_LEN];
	uint64_t h = 0;
	uint64_t span;
	unsigned i;

	if (min > max)
		return -EINVAL;
	ecs_sha256_init(&s);
	ecs_sha256_update(&s, salt, sizeof(salt));
	ecs_sha256_update(&s, name, strlen(name));
	ecs_sha256_final(&s, md);
	for (i = 0; i < 8; i++)
		h = h << 8 | md[i];
	span = (uint64_t)max - min + 1;
	*out = (uint32_t)(min + h % span);
	return 0;
}
