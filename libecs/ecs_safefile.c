/* ecs_safefile.c — fd-relative, symlink-refusing file access for privileged code. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "ecs_safefile.h"

#define ECS_SAFE_DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
#define ECS_SAFE_MAX_DEPTH 8
#define ECS_SAFE_TMP_TRIES 16

/* A single path component that names something inside a directory. */
static bool
ecs_safe_name_ok(const char *name)
{
	return name && *name && !strchr(name, '/') && strcmp(name, ".") != 0 &&
	       strcmp(name, "..") != 0;
}

/* Map a failed O_NOFOLLOW|O_DIRECTORY open to -ELOOP when the thing is a symlink
 * (the kernel reports ENOTDIR for that combination). */
static int
ecs_safe_open_errno(int dfd, const char *name)
{
	struct stat st;
	int e = errno;

	if (e == ENOTDIR && fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISLNK(st.st_mode))
		return -ELOOP;
	return -e;
}

/* The rule for each directory on a walked path. */
static int
ecs_safe_check_dir(int fd, uid_t trusted_uid)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	if (st.st_uid != 0 && trusted_uid != ECS_UID_ANY && st.st_uid != trusted_uid)
		return -EPERM;
	/* a group- or world-writable directory is only safe with the sticky bit (/tmp) */
	if ((st.st_mode & 022) && !(st.st_mode & S_ISVTX))
		return -EPERM;
	return 0;
}

int
ecs_safe_open_dir(const char *abs_path, uid_t trusted_uid, int *dfd_out)
{
	char *copy = NULL;
	char *save = NULL;
	char *comp;
	int dfd = -1;
	int next;
	int r;

	*dfd_out = -1;
	if (!abs_path || abs_path[0] != '/')
		return -EINVAL;
	copy = strdup(abs_path);
	if (!copy) {
		r = -ENOMEM;
		goto out;
	}
	dfd = open("/", ECS_SAFE_DIR_FLAGS);
	if (dfd < 0) {
		r = -errno;
		goto out;
	}
	r = ecs_safe_check_dir(dfd, trusted_uid);
	if (r < 0)
		goto out;
	for (comp = strtok_r(copy, "/", &save); comp; comp = strtok_r(NULL, "/", &save)) {
		if (!ecs_safe_name_ok(comp)) {
			r = -EINVAL;
			goto out;
		}
		next = openat(dfd, comp, ECS_SAFE_DIR_FLAGS);
		if (next < 0) {
			r = ecs_safe_open_errno(dfd, comp);
			goto out;
		}
		ecs_close(&dfd);
		dfd = next;
		r = ecs_safe_check_dir(dfd, trusted_uid);
		if (r < 0)
			goto out;
	}
	*dfd_out = dfd;
	dfd = -1;	/* ownership moved to the caller */
	r = 0;
out:
	ecs_close(&dfd);
	free(copy);
	return r;
}

int
ecs_safe_mkdirat(int dfd, const char *name, mode_t mode, uid_t uid, gid_t gid, int *out)
{
	struct stat st;
	bool created = false;
	int fd = -1;
	int r;

	*out = -1;
	if (!ecs_safe_name_ok(name))
		return -EINVAL;
	if (mkdirat(dfd, name, mode) == 0)
		created = true;
	else if (errno != EEXIST)
		return -errno;
	fd = openat(dfd, name, ECS_SAFE_DIR_FLAGS);
	if (fd < 0) {
		r = ecs_safe_open_errno(dfd, name);
		goto out;
	}
	/* only a directory we just made is given its exact mode (the umask narrowed it) and
	 * its owner; an existing one is checked, never "fixed". The mode first, while we own
	 * it: chmod of another user's directory would need CAP_FOWNER (and the kernel asks
	 * CAP_FSETID when we are not in its group), which the helper's MAC profiles deny. */
	if (created && (fchmod(fd, mode) < 0 || fchown(fd, uid, gid) < 0)) {
		r = -errno;
		goto out;
	}
	if (fstat(fd, &st) < 0) {
		r = -errno;
		goto out;
	}
	if (st.st_uid != uid || st.st_gid != gid || (st.st_mode & 07777) != mode) {
		r = -EPERM;
		goto out;
	}
	*out = fd;
	fd = -1;	/* ownership moved to the caller */
	r = 0;
out:
	ecs_close(&fd);
	return r;
}

/* Append everything fd holds to out, failing with -EFBIG past max bytes: read into a
 * buffer capped at max, whatever room out itself has. */
static int
ecs_safe_read_fd(int fd, size_t max, struct ecs_buf *out)
{
	struct ecs_buf tmp;
	int r;

	ecs_buf_init(&tmp, max);
	r = ecs_read_all(fd, &tmp);
	if (r == -E2BIG)
		r = -EFBIG;
	if (r == 0 && tmp.len > 0)
		r = ecs_buf_append(out, tmp.data, tmp.len);
	ecs_buf_free(&tmp);
	return r;
}

int
ecs_safe_read_at(int dfd, const char *name, uid_t owner, size_t max, struct ecs_buf *out,
		 struct stat *st_out)
{
	struct stat st;
	size_t old_len = out->len;
	int fd = -1;
	int r;

	if (!ecs_safe_name_ok(name))
		return -EINVAL;
	/* O_NONBLOCK: opening a planted FIFO must not block before the type check */
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		r = -errno;
		goto out;
	}
	if (fstat(fd, &st) < 0) {
		r = -errno;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		r = -EINVAL;
		goto out;
	}
	if (owner != ECS_UID_ANY && (st.st_uid != owner || (st.st_mode & 022))) {
		r = -EPERM;
		goto out;
	}
	if ((uint64_t)st.st_size > max) {
		r = -EFBIG;
		goto out;
	}
	r = ecs_safe_read_fd(fd, max, out);
	if (r < 0)
		goto out;
	if (st_out)
		*st_out = st;
out:
	if (r < 0)
		ecs_buf_truncate(out, old_len);	/* leave out as it was */
	ecs_close(&fd);
	return r;
}

int
ecs_safe_read_path(const char *abs_path, uid_t owner, size_t max, struct ecs_buf *out,
		   struct stat *st_out)
{
	char *dir = NULL;
	char *slash;
	int dfd = -1;
	int r;

	if (!abs_path || abs_path[0] != '/')
		return -EINVAL;
	dir = strdup(abs_path);
	if (!dir) {
		r = -ENOMEM;
		goto out;
	}
	slash = strrchr(dir, '/');
	*slash = 0;
	r = ecs_safe_open_dir(slash == dir ? "/" : dir, owner, &dfd);
	if (r < 0)
		goto out;
	r = ecs_safe_read_at(dfd, slash + 1, owner, max, out, st_out);
out:
	ecs_close(&dfd);
	free(dir);
	return r;
}

/* Fill the new file fd: data, exact mode, then fsync. */
static int
ecs_safe_fill(int fd, const void *data, size_t len, mode_t mode)
{
	int r;

	r = ecs_write_all(fd, data, len);
	if (r < 0)
		return r;
	if (fchmod(fd, mode) < 0 || fsync(fd) < 0)
		return -errno;
	return 0;
}

/* Create ".NAME.XXXXXXXXXXXX" exclusively next to name; the random suffix makes the
 * temporary unpredictable, O_EXCL|O_NOFOLLOW makes a planted one harmless. */
static int
ecs_safe_create_temp(int dfd, const char *name, char *tmp, size_t tmpsz, int *fd_out)
{
	uint8_t rnd[6];
	int i;
	int fd;

	for (i = 0; i < ECS_SAFE_TMP_TRIES; i++) {
		if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
			return -EIO;
		if (snprintf(tmp, tmpsz, ".%s.%02x%02x%02x%02x%02x%02x", name, rnd[0], rnd[1],
			     rnd[2], rnd[3], rnd[4], rnd[5]) >= (int)tmpsz)
			return -ENAMETOOLONG;
		fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0) {
			*fd_out = fd;
			return 0;
		}
		if (errno != EEXIST)
			return -errno;
	}
	return -EEXIST;
}

int
ecs_safe_write_atomic(int dfd, const char *name, const void *data, size_t len, mode_t mode)
{
	char tmp[NAME_MAX + 1];
	int fd = -1;
	int r;

	tmp[0] = 0;
	if (!ecs_safe_name_ok(name))
		return -EINVAL;
	r = ecs_safe_create_temp(dfd, name, tmp, sizeof(tmp), &fd);
	if (r < 0) {
		tmp[0] = 0;
		goto out;
	}
	r = ecs_safe_fill(fd, data, len, mode);
	if (r < 0)
		goto out;
	if (renameat(dfd, tmp, dfd, name) < 0) {
		r = -errno;
		goto out;
	}
	tmp[0] = 0;	/* the temporary is now the file */
	/* make the rename itself durable */
	if (fsync(dfd) < 0)
		r = -errno;
out:
	if (tmp[0])
		unlinkat(dfd, tmp, 0);
	ecs_close(&fd);
	return r;
}

int
ecs_safe_create_excl(int dfd, const char *name, const void *data, size_t len, mode_t mode)
{
	int fd = -1;
	int r;

	if (!ecs_safe_name_ok(name))
		return -EINVAL;
	fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	r = ecs_safe_fill(fd, data, len, mode);
	if (r == 0 && fsync(dfd) < 0)
		r = -errno;
	if (r < 0)
		unlinkat(dfd, name, 0);
	ecs_close(&fd);
	return r;
}

static int ecs_safe_remove_depth(int dfd, const char *name, unsigned depth);

/* Remove every entry inside the directory fd (which this function takes over). */
static int
ecs_safe_empty_dir(int fd, unsigned depth)
{
	struct dirent *de;
	DIR *d;
	int r = 0;

	d = fdopendir(fd);
	if (!d) {
		r = -errno;
		close(fd);
		return r;
	}
	for (;;) {
		errno = 0;
		de = readdir(d);
		if (!de) {
			if (errno)
				r = -errno;
			break;
		}
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		r = ecs_safe_remove_depth(dirfd(d), de->d_name, depth + 1);
		if (r < 0)
			break;
	}
	closedir(d);
	return r;
}

static int
ecs_safe_remove_depth(int dfd, const char *name, unsigned depth)
{
	struct stat st;
	int fd;
	int r;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISDIR(st.st_mode)) {
		/* a symlink is removed itself, never followed */
		if (unlinkat(dfd, name, 0) < 0 && errno != ENOENT)
			return -errno;
		return 0;
	}
	if (depth >= ECS_SAFE_MAX_DEPTH)
		return -ENOTEMPTY;
	fd = openat(dfd, name, ECS_SAFE_DIR_FLAGS);
	if (fd < 0)
		return errno == ENOENT ? 0 : ecs_safe_open_errno(dfd, name);
	r = ecs_safe_empty_dir(fd, depth);
	if (r < 0)
		return r;
	if (unlinkat(dfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

int
ecs_safe_remove_at(int dfd, const char *name)
{
	if (!ecs_safe_name_ok(name))
		return -EINVAL;
	return ecs_safe_remove_depth(dfd, name, 0);
}

const char *
ecs_safe_read_why(int r, size_t max, char *buf, size_t bufsz)
{
	switch (r) {
	case -ENOENT:
		snprintf(buf, bufsz, "no such file");
		break;
	case -EPERM:
		snprintf(buf, bufsz, "it or a directory above it is not root's, or is writable by "
			 "group or others");
		break;
	case -ELOOP:
		snprintf(buf, bufsz, "it is, or its path passes through, a symbolic link");
		break;
	case -EINVAL:
		snprintf(buf, bufsz, "not a regular file");
		break;
	case -EFBIG:
		snprintf(buf, bufsz, "larger than %zu bytes", max);
		break;
	default:
		snprintf(buf, bufsz, "%s", strerror(-r));
		break;
	}
	return buf;
}
