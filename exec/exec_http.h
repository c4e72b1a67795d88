/* exec_http.h — one signed awsJson1_1 POST over HTTPS (libcurl), as the AWS SDKs send it.
 *
 * The request's headers are libaws's (ecs_aws_signed_headers, shared with the helper's
 * teardown): the same list that is signed goes on the wire with the Authorization header. HTTPS only, peer and host verified against the CA bundle (NULL = the
 * system's), no redirects, bounded time, a reply capped at ECS_EXEC_REPLY_MAX. The header
 * strings that hold the token are wiped before they are freed. */
#ifndef ECS_EXEC_HTTP_H
#define ECS_EXEC_HTTP_H

#include <time.h>

#include "ecs_buf.h"
#include "exec_awsconf.h"
#include "aws_request.h"

struct ecs_exec_reply {
	long status;
	struct ecs_buf body;
	char error_type[128];	/* x-amzn-ErrorType, "" when absent */
	char request_id[80];	/* x-amzn-RequestId */
	char reason[256];	/* the transport's reason on failure */
};

void ecs_exec_reply_init(struct ecs_exec_reply *reply);
void ecs_exec_reply_free(struct ecs_exec_reply *reply);

/* Send call and collect the reply. 0 when an HTTP answer of any status arrived; else
 * -ETIMEDOUT, -ECONNREFUSED, -EHOSTUNREACH, -EPERM (TLS verification), -ECS_ECONFIG (the
 * CA bundle is unusable), -EFBIG (reply over the cap), -EPROTO, -ENOMEM, with
 * reply->reason saying why. */
int ecs_exec_post(const struct ecs_aws_call *call, const char *ca_bundle,
		  struct ecs_exec_reply *reply);

#endif
