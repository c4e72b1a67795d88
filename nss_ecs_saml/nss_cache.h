/* nss_cache.h — the NSS module's per-process view of the configuration and the user map.
 *
 * Both files are re-read only when stat(2) says they changed (device, inode, size, mtime,
 * ctime); the helper replaces the map by rename, so a change always shows as a new inode.
 * The map is mmap'ed read-only and binary-searched in place (see ecs_usermap.h), so a lookup
 * costs two stat calls and a few page touches. A snapshot is reference-counted so an
 * enumeration keeps its own while lookups move on to a newer map.
 *
 * Only the cache lives here; what a name or a UID resolves to is nss_lookup.c's.
 */
#ifndef ECS_NSS_CACHE_H
#define ECS_NSS_CACHE_H

#include <regex.h>

#include "ecs_conf.h"
#include "ecs_names.h"
#include "ecs_usermap.h"

struct ecs_nss_snap;

/* What a lookup sees while it holds the cache lock. All borrowed. */
struct ecs_nss_view {
	const struct ecs_conf *conf;
	const regex_t *first_login;	/* NULL when the rule is off */
	const struct ecs_name_policy *names;	/* the user-name policy */
	const struct ecs_usermap *db;
};

/* Lock the cache, refresh it from disk if needed and fill v. On success the caller must
 * call ecs_nss_view_release(). -ENODATA (no config or no map), -ECS_ECONFIG, -EBADMSG,
 * -EPERM (unsafe ownership or mode), -EFBIG, -ENOMEM; the lock is not held on failure. */
int ecs_nss_view_acquire(struct ecs_nss_view *v);
void ecs_nss_view_release(void);

/* Take a reference on the current snapshot for an enumeration (refreshing first); the
 * group name and GID are copied out with it. Release with ecs_nss_snap_put. */
int ecs_nss_snap_get(struct ecs_nss_snap **out, const struct ecs_usermap **db,
		     char group[ECS_NAME_USER_MAX + 1], uint32_t *gid);
void ecs_nss_snap_put(struct ecs_nss_snap *s);

#endif
