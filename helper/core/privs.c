/* privs.c — dropping root for good (the openssh permanently_set_uid pattern). */
#include <errno.h>
#include <grp.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "privs.h"

int
ecs_privs_drop(uid_t uid, gid_t gid)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg;

	if (uid == 0)
		return -EPERM;
	/* groups first: once the uid is gone, the right to change them is gone too */
	if (setgroups(1, &gid) < 0 || setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0)
		return -errno;
	if (getresuid(&ru, &eu, &su) < 0 || getresgid(&rg, &eg, &sg) < 0)
		return -errno;
	if (ru != uid || eu != uid || su != uid || rg != gid || eg != gid || sg != gid)
		return -EPERM;
	if (setuid(0) == 0 || seteuid(0) == 0 || (gid != 0 && setegid(0) == 0))
		return -EPERM;
	/* a uid change may re-enable dumping: the process still holds the assertion */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return -errno;
	return 0;
}
