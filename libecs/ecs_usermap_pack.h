/* ecs_usermap_pack.h — map entries packed for glibc's NSS *_r calls.
 *
 * glibc hands the module one buffer per call; every string (and the group's member array)
 * must live inside it. Too small a buffer is -ERANGE, glibc's cue to retry with a bigger one,
 * and leaves nothing the caller may use.
 */
#ifndef ECS_USERMAP_PACK_H
#define ECS_USERMAP_PACK_H

#include <grp.h>
#include <pwd.h>
#include <stddef.h>
#include <stdint.h>

#include "ecs_usermap.h"

/* A user as struct passwd, password "x". 0 or -ERANGE. */
int ecs_usermap_pack_passwd(const struct ecs_usermap_user *u, struct passwd *pw, char *buf,
			   size_t buflen);
/* The federated group; its members are every user of db (db may be NULL: no members).
 * -ERANGE, or -EBADMSG from a malformed user line. */
int ecs_usermap_pack_group(const char *name, uint32_t gid, const struct ecs_usermap *db,
			  struct group *gr, char *buf, size_t buflen);

#endif
