/* sts_probe.c — one unauthenticated AssumeRoleWithSAML whose only possible answer is an
 * STS error document (sts_probe.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ecs_err.h"
#include "sts_errmap.h"
#include "sts_http.h"
#include "sts_probe.h"
#include "sts_reply.h"
#include "sts_request.h"

int
ecs_sts_probe(const char *endpoint, const struct ecs_sts_trust *trust, long timeout_ms,
	      struct ecs_sts_error *err)
{
	const struct ecs_sts_call call = {
		.role_arn = ECS_STS_PROBE_ROLE,
		.principal_arn = ECS_STS_PROBE_PROVIDER,
		.saml_b64 = ECS_STS_PROBE_ASSERTION,
		.saml_len = sizeof(ECS_STS_PROBE_ASSERTION) - 1,
		.duration = 900,
	};
	struct ecs_sts_http_reply reply;
	struct ecs_sts_creds creds = { 0 };
	struct ecs_sts_http *h = NULL;
	struct ecs_buf body;
	int r;

	memset(err, 0, sizeof(*err));
	ecs_buf_init(&body, ECS_STS_BODY_MAX);
	ecs_sts_http_reply_init(&reply);
	r = ecs_sts_request_body(&call, NULL, &body);
	if (r < 0)
		goto out;
	r = ecs_sts_http_open(endpoint, trust, &h);
	if (r < 0) {
		snprintf(err->message, sizeof(err->message), "sts_endpoint %s: %s", endpoint,
			 r == -EPERM ? "not https://" : ecs_strerror(r));
		err->cause = ecs_sts_http_open_cause(r, err->message, sizeof(err->message));
		goto out;
	}
	r = ecs_sts_http_post(h, body.data, body.len, timeout_ms, &reply);
	err->http_status = (int)reply.status;
	if (r < 0) {
		err->cause = reply.cause;
		snprintf(err->message, sizeof(err->message), "%s", reply.reason);
		goto out;
	}
	r = ecs_sts_reply_parse(reply.body.data, reply.body.len, &creds, err);
	if (r == -ECS_ESTS) {
		r = 0;
	} else if (r == 0) {
		ecs_sts_creds_free(&creds);
		err->cause = ECS_STS_CAUSE_BAD_REPLY;
		snprintf(err->message, sizeof(err->message), "the endpoint issued credentials "
			 "for an assertion that is not SAML: it is not STS");
		r = -EPROTO;
	} else if (r == -EBADMSG) {
		err->cause = ECS_STS_CAUSE_BAD_REPLY;
	}
	if (!err->request_id[0])
		snprintf(err->request_id, sizeof(err->request_id), "%s", reply.request_id);
out:
	ecs_sts_http_close(h);
	ecs_sts_http_reply_free(&reply);
	ecs_buf_free(&body);
	return r;
}
