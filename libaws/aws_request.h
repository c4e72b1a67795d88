/* aws_request.h — where an AWS JSON call goes and the headers that carry its signature.
 *
 * ecs-saml-exec (ECS DescribeTasks/ExecuteCommand) and the helper (SSM TerminateSession at
 * logout) both send awsJson1_1 POSTs signed with SigV4; this is the one piece that builds
 * them. The request's headers are built once (ecs_aws_signed_headers): Content-Type, Host,
 * X-Amz-Date, X-Amz-Security-Token (temporary credentials), X-Amz-Target, all signed, and
 * the caller sends the same list plus the Authorization header, so what is signed is what
 * goes on the wire. The transport is each program's own (exec/exec_http.c, the helper's
 * helper/sts/sts_http.c with its TLS trust). */
#ifndef ECS_AWS_REQUEST_H
#define ECS_AWS_REQUEST_H

#include <time.h>

#include "aws_sigv4.h"

#define ECS_AWS_URL_MAX 512
#define ECS_AWS_NHEADERS 5
#define ECS_AWS_JSON_CONTENT_TYPE "application/x-amz-json-1.1"

/* Where requests go: the URL as given, and what the Host header and the signature use. */
struct ecs_aws_endpoint {
	char url[ECS_AWS_URL_MAX + 1];
	char host[300];		/* host, or host:port when the port is not 443 */
	char path[ECS_AWS_URL_MAX + 1];
};

/* One call. Borrowed pointers. */
struct ecs_aws_call {
	const struct ecs_aws_endpoint *ep;
	const char *access_key_id;
	const char *secret_access_key;	/* secret */
	const char *session_token;	/* secret; NULL for long-term keys */
	const char *region;
	const char *service;	/* "ecs", "ssm" */
	const char *target;	/* X-Amz-Target */
	const char *body;	/* the JSON document */
	time_t now;
};

/* Parse an https:// URL (no user, query or fragment) into ep, with libcurl's URL parser
 * (loaded here if it is not yet: aws_curl.h). 0, -EINVAL or -ENOMEM, or ecs_curl_load's
 * -ELIBACC / -ELIBBAD. */
int ecs_aws_endpoint_parse(const char *url, struct ecs_aws_endpoint *ep);

/* The AWS endpoint of service in region: https://SERVICE.REGION.DNS-SUFFIX, the suffix of the
 * region's partition (ecs_aws_net.h: amazonaws.com.cn in China's regions) into
 * url[ECS_AWS_URL_MAX + 1]. 0 or -EINVAL (also a region that is not [a-z0-9-]). */
int ecs_aws_default_endpoint(const char *service, const char *region, char *url);

/* The request's headers, signed: names/values into h[ECS_AWS_NHEADERS] (pointing into
 * call, date_buf and static strings), *n set, the signature in res. date_buf receives
 * X-Amz-Date. 0 or the signer's error. */
int ecs_aws_signed_headers(const struct ecs_aws_call *call,
			   char date_buf[ECS_SIGV4_DATE_LEN + 1],
			   struct ecs_sigv4_pair h[ECS_AWS_NHEADERS], size_t *n,
			   struct ecs_sigv4_result *res);

#endif
