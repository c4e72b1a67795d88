/* exec_http.h — one signed awsJson1_1 POST over HTTPS (libcurl), as the AWS SDKs send it.
 *
 * The request's headers are built once (ecs_exec_signed_headers): Content-Type, Host,
 * X-Amz-Date, X-Amz-Security-Token (temporary credentials), X-Amz-Target, all signed with
 * SigV4, and the same list goes on the wire with the Authorization header, so what is signed
 * is what is sent. HTTPS only, peer and host verified against the CA bundle (NULL = the
 * system's), no redirects, bounded time, a reply capped at ECS_EXEC_REPLY_MAX. The header
 * strings that hold the token are wiped before they are freed. */
#ifndef ECS_EXEC_HTTP_H
#define ECS_EXEC_HTTP_H

#include <time.h>

#include "ecs_buf.h"
#include "exec_awsconf.h"
#include "exec_sigv4.h"

#define ECS_EXEC_URL_MAX 512
#define ECS_EXEC_NHEADERS 5

/* Where requests go: the URL as given, and what the Host header and the signature use. */
struct ecs_exec_endpoint {
	char url[ECS_EXEC_URL_MAX + 1];
	char host[300];		/* host, or host:port when the port is not 443 */
	char path[ECS_EXEC_URL_MAX + 1];
};

struct ecs_exec_call {
	const struct ecs_exec_endpoint *ep;
	const struct ecs_aws_settings *creds;
	const char *region;
	const char *service;	/* "ecs", "ssm" */
	const char *target;	/* X-Amz-Target */
	const char *body;	/* the JSON document */
	time_t now;
};

struct ecs_exec_reply {
	long status;
	struct ecs_buf body;
	char error_type[128];	/* x-amzn-ErrorType, "" when absent */
	char request_id[80];	/* x-amzn-RequestId */
	char reason[256];	/* the transport's reason on failure */
};

/* Parse an https:// URL (no user, query or fragment) into ep. 0 or -EINVAL. */
int ecs_exec_endpoint_parse(const char *url, struct ecs_exec_endpoint *ep);

/* The AWS endpoint of service in region: https://SERVICE.REGION.DNS-SUFFIX, the suffix of the
 * region's partition (ecs_aws_net.h: amazonaws.com.cn in China's regions) into
 * url[ECS_EXEC_URL_MAX + 1]. 0 or -EINVAL. */
int ecs_exec_default_endpoint(const char *service, const char *region, char *url);

/* The request's headers, signed: names/values into h[ECS_EXEC_NHEADERS] (pointing into
 * call, amz_date and the static strings here), *n set, the signature in res. date_buf
 * receives X-Amz-Date. 0 or the signer's error. */
int ecs_exec_signed_headers(const struct ecs_exec_call *call,
			    char date_buf[ECS_SIGV4_DATE_LEN + 1],
			    struct ecs_sigv4_pair h[ECS_EXEC_NHEADERS], size_t *n,
			    struct ecs_sigv4_result *res);

void ecs_exec_reply_init(struct ecs_exec_reply *reply);
void ecs_exec_reply_free(struct ecs_exec_reply *reply);

/* Send call and collect the reply. 0 when an HTTP answer of any status arrived; else
 * -ETIMEDOUT, -ECONNREFUSED, -EHOSTUNREACH, -EPERM (TLS verification), -ECS_ECONFIG (the
 * CA bundle is unusable), -EFBIG (reply over the cap), -EPROTO, -ENOMEM, with
 * reply->reason saying why. */
int ecs_exec_post(const struct ecs_exec_call *call, const char *ca_bundle,
		  struct ecs_exec_reply *reply);

#endif
