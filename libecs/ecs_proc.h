/* ecs_proc.h — identifying a process across pid reuse. */
#ifndef ECS_PROC_H
#define ECS_PROC_H

#include <sys/types.h>

/* Field 22 of /proc/PID/stat, when the process started (clock ticks since boot): a pid plus
 * this names one process, never a later one that reuses the pid. 0, -ESRCH (no such
 * process), -EBADMSG or -errno. */
int ecs_proc_start_time(pid_t pid, unsigned long long *out);

#endif
