/* exec_errmap.c — AWS's refusals and transport failures as sentences (see exec_errmap.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ecs_err.h"
#include "exec_errmap.h"

static bool
is(const struct ecs_aws_error *e, const char *code)
{
	return strcmp(e->code, code) == 0;
}

static const char *
cluster_of(const struct ecs_exec_errctx *c)
{
	return c->cluster ? c->cluster : "default";
}

/* The sentences for InvalidParameterException, which ECS uses for many causes: the message
 * tells them apart. */
static int
invalid_parameter(const struct ecs_exec_errctx *c, const struct ecs_aws_error *e, char *msg,
		  size_t size)
{
	if (strstr(e->message, "execute command was not enabled") ||
	    strstr(e->message, "execute command agent isn't running")) {
		snprintf(msg, size,
			 "task %s cannot take an exec session: it was started without "
			 "enableExecuteCommand or its exec agent is not running. Its owners must "
			 "enable exec on the service or task and start a new task.", c->task);
	} else if (strstr(e->message, "ontainer")) {
		snprintf(msg, size,
			 "ECS refused the container choice for task %s: %s. Name one of the task's "
			 "containers with --container.", c->task, e->message);
	} else if (strstr(e->message, "task is not found") ||
		   strstr(e->message, "task was not found") || strstr(e->message, "not found")) {
		snprintf(msg, size,
			 "task %s was not found in cluster %s (region %s): check --task, "
			 "--cluster and --region; the task may have stopped. (ECS: %s)", c->task,
			 cluster_of(c), c->region, e->message);
	} else if (strstr(e->message, "not running")) {
		snprintf(msg, size, "task %s is not running: exec needs a running task.", c->task);
	} else {
		snprintf(msg, size,
			 "ECS refused %s as invalid: %s. Check --task, --cluster, --container and "
			 "--command.", c->operation, e->message[0] ? e->message : "(no message)");
	}
	return ECS_EXEC_EXIT_REFUSED;
}

int
ecs_exec_errmap_aws(const struct ecs_exec_errctx *c, long status, const struct ecs_aws_error *e,
		    char *msg, size_t size)
{
	if (is(e, "AccessDeniedException") || is(e, "AccessDenied")) {
		snprintf(msg, size,
			 "not allowed: this bastion session may not call ecs:%s on cluster %s "
			 "(region %s). The session policy the bastion issued, or your role, does "
			 "not cover it: ask the bastion's administrator to add the cluster to "
			 "ecs_clusters, or use a cluster you are allowed into.", c->operation,
			 cluster_of(c), c->region);
		return ECS_EXEC_EXIT_REFUSED;
	}
	if (is(e, "TargetNotConnectedException") || is(e, "TargetNotConnected")) {
		snprintf(msg, size,
			 "task %s is not connected for exec: its exec agent is not connected to "
			 "AWS (the task was started without enableExecuteCommand, its role lacks "
			 "the ssmmessages permissions, or its network cannot reach SSM). Wait a "
			 "minute and retry; if it persists, its owners must fix the task.", c->task);
		return ECS_EXEC_EXIT_REFUSED;
	}
	if (is(e, "ExpiredTokenException") || is(e, "ExpiredToken") || is(e, "RequestExpired") ||
	    strstr(e->message, "token included in the request is expired")) {
		snprintf(msg, size,
			 "this bastion session's AWS credentials have expired: log in to the "
			 "bastion again for fresh ones.");
		return ECS_EXEC_EXIT_LOGIN;
	}
	if (is(e, "UnrecognizedClientException") || is(e, "InvalidClientTokenId") ||
	    is(e, "MissingAuthenticationTokenException")) {
		snprintf(msg, size,
			 "AWS does not accept this session's credentials (%s): they were revoked or "
			 "the credentials file was changed. Log in to the bastion again.", e->code);
		return ECS_EXEC_EXIT_LOGIN;
	}
	if (is(e, "InvalidSignatureException") || is(e, "SignatureDoesNotMatch") ||
	    is(e, "IncompleteSignature")) {
		snprintf(msg, size,
			 "AWS refused the request's signature (%s): the credentials do not match "
			 "(log in again) or the bastion's clock is wrong (ask its administrator).",
			 e->code);
		return ECS_EXEC_EXIT_LOGIN;
	}
	if (is(e, "ClusterNotFoundException")) {
		snprintf(msg, size,
			 "cluster %s does not exist in region %s: check --cluster and --region.",
			 cluster_of(c), c->region);
		return ECS_EXEC_EXIT_REFUSED;
	}
	if (is(e, "InvalidParameterException"))
		return invalid_parameter(c, e, msg, size);
	if (is(e, "ThrottlingException") || is(e, "Throttling")) {
		snprintf(msg, size, "ECS is throttling requests: wait a few seconds and try again.");
		return ECS_EXEC_EXIT_UNREACHABLE;
	}
	if (status >= 500 || is(e, "ServerException") || is(e, "InternalFailure") ||
	    is(e, "ServiceUnavailable")) {
		snprintf(msg, size, "ECS failed on its side (HTTP %ld%s%s): try again in a minute.",
			 status, e->code[0] ? ", " : "", e->code);
		return ECS_EXEC_EXIT_UNREACHABLE;
	}
	snprintf(msg, size, "ECS refused %s (HTTP %ld, %s): %s", c->operation, status,
		 e->code[0] ? e->code : "no error code", e->message[0] ? e->message : "no message");
	return status >= 400 && status < 500 ? ECS_EXEC_EXIT_REFUSED : ECS_EXEC_EXIT_UNREACHABLE;
}

int
ecs_exec_errmap_transport(int r, const char *url, const char *reason, const char *ca_bundle,
			  char *msg, size_t size)
{
	const char *why = reason && *reason ? reason : ecs_strerror(r);

	switch (r) {
	case -ETIMEDOUT:
		snprintf(msg, size,
			 "no answer from %s in time (%s): check the bastion's network path to AWS "
			 "(proxy, VPC endpoint, security group) and try again.", url, why);
		break;
	case -EHOSTUNREACH:
	case -ECONNREFUSED:
		snprintf(msg, size,
			 "cannot reach %s (%s): check the region, --endpoint-url and the bastion's "
			 "network path to AWS.", url, why);
		break;
	case -EPERM:
		snprintf(msg, size,
			 "the TLS certificate of %s is not trusted (%s): nothing was sent. Check "
			 "%s%s.", url, why, ca_bundle ? "AWS_CA_BUNDLE=" : "the system's CA store",
			 ca_bundle ? ca_bundle : "");
		break;
	case -ECS_ECONFIG:
		snprintf(msg, size, "the CA bundle %s cannot be used (%s): fix AWS_CA_BUNDLE.",
			 ca_bundle ? ca_bundle : "(system)", why);
		return ECS_EXEC_EXIT_USAGE;
	case -EFBIG:
		snprintf(msg, size, "%s sent an answer larger than any ECS reply: refused.", url);
		break;
	default:
		snprintf(msg, size, "the request to %s failed (%s).", url, why);
		break;
	}
	return ECS_EXEC_EXIT_UNREACHABLE;
}
