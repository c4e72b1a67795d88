/* ecs_safefile.h — fd-relative file access for privileged code.
 *
 * Root never opens a path by string inside a directory another uid can write. Directories
 * are walked component by component with openat(O_DIRECTORY|O_NOFOLLOW|O_CLOEXEC) and checked
 * with fstat; files are created O_CREAT|O_EXCL|O_NOFOLLOW under an explicit mode, written
 * fully, fsync'ed, then renamed into place. Every function returns 0 or -errno
 * (-ELOOP for a symlink where a file or directory was expected, -EPERM for a wrong owner
 * or mode, -EFBIG for a file over its size cap, -EINVAL for a name that is not a single
 * path component or a file that is not a regular file). */
#ifndef ECS_SAFEFILE_H
#define ECS_SAFEFILE_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>
#include "ecs_buf.h"
#include "ecs_io.h"

#define ECS_UID_ANY ((uid_t)-1)

/* Open an existing absolute directory path, walking from "/" without following symlinks.
 * Every component must be owned by root or by trusted_uid (ECS_UID_ANY = any owner) and must
 * not be writable by group or others unless it is sticky (/tmp). Caller closes *dfd_out. */
int ecs_safe_open_dir(const char *abs_path, uid_t trusted_uid, int *dfd_out);

/* Open the directory `name` inside dfd, creating it with `mode` if missing. It must not be a
 * symlink, must be owned by uid:gid and have exactly `mode` (a pre-existing one with other
 * owner or mode is -EPERM, never "fixed"). Caller closes *out. */
int ecs_safe_mkdirat(int dfd, const char *name, mode_t mode, uid_t uid, gid_t gid, int *out);

/* Read the regular file `name` inside dfd (O_NOFOLLOW) into out, at most max bytes.
 * When owner != ECS_UID_ANY the file must be owned by owner and not group/other writable.
 * st_out may be NULL. */
int ecs_safe_read_at(int dfd, const char *name, uid_t owner, size_t max, struct ecs_buf *out,
		     struct stat *st_out);

/* ecs_safe_read_at on an absolute path: the parent directories are walked with
 * ecs_safe_open_dir(trusted_uid = owner). */
int ecs_safe_read_path(const char *abs_path, uid_t owner, size_t max, struct ecs_buf *out,
		       struct stat *st_out);

/* What a negative result r of ecs_safe_read_path() means, in words an operator can act on,
 * written into buf (max: the size limit the read had). Returns buf. */
const char *ecs_safe_read_why(int r, size_t max, char *buf, size_t bufsz);

/* Atomically create or replace `name` inside dfd with data: an O_EXCL temporary next to
 * it, write-all, fchmod(mode), fsync, renameat, fsync of the directory. The temporary is
 * removed on any failure, so readers see the old file or the new one, never a torn one.
 * The file is owned by the caller's fsuid/fsgid. */
int ecs_safe_write_atomic(int dfd, const char *name, const void *data, size_t len, mode_t mode);

/* Create `name` exclusively (fails with -EEXIST if present) with data, fsync'ed.
 * Used for one-shot markers such as replay-cache entries. */
int ecs_safe_create_excl(int dfd, const char *name, const void *data, size_t len, mode_t mode);

/* Remove `name` inside dfd: a file, or a directory tree (depth <= 8) walked without
 * following symlinks. ENOENT is success; a deeper tree is -ENOTEMPTY. */
int ecs_safe_remove_at(int dfd, const char *name);

#endif
