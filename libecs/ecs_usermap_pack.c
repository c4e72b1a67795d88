/* ecs_usermap_pack.c — a map user, or the federated group, packed into the caller's buffer
 * the way glibc's NSS *_r interface wants it: every string and the member array inside buf. */
#include <errno.h>
#include <stdalign.h>
#include <stdint.h>
#include <string.h>

#include "ecs_usermap.h"
#include "ecs_usermap_pack.h"

/* Reserve n bytes (aligned to align) at the front of the free part of a caller buffer. */
static void *
carve(char **p, size_t *left, size_t n, size_t align)
{
	uintptr_t a = (uintptr_t)*p;
	size_t pad = (align - a % align) % align;
	void *out;

	if (pad > *left || n > *left - pad)
		return NULL;
	out = *p + pad;
	*p += pad + n;
	*left -= pad + n;
	return out;
}

static char *
carve_str(char **p, size_t *left, const char *s)
{
	size_t n = strlen(s) + 1;
	char *out = carve(p, left, n, 1);

	if (out != NULL)
		memcpy(out, s, n);
	return out;
}

int
ecs_usermap_pack_passwd(const struct ecs_usermap_user *u, struct passwd *pw, char *buf,
		       size_t buflen)
{
	char *p = buf;
	size_t left = buflen;

	pw->pw_name = carve_str(&p, &left, u->name);
	pw->pw_passwd = carve_str(&p, &left, "x");
	pw->pw_gecos = carve_str(&p, &left, u->gecos);
	pw->pw_dir = carve_str(&p, &left, u->home);
	pw->pw_shell = carve_str(&p, &left, u->shell);
	if (!pw->pw_name || !pw->pw_passwd || !pw->pw_gecos || !pw->pw_dir || !pw->pw_shell)
		return -ERANGE;
	pw->pw_uid = u->uid;
	pw->pw_gid = u->gid;
	return 0;
}

int
ecs_usermap_pack_group(const char *name, uint32_t gid, const struct ecs_usermap *db,
		      struct group *gr, char *buf, size_t buflen)
{
	struct ecs_usermap_user u;
	char *p = buf;
	size_t left = buflen;
	size_t cursor = 0;
	size_t n = db ? db->nusers : 0;
	size_t i = 0;
	char **mem;
	int r;

	gr->gr_name = carve_str(&p, &left, name);
	gr->gr_passwd = carve_str(&p, &left, "x");
	mem = carve(&p, &left, (n + 1) * sizeof(char *), alignof(char *));
	if (!gr->gr_name || !gr->gr_passwd || !mem)
		return -ERANGE;
	while (i < n) {
		r = ecs_usermap_next_user(db, &cursor, &u);
		if (r < 0)
			return r == -ENOENT ? -EBADMSG : r;
		mem[i] = carve_str(&p, &left, u.name);
		if (mem[i] == NULL)
			return -ERANGE;
		i++;
	}
	mem[n] = NULL;
	gr->gr_mem = mem;
	gr->gr_gid = gid;
	return 0;
}
