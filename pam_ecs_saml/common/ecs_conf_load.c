/* ecs_conf_load.c — reading configuration text, the file that holds it, and module arguments.
 * Every line or argument is handed to ecs_conf_set; this file only splits and locates. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ecs_conf.h"
#include "ecs_err.h"
#include "ecs_io.h"

static int __attribute__((format(printf, 3, 4)))
ecs_conf_load_err(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	if (err && errsz) {
		va_start(ap, fmt);
		vsnprintf(err, errsz, fmt, ap);
		va_end(ap);
	}
	return -ECS_ECONFIG;
}

static bool
ecs_conf_is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Trim blanks at both ends of s[0..n) in place; returns the new start (NUL-terminated). */
static char *
ecs_conf_trim(char *s, size_t n)
{
	while (n && ecs_conf_is_blank(*s)) {
		s++;
		n--;
	}
	while (n && ecs_conf_is_blank(s[n - 1]))
		n--;
	s[n] = 0;
	return s;
}

/* One line (NUL-terminated, newline removed): blank, comment or key = value. */
static int
ecs_conf_parse_line(struct ecs_conf *c, char *line, char *why, size_t whysz)
{
	char *eq;
	char *key;
	char *value;

	while (ecs_conf_is_blank(*line))
		line++;
	/* '#' starts a comment only here, so values may contain '#' */
	if (*line == 0 || *line == '#')
		return 0;
	eq = strchr(line, '=');
	if (!eq)
		return ecs_conf_load_err(why, whysz, "expected 'key = value'");
	key = ecs_conf_trim(line, (size_t)(eq - line));
	value = ecs_conf_trim(eq + 1, strlen(eq + 1));
	if (!*key)
		return ecs_conf_load_err(why, whysz, "missing key before '='");
	return ecs_conf_set(c, key, value, ECS_CONF_ORIGIN_FILE, why, whysz);
}

int
ecs_conf_parse_text(struct ecs_conf *c, const char *text, size_t len, const char *name,
		    char *err, size_t errsz)
{
	char why[ECS_CONF_ERRSZ];
	char *copy = NULL;
	char *line;
	size_t start = 0;
	unsigned lineno = 0;
	int r = 0;

	if (memchr(text, 0, len)) {
		r = ecs_conf_load_err(err, errsz, "%s: NUL byte in configuration", name);
		goto out;
	}
	/* one writable copy: lines are cut and trimmed in place */
	copy = malloc(len + 1);
	if (!copy) {
		r = -ENOMEM;
		goto out;
	}
	memcpy(copy, text, len);
	copy[len] = 0;
	while (start < len) {
		char *nl = memchr(copy + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - copy) : len;

		lineno++;
		copy[end] = 0;
		line = copy + start;
		start = end + 1;
		why[0] = 0;
		r = ecs_conf_parse_line(c, line, why, sizeof(why));
		if (r < 0) {
			ecs_conf_load_err(err, errsz, "%s:%u: %s", name, lineno, why);
			goto out;
		}
	}
out:
	free(copy);
	return r;
}

int
ecs_conf_set_arg(struct ecs_conf *c, const char *arg, char *err, size_t errsz)
{
	char why[ECS_CONF_ERRSZ];
	char key[64];
	const char *eq = strchr(arg, '=');
	size_t klen = eq ? (size_t)(eq - arg) : strlen(arg);
	int r;

	if (klen == 0 || klen >= sizeof(key))
		return ecs_conf_load_err(err, errsz, "module argument '%.64s': bad key", arg);
	memcpy(key, arg, klen);
	key[klen] = 0;
	why[0] = 0;
	/* a bare key is "yes" for a boolean; ecs_conf_set refuses "yes" for anything else */
	r = ecs_conf_set(c, key, eq ? eq + 1 : "yes", ECS_CONF_ORIGIN_ARG, why, sizeof(why));
	if (r < 0)
		ecs_conf_load_err(err, errsz, "module argument '%s': %s", key, why);
	return r;
}

int
ecs_conf_load_file(struct ecs_conf *c, const char *path, char *err, size_t errsz)
{
	struct stat st;
	struct ecs_buf text;
	int fd = -1;
	int r;

	ecs_buf_init(&text, ECS_CONF_MAX_SIZE);
	if (path[0] != '/') {
		r = ecs_conf_load_err(err, errsz, "%s: not an absolute path", path);
		goto out;
	}
	/* O_NONBLOCK: a FIFO planted at the path must not hang the login before fstat */
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		r = -errno;
		if (r == -ELOOP)
			r = ecs_conf_load_err(err, errsz, "%s: is a symbolic link", path);
		else
			ecs_conf_load_err(err, errsz, "%s: %s", path, ecs_strerror(r));
		goto out;
	}
	if (fstat(fd, &st) < 0) {
		r = -errno;
		ecs_conf_load_err(err, errsz, "%s: %s", path, ecs_strerror(r));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		r = ecs_conf_load_err(err, errsz, "%s: not a regular file", path);
		goto out;
	}
	if (st.st_uid != 0) {
		r = ecs_conf_load_err(err, errsz, "%s: owned by uid %u, not root", path,
				      (unsigned)st.st_uid);
		goto out;
	}
	if (st.st_mode & 022) {
		r = ecs_conf_load_err(err, errsz, "%s: writable by group or others (mode %04o)",
				      path, (unsigned)(st.st_mode & 07777));
		goto out;
	}
	if (st.st_size > ECS_CONF_MAX_SIZE) {
		r = ecs_conf_load_err(err, errsz, "%s: larger than %d bytes", path,
				      ECS_CONF_MAX_SIZE);
		goto out;
	}
	r = ecs_read_all(fd, &text);
	if (r == -E2BIG) {
		r = ecs_conf_load_err(err, errsz, "%s: larger than %d bytes", path,
				      ECS_CONF_MAX_SIZE);
		goto out;
	}
	if (r < 0) {
		ecs_conf_load_err(err, errsz, "%s: %s", path, ecs_strerror(r));
		goto out;
	}
	/* an empty file never allocated: parse "" rather than a NULL pointer */
	r = ecs_conf_parse_text(c, text.len ? (const char *)text.data : "", text.len, path, err,
				errsz);
out:
	ecs_buf_free(&text);
	ecs_close(&fd);
	return r;
}
