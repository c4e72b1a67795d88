/* exec_ecs.h — ECS DescribeTasks and ExecuteCommand in the awsJson1_1 protocol: the request
 * bodies, the readers of the replies, the container choice and the SSM target.
 *
 * Replies are parsed with Jansson from memory, duplicate keys refused, every string that
 * is used checked for its shape (IDs go into a file name, a JSON document and argv) and
 * bounded. Jansson allocates through ecs_exec_json_init's functions, which wipe every block
 * they free: the ExecuteCommand reply carries the session's token. */
#ifndef ECS_EXEC_ECS_H
#define ECS_EXEC_ECS_H

#include <stdbool.h>
#include <stddef.h>

#define ECS_EXEC_TARGET_PREFIX "AmazonEC2ContainerServiceV20141113."
#define ECS_EXEC_MAX_CONTAINERS 16
#define ECS_EXEC_REPLY_MAX (1024 * 1024)

struct ecs_exec_container {
	char *name;
	char *runtime_id;	/* NULL when ECS gave none (the container is not running) */
	char *agent_status;	/* the ExecuteCommandAgent's lastStatus, NULL when none */
};

struct ecs_exec_task {
	char *task_arn;
	char *task_id;		/* the last part of task_arn */
	char *cluster_name;	/* from clusterArn */
	char *last_status;
	bool exec_enabled;	/* enableExecuteCommand */
	bool missing;		/* DescribeTasks listed it under failures */
	char *failure_reason;	/* that failure's reason (MISSING, ...) */
	struct ecs_exec_container containers[ECS_EXEC_MAX_CONTAINERS];
	size_t ncontainers;
};

struct ecs_exec_session {
	char *session_id;
	char *cluster_name;	/* from clusterArn */
	char *task_id;		/* from taskArn */
	char *container_name;
	char *handover;		/* {"sessionId","streamUrl","tokenValue"} for the plugin: secret */
};

/* The error document of a 4xx/5xx awsJson reply: __type (or the x-amzn-ErrorType header)
 * without its namespace, and the message made safe to print. */
struct ecs_aws_error {
	char code[96];
	char message[400];
};

/* Route Jansson's allocations through wiping functions. Call once before any other call
 * here (main, tests and fuzzers do). */
void ecs_exec_json_init(void);

/* Request bodies (caller frees with free()). cluster may be NULL (ECS's default cluster),
 * container NULL (the task's only one). 0 or -ENOMEM. */
int ecs_exec_describe_body(const char *cluster, const char *task, char **out);
int ecs_exec_execute_body(const char *cluster, const char *task, const char *container,
			  const char *command, char **out);

/* Read a DescribeTasks reply for one task. 0 or -EBADMSG (not the documented shape),
 * -ENOMEM. Release with ecs_exec_task_free. */
int ecs_exec_parse_describe(const char *body, size_t len, struct ecs_exec_task *t);
void ecs_exec_task_free(struct ecs_exec_task *t);

/* Read an ExecuteCommand reply. 0 or -EBADMSG, -ENOMEM. Release with
 * ecs_exec_session_free (it wipes the handover). */
int ecs_exec_parse_execute(const char *body, size_t len, struct ecs_exec_session *s);
void ecs_exec_session_free(struct ecs_exec_session *s);

/* Read an error reply; header_type is x-amzn-ErrorType's value or NULL. Never fails: what
 * cannot be read leaves code or message empty. */
void ecs_exec_parse_error(const char *body, size_t len, const char *header_type,
			  struct ecs_aws_error *e);

/* Choose the container: the one named (want), else the only one. 0 with *idx set, or
 * -ENOENT (want is not in the task) / -EINVAL (several and none named) / -ESRCH (none)
 * with err[errsz] saying so and naming the task's containers. */
int ecs_exec_choose_container(const struct ecs_exec_task *t, const char *want, size_t *idx,
			      char *err, size_t errsz);

/* Whether the task can take an exec session into container idx: 0, or -EAGAIN with err
 * saying why not (task not RUNNING, enableExecuteCommand off, agent not RUNNING). */
int ecs_exec_check_ready(const struct ecs_exec_task *t, size_t idx, char *err, size_t errsz);

/* The plugin's parameters: {"Target": "ecs:CLUSTER_TASKID_RUNTIMEID"}, as the AWS CLI
 * writes them, into a new string (caller frees). 0, -EINVAL (a part that is not a name),
 * -ENOMEM. */
int ecs_exec_target_json(const char *cluster, const char *task_id, const char *runtime_id,
			 char **out);

#endif
