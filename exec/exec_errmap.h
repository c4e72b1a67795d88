/* exec_errmap.h — what ecs-saml-exec tells the user when AWS says no, and its exit code.
 *
 * Exit codes (ecs-saml-exec(1) lists them):
 *   0  the exec session ran and ended
 *   1  AWS refused: not allowed, no such cluster or task, the task cannot take an exec
 *   2  usage or setup: bad arguments, no credentials or region, no session-manager-plugin
 *   3  AWS could not be reached or answered out of the protocol (network, TLS, 5xx)
 *   4  the session's credentials are expired or not accepted: log in again
 *   5  session-manager-plugin failed or was killed */
#ifndef ECS_EXEC_ERRMAP_H
#define ECS_EXEC_ERRMAP_H

#include <stddef.h>

#include "exec_ecs.h"

enum {
	ECS_EXEC_EXIT_OK = 0,
	ECS_EXEC_EXIT_REFUSED = 1,
	ECS_EXEC_EXIT_USAGE = 2,
	ECS_EXEC_EXIT_UNREACHABLE = 3,
	ECS_EXEC_EXIT_LOGIN = 4,
	ECS_EXEC_EXIT_PLUGIN = 5,
};

/* What the request was about, for the sentence. */
struct ecs_exec_errctx {
	const char *operation;	/* "DescribeTasks", "ExecuteCommand" */
	const char *cluster;	/* as the user gave it; NULL for the default cluster */
	const char *task;
	const char *container;	/* NULL when not (yet) known */
	const char *region;
};

/* AWS's error reply (HTTP status and the parsed error document) as a sentence saying what
 * to do, into msg[size]; returns the exit code. */
int ecs_exec_errmap_aws(const struct ecs_exec_errctx *ctx, long status,
			const struct ecs_aws_error *e, char *msg, size_t size);

/* A transport failure (the -errno of exec_http) as a sentence; returns the exit code. */
int ecs_exec_errmap_transport(int r, const char *url, const char *reason, const char *ca_bundle,
			      char *msg, size_t size);

#endif
