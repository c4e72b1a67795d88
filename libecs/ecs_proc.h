/* ecs_proc.h — identifying a process across pid reuse. */
#ifndef ECS_PROC_H
#define ECS_PROC_H

#include <sys/types.h>

/* What tells one process apart: enough to decide that a recorded pid is still the process
 * recorded (start), whose it is (uid) and what it runs (comm). */
struct ecs_proc_identity {
	unsigned long long start;	/* ecs_proc_start_time */
	uid_t uid;			/* the real uid (/proc/PID/status) */
	char comm[16];			/* the kernel's command name (/proc/PID/stat field 2,
					 * at most 15 bytes) */
};

/* Field 22 of /proc/PID/stat, when the process started (clock ticks since boot): a pid plus
 * this names one process, never a later one that reuses the pid. 0, -ESRCH (no such
 * process), -EBADMSG or -errno. */
int ecs_proc_start_time(pid_t pid, unsigned long long *out);

/* pid's identity. 0, -ESRCH (no such process), -EBADMSG or -errno. */
int ecs_proc_identity(pid_t pid, struct ecs_proc_identity *id);

#endif
