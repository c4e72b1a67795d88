/* ecs_conf_load.c — reading the configuration file, and the one entry point every program
 * loads its configuration through (file, then module arguments, then the cross-key checks).
 *
 * Kept out of ecs_conf_parse.c so that what only parses text (unit tests, the fuzzer) does
 * not link the directory-walking reader. */
#include <errno.h>
#include <string.h>

#include "ecs_conf.h"
#include "ecs_err.h"
#include "ecs_safefile.h"

int
ecs_conf_load_file(struct ecs_conf *c, const char *path, char *err, size_t errsz)
{
	struct ecs_buf text;
	int r;

	ecs_buf_init(&text, ECS_CONF_MAX_SIZE);
	if (path[0] != '/') {
		r = ecs_conf_err(err, errsz, "%s: not an absolute path", path);
		goto out;
	}
	/* The file decides who logs in and where root writes: it and every directory above it
	 * must be root's, no symlink anywhere on the way, a regular file under the cap. */
	r = ecs_safe_read_path(path, 0, ECS_CONF_MAX_SIZE, &text, NULL);
	switch (r) {
	case 0:
		break;
	case -ELOOP:
		r = ecs_conf_err(err, errsz, "%s: is or passes through a symbolic link", path);
		goto out;
	case -EPERM:
		r = ecs_conf_err(err, errsz,
				 "%s: it or a directory above it is not owned by root or is "
				 "writable by group or others", path);
		goto out;
	case -EINVAL:
		r = ecs_conf_err(err, errsz, "%s: not a regular file", path);
		goto out;
	case -EFBIG:
		r = ecs_conf_err(err, errsz, "%s: larger than %d bytes", path, ECS_CONF_MAX_SIZE);
		goto out;
	default:
		/* -ENOENT stays -ENOENT: callers tell a missing file from a bad one */
		ecs_conf_err(err, errsz, "%s: %s", path, ecs_strerror(r));
		goto out;
	}
	/* an empty file never allocated: parse "" rather than a NULL pointer */
	r = ecs_conf_parse_text(c, text.len ? (const char *)text.data : "", text.len, path, err,
				errsz);
out:
	ecs_buf_free(&text);
	return r;
}

int
ecs_conf_load(struct ecs_conf *c, const char *path, const char *const *args, size_t nargs,
	      char *err, size_t errsz)
{
	size_t i;
	int r;

	if (err && errsz)
		err[0] = '\0';
	ecs_conf_init(c);
	r = ecs_conf_load_file(c, path, err, errsz);
	if (r == -ENOENT)
		r = ecs_conf_err(err, errsz, "%s: no such file", path);
	for (i = 0; r == 0 && i < nargs; i++)
		r = ecs_conf_set_arg(c, args[i], err, errsz);
	if (r == 0)
		r = ecs_conf_finish(c, err, errsz);
	if (r == 0)
		return 0;
	/* every failure leaves one line in err, whichever step failed and however */
	if (err && errsz && err[0] == '\0')
		ecs_conf_err(err, errsz, "%s: %s", path, ecs_strerror(r));
	ecs_conf_free(c);
	return r == -ENOMEM ? r : -ECS_ECONFIG;
}
