/* ecs_conf_load.c — reading the configuration file, and the one entry point every program
 * loads its configuration through (file, then module arguments, then the cross-key checks).
 *
 * Kept out of ecs_conf_parse.c so that what only parses text (unit tests, the fuzzer) does
 * not link the directory-walking reader. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "ecs_conf.h"
#include "ecs_err.h"
#include "ecs_safefile.h"

/* The safe reader refused the file with -EPERM: the file's owner, its mode, or a directory
 * above it. Which one is worth telling apart: each is a different fix. */
static const char *
ecs_conf_perm_code(const char *path)
{
	struct stat st;

	if (lstat(path, &st) == 0 && st.st_uid != 0)
		return ECS_CONF_E_OWNER;
	if (lstat(path, &st) == 0 && (st.st_mode & (S_IWGRP | S_IWOTH)))
		return ECS_CONF_E_MODE;
	return ECS_CONF_E_DIR;
}

int
ecs_conf_load_file(struct ecs_conf *c, const char *path, char *err, size_t errsz)
{
	struct ecs_buf text;
	int r;

	ecs_buf_init(&text, ECS_CONF_MAX_SIZE);
	if (path[0] != '/') {
		c->err_code = ECS_CONF_E_VALUE;
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
		c->err_code = ECS_CONF_E_SYMLINK;
		r = ecs_conf_err(err, errsz, "%s: is or passes through a symbolic link", path);
		goto out;
	case -EPERM:
		c->err_code = ecs_conf_perm_code(path);
		r = ecs_conf_err(err, errsz, "%s: it or a directory above it is not owned by root "
				 "or is writable by group or others", path);
		goto out;
	case -EINVAL:
		c->err_code = ECS_CONF_E_NOT_FILE;
		r = ecs_conf_err(err, errsz, "%s: not a regular file", path);
		goto out;
	case -EFBIG:
		c->err_code = ECS_CONF_E_TOO_LARGE;
		r = ecs_conf_err(err, errsz, "%s: larger than %d bytes", path,
				 ECS_CONF_MAX_SIZE);
		goto out;
	case -ENOENT:
		/* -ENOENT stays -ENOENT: callers tell a missing file from a bad one */
		c->err_code = ECS_CONF_E_MISSING;
		ecs_conf_err(err, errsz, "%s: %s", path, ecs_strerror(r));
		goto out;
	default:
		if (r != -ENOMEM)
			c->err_code = ECS_CONF_E_UNREADABLE;
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
ecs_conf_check_shared(struct ecs_conf *c, const char *path, char *err, size_t errsz)
{
	struct stat st;

	/* Refused rather than half-working: root (sshd, the helper) could read it, but the NSS
	 * module also reads it inside every user's processes, where `id` and `ls -l` would
	 * then lose the federated names without a word. */
	if (stat(path, &st) == 0 && !(st.st_mode & S_IROTH)) {
		c->err_code = ECS_CONF_E_PRIVATE;
		return ecs_conf_err(err, errsz, "%s: mode %04o is not readable by everyone, as "
				    "the NSS module in every user's processes needs it (0644)",
				    path, (unsigned)(st.st_mode & 07777));
	}
	return 0;
}

int
ecs_conf_load(struct ecs_conf *c, const char *path, const char *const *args, size_t nargs,
	      char *err, size_t errsz)
{
	const char *code;
	size_t i;
	int r;

	if (err && errsz)
		err[0] = '\0';
	ecs_conf_init(c);
	r = ecs_conf_load_file(c, path, err, errsz);
	if (r == -ENOENT)
		r = ecs_conf_err(err, errsz, "%s: no such file", path);
	/* the one file the NSS module reads, in every process: an administrator's own copy
	 * (verify --config, a config= argument) may stay private */
	if (r == 0 && strcmp(path, ECS_CONF_PATH) == 0)
		r = ecs_conf_check_shared(c, path, err, errsz);
	for (i = 0; r == 0 && i < nargs; i++)
		r = ecs_conf_set_arg(c, args[i], err, errsz);
	if (r == 0)
		r = ecs_conf_finish(c, err, errsz);
	if (r == 0)
		return 0;
	/* every failure leaves one line in err, whichever step failed and however */
	if (err && errsz && err[0] == '\0')
		ecs_conf_err(err, errsz, "%s: %s", path, ecs_strerror(r));
	code = c->err_code != NULL ? c->err_code : ECS_CONF_E_VALUE;
	ecs_conf_free(c);
	c->err_code = code;
	return r == -ENOMEM ? r : -ECS_ECONFIG;
}
