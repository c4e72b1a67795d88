/* exec_plugin.h — starting session-manager-plugin with the session in its environment.
 *
 * The plugin runs as
 *   session-manager-plugin AWS_SSM_START_SESSION_RESPONSE REGION StartSession ""
 *                          {"Target": "ecs:CLUSTER_TASK_RUNTIMEID"} ENDPOINT
 * i.e. the AWS CLI's seven arguments, except that argv[1] is the literal name of the
 * environment variable that holds the session JSON (sessionId, streamUrl, tokenValue): the
 * plugin reads that variable and unsets it. The token is never in any argv, where every
 * local user could read it in /proc/PID/cmdline.
 *
 * The child waits on a pipe until the caller's on_started(pid) has returned 0 (the record of
 * the exec session is on disk), so no plugin ever runs unrecorded; when on_started fails
 * the child exits without exec'ing. While the plugin runs, Ctrl-C, Ctrl-\ and Ctrl-Z are
 * the remote shell's, not ours (as in the AWS CLI), and SIGTERM or SIGHUP sent to us is
 * passed on to the plugin. */
#ifndef ECS_EXEC_PLUGIN_H
#define ECS_EXEC_PLUGIN_H

#include <sys/types.h>

#define ECS_EXEC_PLUGIN_NAME "session-manager-plugin"
#define ECS_EXEC_HANDOVER_VAR "AWS_SSM_START_SESSION_RESPONSE"

struct ecs_exec_plugin_args {
	const char *path;		/* the plugin, found by ecs_exec_plugin_find */
	const char *region;
	const char *target_json;
	const char *endpoint;
	const char *handover;		/* the session JSON: secret */
	char *const *envp;		/* the environment to pass on (the handover is added) */
};

/* The first executable regular file named session-manager-plugin in PATH's absolute
 * directories (relative entries such as "." are skipped), into a new string. 0, -ENOENT,
 * -ENOMEM. */
int ecs_exec_plugin_find(const char *path_var, char **out);

/* The plugin's argv (NULL-terminated; strings borrowed from a). */
void ecs_exec_plugin_argv(const struct ecs_exec_plugin_args *a, const char *argv[8]);

/* envp without any ECS_EXEC_HANDOVER_VAR, plus ECS_EXEC_HANDOVER_VAR=handover, as a new
 * NULL-terminated array whose last entry before NULL is a new string (free both with
 * ecs_exec_plugin_env_free, which wipes it). 0 or -ENOMEM. */
int ecs_exec_plugin_env(char *const *envp, const char *handover, char ***out);
void ecs_exec_plugin_env_free(char **env);

/* Start the plugin, call on_started(pid, ctx) and, if it returns 0, let the plugin run and
 * wait for it. 0 with *status as waitpid() stored it; or on_started's error (the plugin
 * never ran), -errno of fork/pipe/exec (*exec_errno set for exec). */
int ecs_exec_plugin_run(const struct ecs_exec_plugin_args *a,
			int (*on_started)(pid_t pid, void *ctx), void *ctx, int *status,
			int *exec_errno);

#endif
