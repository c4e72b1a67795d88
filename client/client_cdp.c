/* client_cdp.c — the DevTools conversation of ecs-saml-ssh --browser (client_cdp.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "client_cdp.h"
#include "client_json.h"
#include "ecs_b64.h"

/* The Fetch patterns: the browser pauses these, ecs_client_cdp_is_aws_saml_url then judges
 * each paused request exactly. */
static const char *const aws_patterns[] = {
	"https://signin.aws.amazon.com/saml*",
	"https://*.signin.aws.amazon.com/saml*",
	"https://signin.amazonaws.cn/saml*",
	"https://signin.amazonaws-us-gov.com/saml*",
};

static const char page_done[] =
	"<!doctype html><meta charset=utf-8><title>ecs-saml-ssh</title>"
	"<p>ecs-saml-ssh has the SAML response; it was not sent to AWS. "
	"You can close this window and go back to your terminal.</p>";
static const char page_refused[] =
	"<!doctype html><meta charset=utf-8><title>ecs-saml-ssh</title>"
	"<p>ecs-saml-ssh: this sign-in did not post a SAML response to AWS; "
	"nothing was sent. Your terminal says more.</p>";

void
ecs_client_cdp_init(struct ecs_client_cdp *c, const char *url)
{
	memset(c, 0, sizeof(*c));
	c->url = url;
	c->next_id = 1;
	ecs_buf_init(&c->out, ECS_CDP_MSG_MAX);
	ecs_client_response_init(&c->resp);
	ecs_buf_printf(&c->out, "{\"id\":%lld,\"method\":\"Target.setAutoAttach\",\"params\":"
		       "{\"autoAttach\":true,\"waitForDebuggerOnStart\":true,\"flatten\":true}}",
		       c->next_id++);
	ecs_buf_append(&c->out, "", 1);
}

void
ecs_client_cdp_free(struct ecs_client_cdp *c)
{
	ecs_buf_free(&c->out);
	ecs_client_response_free(&c->resp);
}

/* Queue one command: {"id":N,["sessionId":S,]"method":M,"params":PARAMS}. Its id, or 0 when
 * it did not fit. */
static long long
send_cmd(struct ecs_client_cdp *c, const char *session, const char *method, const char *params)
{
	size_t mark = c->out.len;
	long long id = c->next_id;
	int r = ecs_buf_printf(&c->out, "{\"id\":%lld,", id);

	if (r == 0 && session != NULL) {
		r = ecs_buf_puts(&c->out, "\"sessionId\":");
		if (r == 0)
			r = ecs_json_put_string(&c->out, session, strlen(session));
		if (r == 0)
			r = ecs_buf_puts(&c->out, ",");
	}
	if (r == 0)
		r = ecs_buf_printf(&c->out, "\"method\":\"%s\",\"params\":%s}", method, params);
	if (r == 0)
		r = ecs_buf_append(&c->out, "", 1);
	if (r < 0) {
		ecs_buf_truncate(&c->out, mark);
		return 0;
	}
	c->next_id++;
	return id;
}

void
ecs_client_cdp_close(struct ecs_client_cdp *c)
{
	send_cmd(c, NULL, "Browser.close", "{}");
}

static int
pending_add(struct ecs_client_cdp *c, long long id)
{
	for (size_t i = 0; i < ECS_CDP_PENDING_MAX; i++) {
		if (c->pending[i] == 0) {
			c->pending[i] = id;
			return 0;
		}
	}
	return ECS_CDP_E_TOO_MANY;
}

/* Whether id was a command that must succeed (and forget it). */
static bool
pending_take(struct ecs_client_cdp *c, long long id)
{
	for (size_t i = 0; i < ECS_CDP_PENDING_MAX; i++) {
		if (c->pending[i] == id) {
			c->pending[i] = 0;
			return true;
		}
	}
	return false;
}

/* Copy the string at token t into dst as printable ASCII (anything else becomes '?'), for a
 * message to the engineer: the text may come from the page. */
static void
copy_printable(const struct ecs_json *d, long t, char *dst, size_t size)
{
	struct ecs_buf b;
	size_t n = 0;

	ecs_buf_init(&b, 65536);
	if (ecs_json_string(d, t, &b) == 0) {
		for (; n < b.len && n + 1 < size; n++) {
			char ch = (char)b.data[n];

			dst[n] = ch >= 0x20 && ch < 0x7f ? ch : '?';
		}
	}
	dst[n] = '\0';
	ecs_buf_free(&b);
}

/* A session id: a short string of letters and digits, as Chromium makes them. */
static int
get_session(const struct ecs_json *d, long t, char out[ECS_CDP_SESSION_MAX + 1])
{
	const struct ecs_json_tok *k;
	size_t n;

	if (t < 0 || d->tok[t].type != ECS_JSON_STRING)
		return ECS_CDP_E_PROTOCOL;
	k = &d->tok[t];
	n = k->end - k->start;
	if (n == 0 || n > ECS_CDP_SESSION_MAX)
		return ECS_CDP_E_PROTOCOL;
	for (size_t i = 0; i < n; i++) {
		char ch = d->text[k->start + i];

		if (!((ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z')))
			return ECS_CDP_E_PROTOCOL;
	}
	memcpy(out, d->text + k->start, n);
	out[n] = '\0';
	return 0;
}

/* Fetch.enable's parameters: the AWS patterns at the Request stage. */
static int
enable_params(struct ecs_buf *p)
{
	int r = ecs_buf_puts(p, "{\"patterns\":[");

	for (size_t i = 0; r == 0 && i < sizeof(aws_patterns) / sizeof(aws_patterns[0]); i++)
		r = ecs_buf_printf(p, "%s{\"urlPattern\":\"%s\",\"requestStage\":\"Request\"}",
				   i ? "," : "", aws_patterns[i]);
	if (r == 0)
		r = ecs_buf_puts(p, "]}");
	return r;
}

/* Target.attachedToTarget: intercept there, then let it run. */
static int
on_attached(struct ecs_client_cdp *c, const struct ecs_json *d)
{
	char session[ECS_CDP_SESSION_MAX + 1];
	struct ecs_buf params;
	long long id;
	long type = ecs_json_path(d, 0, "params", "targetInfo", "type", NULL);
	bool page = ecs_json_string_is(d, type, "page") || ecs_json_string_is(d, type, "iframe");
	int r = get_session(d, ecs_json_path(d, 0, "params", "sessionId", NULL), session);

	if (r < 0)
		return r;
	ecs_buf_init(&params, 1024);
	r = enable_params(&params);
	id = r == 0 ? send_cmd(c, session, "Fetch.enable", (const char *)params.data) : 0;
	ecs_buf_free(&params);
	if (id == 0)
		return ECS_CDP_E_NOMEM;
	if (page) {
		r = pending_add(c, id);
		if (r < 0)
			return r;
		if (c->nav_enable_id == 0 && ecs_json_string_is(d, type, "page")) {
			c->nav_enable_id = id;
			memcpy(c->nav_session, session, sizeof(session));
		}
	}
	if (ecs_json_is_true(d, ecs_json_path(d, 0, "params", "waitingForDebugger", NULL)) &&
	    send_cmd(c, session, "Runtime.runIfWaitingForDebugger", "{}") == 0)
		return ECS_CDP_E_NOMEM;
	return ECS_CDP_RUNNING;
}

/* A reply to one of our commands. */
static int
on_reply(struct ecs_client_cdp *c, const struct ecs_json *d, long long id)
{
	long err = ecs_json_member(d, 0, "error");
	bool must = pending_take(c, id);
	struct ecs_buf params;
	long t;

	if (err >= 0 && must) {
		copy_printable(d, ecs_json_member(d, (size_t)err, "message"), c->detail,
			       sizeof(c->detail));
		return ECS_CDP_E_COMMAND;
	}
	if (id == c->nav_id) {
		/* Page.navigate answers with errorText when the URL does not load at all. */
		t = ecs_json_path(d, 0, "result", "errorText", NULL);
		if (t >= 0 && d->tok[t].end > d->tok[t].start) {
			copy_printable(d, t, c->detail, sizeof(c->detail));
			return ECS_CDP_E_NAVIGATE;
		}
	}
	if (id == c->nav_enable_id && c->nav_id == 0) {
		ecs_buf_init(&params, 8192);
		if (ecs_buf_puts(&params, "{\"url\":") == 0 &&
		    ecs_json_put_string(&params, c->url, strlen(c->url)) == 0 &&
		    ecs_buf_puts(&params, "}") == 0)
			c->nav_id = send_cmd(c, c->nav_session, "Page.navigate",
					     (const char *)params.data);
		ecs_buf_free(&params);
		if (c->nav_id == 0 || pending_add(c, c->nav_id) < 0)
			return ECS_CDP_E_NOMEM;
	}
	return ECS_CDP_RUNNING;
}

/* The body of the paused POST into body: request.postData as text, else the concatenated
 * request.postDataEntries[].bytes (base64). 0, ECS_CDP_E_NO_BODY or ECS_CDP_E_NOT_SAML. */
static int
posted_body(const struct ecs_json *d, long req, struct ecs_buf *body)
{
	long t = ecs_json_member(d, (size_t)req, "postData");
	long entries, e;
	int r;

	if (t >= 0) {
		r = ecs_json_string(d, t, body);
		return r == 0 ? 0 : ECS_CDP_E_NOT_SAML;
	}
	entries = ecs_json_member(d, (size_t)req, "postDataEntries");
	if (entries < 0)
		return ECS_CDP_E_NO_BODY;
	for (size_t i = 0; (e = ecs_json_element(d, (size_t)entries, i)) >= 0; i++) {
		struct ecs_buf b64;

		ecs_buf_init(&b64, ECS_CDP_MSG_MAX);
		r = ecs_json_string(d, ecs_json_member(d, (size_t)e, "bytes"), &b64);
		if (r == 0)
			r = ecs_b64_decode((const char *)b64.data, b64.len, body);
		ecs_buf_free(&b64);
		if (r < 0)
			return ECS_CDP_E_NOT_SAML;
	}
	return body->len > 0 ? 0 : ECS_CDP_E_NO_BODY;
}

/* Whether body is a url-encoded form with a SAMLResponse field. */
static bool
is_form(const struct ecs_buf *body)
{
	static const char key[] = "SAMLResponse=";
	const char *s = (const char *)body->data;

	if (body->len < sizeof(key) - 1)
		return false;
	return memcmp(s, key, sizeof(key) - 1) == 0 || memmem(s, body->len, "&SAMLResponse=",
							      sizeof(key)) != NULL;
}

/* Answer the paused request from here: fulfil it with page, or fail it. 0 or E_NOMEM. */
static int
answer(struct ecs_client_cdp *c, const char *session, const struct ecs_json *d, long rid,
       const char *page)
{
	struct ecs_buf params;
	long long id = 0;
	int r;

	ecs_buf_init(&params, 8192);
	r = ecs_buf_puts(&params, "{\"requestId\":");
	if (r == 0)
		r = ecs_json_put_string(&params, d->text + d->tok[rid].start,
					d->tok[rid].end - d->tok[rid].start);
	if (r == 0 && page == NULL)
		r = ecs_buf_puts(&params, ",\"errorReason\":\"BlockedByClient\"}");
	if (r == 0 && page != NULL)
		r = ecs_buf_puts(&params, ",\"responseCode\":200,\"responseHeaders\":["
				 "{\"name\":\"Content-Type\",\"value\":\"text/html; charset=utf-8\"},"
				 "{\"name\":\"Cache-Control\",\"value\":\"no-store\"},"
				 "{\"name\":\"Content-Security-Policy\",\"value\":\"default-src 'none'\"}"
				 "],\"body\":\"");
	if (r == 0 && page != NULL)
		r = ecs_b64_encode(page, strlen(page), &params);
	if (r == 0 && page != NULL)
		r = ecs_buf_puts(&params, "\"}");
	if (r == 0)
		id = send_cmd(c, session, page ? "Fetch.fulfillRequest" : "Fetch.failRequest",
			      (const char *)params.data);
	ecs_buf_free(&params);
	return id != 0 ? 0 : ECS_CDP_E_NOMEM;
}

/* Fetch.requestPaused: the one request this program is here for, or one to stop. */
static int
on_paused(struct ecs_client_cdp *c, const struct ecs_json *d)
{
	char session[ECS_CDP_SESSION_MAX + 1];
	long req = ecs_json_path(d, 0, "params", "request", NULL);
	long rid = ecs_json_path(d, 0, "params", "requestId", NULL);
	long url = ecs_json_member(d, (size_t)(req < 0 ? 0 : req), "url");
	struct ecs_buf body;
	int r = get_session(d, ecs_json_member(d, 0, "sessionId"), session);

	if (r < 0 || req < 0 || url < 0 || d->tok[url].type != ECS_JSON_STRING || rid < 0 ||
	    d->tok[rid].type != ECS_JSON_STRING ||
	    memchr(d->text + d->tok[rid].start, '\\', d->tok[rid].end - d->tok[rid].start))
		return ECS_CDP_E_PROTOCOL;
	/* Only a POST to the exact endpoint is the sign-in; anything else the patterns caught
	 * is stopped here, not let through. */
	if (!ecs_json_string_is(d, ecs_json_member(d, (size_t)req, "method"), "POST") ||
	    !ecs_client_cdp_is_aws_saml_url(d->text + d->tok[url].start,
					    d->tok[url].end - d->tok[url].start)) {
		r = answer(c, session, d, rid, NULL);
		return r < 0 ? r : ECS_CDP_RUNNING;
	}
	ecs_buf_init(&body, ECS_CLIENT_INPUT_MAX);
	r = posted_body(d, req, &body);
	if (r == 0 && !is_form(&body))
		r = ECS_CDP_E_NOT_SAML;
	if (r == 0) {
		c->parse_error = ecs_client_response_parse((const char *)body.data, body.len,
							   &c->resp);
		r = c->parse_error == 0 ? ECS_CDP_CAPTURED : ECS_CDP_E_NOT_SAML;
	}
	ecs_buf_free(&body);
	if (answer(c, session, d, rid, r == ECS_CDP_CAPTURED ? page_done : page_refused) < 0)
		r = ECS_CDP_E_NOMEM;
	return r;
}

int
ecs_client_cdp_feed(struct ecs_client_cdp *c, const char *msg, size_t len)
{
	struct ecs_json d;
	long long id;
	long method;
	int r;

	if (ecs_json_parse(&d, msg, len) < 0)
		return ECS_CDP_E_PROTOCOL;
	if (d.tok[0].type != ECS_JSON_OBJECT) {
		r = ECS_CDP_E_PROTOCOL;
		goto out;
	}
	method = ecs_json_member(&d, 0, "method");
	if (ecs_json_int(&d, ecs_json_member(&d, 0, "id"), &id) == 0)
		r = on_reply(c, &d, id);
	else if (ecs_json_string_is(&d, method, "Target.attachedToTarget"))
		r = on_attached(c, &d);
	else if (ecs_json_string_is(&d, method, "Fetch.requestPaused"))
		r = on_paused(c, &d);
	else if (method >= 0 && d.tok[method].type == ECS_JSON_STRING)
		r = ECS_CDP_RUNNING;	/* an event this program has no use for */
	else
		r = ECS_CDP_E_PROTOCOL;
out:
	ecs_json_free(&d);
	return r;
}

static bool
has_prefix(const char *s, size_t len, const char *p)
{
	size_t n = strlen(p);

	return len >= n && memcmp(s, p, n) == 0;
}

bool
ecs_client_cdp_is_aws_saml_url(const char *url, size_t len)
{
	static const char *const hosts[] = {
		"signin.aws.amazon.com", "signin.amazonaws.cn", "signin.amazonaws-us-gov.com",
	};
	const char *host, *path;
	size_t hlen, rest;

	if (!has_prefix(url, len, "https://"))
		return false;
	host = url + strlen("https://");
	path = memchr(host, '/', len - strlen("https://"));
	if (path == NULL)
		return false;
	hlen = (size_t)(path - host);
	rest = len - (size_t)(path - url);
	if (!has_prefix(path, rest, "/saml") ||
	    (rest > strlen("/saml") && path[5] != '?'))
		return false;
	for (size_t i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
		size_t n = strlen(hosts[i]);

		if (hlen == n && memcmp(host, hosts[i], n) == 0)
			return true;
	}
	/* REGION.signin.aws.amazon.com: one label of lower-case letters, digits and '-' */
	if (hlen > strlen(".signin.aws.amazon.com") &&
	    memcmp(host + hlen - strlen(".signin.aws.amazon.com"), ".signin.aws.amazon.com",
		   strlen(".signin.aws.amazon.com")) == 0) {
		size_t label = hlen - strlen(".signin.aws.amazon.com");

		for (size_t i = 0; i < label; i++) {
			char ch = host[i];

			if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-'))
				return false;
		}
		return true;
	}
	return false;
}
