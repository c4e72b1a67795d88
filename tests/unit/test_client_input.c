/* test_client_input.c — ecs-saml-ssh's input parsing and its answers to protocol v1 prompts. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_answer.h"
#include "client_input.h"
#include "ecs_b64.h"
#include "ecs_kbd_proto.h"
#include "ecs_limits.h"
#include "tap.h"

/* T_OK evaluates its condition a second time to print it on failure; the conditions here
 * call functions with side effects, so each is judged once and passed in as a value. */
static void
check(bool ok, const char *name)
{
	T_OK(ok, "%s", name);
}

static const char xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<!-- copied from the network panel -->\n"
	"<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_r1\">"
	"<saml:Assertion xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_a1\">"
	"<saml:Subject><saml:SubjectConfirmation><saml:SubjectConfirmationData "
	"NotOnOrAfter=\"2030-01-01T00:10:00Z\" Recipient=\"https://signin.aws.amazon.com/saml\"/>"
	"</saml:SubjectConfirmation></saml:Subject>"
	"<saml:Conditions NotBefore=\"2029-12-31T23:55:00Z\" NotOnOrAfter='2030-01-01T00:05:00Z'/>"
	"<saml:AuthnStatement SessionNotOnOrAfter=\"2029-01-01T00:00:00Z\"/>"
	"</saml:Assertion></samlp:Response>\n";

static char *
b64_of(const char *s, size_t n)
{
	struct ecs_buf b;

	ecs_buf_init(&b, 1 << 20);
	if (ecs_b64_encode(s, n, &b) < 0)
		abort();
	return (char *)ecs_buf_take(&b, &n);
}

/* base64 wrapped at 76 columns, as `base64` writes it. */
static char *
wrap76(const char *b64)
{
	size_t n = strlen(b64), o = 0;
	char *w = malloc(n + n / 76 + 2);

	for (size_t i = 0; i < n; i++) {
		w[o++] = b64[i];
		if (i % 76 == 75)
			w[o++] = '\n';
	}
	w[o++] = '\n';
	w[o] = '\0';
	return w;
}

/* Percent-encode like a browser's form submission (base64's '+', '/' and '=' escaped). */
static char *
form_encode(const char *b64)
{
	size_t n = strlen(b64), o = 0;
	char *f = malloc(3 * n + 64);

	o += (size_t)sprintf(f, "SAMLResponse=");
	for (size_t i = 0; i < n; i++) {
		if (b64[i] == '+' || b64[i] == '/' || b64[i] == '=')
			o += (size_t)sprintf(f + o, "%%%02X", (unsigned char)b64[i]);
		else
			f[o++] = b64[i];
	}
	strcpy(f + o, "&RelayState=https%3A%2F%2Fconsole.aws.amazon.com%2F\n");
	return f;
}

static int
parse(const char *in, size_t n, struct ecs_client_response *r)
{
	ecs_client_response_init(r);
	return ecs_client_response_parse(in, n, r);
}

static void
test_url_decode(void)
{
	struct ecs_buf b;

	ecs_buf_init(&b, 64);
	check(ecs_client_url_decode("a%2Bb+c%3d%3D", 13, &b) == 0 && strcmp((char *)b.data, "a+b c==") == 0,
	     "url decode: %%XX in either case, '+' is a space");
	ecs_buf_clear(&b);
	check(ecs_client_url_decode("ab%2", 4, &b) == -EBADMSG && b.len == 0,
	     "url decode: a cut escape is refused and nothing is kept");
	check(ecs_client_url_decode("ab%zz", 5, &b) == -EBADMSG, "url decode: a non-hex escape is refused");
	ecs_buf_free(&b);
}

static void
test_shapes(void)
{
	size_t n = strlen(xml);
	char *b64 = b64_of(xml, n);
	char *wrapped = wrap76(b64);
	char *form = form_encode(b64);
	char *form_mid;
	struct ecs_client_response r;

	check(parse(xml, n, &r) == 0 && r.xml.len == n && strcmp((char *)r.b64.data, b64) == 0,
	     "XML input gives the canonical base64");
	ecs_client_response_free(&r);
	check(parse(b64, strlen(b64), &r) == 0 && memcmp(r.xml.data, xml, n) == 0,
	     "base64 input decodes to the XML");
	ecs_client_response_free(&r);
	check(parse(wrapped, strlen(wrapped), &r) == 0 && strcmp((char *)r.b64.data, b64) == 0,
	     "base64 wrapped at 76 columns is unwrapped");
	ecs_client_response_free(&r);
	check(parse(form, strlen(form), &r) == 0 && strcmp((char *)r.b64.data, b64) == 0,
	     "form body SAMLResponse=...&RelayState=... is URL-decoded");
	ecs_client_response_free(&r);

	form_mid = malloc(strlen(form) + 32);
	sprintf(form_mid, "RelayState=x&%.*s", (int)(strchr(form, '&') - form), form);
	check(parse(form_mid, strlen(form_mid), &r) == 0 && strcmp((char *)r.b64.data, b64) == 0,
	     "form body with SAMLResponse as a later field");
	ecs_client_response_free(&r);

	check(parse("hello world", 11, &r) == -EBADMSG, "plain text is not a SAML response");
	check(parse("", 0, &r) == -EBADMSG, "empty input is refused");
	check(parse("<html><body>login</body></html>", 31, &r) == -EBADMSG,
	     "XML whose root is not Response is refused");
	check(parse(xml, n - 20, &r) == -EBADMSG, "a truncated XML copy is refused");
	check(parse(b64, 1023, &r) == -EBADMSG, "base64 cut at 1023 characters is refused");
	check(parse("RelayState=x&Other=y", 20, &r) == -EBADMSG, "a form body without SAMLResponse is refused");
	check(parse("SAMLResponse=PHNh%2", 19, &r) == -EBADMSG, "a form body with a broken escape is refused");
	check(r.b64.len == 0 && r.xml.len == 0, "nothing is kept after a refusal");

	free(b64);
	free(wrapped);
	free(form);
	free(form_mid);
}

static void
test_too_big(void)
{
	size_t n = ECS_RESPONSE_MAX_B64 / 4 * 3 + 300;
	char *big = malloc(n + 1);
	struct ecs_client_response r;

	memset(big, ' ', n);
	memcpy(big, "<Response>", 10);
	memcpy(big + n - 11, "</Response>", 11);
	big[n] = '\0';
	check(parse(big, n, &r) == -E2BIG, "a document over the STS limit is too big");
	free(big);
}

static void
test_expiry(void)
{
	time_t t = 0;
	static const char bad[] = "<a NotOnOrAfter=\"yesterday\"/>";
	static const char session_only[] = "<a SessionNotOnOrAfter=\"2030-01-01T00:00:00Z\"/>";

	check(ecs_client_not_on_or_after(xml, strlen(xml), &t) == 0 && t == 1893456300,
	     "earliest NotOnOrAfter is taken, single quotes too, SessionNotOnOrAfter ignored");
	check(ecs_client_not_on_or_after(bad, strlen(bad), &t) == -EINVAL,
	     "a malformed instant is reported");
	check(ecs_client_not_on_or_after(session_only, strlen(session_only), &t) == -ENOENT,
	     "no NotOnOrAfter at all is -ENOENT");
}

static void
test_conversation(void)
{
	static const char prefix[] = "<Response>";
	char prompt[ECS_KBD_PROTO_PROMPT_MAX], sshown[ECS_KBD_PROTO_PROMPT_MAX + 64];
	const char *roles[] = { "arn:aws:iam::123456789012:role/A", "arn:aws:iam::123456789012:role/B" };
	struct ecs_kbd_proto_header h;
	struct ecs_client_answerer a;
	struct ecs_buf out, all;
	char *doc, *b64;
	size_t n = 2500;
	bool chunks_ok = true;

	doc = malloc(n + 1);
	memset(doc, 'x', n);
	memcpy(doc, prefix, strlen(prefix));
	memcpy(doc + n - 11, "</Response>", 11);
	doc[n] = '\0';
	b64 = b64_of(doc, n);
	ecs_buf_init(&out, 4096);
	ecs_buf_init(&all, 8192);
	ecs_client_answerer_init(&a, ECS_CLIENT_CHUNKED, b64, strlen(b64), ECS_KBD_ENC_NONE, NULL);

	check(ecs_client_answer(&a, "Password: ", &out) == -EPROTO && out.len == 0,
	     "a foreign prompt is refused and nothing is typed");
	ecs_kbd_proto_format_prompt(ECS_PROMPT_CHUNK, 1, a.chunks, NULL, prompt, sizeof(prompt));
	check(ecs_client_answer(&a, prompt, &out) == -EPROTO, "a chunk before the header is refused");

	ecs_kbd_proto_format_prompt(ECS_PROMPT_RESPONSE, 0, 0, NULL, prompt, sizeof(prompt));
	check(ecs_client_answer(&a, prompt, &out) == 0 &&
		     ecs_kbd_proto_parse_header((char *)out.data, &h) == 0 && h.length == strlen(b64) &&
		     h.chunks == 4,
	     "the response prompt is answered with a valid 4-chunk header");
	ecs_buf_clear(&out);

	ecs_kbd_proto_format_prompt(ECS_PROMPT_CHUNK, 2, a.chunks, NULL, prompt, sizeof(prompt));
	check(ecs_client_answer(&a, prompt, &out) == -EPROTO, "a chunk out of order is refused");
	snprintf(sshown, sizeof(sshown), "(alice@bastion.example) %s", prompt);
	check(strcmp(ecs_client_prompt_text(sshown), prompt) == 0,
	      "ssh's \"(user@host) \" prefix is skipped");
	snprintf(sshown, sizeof(sshown), "(not a login) %s", prompt);
	check(ecs_client_prompt_text(sshown) == sshown, "a parenthesis without user@host is kept");
	for (unsigned i = 1; i <= h.chunks; i++) {
		ecs_kbd_proto_format_prompt(ECS_PROMPT_CHUNK, i, h.chunks, NULL, prompt, sizeof(prompt));
		snprintf(sshown, sizeof(sshown), "(alice@bastion) %s", prompt);
		chunks_ok = chunks_ok && ecs_client_answer(&a, sshown, &out) == 0 &&
			    out.len <= ECS_KBD_PROTO_CHUNK;
		ecs_buf_append(&all, out.data, out.len);
		ecs_buf_clear(&out);
	}
	check(chunks_ok && a.sent && strcmp((char *)all.data, b64) == 0,
	     "chunks (as ssh shows them) of at most 1000 characters reassemble to the Response");
	ecs_kbd_proto_format_prompt(ECS_PROMPT_RESPONSE, 0, 0, NULL, prompt, sizeof(prompt));
	check(ecs_client_answer(&a, prompt, &out) == -EALREADY, "the Response is never sent twice");
	ecs_kbd_proto_format_prompt(ECS_PROMPT_LINE, 2, 0, NULL, prompt, sizeof(prompt));
	check(ecs_client_answer(&a, prompt, &out) == -EPROTO, "chunked: a paste-line prompt is refused");

	ecs_kbd_proto_format_prompt(ECS_PROMPT_ROLE, 0, 2, roles, prompt, sizeof(prompt));
	check(ecs_client_answer(&a, prompt, &out) == -ENOENT, "a role prompt without --role is refused");
	a.role = "2";
	check(ecs_client_answer(&a, prompt, &out) == 0 && strcmp((char *)out.data, "2") == 0,
	     "--role 2 answers 2");
	ecs_buf_clear(&out);
	a.role = "3";
	check(ecs_client_answer(&a, prompt, &out) == -ENOENT, "--role 3 of 2 is refused");
	a.role = roles[1];
	check(ecs_client_answer(&a, prompt, &out) == 0 && strcmp((char *)out.data, "2") == 0,
	     "--role ARN answers that role's number");
	ecs_buf_clear(&out);
	a.role = "arn:aws:iam::123456789012:role/C";
	check(ecs_client_answer(&a, prompt, &out) == -ENOENT, "--role with an ARN not offered is refused");

	ecs_buf_free(&out);
	ecs_buf_free(&all);
	free(b64);
	free(doc);
}

/* Lines mode (sudo): the first line answers RESPONSE, then LINE 2.. in order, then "". */
static void
test_lines(void)
{
	char prompt[ECS_KBD_PROTO_PROMPT_MAX];
	struct ecs_client_answerer a;
	struct ecs_buf out, all;
	size_t n = 1600;
	char *b64 = malloc(n + 1);
	bool lines_ok = true;
	unsigned k;

	memset(b64, 'Q', n);
	b64[n] = '\0';
	ecs_buf_init(&out, 4096);
	ecs_buf_init(&all, 8192);
	ecs_client_answerer_init(&a, ECS_CLIENT_LINES, b64, n, ECS_KBD_ENC_NONE, NULL);

	ecs_kbd_proto_format_prompt(ECS_PROMPT_LINE, 2, 0, NULL, prompt, sizeof(prompt));
	check(ecs_client_answer(&a, prompt, &out) == -EPROTO, "lines: a line before the first is refused");
	ecs_kbd_proto_format_prompt(ECS_PROMPT_RESPONSE, 0, 0, NULL, prompt, sizeof(prompt));
	check(ecs_client_answer(&a, prompt, &out) == 0 && out.len == ECS_CLIENT_LINE,
	      "lines: the response prompt gets the first 500 characters");
	ecs_buf_append(&all, out.data, out.len);
	ecs_buf_clear(&out);
	ecs_kbd_proto_format_prompt(ECS_PROMPT_LINE, 3, 0, NULL, prompt, sizeof(prompt));
	check(ecs_client_answer(&a, prompt, &out) == -EPROTO, "lines: a skipped line number is refused");
	ecs_kbd_proto_format_prompt(ECS_PROMPT_CHUNK, 1, 1, NULL, prompt, sizeof(prompt));
	check(ecs_client_answer(&a, prompt, &out) == -EPROTO, "lines: a chunk prompt is refused");
	for (k = 2; k <= 4; k++) {
		ecs_kbd_proto_format_prompt(ECS_PROMPT_LINE, k, 0, NULL, prompt, sizeof(prompt));
		lines_ok = lines_ok && ecs_client_answer(&a, prompt, &out) == 0 && out.len > 0 &&
			   out.len < 512;
		ecs_buf_append(&all, out.data, out.len);
		ecs_buf_clear(&out);
	}
	check(lines_ok && a.sent && all.len == n && memcmp(all.data, b64, n) == 0,
	      "lines: lines under 512 bytes reassemble to the Response");
	ecs_kbd_proto_format_prompt(ECS_PROMPT_LINE, 5, 0, NULL, prompt, sizeof(prompt));
	check(ecs_client_answer(&a, prompt, &out) == 0 && out.len == 0 && a.ended,
	      "lines: an empty line ends the paste");
	ecs_kbd_proto_format_prompt(ECS_PROMPT_LINE, 6, 0, NULL, prompt, sizeof(prompt));
	check(ecs_client_answer(&a, prompt, &out) == -EALREADY, "lines: nothing is sent after the end");

	ecs_buf_free(&out);
	ecs_buf_free(&all);
	free(b64);
}

int
main(void)
{
	test_url_decode();
	test_shapes();
	test_too_big();
	test_expiry();
	test_conversation();
	test_lines();
	T_DONE();
}
