/* privs.h — dropping root for good before touching the network or a user's files. */
#ifndef ECS_PRIVS_H
#define ECS_PRIVS_H

#include <sys/types.h>

/* Become uid:gid permanently (supplementary groups: gid only), then prove it: every id of
 * the three is the target, the supplementary groups are {gid}, no permitted or effective
 * capability is left and getting root back fails. Refuses uid 0, and a process with any
 * securebit set (the kernel would keep capabilities across the uid change). 0, -EPERM or
 * -errno; on failure the process must not continue with the verb. */
int ecs_privs_drop(uid_t uid, gid_t gid);

#endif
