/* privs.h — dropping root for good before touching the network or a user's files. */
#ifndef ECS_PRIVS_H
#define ECS_PRIVS_H

#include <sys/types.h>

/* Run fn(ctx) as the user uid:gid: the one way a verb acts for a user. A child drops root
 * for good (ecs_privs_drop), runs fn and ends with fn's result as its exit status
 * (ecs_err_to_exit); this process waits and keeps its own ids. fn never runs when the drop
 * fails (logged, as "who" says: e.g. "session 0123... of alice"). Whatever fn allocated
 * after the fork is the child's, and goes with it; what fn writes to stdout goes to this
 * process's stdout. Returns fn's result as the exit status carries it (ecs_exit_to_err: 0,
 * -ECS_EREJECT, -ECS_ECONFIG or -EIO), or -errno when no child could be started. */
int ecs_privs_run_as(uid_t uid, gid_t gid, const char *who, int (*fn)(void *ctx), void *ctx);

/* ecs_privs_run_as in two halves, for a caller that talks with the child while it runs
 * (over pipes it made before): ecs_privs_start forks the child (fn runs there as above) and
 * returns at once, 0 with *pid set or -errno (logged); ecs_privs_wait(pid) then returns what
 * ecs_privs_run_as would. Every started child must be waited for. */
int ecs_privs_start(uid_t uid, gid_t gid, const char *who, int (*fn)(void *ctx), void *ctx,
		    pid_t *pid);
int ecs_privs_wait(pid_t pid);

/* ecs_privs_run_as, with a way back: fn also gets the write end of a pipe, on which it may
 * report at most PIPE_BUF bytes (more could block it, as this process reads only after it
 * ended); what it wrote is returned in out[outsz] as a string (truncated, NUL-terminated;
 * empty when it wrote nothing). The report is as trustworthy as what fn ran as the user
 * from: the child is not dumpable, so other processes of the user cannot change it. */
int ecs_privs_run_as_report(uid_t uid, gid_t gid, const char *who,
			    int (*fn)(void *ctx, int report_fd), void *ctx, char *out,
			    size_t outsz);

/* Become uid:gid permanently (supplementary groups: gid only), then prove it: every id of
 * the three is the target, the supplementary groups are {gid}, no permitted or effective
 * capability is left and getting root back fails. Refuses uid 0, and a process with any
 * securebit set (the kernel would keep capabilities across the uid change). 0, -EPERM or
 * -errno; on failure the process must not continue with the verb. */
int ecs_privs_drop(uid_t uid, gid_t gid);

#endif
