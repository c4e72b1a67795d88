/* aws_request.c — endpoints and signed headers of an AWS JSON call (see aws_request.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "aws_curl.h"
#include "aws_request.h"
#include "ecs_aws_net.h"
#include "ecs_str.h"

int
ecs_aws_endpoint_parse(const char *url, struct ecs_aws_endpoint *ep)
{
	const struct ecs_curl *c;
	CURLU *u;
	char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL, *user = NULL;
	char *query = NULL, *frag = NULL;
	int r;

	memset(ep, 0, sizeof(*ep));
	r = ecs_curl_load(&c);	/* libcurl's URL parser: the one the request goes through */
	if (r < 0)
		return r;
	r = -EINVAL;
	u = c->url();
	if (!u)
		return -ENOMEM;
	if (!url || strlen(url) > ECS_AWS_URL_MAX || !ecs_startswith(url, "https://") ||
	    c->url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    c->url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    c->url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    c->url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK)
		goto out;
	c->url_get(u, CURLUPART_PORT, &port, 0);
	c->url_get(u, CURLUPART_USER, &user, 0);
	c->url_get(u, CURLUPART_QUERY, &query, 0);
	c->url_get(u, CURLUPART_FRAGMENT, &frag, 0);
	if (strcmp(scheme, "https") != 0 || user || query || frag || !*host)
		goto out;
	if (port && strcmp(port, "443") != 0)
		snprintf(ep->host, sizeof(ep->host), "%s:%s", host, port);
	else
		snprintf(ep->host, sizeof(ep->host), "%s", host);
	snprintf(ep->path, sizeof(ep->path), "%s", *path ? path : "/");
	snprintf(ep->url, sizeof(ep->url), "%s", url);
	r = 0;
out:
	c->free(scheme);
	c->free(host);
	c->free(port);
	c->free(path);
	c->free(user);
	c->free(query);
	c->free(frag);
	c->url_cleanup(u);
	return r;
}

int
ecs_aws_default_endpoint(const char *service, const char *region, char *url)
{
	size_t n;

	/* the region becomes part of a host name: only what region names are made of */
	n = region ? strspn(region, "abcdefghijklmnopqrstuvwxyz0123456789-") : 0;
	if (n == 0 || region[n] != 0 || n > 32)
		return -EINVAL;
	/* the region's partition decides the DNS suffix (aws-cn: amazonaws.com.cn) */
	return ecs_aws_endpoint(service, region, "", url, ECS_AWS_URL_MAX + 1) == 0 ? 0 : -EINVAL;
}

int
ecs_aws_signed_headers(const struct ecs_aws_call *call, char date_buf[ECS_SIGV4_DATE_LEN + 1],
		       struct ecs_sigv4_pair h[ECS_AWS_NHEADERS], size_t *n,
		       struct ecs_sigv4_result *res)
{
	struct ecs_sigv4_request req;
	struct tm tm;

	*n = 0;
	if (!gmtime_r(&call->now, &tm) ||
	    strftime(date_buf, ECS_SIGV4_DATE_LEN + 1, "%Y%m%dT%H%M%SZ", &tm) != ECS_SIGV4_DATE_LEN)
		return -EINVAL;
	h[(*n)++] = (struct ecs_sigv4_pair){ "Content-Type", ECS_AWS_JSON_CONTENT_TYPE };
	h[(*n)++] = (struct ecs_sigv4_pair){ "Host", call->ep->host };
	h[(*n)++] = (struct ecs_sigv4_pair){ "X-Amz-Date", date_buf };
	if (call->session_token)
		h[(*n)++] = (struct ecs_sigv4_pair){ "X-Amz-Security-Token", call->session_token };
	h[(*n)++] = (struct ecs_sigv4_pair){ "X-Amz-Target", call->target };
	req = (struct ecs_sigv4_request){
		.method = "POST",
		.path = call->ep->path,
		.normalize_path = true,
		.headers = h,
		.nheaders = *n,
		.payload = call->body,
		.payload_len = strlen(call->body),
		.amz_date = date_buf,
		.region = call->region,
		.service = call->service,
		.access_key_id = call->access_key_id,
		.secret_access_key = call->secret_access_key,
	};
	return ecs_sigv4_sign(&req, res);
}
