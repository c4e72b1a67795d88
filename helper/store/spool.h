/* spool.h — the helper's root-only state under /run/pam_ecs_saml. */
#ifndef ECS_SPOOL_H
#define ECS_SPOOL_H

#include <dirent.h>

#include "ecs_names.h"

/* A fresh name for a spool entry: ECS_NAME_TOKEN_LEN lowercase hex characters from
 * getrandom (ecs_name_token_ok). Ticket ids and session tags are minted here, by the
 * helper, never by the module. 0 or -EIO. */
int ecs_spool_new_id(char id[ECS_NAME_TOKEN_LEN + 1]);

/* Open (creating if needed) <spool>/<sub>: spool root-owned 0755 (credfile.h shares it),
 * sub root-owned 0700. spool is an absolute path whose parents are root-owned and not
 * writable by others. Caller closes *dfd. 0 or -errno (-EPERM for a wrong owner or mode). */
int ecs_spool_open(const char *spool, const char *sub, int *dfd);

/* ecs_spool_open for a sweep: *dfd for the *at() calls and *dir, on a duplicate of it, for
 * readdir. On success the caller closes both (closedir, ecs_close); on failure neither is
 * open. 0 or -errno. */
int ecs_spool_opendir(const char *spool, const char *sub, int *dfd, DIR **dir);

#endif
