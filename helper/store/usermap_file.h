/* usermap_file.h — the helper's side of the federated-user map (STATE_DIR/usermap).
 *
 * Every change follows the same path: flock(STATE_DIR/usermap.lock), read the current map,
 * change it in memory, write the whole map again with ecs_safe_write_atomic (0644, root), so
 * NSS readers never wait on the lock and always see the old map or the new one. The format
 * is in ecs_usermap.h and ecs-saml-usermap(5).
 *
 * UIDs: a new user gets the versioned hash of the name (ecs_usermap_derive_uid) inside
 * [nss_uid_min, nss_uid_max], unless an administrator pinned one. A UID is never handed out
 * twice: removing a user leaves a tombstone that keeps the UID taken.
 *
 * Each function returns 0 or -errno / -ECS_E*; on failure `why` (may be NULL) holds one
 * line for the user and the log, e.g. "UID 1668312345 derived for bob is already held by
 * alice; an administrator can pin another: ecs-saml-helper users pin bob UID".
 */
#ifndef ECS_USERMAP_FILE_H
#define ECS_USERMAP_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "ecs_buf.h"
#include "ecs_conf.h"
#include "ecs_usermap.h"

/* Record a successful authentication of `user` by the IdP `issuer` (its entity ID): create
 * the entry on first login (derived UID, nss_gid, home from nss_home, nss_shell, GECOS from
 * display_name when not NULL/empty, issuer) or update last login and GECOS. A user name
 * belongs to one IdP: a user recorded with another issuer is refused with -ECS_EREJECT
 * (an administrator moves a user with ecs_usermap_move_idp); an entry without one (a map
 * from before issuers were recorded, a user pinned by hand) takes this login's. Refused with -ECS_ECOLLISION when the derived UID is held
 * by another map entry or tombstone, or by another account of the system's other NSS
 * sources (getpwuid_r), or when the name already resolves elsewhere to another UID; the
 * system check runs on every login, so an account created later elsewhere stops it. A
 * getpw*_r that fails (other than ERANGE, retried with a bigger buffer) is -errno.
 * -EINVAL for a name the user-name policy refuses (ecs_names.h). */
int ecs_usermap_record(const struct ecs_conf *c, const char *user, const char *issuer,
		       const char *display_name, time_t now, char *why, size_t whysz);

/* Give `user` to the IdP `issuer` (an administrator's decision: the user's next logins must
 * come from it, the old IdP's are refused). -ENOENT if there is no such user, -EINVAL for an
 * issuer that cannot be stored (ecs_usermap_issuer_ok). */
int ecs_usermap_move_idp(const struct ecs_conf *c, const char *user, const char *issuer,
			 char *why, size_t whysz);

/* Create an empty map if none exists (the NSS module answers UNAVAIL without one). */
int ecs_usermap_init(const struct ecs_conf *c, char *why, size_t whysz);

/* Pin `user` to uid: creates the entry if needed, or moves an existing user to uid (its old
 * UID becomes a tombstone). -EINVAL for a name the user-name policy refuses (ecs_names.h);
 * -ECS_ECOLLISION if uid is held by anyone else or retired; -ERANGE outside
 * [nss_uid_min, nss_uid_max]. */
int ecs_usermap_pin(const struct ecs_conf *c, const char *user, uint32_t uid, time_t now,
		    char *why, size_t whysz);

/* Remove `user`, keeping a tombstone of its UID. -ENOENT if there is no such user. */
int ecs_usermap_remove(const struct ecs_conf *c, const char *user, time_t now, char *why,
		       size_t whysz);

/* Read the current map for display: *image holds the bytes (caller frees with
 * ecs_buf_free), db is a view into it. -ENOENT when there is no map yet. */
int ecs_usermap_read(const struct ecs_conf *c, struct ecs_buf *image, struct ecs_usermap *db,
		     char *why, size_t whysz);

#endif
