/* sts_http.c — libcurl transport for STS (see sts_http.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aws_curl.h"
#include "ecs_err.h"
#include "ecs_secmem.h"
#include "ecs_str.h"
#include "sts_errmap.h"
#include "sts_http.h"
#include "sts_proxy.h"
#include "sts_reply.h"
#include "sts_trust.h"

#define CONNECT_TIMEOUT_MS 5000L

struct ecs_sts_http {
	const struct ecs_curl *api;	/* libcurl, loaded by ecs_sts_http_open */
	CURL *curl;
	struct curl_slist *headers;
	char errbuf[CURL_ERROR_SIZE];
	struct ecs_sts_http_reply *reply;	/* borrowed during one post */
	bool too_big;
	bool proxied;		/* through sts_proxy: a failure may be the proxy's */
};

void
ecs_sts_http_reply_init(struct ecs_sts_http_reply *reply)
{
	reply->status = 0;
	ecs_buf_init(&reply->body, ECS_STS_REPLY_MAX);
	reply->request_id[0] = 0;
	reply->error_type[0] = 0;
	reply->reason[0] = 0;
	reply->cause = NULL;
}

void
ecs_sts_http_reply_free(struct ecs_sts_http_reply *reply)
{
	ecs_buf_free(&reply->body);
	reply->status = 0;
	reply->request_id[0] = 0;
	reply->error_type[0] = 0;
	reply->reason[0] = 0;
	reply->cause = NULL;
}

/* Collect the body; refusing a byte past the cap makes libcurl abort the transfer, so a
 * hostile or broken peer cannot make us buffer 10 MB. */
static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct ecs_sts_http *h = arg;

	if (ecs_buf_append(&h->reply->body, p, size * n) < 0) {
		h->too_big = true;
		return 0;
	}
	return size * n;
}

/* Keep one header's value (printable, bounded) if the line is that header. */
static void
keep_header(const char *p, size_t len, const char *name, char *dst, size_t size)
{
	size_t i = strlen(name);
	size_t j = 0;

	if (len <= i || strncasecmp(p, name, i) != 0)
		return;
	while (i < len && (p[i] == ' ' || p[i] == '\t'))
		i++;
	/* only what is safe to log */
	for (; i < len && j + 1 < size && p[i] > 0x20 && p[i] < 0x7f; i++)
		dst[j++] = p[i];
	dst[j] = 0;
}

/* Keep x-amzn-RequestId: it joins our log line to AWS's records even when the body is not
 * an STS document (a 5xx from a load balancer); and x-amzn-ErrorType, the error code of
 * AWS's JSON protocols. */
static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct ecs_sts_http *h = arg;

	keep_header(p, size * n, "x-amzn-requestid:", h->reply->request_id,
		    sizeof(h->reply->request_id));
	keep_header(p, size * n, "x-amzn-errortype:", h->reply->error_type,
		    sizeof(h->reply->error_type));
	return size * n;
}

static int
set_options(struct ecs_sts_http *h, const char *endpoint, const struct ecs_sts_trust *trust)
{
	const struct ecs_curl *api = h->api;
	CURL *c = h->curl;
	CURLcode e = CURLE_OK;
	struct curl_blob ca = {
		.data = trust->ca.data,
		.len = trust->ca.len,
		.flags = CURL_BLOB_COPY,
	};

	/* each setopt returns CURLE_OK or an error; the first error wins */
#define SET(opt, val) \
	do { \
		if (e == CURLE_OK) \
			e = api->easy_setopt(c, opt, val); \
	} while (0)
	SET(CURLOPT_URL, endpoint);
	SET(CURLOPT_PROTOCOLS_STR, "https");
	SET(CURLOPT_REDIR_PROTOCOLS_STR, "https");
	SET(CURLOPT_FOLLOWLOCATION, 0L);
	SET(CURLOPT_SSL_VERIFYPEER, 1L);
	SET(CURLOPT_SSL_VERIFYHOST, 2L);
	SET(CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_NOPROGRESS, 1L);
	/* the proxy is sts_proxy or none, never one from the environment (https_proxy,
	 * no_proxy: the helper runs with an empty one anyway): the assertion goes only where
	 * the administrator said. Through a proxy, always a CONNECT tunnel, so TLS with STS
	 * (SNI, the certificate, the pins) is end to end and the proxy sees a host name. */
	SET(CURLOPT_PROXY, trust->proxy != NULL ? trust->proxy : "");
	SET(CURLOPT_NOPROXY, "");
	if (trust->proxy != NULL) {
		SET(CURLOPT_PROXYTYPE, (long)CURLPROXY_HTTP);
		SET(CURLOPT_HTTPPROXYTUNNEL, 1L);
		SET(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
	}
	if (trust->proxy != NULL && trust->proxy_auth.len > 0) {
		/* libcurl copies both; Basic, since it sends nothing before a 407 asks */
		SET(CURLOPT_PROXYAUTH, (long)CURLAUTH_BASIC);
		SET(CURLOPT_PROXYUSERNAME, (const char *)trust->proxy_auth.data);
		SET(CURLOPT_PROXYPASSWORD, ecs_sts_proxy_password(&trust->proxy_auth));
	}
	h->proxied = trust->proxy != NULL;
	SET(CURLOPT_NETRC, (long)CURL_NETRC_IGNORED);
	SET(CURLOPT_USERAGENT, "pam_ecs_saml");
	SET(CURLOPT_HTTPHEADER, h->headers);
	SET(CURLOPT_ERRORBUFFER, h->errbuf);
	SET(CURLOPT_WRITEFUNCTION, on_body);
	SET(CURLOPT_WRITEDATA, h);
	SET(CURLOPT_HEADERFUNCTION, on_header);
	SET(CURLOPT_HEADERDATA, h);
	SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)ECS_STS_REPLY_MAX);
	if (trust->ca.len > 0) {
		/* sts_ca_file is the only trust: no CA bundle, no CA directory (Debian's
		 * libcurl defaults to both), and no native store */
		SET(CURLOPT_CAINFO, NULL);
		SET(CURLOPT_CAPATH, NULL);
		SET(CURLOPT_SSL_OPTIONS, 0L);
		SET(CURLOPT_CAINFO_BLOB, &ca);
	}
	if (trust->pins != NULL)
		SET(CURLOPT_PINNEDPUBLICKEY, trust->pins);
#undef SET
	return e == CURLE_OK ? 0 : -ECS_ECONFIG;
}

int
ecs_sts_http_open(const char *endpoint, const struct ecs_sts_trust *trust,
		  struct ecs_sts_http **out)
{
	struct ecs_sts_http *h = NULL;
	struct curl_slist *l;
	int r;

	*out = NULL;
	if (!endpoint || !ecs_startswith(endpoint, "https://"))
		return -EPERM;
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	r = ecs_curl_load(&h->api);
	if (r < 0)
		goto out;
	r = -ENOMEM;
	h->curl = h->api->easy_init();
	if (!h->curl)
		goto out;
	l = h->api->slist_append(NULL,
			      "Content-Type: application/x-www-form-urlencoded; charset=utf-8");
	if (!l)
		goto out;
	h->headers = l;
	/* no "Expect: 100-continue" round trip for a large assertion */
	l = h->api->slist_append(h->headers, "Expect:");
	if (!l)
		goto out;
	h->headers = l;
	r = set_options(h, endpoint, trust);
	if (r < 0)
		goto out;
	*out = h;
	h = NULL;	/* ownership moved to the caller */
out:
	ecs_sts_http_close(h);
	return r;
}

const char *
ecs_sts_http_open_cause(int r, char *why, size_t size)
{
	if (r != -ELIBACC && r != -ELIBBAD)
		return ECS_STS_CAUSE_CONFIG;
	snprintf(why, size, "%s: install the distribution's libcurl4 package",
		 ecs_curl_load_error());
	return ECS_STS_CAUSE_LIBCURL;
}

/* Through a proxy: whether it was the proxy that failed, and how. The CONNECT's answer
 * tells a tunnel refused (407 or 401: credentials; any other: the proxy's rules) from a failure
 * past it. 0 when the failure is not the proxy's. */
static int
map_proxy(struct ecs_sts_http *h, CURLcode e, const char **cause)
{
	long connect_code = 0;

	if (e == CURLE_COULDNT_CONNECT || e == CURLE_COULDNT_RESOLVE_PROXY) {
		/* with a proxy, libcurl connects to nothing else */
		*cause = ECS_STS_CAUSE_PROXY;
		return -ECONNREFUSED;
	}
	h->api->easy_getinfo(h->curl, CURLINFO_HTTP_CONNECTCODE, &connect_code);
	/* 407 is HTTP's answer; some proxies (tinyproxy) answer a CONNECT with 401 */
	if (connect_code == 407 || connect_code == 401) {
		*cause = ECS_STS_CAUSE_PROXY_AUTH;
		return -EACCES;
	}
	if (connect_code != 0 && (connect_code < 200 || connect_code > 299)) {
		*cause = ECS_STS_CAUSE_PROXY;
		return -EACCES;
	}
	return 0;
}

/* libcurl's failure as an error value and the CODE that names it for the operator. */
static int
map_curl(struct ecs_sts_http *h, CURLcode e, const char **cause)
{
	int r;

	if (h->proxied && (r = map_proxy(h, e, cause)) != 0)
		return r;
	if (h->too_big || e == CURLE_FILESIZE_EXCEEDED) {
		*cause = ECS_STS_CAUSE_BAD_REPLY;
		return -EFBIG;
	}
	switch (e) {
	case CURLE_OPERATION_TIMEDOUT:
		*cause = ECS_STS_CAUSE_TIMEOUT;
		return -ETIMEDOUT;
	case CURLE_COULDNT_CONNECT:
		*cause = ECS_STS_CAUSE_UNREACHABLE;
		return -ECONNREFUSED;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		*cause = ECS_STS_CAUSE_DNS;
		return -EHOSTUNREACH;
	case CURLE_SSL_CACERT_BADFILE:
		*cause = ECS_STS_CAUSE_CA_FILE;	/* checked at load: the TLS library disagrees */
		return -ECS_ECONFIG;
	case CURLE_PEER_FAILED_VERIFICATION:
		*cause = ECS_STS_CAUSE_UNTRUSTED;
		return -EPERM;
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
		*cause = ECS_STS_CAUSE_PIN;
		return -EPERM;
	case CURLE_UNSUPPORTED_PROTOCOL:
		*cause = ECS_STS_CAUSE_CONFIG;	/* not https:// */
		return -EPERM;
	case CURLE_SSL_CONNECT_ERROR:
		*cause = ECS_STS_CAUSE_TLS;	/* e.g. the peer does not speak TLS */
		return -EPROTO;
	default:
		*cause = ECS_STS_CAUSE_CONNECTION;
		return -EPROTO;
	}
}

int
ecs_sts_http_post(struct ecs_sts_http *h, const void *body, size_t len, long timeout_ms,
		  struct ecs_sts_http_reply *reply)
{
	CURLcode e;
	long status = 0;
	int r;

	ecs_sts_http_reply_free(reply);
	h->reply = reply;
	h->too_big = false;
	h->errbuf[0] = 0;
	if (timeout_ms < 1)
		timeout_ms = 1;
	e = h->api->easy_setopt(h->curl, CURLOPT_POSTFIELDS, body);
	if (e == CURLE_OK)
		e = h->api->easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	if (e == CURLE_OK)
		e = h->api->easy_setopt(h->curl, CURLOPT_TIMEOUT_MS, timeout_ms);
	if (e == CURLE_OK)
		e = h->api->easy_setopt(h->curl, CURLOPT_CONNECTTIMEOUT_MS,
				     timeout_ms < CONNECT_TIMEOUT_MS ? timeout_ms : CONNECT_TIMEOUT_MS);
	if (e == CURLE_OK)
		e = h->api->easy_perform(h->curl);
	if (e == CURLE_OK) {
		h->api->easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &status);
		reply->status = status;
		r = 0;
	} else {
		r = map_curl(h, e, &reply->cause);
		snprintf(reply->reason, sizeof(reply->reason), "%s",
			 r == -EFBIG ? "reply larger than the cap" :
			 h->errbuf[0] ? h->errbuf : h->api->easy_strerror(e));
		/* a partial body is of no use and may hold secrets */
		ecs_buf_free(&reply->body);
	}
	/* libcurl keeps the pointer, not a copy: forget it before the caller wipes the body */
	h->api->easy_setopt(h->curl, CURLOPT_POSTFIELDS, NULL);
	h->reply = NULL;
	return r;
}

/* Wipe the strings of a header list, then free it. */
static void
free_headers(const struct ecs_curl *api, struct curl_slist *l)
{
	if (!l)
		return;
	for (struct curl_slist *i = l; i; i = i->next)
		ecs_wipe(i->data, strlen(i->data));
	api->slist_free_all(l);
}

int
ecs_sts_http_set_headers(struct ecs_sts_http *h, const char *const *lines, size_t n)
{
	struct curl_slist *l = NULL, *next;

	for (size_t i = 0; i < n; i++) {
		next = h->api->slist_append(l, lines[i]);
		if (!next) {
			free_headers(h->api, l);
			return -ENOMEM;
		}
		l = next;
	}
	/* no "Expect: 100-continue" round trip */
	next = h->api->slist_append(l, "Expect:");
	if (!next) {
		free_headers(h->api, l);
		return -ENOMEM;
	}
	l = next;
	if (h->api->easy_setopt(h->curl, CURLOPT_HTTPHEADER, l) != CURLE_OK) {
		free_headers(h->api, l);
		return -ECS_ECONFIG;
	}
	free_headers(h->api, h->headers);
	h->headers = l;
	return 0;
}

void
ecs_sts_http_close(struct ecs_sts_http *h)
{
	if (!h)
		return;
	if (h->curl)
		h->api->easy_cleanup(h->curl);
	free_headers(h->api, h->headers);
	free(h);
}
