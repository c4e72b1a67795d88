/* audit_file.c — the JSON-lines audit file (audit_sink.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit_sink.h"
#include "ecs_io.h"
#include "ecs_safefile.h"

/* The directory part and the last component of an absolute path. */
static int
split(const char *path, char dir[PATH_MAX], const char **base)
{
	const char *slash = strrchr(path, '/');
	size_t n;

	if (path[0] != '/' || slash == NULL || slash[1] == '\0')
		return -EINVAL;
	n = slash == path ? 1 : (size_t)(slash - path);
	if (n >= PATH_MAX)
		return -ENAMETOOLONG;
	memcpy(dir, path, n);
	dir[n] = '\0';
	*base = slash + 1;
	return 0;
}

int
ecs_audit_file_append(const char *path, const char *line, size_t len, const char **why)
{
	char dir[PATH_MAX];
	const char *base = NULL;
	struct stat st;
	int dfd = -1, fd = -1;
	ssize_t w;
	int r;

	*why = "";
	r = split(path, dir, &base);
	if (r < 0) {
		*why = "not an absolute file path";
		goto out;
	}
	r = ecs_safe_open_dir(dir, 0, &dfd);
	if (r < 0) {
		*why = "its directory is not root's, is writable by others, or is missing";
		goto out;
	}
	/* O_APPEND: every write lands at the end, whoever else appends at the same time */
	fd = openat(dfd, base, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY,
		    0600);
	if (fd < 0) {
		r = -errno;
		*why = r == -ELOOP ? "it is a symbolic link" : "cannot open it";
		goto out;
	}
	if (fstat(fd, &st) < 0) {
		r = -errno;
		*why = "cannot stat it";
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		r = -EINVAL;
		*why = "not a regular file";
		goto out;
	}
	if (st.st_uid != 0 || (st.st_mode & 077) != 0) {
		r = -EPERM;
		*why = "not owned by root with mode 0600";
		goto out;
	}
	/* one write per record: a record is whole or absent, never mixed with another */
	do
		w = write(fd, line, len);
	while (w < 0 && errno == EINTR);
	if (w < 0) {
		r = -errno;
		*why = "write failed";
	} else if ((size_t)w != len) {
		r = -EIO;
		*why = "short write (file system full?)";
	}
out:
	ecs_close(&fd);
	ecs_close(&dfd);
	return r;
}
