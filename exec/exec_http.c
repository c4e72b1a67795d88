/* exec_http.c — signed awsJson1_1 POST over HTTPS (see exec_http.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "ecs_err.h"
#include "ecs_secmem.h"
#include "ecs_str.h"
#include "exec_ecs.h"
#include "exec_http.h"

#define CONNECT_TIMEOUT_MS 10000L
#define TOTAL_TIMEOUT_MS 30000L

void
ecs_exec_reply_init(struct ecs_exec_reply *reply)
{
	memset(reply, 0, sizeof(*reply));
	ecs_buf_init(&reply->body, ECS_EXEC_REPLY_MAX);
}

void
ecs_exec_reply_free(struct ecs_exec_reply *reply)
{
	ecs_buf_free(&reply->body);
	reply->status = 0;
	reply->error_type[0] = 0;
	reply->request_id[0] = 0;
	reply->reason[0] = 0;
}

struct sink {
	struct ecs_exec_reply *reply;
	bool too_big;
};

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;

	if (ecs_buf_append(&s->reply->body, p, size * n) < 0) {
		s->too_big = true;
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
	for (; i < len && j + 1 < size && p[i] > 0x20 && p[i] < 0x7f; i++)
		dst[j++] = p[i];
	dst[j] = 0;
}

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;

	keep_header(p, size * n, "x-amzn-errortype:", s->reply->error_type,
		    sizeof(s->reply->error_type));
	keep_header(p, size * n, "x-amzn-requestid:", s->reply->request_id,
		    sizeof(s->reply->request_id));
	return size * n;
}

/* Wipe the strings of a header list (the token and the signature are in it), then free. */
static void
free_headers(struct curl_slist *l)
{
	for (struct curl_slist *i = l; i; i = i->next)
		ecs_wipe(i->data, strlen(i->data));
	curl_slist_free_all(l);
}

static int
add_header(struct curl_slist **l, const char *name, const char *value)
{
	struct ecs_buf line;
	struct curl_slist *n;
	int r;

	ecs_buf_init(&line, 16384);
	r = ecs_buf_printf(&line, "%s: %s", name, value);
	if (r == 0) {
		n = curl_slist_append(*l, (const char *)line.data);
		if (n)
			*l = n;
		else
			r = -ENOMEM;
	}
	ecs_buf_free(&line);
	return r;
}

static int
build_headers(const struct ecs_aws_call *call, struct curl_slist **out)
{
	struct ecs_sigv4_pair h[ECS_AWS_NHEADERS];
	struct ecs_sigv4_result res;
	char date[ECS_SIGV4_DATE_LEN + 1];
	struct curl_slist *l = NULL;
	size_t n;
	int r;

	ecs_sigv4_result_init(&res);
	r = ecs_aws_signed_headers(call, date, h, &n, &res);
	for (size_t i = 0; r == 0 && i < n; i++)
		r = add_header(&l, h[i].name, h[i].value);
	if (r == 0)
		r = add_header(&l, "Authorization", (const char *)res.authorization.data);
	if (r == 0)
		r = add_header(&l, "Expect", "");	/* no 100-continue round trip */
	ecs_sigv4_result_free(&res);
	if (r < 0) {
		free_headers(l);
		l = NULL;
	}
	*out = l;
	return r;
}

static int
map_curl(CURLcode e, bool too_big)
{
	if (too_big || e == CURLE_FILESIZE_EXCEEDED)
		return -EFBIG;
	switch (e) {
	case CURLE_OPERATION_TIMEDOUT:
		return -ETIMEDOUT;
	case CURLE_COULDNT_CONNECT:
		return -ECONNREFUSED;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return -EHOSTUNREACH;
	case CURLE_SSL_CACERT_BADFILE:
		return -ECS_ECONFIG;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
		return -EPERM;
	case CURLE_OUT_OF_MEMORY:
		return -ENOMEM;
	default:
		return -EPROTO;
	}
}

static CURLcode
set_options(CURL *c, const struct ecs_aws_call *call, const char *ca_bundle,
	    struct curl_slist *headers, struct sink *sink, char *errbuf)
{
	CURLcode e = CURLE_OK;

#define SET(opt, val) \
	do { \
		if (e == CURLE_OK) \
			e = curl_easy_setopt(c, opt, val); \
	} while (0)
	SET(CURLOPT_URL, call->ep->url);
	SET(CURLOPT_PROTOCOLS_STR, "https");
	SET(CURLOPT_REDIR_PROTOCOLS_STR, "https");
	SET(CURLOPT_FOLLOWLOCATION, 0L);
	SET(CURLOPT_SSL_VERIFYPEER, 1L);
	SET(CURLOPT_SSL_VERIFYHOST, 2L);
	SET(CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_NETRC, (long)CURL_NETRC_IGNORED);
	SET(CURLOPT_USERAGENT, "ecs-saml-exec (pam_ecs_saml)");
	SET(CURLOPT_HTTPHEADER, headers);
	SET(CURLOPT_POSTFIELDS, call->body);
	SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(call->body));
	SET(CURLOPT_ERRORBUFFER, errbuf);
	SET(CURLOPT_WRITEFUNCTION, on_body);
	SET(CURLOPT_WRITEDATA, sink);
	SET(CURLOPT_HEADERFUNCTION, on_header);
	SET(CURLOPT_HEADERDATA, sink);
	SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)ECS_EXEC_REPLY_MAX);
	SET(CURLOPT_CONNECTTIMEOUT_MS, CONNECT_TIMEOUT_MS);
	SET(CURLOPT_TIMEOUT_MS, TOTAL_TIMEOUT_MS);
	if (ca_bundle)
		SET(CURLOPT_CAINFO, ca_bundle);
#undef SET
	return e;
}

int
ecs_exec_post(const struct ecs_aws_call *call, const char *ca_bundle,
	      struct ecs_exec_reply *reply)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	struct sink sink = { reply, false };
	struct curl_slist *headers = NULL;
	CURL *c = NULL;
	CURLcode e;
	int r;

	ecs_exec_reply_free(reply);
	r = build_headers(call, &headers);
	if (r < 0) {
		snprintf(reply->reason, sizeof(reply->reason), "cannot sign the request: %s",
			 ecs_strerror(r));
		goto out;
	}
	c = curl_easy_init();
	if (!c) {
		r = -ENOMEM;
		goto out;
	}
	e = set_options(c, call, ca_bundle, headers, &sink, errbuf);
	if (e == CURLE_OK)
		e = curl_easy_perform(c);
	if (e == CURLE_OK) {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply->status);
		r = 0;
	} else {
		r = map_curl(e, sink.too_big);
		snprintf(reply->reason, sizeof(reply->reason), "%s",
			 r == -EFBIG ? "reply larger than the cap" :
			 errbuf[0] ? errbuf : curl_easy_strerror(e));
		ecs_buf_free(&reply->body);	/* a partial body is of no use */
	}
out:
	if (c)
		curl_easy_cleanup(c);
	free_headers(headers);
	return r;
}
