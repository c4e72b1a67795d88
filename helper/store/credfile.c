/* credfile.c — a session's credentials and config files (see credfile.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "credfile.h"
#include "ecs_buf.h"
#include "ecs_names.h"
#include "ecs_safefile.h"
#include "ecs_str.h"
#include "ecs_time.h"

#define DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
#define FILE_MAX (256 * 1024)
#define MAX_MISSING 8	/* components ecs_cred_prepare may create below an existing dir */

static const char *
run_user_base(const struct ecs_cred_roots *roots)
{
	return roots && roots->run_user ? roots->run_user : ECS_CRED_RUN_USER;
}

static const char *
fallback_base(const struct ecs_cred_roots *roots)
{
	return roots && roots->fallback ? roots->fallback : ECS_CRED_FALLBACK;
}

/* The owner and mode a runtime directory must have. */
static int
check_uid_dir(const struct stat *st, uid_t uid)
{
	if (S_ISLNK(st->st_mode))
		return -ELOOP;
	if (!S_ISDIR(st->st_mode))
		return -ENOTDIR;
	if (st->st_uid != uid || (st->st_mode & 07777) != 0700)
		return -EPERM;
	return 0;
}

/* Open <base>/UID as uid's runtime directory: a real directory owned by uid, mode 0700.
 * -ENOENT when base or UID is absent; -ELOOP for a symlink; -EPERM for anything else.
 * The entry is judged by lstat before it is opened, so a directory of another user is
 * "not yours" (-EPERM) rather than "cannot open" (-EACCES); the opened one is checked again
 * so a swap in between is caught. */
static int
open_uid_dir(const char *base, uid_t uid, int *out)
{
	char name[16];
	struct stat st;
	struct stat st2;
	int bfd = -1;
	int fd = -1;
	int r;

	*out = -1;
	snprintf(name, sizeof(name), "%u", (unsigned)uid);
	r = ecs_safe_open_dir(base, uid, &bfd);
	if (r < 0)
		goto out;
	if (fstatat(bfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		r = -errno;
		goto out;
	}
	r = check_uid_dir(&st, uid);
	if (r < 0)
		goto out;
	fd = openat(bfd, name, DIR_FLAGS);
	if (fd < 0) {
		r = -errno;
		goto out;
	}
	if (fstat(fd, &st2) < 0) {
		r = -errno;
		goto out;
	}
	r = check_uid_dir(&st2, uid);
	if (r == 0 && (st2.st_ino != st.st_ino || st2.st_dev != st.st_dev))
		r = -EPERM;
	if (r < 0)
		goto out;
	*out = fd;
	fd = -1;	/* ownership moved to the caller */
out:
	ecs_close(&fd);
	ecs_close(&bfd);
	return r;
}

/* uid's runtime directory: <run_user>/UID if present, else <fallback>/UID. The path chosen
 * goes to path[PATH_MAX]. */
static int
open_runtime(const struct ecs_cred_roots *roots, uid_t uid, int *out, char *path)
{
	const char *base = run_user_base(roots);
	int r;

	r = open_uid_dir(base, uid, out);
	if (r == -ENOENT) {
		base = fallback_base(roots);
		r = open_uid_dir(base, uid, out);
	}
	if (r == 0 && snprintf(path, PATH_MAX, "%s/%u", base, (unsigned)uid) >= PATH_MAX) {
		ecs_close(out);
		r = -ENAMETOOLONG;
	}
	return r;
}

/* Open the absolute directory abs, creating missing trailing components root:root 0755
 * below the deepest one that exists (which must pass ecs_safe_open_dir for root). */
static int
open_or_make_root_dirs(const char *abs, int *out)
{
	char path[PATH_MAX];
	char *missing[MAX_MISSING];
	unsigned n = 0;
	char *slash;
	int fd = -1;
	int next;
	int r;

	*out = -1;
	if (snprintf(path, sizeof(path), "%s", abs) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	for (;;) {
		r = ecs_safe_open_dir(path[0] ? path : "/", 0, &fd);
		if (r != -ENOENT)
			break;
		slash = strrchr(path, '/');
		if (!slash || n == MAX_MISSING)
			goto out;
		missing[n++] = slash + 1;
		*slash = 0;
	}
	if (r < 0)
		goto out;
	while (n > 0) {
		r = ecs_safe_mkdirat(fd, missing[--n], 0755, 0, 0, &next);
		if (r < 0)
			goto out;
		ecs_close(&fd);
		fd = next;
	}
	*out = fd;
	fd = -1;	/* ownership moved to the caller */
out:
	ecs_close(&fd);
	return r;
}

int
ecs_cred_prepare(const struct ecs_cred_roots *roots, uid_t uid, gid_t gid)
{
	char name[16];
	int base = -1;
	int ufd = -1;
	int r;

	/* pam_systemd's directory, when present, is the place; a bad one is refused here,
	 * never worked around through the fallback */
	r = open_uid_dir(run_user_base(roots), uid, &ufd);
	if (r != -ENOENT)
		goto out;
	r = open_or_make_root_dirs(fallback_base(roots), &base);
	if (r < 0)
		goto out;
	snprintf(name, sizeof(name), "%u", (unsigned)uid);
	r = ecs_safe_mkdirat(base, name, 0700, uid, gid, &ufd);
out:
	ecs_close(&ufd);
	ecs_close(&base);
	return r;
}

/* A value going into an INI line: no space, no control character, nothing empty, so it can
 * neither end its line nor add another. */
static bool
ini_value_ok(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (*s <= 0x20 || *s >= 0x7f)
			return false;
	return true;
}

static int
render_credentials(const char *tag, const struct ecs_sts_creds *c, const char *expiry,
		   struct ecs_buf *b)
{
	return ecs_buf_printf(b,
			      "# pam_ecs_saml session %s: %s\n"
			      "# These credentials expire at %s; log in again for new ones.\n"
			      "[default]\n"
			      "aws_access_key_id = %s\n"
			      "aws_secret_access_key = %s\n"
			      "aws_session_token = %s\n",
			      tag, c->assumed_role_arn ? c->assumed_role_arn : "assumed role",
			      expiry, c->access_key_id, c->secret_access_key, c->session_token);
}

static int
render_config(const char *tag, const char *region, const char *site, const char *expiry,
	      struct ecs_buf *b)
{
	int r;

	r = ecs_buf_printf(b,
			   "# pam_ecs_saml session %s: credentials expire at %s\n"
			   "[default]\n",
			   tag, expiry);
	if (r == 0 && region)
		r = ecs_buf_printf(b, "region = %s\n", region);
	/* checked by aws_snippet.h: it cannot add a profile or change what is above */
	if (r == 0 && site && *site)
		r = ecs_buf_printf(b, "# the bastion's aws_config_snippet\n%s", site);
	return r;
}

static int
set_paths(struct ecs_cred_paths *p, const char *runtime, const char *tag)
{
	if (snprintf(p->dir, sizeof(p->dir), "%s/%s/%s", runtime, ECS_CRED_SUBDIR, tag) >=
		    (int)sizeof(p->dir) ||
	    snprintf(p->credentials, sizeof(p->credentials), "%s/credentials", p->dir) >=
		    (int)sizeof(p->credentials) ||
	    snprintf(p->config, sizeof(p->config), "%s/config", p->dir) >= (int)sizeof(p->config))
		return -ENAMETOOLONG;
	return 0;
}

/* Fill the new, empty session directory `tag` inside sfd with both files. */
static int
fill_session(int sfd, const char *tag, uid_t uid, gid_t gid, const struct ecs_sts_creds *creds,
	     const char *region, const char *site)
{
	char expiry[ECS_TIME_BUFSZ];
	struct ecs_buf body;
	int tfd = -1;
	int r;

	ecs_buf_init(&body, FILE_MAX);
	ecs_time_format(creds->expiration, expiry);
	r = ecs_safe_mkdirat(sfd, tag, 0700, uid, gid, &tfd);
	if (r < 0)
		goto out;
	r = render_credentials(tag, creds, expiry, &body);
	if (r == 0)
		r = ecs_safe_write_atomic(tfd, "credentials", body.data, body.len, 0600);
	ecs_buf_free(&body);	/* wiped: it held the secret key and the token */
	if (r == 0)
		r = render_config(tag, region, site, expiry, &body);
	if (r == 0)
		r = ecs_safe_write_atomic(tfd, "config", body.data, body.len, 0600);
out:
	ecs_buf_free(&body);
	ecs_close(&tfd);
	return r;
}

int
ecs_cred_write(const struct ecs_cred_roots *roots, uid_t uid, gid_t gid, const char *tag,
	       const struct ecs_sts_creds *creds, const char *region, const char *site,
	       struct ecs_cred_paths *paths)
{
	char runtime[PATH_MAX];
	int rfd = -1;
	int sfd = -1;
	int r;

	r = -EINVAL;
	if (!tag || !ecs_name_token_ok(tag) || !ini_value_ok(creds->access_key_id) ||
	    !ini_value_ok(creds->secret_access_key) || !ini_value_ok(creds->session_token) ||
	    (creds->assumed_role_arn && !ini_value_ok(creds->assumed_role_arn)) ||
	    (region && !ini_value_ok(region)))
		goto out;
	r = open_runtime(roots, uid, &rfd, runtime);
	if (r < 0)
		goto out;
	r = set_paths(paths, runtime, tag);
	if (r < 0)
		goto out;
	r = ecs_safe_mkdirat(rfd, ECS_CRED_SUBDIR, 0700, uid, gid, &sfd);
	if (r < 0)
		goto out;
	/* the session directory is new or it is not ours to write: a tag is used once */
	if (mkdirat(sfd, tag, 0700) < 0) {
		r = -errno;
		goto out;
	}
	r = fill_session(sfd, tag, uid, gid, creds, region, site);
	if (r < 0)
		ecs_safe_remove_at(sfd, tag);	/* nothing of a failed session stays behind */
out:
	ecs_close(&sfd);
	ecs_close(&rfd);
	return r;
}

/* Remove <base>/UID/pam_ecs_saml/<tag> if it is there. */
static int
remove_in(const char *base, uid_t uid, const char *tag)
{
	struct stat st;
	int rfd = -1;
	int sfd = -1;
	int r;

	r = open_uid_dir(base, uid, &rfd);
	if (r < 0)
		goto out;
	sfd = openat(rfd, ECS_CRED_SUBDIR, DIR_FLAGS);
	if (sfd < 0) {
		r = -errno;
		goto out;
	}
	if (fstat(sfd, &st) < 0) {
		r = -errno;
		goto out;
	}
	if (st.st_uid != uid) {
		r = -EPERM;
		goto out;
	}
	r = ecs_safe_remove_at(sfd, tag);
out:
	ecs_close(&sfd);
	ecs_close(&rfd);
	return r == -ENOENT ? 0 : r;
}

/* Open <base>/UID/pam_ecs_saml/<tag>: each level a real directory of uid's, mode 0700. */
static int
open_session_in(const char *base, uid_t uid, const char *tag, int *out)
{
	const char *names[2] = { ECS_CRED_SUBDIR, tag };
	struct stat st;
	int fd = -1;
	int next;
	int r;

	r = open_uid_dir(base, uid, &fd);
	for (unsigned i = 0; r == 0 && i < 2; i++) {
		next = openat(fd, names[i], DIR_FLAGS);
		if (next < 0) {
			r = -errno;
			break;
		}
		ecs_close(&fd);
		fd = next;
		if (fstat(fd, &st) < 0)
			r = -errno;
		else
			r = check_uid_dir(&st, uid);
	}
	if (r == 0) {
		*out = fd;
		fd = -1;	/* ownership moved to the caller */
	}
	ecs_close(&fd);
	return r;
}

int
ecs_cred_open_session(const struct ecs_cred_roots *roots, uid_t uid, const char *tag, int *out)
{
	int r;

	*out = -1;
	if (!tag || !ecs_name_token_ok(tag))
		return -EINVAL;
	r = open_session_in(run_user_base(roots), uid, tag, out);
	if (r == -ENOENT)
		r = open_session_in(fallback_base(roots), uid, tag, out);
	return r;
}

int
ecs_cred_remove(const struct ecs_cred_roots *roots, uid_t uid, const char *tag)
{
	int r1;
	int r2;

	if (!tag || !ecs_name_token_ok(tag))
		return -EINVAL;
	/* both places: the session may have been written before pam_systemd made /run/user */
	r1 = remove_in(run_user_base(roots), uid, tag);
	r2 = remove_in(fallback_base(roots), uid, tag);
	return r1 < 0 ? r1 : r2;
}

int
ecs_cred_fallback_apart(const struct ecs_cred_roots *roots, const char *spool)
{
	char parent[PATH_MAX];
	struct stat a, b;
	char *slash;

	/* the fallback's own directory may not exist yet: its parent is where it will be */
	if (snprintf(parent, sizeof(parent), "%s", fallback_base(roots)) >= (int)sizeof(parent))
		return -ENAMETOOLONG;
	slash = strrchr(parent, '/');
	if (slash == NULL || slash == parent)
		return -EINVAL;
	*slash = '\0';
	if (stat(parent, &a) < 0 || stat(spool, &b) < 0)
		return -errno;
	return a.st_dev == b.st_dev ? -EXDEV : 0;
}

bool
ecs_cred_uses_fallback(const struct ecs_cred_roots *roots, uid_t uid)
{
	int fd = -1;
	int r = open_uid_dir(run_user_base(roots), uid, &fd);

	ecs_close(&fd);
	return r == -ENOENT;
}

bool
ecs_cred_has_fallback(const struct ecs_cred_roots *roots, uid_t uid)
{
	int fd = -1;
	int r = open_uid_dir(fallback_base(roots), uid, &fd);

	ecs_close(&fd);
	return r == 0;
}

int
ecs_cred_fallback_lock(const struct ecs_cred_roots *roots, bool create, int *fd)
{
	int r;

	*fd = -1;
	if (create)
		r = open_or_make_root_dirs(fallback_base(roots), fd);
	else
		r = ecs_safe_open_dir(fallback_base(roots), 0, fd);
	if (r == 0 && flock(*fd, LOCK_EX) < 0) {
		r = -errno;
		ecs_close(fd);
	}
	return r;
}

int
ecs_cred_empty(const struct ecs_cred_roots *roots, uid_t uid)
{
	struct dirent *de;
	DIR *d = NULL;
	int ufd = -1;
	int r, rr;

	r = open_uid_dir(fallback_base(roots), uid, &ufd);
	if (r < 0)
		goto out;
	d = fdopendir(ufd);
	if (d == NULL) {
		r = -errno;
		goto out;
	}
	ufd = -1;	/* owned by d */
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		rr = ecs_safe_remove_at(dirfd(d), de->d_name);
		if (rr < 0 && r == 0)
			r = rr;
	}
out:
	if (d != NULL)
		closedir(d);
	ecs_close(&ufd);
	return r == -ENOENT ? 0 : r;
}

int
ecs_cred_release(const struct ecs_cred_roots *roots, uid_t uid)
{
	char name[16];
	struct stat st;
	int bfd = -1;
	int r;

	snprintf(name, sizeof(name), "%u", (unsigned)uid);
	r = ecs_safe_open_dir(fallback_base(roots), 0, &bfd);
	if (r < 0)
		goto out;
	/* only the user's own directory, whatever else someone put there */
	if (fstatat(bfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		r = -errno;
		goto out;
	}
	r = check_uid_dir(&st, uid);
	if (r == 0 && unlinkat(bfd, name, AT_REMOVEDIR) < 0)
		r = -errno;
out:
	ecs_close(&bfd);
	return r == -ENOENT ? 0 : r;
}

int
ecs_cred_fallback_each(const struct ecs_cred_roots *roots,
		       int (*fn)(uid_t uid, gid_t gid, void *ctx), void *ctx)
{
	struct dirent *de;
	struct stat st;
	uint64_t uid;
	DIR *d = NULL;
	int bfd = -1;
	int r;

	r = ecs_safe_open_dir(fallback_base(roots), 0, &bfd);
	if (r < 0)
		goto out;
	d = fdopendir(bfd);
	if (d == NULL) {
		r = -errno;
		goto out;
	}
	bfd = -1;	/* owned by d */
	while (r == 0 && (de = readdir(d)) != NULL) {
		if (ecs_parse_u64(de->d_name, 1, UINT32_MAX - 1, &uid) < 0 ||
		    fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    check_uid_dir(&st, (uid_t)uid) < 0)
			continue;
		r = fn((uid_t)uid, st.st_gid, ctx);
	}
out:
	if (d != NULL)
		closedir(d);
	ecs_close(&bfd);
	return r == -ENOENT ? 0 : r;
}
