/* spool.c — the helper's root-only state under /run/pam_ecs_saml. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "ecs_safefile.h"
#include "ecs_str.h"
#include "spool.h"

int
ecs_spool_new_id(char id[ECS_NAME_TOKEN_LEN + 1])
{
	uint8_t rnd[ECS_NAME_TOKEN_LEN / 2];

	id[0] = '\0';
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return -EIO;
	for (size_t i = 0; i < sizeof(rnd); i++)
		snprintf(id + 2 * i, 3, "%02x", rnd[i]);
	return 0;
}

int
ecs_spool_open(const char *spool, const char *sub, int *dfd)
{
	char parent[PATH_MAX];
	const char *base;
	int pfd = -1, sfd = -1;
	int r;

	*dfd = -1;
	base = strrchr(spool, '/');
	if (spool[0] != '/' || base == NULL || base[1] == '\0' ||
	    (size_t)(base - spool) >= sizeof(parent))
		return -EINVAL;
	memcpy(parent, spool, (size_t)(base - spool));
	parent[base - spool] = '\0';
	r = ecs_safe_open_dir(parent[0] != '\0' ? parent : "/", 0, &pfd);
	if (r == 0)
		r = ecs_safe_mkdirat(pfd, base + 1, 0755, 0, 0, &sfd);
	if (r == 0)
		r = ecs_safe_mkdirat(sfd, sub, 0700, 0, 0, dfd);
	ecs_close(&sfd);
	ecs_close(&pfd);
	return r;
}

int
ecs_spool_opendir(const char *spool, const char *sub, int *dfd, DIR **dir)
{
	int dup_fd = -1;
	int r;

	*dir = NULL;
	r = ecs_spool_open(spool, sub, dfd);
	if (r < 0)
		goto out;
	/* readdir gets its own descriptor: closedir closes it, and *dfd stays usable. */
	dup_fd = fcntl(*dfd, F_DUPFD_CLOEXEC, 3);
	if (dup_fd >= 0)
		*dir = fdopendir(dup_fd);
	if (*dir == NULL) {
		r = -errno;
		ecs_close(&dup_fd);
		ecs_close(dfd);
	}
out:
	return r;
}
