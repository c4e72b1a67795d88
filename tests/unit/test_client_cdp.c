/* test_client_cdp.c — the DevTools conversation of ecs-saml-ssh --browser, message by message:
 * interception before navigation, the capture of the posted Response, and each refusal. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_cdp.h"
#include "client_json.h"
#include "ecs_b64.h"
#include "tap.h"

static const char xml[] =
	"<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_r1\">"
	"<saml:Assertion xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_a1\">"
	"<saml:Conditions NotOnOrAfter=\"2099-01-01T00:05:00Z\"/>"
	"</saml:Assertion></samlp:Response>";

/* The messages queued since the last call, joined by '\n' (their NULs), then cleared. */
static char *
taken(struct ecs_client_cdp *c)
{
	char *s = malloc(c->out.len + 1);

	for (size_t i = 0; i < c->out.len; i++)
		s[i] = c->out.data[i] ? (char)c->out.data[i] : '\n';
	s[c->out.len] = '\0';
	ecs_buf_clear(&c->out);
	return s;
}

/* Whether every queued message parses as JSON (they are left queued). */
static bool
queued_valid(const struct ecs_client_cdp *c)
{
	size_t i = 0;

	while (i < c->out.len) {
		const char *m = (const char *)c->out.data + i;
		size_t n = strlen(m);
		struct ecs_json d;
		int r = ecs_json_parse(&d, m, n);

		ecs_json_free(&d);
		if (r != 0)
			return false;
		i += n + 1;
	}
	return true;
}

static int
feed(struct ecs_client_cdp *c, const char *msg)
{
	return ecs_client_cdp_feed(c, msg, strlen(msg));
}

/* The form body a browser posts for xml: SAMLResponse=<base64, url-encoded>&RelayState=. */
static char *
form_of(const char *doc)
{
	struct ecs_buf b, f;
	size_t n;

	ecs_buf_init(&b, 1 << 20);
	ecs_buf_init(&f, 1 << 20);
	ecs_b64_encode(doc, strlen(doc), &b);
	ecs_buf_puts(&f, "SAMLResponse=");
	for (size_t i = 0; i < b.len; i++) {
		char ch = (char)b.data[i];

		if (ch == '+' || ch == '/' || ch == '=')
			ecs_buf_printf(&f, "%%%02X", (unsigned)ch);
		else
			ecs_buf_append(&f, &ch, 1);
	}
	ecs_buf_puts(&f, "&RelayState=");
	ecs_buf_free(&b);
	return (char *)ecs_buf_take(&f, &n);
}

static char *
paused(const char *url, const char *method, const char *body_field)
{
	char *m = malloc(strlen(body_field) + 1024);

	sprintf(m, "{\"method\":\"Fetch.requestPaused\",\"sessionId\":\"S1\",\"params\":"
		   "{\"requestId\":\"interception-job-7.0\",\"request\":{\"url\":\"%s\","
		   "\"method\":\"%s\",\"headers\":{}%s}}}", url, method, body_field);
	return m;
}

/* A conversation brought to the point where the page is open: init, attach, Fetch.enable
 * answered. */
static void
opened(struct ecs_client_cdp *c)
{
	ecs_client_cdp_init(c, "https://idp.example.test/app/aws?x=\"1\"");
	feed(c, "{\"method\":\"Target.attachedToTarget\",\"params\":{\"sessionId\":\"S1\","
		"\"targetInfo\":{\"type\":\"page\",\"url\":\"about:blank\"},\"waitingForDebugger\":false}}");
	feed(c, "{\"id\":2,\"result\":{},\"sessionId\":\"S1\"}");
	ecs_buf_clear(&c->out);
}

int
main(void)
{
	struct ecs_client_cdp c;
	char *s, *form, *field, *m;
	int r;

	ecs_client_cdp_init(&c, "https://idp.example.test/app/aws?x=\"1\"");
	T_OK(queued_valid(&c), "the first command is JSON");
	s = taken(&c);
	T_OK(strstr(s, "\"method\":\"Target.setAutoAttach\"") &&
		     strstr(s, "\"waitForDebuggerOnStart\":true") && strstr(s, "\"flatten\":true"),
	     "starts with Target.setAutoAttach, targets paused until intercepted: %s", s);
	free(s);
	r = feed(&c, "{\"method\":\"Target.attachedToTarget\",\"params\":{\"sessionId\":\"S1\","
		     "\"targetInfo\":{\"type\":\"page\",\"url\":\"about:blank\"},"
		     "\"waitingForDebugger\":true}}");
	T_OK(r == ECS_CDP_RUNNING && queued_valid(&c), "an attached page: valid commands");
	s = taken(&c);
	T_OK(strstr(s, "\"sessionId\":\"S1\",\"method\":\"Fetch.enable\"") &&
		     strstr(s, "\"urlPattern\":\"https://signin.aws.amazon.com/saml*\","
			       "\"requestStage\":\"Request\"") &&
		     strstr(s, "https://*.signin.aws.amazon.com/saml*") &&
		     strstr(s, "Runtime.runIfWaitingForDebugger") && !strstr(s, "Page.navigate"),
	     "...intercepts AWS sign-in at the Request stage, then lets it run, and does not "
	     "navigate yet: %s", s);
	free(s);
	r = feed(&c, "{\"id\":2,\"result\":{},\"sessionId\":\"S1\"}");
	s = taken(&c);
	T_OK(r == ECS_CDP_RUNNING &&
		     strstr(s, "\"sessionId\":\"S1\",\"method\":\"Page.navigate\",\"params\":"
			       "{\"url\":\"https://idp.example.test/app/aws?x=\\\"1\\\"\"}"),
	     "once interception is on, the page opens the sign-in URL: %s", s);
	free(s);
	r = feed(&c, "{\"method\":\"Target.attachedToTarget\",\"params\":{\"sessionId\":\"S2\","
		     "\"targetInfo\":{\"type\":\"page\"},\"waitingForDebugger\":true}}");
	s = taken(&c);
	T_OK(r == ECS_CDP_RUNNING && strstr(s, "\"sessionId\":\"S2\",\"method\":\"Fetch.enable\"") &&
		     !strstr(s, "Page.navigate"), "a pop-up is intercepted too, not navigated");
	free(s);
	T_OK(feed(&c, "{\"id\":3,\"error\":{\"code\":-32000,\"message\":\"no\"}}") == ECS_CDP_RUNNING,
	     "a failed Runtime.runIfWaitingForDebugger does not matter");
	T_OK(feed(&c, "{\"method\":\"Page.frameNavigated\",\"params\":{}}") == ECS_CDP_RUNNING,
	     "an event of no use is passed over");

	form = form_of(xml);
	field = malloc(strlen(form) + 64);
	sprintf(field, ",\"hasPostData\":true,\"postData\":\"%s\"", form);
	m = paused("https://signin.aws.amazon.com/saml", "POST", field);
	r = feed(&c, m);
	T_OK(r == ECS_CDP_CAPTURED, "the POST of a SAML Response to AWS is captured (%d)", r);
	T_OK(c.resp.xml.len == strlen(xml) && memcmp(c.resp.xml.data, xml, c.resp.xml.len) == 0,
	     "...the Response is the one posted");
	T_OK(queued_valid(&c), "...the answer is JSON");
	s = taken(&c);
	T_OK(strstr(s, "\"sessionId\":\"S1\",\"method\":\"Fetch.fulfillRequest\",\"params\":"
		       "{\"requestId\":\"interception-job-7.0\",\"responseCode\":200") != NULL,
	     "...and answered from here, never continued to the network");
	T_OK(strstr(s, "continueRequest") == NULL, "...no Fetch.continueRequest");
	free(s);
	ecs_client_cdp_close(&c);
	s = taken(&c);
	T_OK(strstr(s, "\"method\":\"Browser.close\"") != NULL, "Browser.close");
	free(s);
	ecs_client_cdp_free(&c);
	free(m);
	free(field);

	/* the body only in postDataEntries (base64), as newer browsers also send it */
	opened(&c);
	{
		struct ecs_buf b;

		ecs_buf_init(&b, 1 << 20);
		ecs_buf_puts(&b, ",\"postDataEntries\":[{\"bytes\":\"");
		ecs_b64_encode(form, 20, &b);
		ecs_buf_puts(&b, "\"},{\"bytes\":\"");
		ecs_b64_encode(form + 20, strlen(form) - 20, &b);
		ecs_buf_puts(&b, "\"}]");
		m = paused("https://us-east-2.signin.aws.amazon.com/saml", "POST", (char *)b.data);
		ecs_buf_free(&b);
	}
	T_OK(feed(&c, m) == ECS_CDP_CAPTURED, "a body in postDataEntries, to a regional endpoint");
	ecs_client_cdp_free(&c);
	free(m);

	opened(&c);
	m = paused("https://signin.aws.amazon.com/saml?x=1", "GET", "");
	T_OK(feed(&c, m) == ECS_CDP_RUNNING, "a GET of the sign-in URL goes on waiting");
	s = taken(&c);
	T_OK(strstr(s, "\"method\":\"Fetch.failRequest\"") && strstr(s, "BlockedByClient"),
	     "...and is failed, not let through: %s", s);
	free(s);
	free(m);
	m = paused("https://signin.aws.amazon.com/samlx", "POST", ",\"postData\":\"SAMLResponse=x\"");
	r = feed(&c, m);
	s = taken(&c);
	T_OK(r == ECS_CDP_RUNNING && strstr(s, "Fetch.failRequest"),
	     "a POST to another path the pattern caught is failed");
	free(s);
	free(m);
	m = paused("https://signin.aws.amazon.com/saml", "POST",
		   ",\"postData\":\"username=alice&password=x\"");
	T_OK(feed(&c, m) == ECS_CDP_E_NOT_SAML, "a POST without a SAMLResponse field is refused");
	s = taken(&c);
	T_OK(strstr(s, "Fetch.fulfillRequest") != NULL, "...and still answered from here");
	free(s);
	free(m);
	ecs_client_cdp_free(&c);

	opened(&c);
	m = paused("https://signin.aws.amazon.com/saml", "POST",
		   ",\"postData\":\"SAMLResponse=PHg%2BPC94Pg%3D%3D\"");
	T_OK(feed(&c, m) == ECS_CDP_E_NOT_SAML && c.parse_error != 0,
	     "a SAMLResponse that is not a Response document is refused");
	free(m);
	ecs_client_cdp_free(&c);

	opened(&c);
	m = paused("https://signin.aws.amazon.com/saml", "POST", ",\"hasPostData\":true");
	T_OK(feed(&c, m) == ECS_CDP_E_NO_BODY, "a POST whose body the browser did not hand over");
	free(m);
	ecs_client_cdp_free(&c);

	ecs_client_cdp_init(&c, "https://idp.example.test/");
	feed(&c, "{\"method\":\"Target.attachedToTarget\",\"params\":{\"sessionId\":\"S1\","
		 "\"targetInfo\":{\"type\":\"page\"},\"waitingForDebugger\":false}}");
	T_OK(feed(&c, "{\"id\":2,\"error\":{\"code\":-32601,\"message\":\"'Fetch.enable' wasn't "
		      "found\\n\"}}") == ECS_CDP_E_COMMAND && strcmp(c.detail, "'Fetch.enable' "
		      "wasn't found?") == 0, "a page whose interception fails ends the sign-in, "
	     "with the browser's words made printable: %s", c.detail);
	ecs_client_cdp_free(&c);

	opened(&c);
	T_OK(feed(&c, "{\"id\":3,\"result\":{\"frameId\":\"F\",\"errorText\":"
		      "\"net::ERR_NAME_NOT_RESOLVED\"},\"sessionId\":\"S1\"}") == ECS_CDP_E_NAVIGATE &&
		     strcmp(c.detail, "net::ERR_NAME_NOT_RESOLVED") == 0,
	     "a sign-in URL that does not open: %s", c.detail);
	ecs_client_cdp_free(&c);

	opened(&c);
	T_OK(feed(&c, "{\"id\":1,") == ECS_CDP_E_PROTOCOL, "a message that is not JSON");
	T_OK(feed(&c, "[1]") == ECS_CDP_E_PROTOCOL, "a message that is not an object");
	T_OK(feed(&c, "{\"method\":\"Target.attachedToTarget\",\"params\":{\"sessionId\":"
		      "\"S\\\"1\",\"targetInfo\":{\"type\":\"page\"}}}") == ECS_CDP_E_PROTOCOL,
	     "a session id that is not letters and digits");
	ecs_client_cdp_free(&c);
	free(form);

	{
		static const char *yes[] = {
			"https://signin.aws.amazon.com/saml", "https://signin.aws.amazon.com/saml?a=b",
			"https://eu-west-1.signin.aws.amazon.com/saml", "https://signin.amazonaws.cn/saml",
			"https://signin.amazonaws-us-gov.com/saml",
		};
		static const char *no[] = {
			"http://signin.aws.amazon.com/saml", "https://signin.aws.amazon.com/saml/x",
			"https://signin.aws.amazon.com/samlx", "https://signin.aws.amazon.com:444/saml",
			"https://evil.example/saml", "https://signin.aws.amazon.com.evil/saml",
			"https://a.b.signin.aws.amazon.com/saml", "https://x@signin.aws.amazon.com/saml",
			"https://signin.aws.amazon.com", "https://.signin.aws.amazon.com/saml",
		};

		for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
			T_OK(ecs_client_cdp_is_aws_saml_url(yes[i], strlen(yes[i])), "AWS: %s", yes[i]);
		for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
			T_OK(!ecs_client_cdp_is_aws_saml_url(no[i], strlen(no[i])), "not AWS: %s", no[i]);
	}
	T_DONE();
}
