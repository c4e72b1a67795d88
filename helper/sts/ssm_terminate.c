/* ssm_terminate.c — ssm:TerminateSession (see ssm_terminate.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "aws_request.h"
#include "ecs_buf.h"
#include "ecs_exec_rec.h"
#include "sts_errmap.h"
#include "ssm_terminate.h"

/* "Name: value" lines of the signed headers plus Authorization, into lines[] backed by
 * bufs[] (wiped by the caller's ecs_buf_free: they hold the token and the signature). */
static int
header_lines(const struct ecs_aws_call *call, struct ecs_buf bufs[ECS_AWS_NHEADERS + 1],
	     const char *lines[ECS_AWS_NHEADERS + 1], size_t *n)
{
	struct ecs_sigv4_pair h[ECS_AWS_NHEADERS];
	struct ecs_sigv4_result res;
	char date[ECS_SIGV4_DATE_LEN + 1];
	size_t nh = 0;
	int r;

	*n = 0;
	ecs_sigv4_result_init(&res);
	r = ecs_aws_signed_headers(call, date, h, &nh, &res);
	for (size_t i = 0; r == 0 && i <= nh; i++) {
		r = i < nh ? ecs_buf_printf(&bufs[i], "%s: %s", h[i].name, h[i].value) :
			     ecs_buf_printf(&bufs[i], "Authorization: %s",
					    (const char *)res.authorization.data);
		if (r == 0)
			lines[(*n)++] = (const char *)bufs[i].data;
	}
	ecs_sigv4_result_free(&res);
	return r;
}

int
ecs_ssm_terminate(const struct ecs_ssm_terminate *t, const struct ecs_sts_trust *trust,
		  struct ecs_sts_http_reply *reply)
{
	struct ecs_buf bufs[ECS_AWS_NHEADERS + 1];
	const char *lines[ECS_AWS_NHEADERS + 1];
	struct ecs_aws_endpoint ep;
	struct ecs_sts_http *h = NULL;
	char body[ECS_EXEC_SESSION_ID_MAX + 32];
	struct ecs_aws_call call;
	size_t n = 0;
	int r;

	for (size_t i = 0; i <= ECS_AWS_NHEADERS; i++)
		ecs_buf_init(&bufs[i], 8192);
	ecs_sts_http_reply_free(reply);
	/* the ID is [A-Za-z0-9_-]: nothing in it needs JSON escaping */
	r = ecs_exec_session_id_ok(t->session_id) ? ecs_aws_endpoint_parse(t->endpoint, &ep) :
						      -EINVAL;
	if (r < 0) {
		snprintf(reply->reason, sizeof(reply->reason), "no usable SSM endpoint or session ID");
		reply->cause = ecs_sts_http_open_cause(r, reply->reason, sizeof(reply->reason));
		goto out;
	}
	snprintf(body, sizeof(body), "{\"SessionId\":\"%s\"}", t->session_id);
	call = (struct ecs_aws_call){
		.ep = &ep,
		.access_key_id = t->creds->access_key_id,
		.secret_access_key = t->creds->secret_access_key,
		.session_token = t->creds->session_token,
		.region = t->region,
		.service = "ssm",
		.target = ECS_SSM_TARGET_TERMINATE,
		.body = body,
		.now = time(NULL),
	};
	r = header_lines(&call, bufs, lines, &n);
	if (r < 0) {
		snprintf(reply->reason, sizeof(reply->reason), "cannot sign the request");
		reply->cause = ECS_STS_CAUSE_REQUEST;
		goto out;
	}
	r = ecs_sts_http_open(ep.url, trust, &h);
	if (r == 0)
		r = ecs_sts_http_set_headers(h, lines, n);
	if (r < 0) {
		snprintf(reply->reason, sizeof(reply->reason), "the HTTPS client refused the setup");
		reply->cause = ecs_sts_http_open_cause(r, reply->reason, sizeof(reply->reason));
		goto out;
	}
	r = ecs_sts_http_post(h, body, strlen(body), t->timeout_ms, reply);
out:
	ecs_sts_http_close(h);
	for (size_t i = 0; i <= ECS_AWS_NHEADERS; i++)
		ecs_buf_free(&bufs[i]);
	return r;
}
