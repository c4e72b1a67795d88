/* exec_stop.h — stopping a login's session-manager-plugin, and nothing else.
 *
 * An exec session record (ecs_exec_rec.h) names the plugin by pid, its /proc start time and
 * the uid that ran it; the record is the user's own file, so none of it is taken on trust.
 * The process is held by a pidfd first (pidfd_open), then checked: its start time is the
 * recorded one (a reused pid is another process), its real uid is the login's, and its
 * command name is session-manager-plugin's. Only then is it signalled, through the pidfd, so
 * the signal reaches the process that was checked even if the pid is reused meanwhile. */
#ifndef ECS_EXEC_STOP_H
#define ECS_EXEC_STOP_H

#include <sys/types.h>

/* The kernel's command name of session-manager-plugin: 15 bytes of it. */
#define ECS_PLUGIN_COMM "session-manager"

enum ecs_plugin_end {
	ECS_PLUGIN_GONE,	/* no such process any more (or a later one with its pid) */
	ECS_PLUGIN_EXITED,	/* it ended by itself within the wait (after TerminateSession) */
	ECS_PLUGIN_STOPPED,	/* ended by SIGTERM */
	ECS_PLUGIN_KILLED,	/* ended by SIGKILL */
	ECS_PLUGIN_NOT_OURS,	/* the pid is a process of another uid or program: untouched */
};

/* "gone", "exited", "stopped", "killed", "not-ours". */
const char *ecs_plugin_end_name(enum ecs_plugin_end e);

/* Whether pid is still the recorded plugin: 0, -ESRCH (gone, or a later process with the
 * pid), -EPERM (another uid or another program) or -errno. */
int ecs_plugin_check(pid_t pid, unsigned long long pid_start, uid_t uid);

/* Stop the recorded plugin: wait up to grace_ms for it to end by itself (0: no wait), then
 * SIGTERM and up to wait_ms, then SIGKILL and up to wait_ms. *end says how it ended.
 * 0, or -ETIMEDOUT (still there after SIGKILL) / -errno with *end unchanged. */
int ecs_plugin_stop(pid_t pid, unsigned long long pid_start, uid_t uid, long grace_ms,
		    long wait_ms, enum ecs_plugin_end *end);

#endif
