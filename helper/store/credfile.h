/* credfile.h — a session's AWS credentials on disk.
 *
 * Layout: <runtime>/pam_ecs_saml/<tag>/credentials and .../config, where
 *   <runtime> = /run/user/UID when that exists (it must then be a real directory owned by
 *               UID with mode 0700 — anything else is refused, never fixed), else the
 *               fallback /dev/shm/pam_ecs_saml/UID (root-made by ecs_cred_prepare:
 *               /dev/shm/pam_ecs_saml is root:root 0755, UID/ is UID:GID 0700, and goes
 *               with the user's last session: ecs_cred_release);
 *   <tag>     = the session tag (32 lowercase hex, ecs_name_token_ok), one directory per PAM
 *               session so closing one session never touches another.
 * pam_ecs_saml/ and <tag>/ are 0700, both files 0600, all owned by the user. Files are
 * written fd-relative (ecs_safefile.h): no symlink is followed, a directory of the wrong owner
 * or mode is refused, each file goes through an O_EXCL temporary, fsync and rename, so a
 * reader never sees a torn file and a full file system leaves nothing behind.
 *
 * credentials:  [default] aws_access_key_id / aws_secret_access_key / aws_session_token
 * config:       [default] region (plus the expiry and the assumed role as comments), then
 *               the site's aws_config_snippet lines (aws_snippet.h) when configured
 *
 * Privileges: ecs_cred_prepare runs as root before the drop; ecs_cred_write and
 * ecs_cred_remove run as the user (after a permanent drop), so the kernel itself stops them
 * from touching anything the user could not.
 */
#ifndef ECS_CREDFILE_H
#define ECS_CREDFILE_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>
#include "sts_types.h"

/* Why the fallback is in /dev/shm. Its UID/ directory is the user's, and a user can fill
 * whatever file system it is on. In /run it shared a file system with the helper's spool:
 * one user filling it stopped every later login (no ticket could be written). /dev/shm is
 * a tmpfs of its own on every systemd or Debian host, kept in memory like /run (the files
 * hold credentials: never on disk), and every user can fill it already, so the fallback
 * adds no new way to fill anything root depends on. ecs_cred_fallback_apart checks that
 * it is not the spool's file system; ecs_cred_release removes it with the last session.
 * A host that wants a size limit per user runs pam_systemd: logind mounts each
 * /run/user/UID as its own tmpfs (RuntimeDirectorySize), used in preference. */
#define ECS_CRED_RUN_USER "/run/user"
#define ECS_CRED_FALLBACK "/dev/shm/pam_ecs_saml"
#define ECS_CRED_SUBDIR "pam_ecs_saml"

/* Where runtime directories live. NULL (or a NULL member) means the defaults above;
 * tests point both at a scratch tree. Both must be absolute. */
struct ecs_cred_roots {
	const char *run_user;	/* parent of UID directories made by pam_systemd */
	const char *fallback;	/* parent of UID directories made by ecs_cred_prepare */
};

/* Paths of one session's files, for export (AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE). */
struct ecs_cred_paths {
	char dir[PATH_MAX];
	char credentials[PATH_MAX];
	char config[PATH_MAX];
};

/* As root, before dropping privileges: when <run_user>/UID does not exist, make sure
 * <fallback>/UID does (creating the root-owned parents 0755 and UID/ as uid:gid 0700).
 * A pre-existing one with another owner or mode is -EPERM. 0 or -errno. */
int ecs_cred_prepare(const struct ecs_cred_roots *roots, uid_t uid, gid_t gid);

/* As the user: write the credentials and config files of session `tag`, region in config
 * (NULL = omitted), then site (checked lines of aws_config_snippet, each ending in a newline;
 * NULL = none). Fills *paths. 0, or -errno: -ENOENT (no runtime directory), -EPERM
 * (a directory with the wrong owner or mode), -ELOOP (a symlink where a directory was
 * expected), -EEXIST (the session directory already exists), -ENOSPC / -EDQUOT (full),
 * -EINVAL (bad tag or a credential value that could break the file format). On failure
 * nothing of this session is left behind. */
int ecs_cred_write(const struct ecs_cred_roots *roots, uid_t uid, gid_t gid, const char *tag,
		   const struct ecs_sts_creds *creds, const char *region, const char *site,
		   struct ecs_cred_paths *paths);

/* As root: 0 when the fallback's parent directory is on another file system than the
 * directory spool (both must exist), -EXDEV when they share one (a user filling their
 * fallback directory would fill the spool), or -errno. */
int ecs_cred_fallback_apart(const struct ecs_cred_roots *roots, const char *spool);

/* true when uid has no <run_user>/UID, so its credentials go to the fallback. */
bool ecs_cred_uses_fallback(const struct ecs_cred_roots *roots, uid_t uid);

/* true when <fallback>/UID exists as uid's runtime directory. */
bool ecs_cred_has_fallback(const struct ecs_cred_roots *roots, uid_t uid);

/* As root: lock the fallback's parent directory (flock; with create, made as ecs_cred_prepare
 * does, else -ENOENT when missing). Held around "prepare and record a session" and "the last
 * session went: release", so a session that opens while the last one closes keeps its
 * directory. Caller closes *fd. 0 or -errno. */
int ecs_cred_fallback_lock(const struct ecs_cred_roots *roots, bool create, int *fd);

/* As the user: empty <fallback>/UID (everything in it, to depth 8, without following a
 * symbolic link). A missing directory is success. 0 or -errno. */
int ecs_cred_empty(const struct ecs_cred_roots *roots, uid_t uid);

/* As root, under ecs_cred_fallback_lock, after ecs_cred_empty: remove the emptied
 * <fallback>/UID. A missing one is success; one refilled meanwhile is -ENOTEMPTY. */
int ecs_cred_release(const struct ecs_cred_roots *roots, uid_t uid);

/* As root: call fn(uid, gid, ctx) for every <fallback>/UID directory (uid, gid: its owner),
 * for gc. Stops at the first fn that fails and returns that. 0 or -errno; no fallback is 0. */
int ecs_cred_fallback_each(const struct ecs_cred_roots *roots,
			   int (*fn)(uid_t uid, gid_t gid, void *ctx), void *ctx);

/* As the user: remove session `tag`'s directory (in whichever runtime directory holds it)
 * and nothing else. A session already gone is success. 0 or -errno. */
int ecs_cred_remove(const struct ecs_cred_roots *roots, uid_t uid, const char *tag);

/* As the user: open session `tag`'s directory (in whichever runtime directory holds it;
 * each level a real directory of uid's, mode 0700, no symlink followed) into *out, for
 * what else lives there (ecs-saml-exec's records, ecs_exec_rec.h). 0, -ENOENT, -EPERM,
 * -ELOOP, -ENOTDIR, -EINVAL (bad tag) or -errno. */
int ecs_cred_open_session(const struct ecs_cred_roots *roots, uid_t uid, const char *tag,
			  int *out);

#endif
