/* sts_proxy.c — reading sts_proxy_auth_file (see sts_proxy.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "ecs_err.h"
#include "ecs_safefile.h"
#include "sts_proxy.h"

/* USER:PASSWORD, each printable ASCII, the user without ':'; the first ':' splits them. */
static const char *
parse(struct ecs_buf *auth)
{
	char *s = (char *)auth->data;
	size_t len = auth->len;
	char *colon;

	if (len > 0 && s[len - 1] == '\n')
		len--;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
			return "not one line USER:PASSWORD of printable ASCII";
	colon = memchr(s, ':', len);
	if (colon == NULL)
		return "not USER:PASSWORD (no ':')";
	if (colon == s)
		return "no user before ':'";
	if ((size_t)(colon - s) + 1 == len)
		return "no password after ':'";
	*colon = '\0';
	s[len] = '\0';	/* the newline, or the terminator ecs_buf keeps */
	return NULL;
}

int
ecs_sts_proxy_auth_load(const char *path, struct ecs_buf *auth, char *why, size_t whysz)
{
	struct stat st;
	const char *bad;
	char rw[96];
	int r;

	ecs_buf_init(auth, ECS_STS_PROXY_AUTH_MAX);
	r = ecs_safe_read_path(path, 0, ECS_STS_PROXY_AUTH_MAX, auth, &st);
	if (r == 0 && (st.st_mode & 077) != 0)
		r = -EPERM;	/* a password others can read is no longer a secret */
	if (r == -ENOMEM)
		goto out;
	if (r < 0) {
		/* a secret file: its mode is part of the answer */
		snprintf(why, whysz, "sts_proxy_auth_file %s: %s", path, r == -EPERM ?
			 "it must be root's, mode 0600 or 0400, in root-owned directories not "
			 "writable by group or others" :
			 ecs_safe_read_why(r, ECS_STS_PROXY_AUTH_MAX, rw, sizeof(rw)));
		r = -ECS_ECONFIG;
		goto out;
	}
	/* ecs_buf keeps a NUL past len: parse() may end the password there */
	bad = auth->len == 0 ? "empty" : parse(auth);
	if (bad != NULL) {
		snprintf(why, whysz, "sts_proxy_auth_file %s: %s", path, bad);
		r = -ECS_ECONFIG;
	}
out:
	if (r < 0)
		ecs_buf_free(auth);	/* wiped */
	return r;
}

const char *
ecs_sts_proxy_password(const struct ecs_buf *auth)
{
	const char *user = (const char *)auth->data;

	return user + strlen(user) + 1;
}
