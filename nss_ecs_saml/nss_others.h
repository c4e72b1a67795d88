/* nss_others.h — where this module stands among the sources of nsswitch.conf.
 *
 * The module answers only for federated users: the names of its map and, during a first
 * login, names that no other source knows. It never speaks for an account of files, LDAP or
 * any other source, in any lookup: getpwnam, the group's member list and initgroups apply
 * the same rule, the one the helper applies at login (usermap_file.c).
 *
 * Asking the other sources is a nested lookup through glibc, which calls this module again;
 * while a thread asks, every entry point of this module answers NOTFOUND at once
 * (ecs_nss_others_asking), so the inner call sees only the other sources.
 */
#ifndef ECS_NSS_OTHERS_H
#define ECS_NSS_OTHERS_H

#include <grp.h>
#include <stdbool.h>
#include <stdint.h>

#include "ecs_usermap.h"

/* true while this thread is asking the other sources: the caller must answer NOTFOUND. */
bool ecs_nss_others_asking(void);

/* Whether another source has an account called name with a UID other than uid.
 * 1 it does (the name is that source's), 0 no other source has it (or only with uid: a cache
 * such as nscd in front of NSS repeats this module's own entry), -errno when a source failed
 * and no one can tell. */
int ecs_nss_others_claim(const char *name, uint32_t uid);

/* Whether this process is an SSH daemon: its name (comm) is "sshd" or begins with "sshd-"
 * (sshd-session of OpenSSH 9.8 and later, or an instance started under another PAM service
 * name). Only there does the first-login rule apply: sshd must resolve a user before it
 * hands the login to PAM, and nothing else on the host (useradd, id, getent) may see an
 * account that does not exist yet. */
bool ecs_nss_in_sshd(void);

/* Drop from gr's member list (packed from db) every name another source claims, keeping the
 * order; a source that fails keeps the member (the map is authoritative, and the helper
 * refuses such a login with the reason). 0 or -EBADMSG (a member db cannot read). */
int ecs_nss_others_prune(struct group *gr, const struct ecs_usermap *db);

#endif
