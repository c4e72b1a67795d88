/* sts_http.h — the HTTPS transport of the STS call (libcurl).
 *
 * One handle per STS exchange, reused across its retries (the TLS session stays warm).
 * HTTPS only (also for redirects, which are not followed anyway), peer and host verified
 * against the trust root read before the privilege drop (sts_trust.h: sts_ca_file alone, or
 * the system store) and its public-key pins, no signals, a connect timeout and a total
 * timeout per request, and a reply capped at ECS_STS_REPLY_MAX bytes. Through sts_proxy (trust->proxy) when set, with a CONNECT tunnel
 * and the proxy's credentials; never through a proxy from the environment. */
#ifndef ECS_STS_HTTP_H
#define ECS_STS_HTTP_H

#include <stddef.h>
#include "ecs_buf.h"
#include "sts_trust.h"

struct ecs_sts_http;

struct ecs_sts_http_reply {
	long status;			/* HTTP status; 0 when none arrived */
	struct ecs_buf body;		/* the reply body (may hold the secret key: caller wipes) */
	char request_id[80];		/* x-amzn-RequestId header, "" when absent */
	char error_type[128];		/* x-amzn-ErrorType header (AWS JSON protocols), "" */
	char reason[256];		/* the transport's reason on failure */
	const char *cause;		/* on failure, its ECS_STS_CAUSE_* (sts_errmap.h) */
};

/* Prepare a handle for endpoint (must start with https://), trusting only what trust says
 * (libcurl copies it: trust may go after this). Caller releases it with ecs_sts_http_close.
 * The first handle of the process loads libcurl (libaws/aws_curl.h): no other verb maps it.
 * 0, -EPERM (not https), -ECS_ECONFIG (an option libcurl refuses), -ENOMEM, or -ELIBACC /
 * -ELIBBAD (libcurl cannot be loaded: see ecs_sts_http_open_cause). */
int ecs_sts_http_open(const char *endpoint, const struct ecs_sts_trust *trust,
		      struct ecs_sts_http **out);

/* The cause (sts_errmap.h) of r, a failure of ecs_sts_http_open or ecs_aws_endpoint_parse:
 * ECS_STS_CAUSE_LIBCURL when libcurl could not be loaded, with why[size] saying why; else
 * ECS_STS_CAUSE_CONFIG, why left alone. */
const char *ecs_sts_http_open_cause(int r, char *why, size_t size);

/* POST body[len] (a form) and collect the reply within timeout_ms. reply must have been
 * initialised with ecs_sts_http_reply_init; it is reset first. 0 when an HTTP answer of any
 * status arrived; else -ETIMEDOUT, -ECONNREFUSED, -EHOSTUNREACH (resolve/connect),
 * -EPERM (TLS verification or a pin), -EACCES (the proxy refused the tunnel or its
 * credentials), -ECS_ECONFIG (the CA file is unusable), -EFBIG (reply over
 * the cap), -EPROTO (other failures), with
 * reply->reason saying why and reply->cause naming it. */
int ecs_sts_http_post(struct ecs_sts_http *h, const void *body, size_t len, long timeout_ms,
		      struct ecs_sts_http_reply *reply);

/* Replace the request's headers (STS's form headers by default) with lines[n], each
 * "Name: value" (an AWS JSON call's signed headers, aws_request.h). The strings are copied,
 * and the copies wiped when replaced or closed: they may hold a session token and a
 * signature. 0 or -ENOMEM / -ECS_ECONFIG. */
int ecs_sts_http_set_headers(struct ecs_sts_http *h, const char *const *lines, size_t n);

void ecs_sts_http_reply_init(struct ecs_sts_http_reply *reply);
void ecs_sts_http_reply_free(struct ecs_sts_http_reply *reply);

/* NULL-safe. */
void ecs_sts_http_close(struct ecs_sts_http *h);

#endif
