/* exec_args.h — ecs-saml-exec's command line.
 *
 *   ecs-saml-exec [--cluster C] --task T [--container N] [--command CMD] [--reason TEXT]
 *                 [--region R] [--endpoint-url URL]
 *
 * Each option takes its value as the next argument or after '='; each may be given once.
 * Nothing on the command line is secret (and nothing secret is accepted there). */
#ifndef ECS_EXEC_ARGS_H
#define ECS_EXEC_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#define ECS_EXEC_DEFAULT_COMMAND "/bin/sh"
#define ECS_EXEC_ERRSZ 512

struct ecs_exec_args {
	const char *cluster;		/* NULL: the account's default cluster, as ECS does */
	const char *task;		/* task ID or task ARN (required) */
	const char *container;		/* NULL: the task's only container */
	const char *command;		/* ECS_EXEC_DEFAULT_COMMAND when not given */
	const char *reason;		/* NULL or a line of printable text */
	const char *region;		/* NULL: from the environment or the config file */
	const char *endpoint_url;	/* NULL: from the environment, else AWS's */
	bool help;
	bool version;
};

/* Parse argv (argv[0] is the program) into a; the strings stay argv's. 0, or -EINVAL with
 * err[ECS_EXEC_ERRSZ] saying what is wrong in a sentence for the user. With --help or
 * --version nothing else is checked. */
int ecs_exec_args_parse(int argc, char *const *argv, struct ecs_exec_args *a, char *err);

/* The usage text, for --help and usage errors. */
extern const char ecs_exec_usage[];

/* Validators shared with the readers of AWS's replies: a cluster, task or container name
 * (letters, digits, '-' and '_', 1..255) or, for cluster and task, an ECS ARN. */
bool ecs_exec_name_ok(const char *s);
bool ecs_exec_cluster_ok(const char *s);
bool ecs_exec_task_ok(const char *s);

/* A line of printable ASCII (no control character), 1..max bytes. */
bool ecs_exec_line_ok(const char *s, size_t max);

#endif
