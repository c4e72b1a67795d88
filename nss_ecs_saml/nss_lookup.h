/* nss_lookup.h — what a user name or a UID resolves to, inside one view of the cache.
 *
 * The cache (nss_cache.h) decides which configuration and which map a lookup sees; this
 * decides what the module answers from them: a user of the map, a first-login user
 * synthesized from the name, or nobody. The entry points in nss_ecs_saml.c only pack the
 * answer and map the status.
 */
#ifndef ECS_NSS_LOOKUP_H
#define ECS_NSS_LOOKUP_H

#include <stdbool.h>
#include <stdint.h>

#include "ecs_usermap.h"
#include "nss_cache.h"

/* Resolve a name from the map, then, inside sshd only (ecs_nss_in_sshd), by the first-login
 * rule: a synthesized entry for a name that matches nss_first_login and the user-name policy
 * and whose derived UID is free in the map, *first_login set. The caller still asks the
 * other sources (nss_others.h) before answering for a synthesized name. 0, -ENOENT or
 * -EBADMSG. */
int ecs_nss_resolve_name(const struct ecs_nss_view *v, const char *name,
			 struct ecs_usermap_user *u, bool *first_login);

/* Resolve a UID the way getpwuid does: only a live user of the map; a tombstone keeps its
 * UID taken but names nobody. 0, -ENOENT or -EBADMSG. */
int ecs_nss_resolve_uid(const struct ecs_nss_view *v, uint32_t uid, struct ecs_usermap_user *u);

#endif
