/* test_sts_reply.c — parsing STS replies: success, every documented error, and the
 * documents a strict parser must refuse. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecs_err.h"
#include "ecs_time.h"
#include "sts.h"
#include "sts_reply.h"
#include "tap.h"

#define NS "https://sts.amazonaws.com/doc/2011-06-15/"

/* A success document with one member replaced: the %s slots are, in order, the credentials
 * block's AccessKeyId, SecretAccessKey and SessionToken contents. */
static const char success_fmt[] =
	"<AssumeRoleWithSAMLResponse xmlns=\"" NS "\">\n"
	"  <AssumeRoleWithSAMLResult>\n"
	"    <Audience>https://signin.aws.amazon.com/saml</Audience>\n"
	"    <AssumedRoleUser>\n"
	"      <AssumedRoleId>AROAEXAMPLEID:alice</AssumedRoleId>\n"
	"      <Arn>arn:aws:sts::123456789012:assumed-role/EcsExec/alice</Arn>\n"
	"    </AssumedRoleUser>\n"
	"    <Credentials>\n"
	"      <AccessKeyId>%s</AccessKeyId>\n"
	"      <SecretAccessKey>%s</SecretAccessKey>\n"
	"      <SessionToken>%s</SessionToken>\n"
	"      <Expiration>2026-11-29T01:00:00Z</Expiration>\n"
	"    </Credentials>\n"
	"    <Issuer>https://idp.example.test/</Issuer>\n"
	"    <PackedPolicySize>6</PackedPolicySize>\n"
	"    <SourceIdentity>alice@corp</SourceIdentity>\n"
	"    <Subject>alice</Subject>\n"
	"  </AssumeRoleWithSAMLResult>\n"
	"  <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>"
	"</ResponseMetadata>\n"
	"</AssumeRoleWithSAMLResponse>\n";

static int
parse_str(const char *doc, struct ecs_sts_creds *c, struct ecs_sts_error *e)
{
	memset(e, 0, sizeof(*e));
	return ecs_sts_reply_parse(doc, strlen(doc), c, e);
}

static int
parse_success(const char *akid, const char *secret, const char *token, struct ecs_sts_creds *c)
{
	struct ecs_sts_error e;
	char doc[8192];

	snprintf(doc, sizeof(doc), success_fmt, akid, secret, token);
	return parse_str(doc, c, &e);
}

static void
test_success(void)
{
	struct ecs_sts_creds c;
	time_t want;
	int r;

	r = parse_success("ASIAEXAMPLEKEY000001", "wJalrXUt/K7MDENG+bPxRfiCY=", "FQoG+/ZXIv==",
			  &c);
	ecs_time_parse("2026-11-29T01:00:00Z", &want);
	T_OK(r == 0, "a success document parses");
	T_OK(r == 0 && strcmp(c.access_key_id, "ASIAEXAMPLEKEY000001") == 0 &&
		     strcmp(c.secret_access_key, "wJalrXUt/K7MDENG+bPxRfiCY=") == 0 &&
		     strcmp(c.session_token, "FQoG+/ZXIv==") == 0,
	     "credentials taken verbatim");
	T_OK(r == 0 && c.expiration == want &&
		     strcmp(c.expiration_str, "2026-11-29T01:00:00Z") == 0,
	     "expiration parsed");
	T_OK(r == 0 && strcmp(c.assumed_role_arn,
			      "arn:aws:sts::123456789012:assumed-role/EcsExec/alice") == 0 &&
		     strcmp(c.assumed_role_id, "AROAEXAMPLEID:alice") == 0,
	     "assumed role ARN and id");
	T_OK(r == 0 && strcmp(c.request_id, "c6104cbe-af31-11e0-8154-cbc7ccf896c7") == 0 &&
		     strcmp(c.source_identity, "alice@corp") == 0 &&
		     strcmp(c.subject, "alice") == 0 && c.packed_policy_size == 6 &&
		     strcmp(c.issuer, "https://idp.example.test/") == 0,
	     "request id, source identity, subject, issuer, packed size");
	ecs_sts_creds_free(&c);
	T_OK(c.access_key_id == NULL && c.secret_access_key == NULL, "free clears the struct");
	ecs_sts_creds_free(&c);
}

static void
test_errors(void)
{
	static const char *const codes[] = {
		"IDPRejectedClaim", "InvalidIdentityToken", "ExpiredTokenException",
		"MalformedPolicyDocument", "PackedPolicyTooLarge", "RegionDisabledException",
		"AccessDenied", "ValidationError", "Throttling", "InternalFailure",
		"ServiceUnavailable", "IDPCommunicationError",
	};
	struct ecs_sts_creds c;
	struct ecs_sts_error e;
	char doc[1024];
	unsigned i;
	int r;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		snprintf(doc, sizeof(doc),
			 "<ErrorResponse xmlns=\"" NS "\"><Error><Type>Sender</Type><Code>%s</Code>"
			 "<Message>something &amp; more</Message></Error>"
			 "<RequestId>req-%u</RequestId></ErrorResponse>",
			 codes[i], i);
		r = parse_str(doc, &c, &e);
		T_OK(r == -ECS_ESTS && strcmp(e.code, codes[i]) == 0 &&
			     strcmp(e.message, "something & more") == 0 &&
			     strncmp(e.request_id, "req-", 4) == 0,
		     "error document %s", codes[i]);
	}
	r = parse_str("<ErrorResponse xmlns=\"" NS "\"><Error><Code>Throttling</Code></Error>"
		      "</ErrorResponse>",
		      &c, &e);
	T_OK(r == -ECS_ESTS && strcmp(e.code, "Throttling") == 0 && e.message[0] == 0 &&
		     e.request_id[0] == 0,
	     "an error without message or request id");
	r = parse_str("<ErrorResponse xmlns=\"" NS "\"><Error><Code>AccessDenied</Code>"
		      "<Message>line one\nforged: line two</Message></Error></ErrorResponse>",
		      &c, &e);
	T_OK(r == -ECS_ESTS && strcmp(e.code, "AccessDenied") == 0 &&
		     strcmp(e.message, "line one?forged: line two") == 0,
	     "a newline in STS's message keeps the code and cannot forge a log line");
	r = parse_str("<ErrorResponse xmlns=\"" NS "\"><Error><Code>Bad\tCode</Code></Error>"
		      "</ErrorResponse>",
		      &c, &e);
	T_OK(r == -EBADMSG, "a code with a control character is refused");
	r = parse_str("<ErrorResponse xmlns=\"" NS "\"><Error><Message>x</Message></Error>"
		      "</ErrorResponse>",
		      &c, &e);
	T_OK(r == -EBADMSG, "an error without a code is malformed");
}

static void
expect_bad(const char *doc, const char *what)
{
	struct ecs_sts_creds c;
	struct ecs_sts_error e;
	int r = parse_str(doc, &c, &e);

	T_OK(r == -EBADMSG && c.access_key_id == NULL && e.message[0] != 0, "refused: %s", what);
	ecs_sts_creds_free(&c);
}

static void
test_refusals(void)
{
	struct ecs_sts_creds c;
	struct ecs_sts_error e;
	char doc[8192];

	T_OK(parse_success("ASIAEXAMPLEKEY000001", "abc\ndef", "tok", &c) == -EBADMSG,
	     "a secret key with a newline would add a line to the credentials file");
	T_OK(parse_success("ASIAEXAMPLEKEY000001", "abc def", "tok", &c) == -EBADMSG,
	     "a secret key with a space");
	T_OK(parse_success("ASIA-BAD-KEY-000001", "abc", "tok", &c) == -EBADMSG,
	     "an access key id outside [A-Za-z0-9_]");
	T_OK(parse_success("ASIASHORT", "abc", "tok", &c) == -EBADMSG,
	     "an access key id under 16 characters");
	T_OK(parse_success("ASIAEXAMPLEKEY000001", "ab<!-- c -->c", "tok", &c) == -EBADMSG,
	     "a comment inside a value");
	T_OK(parse_success("ASIAEXAMPLEKEY000001", "abc", "<![CDATA[tok]]>", &c) == -EBADMSG,
	     "CDATA inside a value");
	T_OK(parse_success("ASIAEXAMPLEKEY000001", "abc", "<b>tok</b>", &c) == -EBADMSG,
	     "an element inside a value");
	T_OK(parse_success("ASIAEXAMPLEKEY000001", "", "tok", &c) == -EBADMSG,
	     "an empty secret key");
	T_OK(parse_success("ASIAEXAMPLEKEY000001", "abc</SecretAccessKey><SecretAccessKey>x",
			   "tok", &c) == -EBADMSG,
	     "a repeated SecretAccessKey");
	T_OK(parse_success("ASIAEXAMPLEKEY000001", "abc", "&undefined;", &c) == -EBADMSG,
	     "an undefined entity");

	snprintf(doc, sizeof(doc), "<!DOCTYPE r [<!ENTITY x \"ASIAEXAMPLEKEY000001\">]>%s",
		 success_fmt);
	expect_bad(doc, "an internal DTD subset");
	expect_bad("<!DOCTYPE r SYSTEM \"file:///etc/passwd\"><ErrorResponse xmlns=\"" NS "\">"
		   "<Error><Code>X</Code></Error></ErrorResponse>",
		   "an external DTD");
	snprintf(doc, sizeof(doc), success_fmt, "ASIAEXAMPLEKEY000001", "abc", "tok");
	memcpy(strstr(doc, "2011-06-15"), "2011-06-16", 10);
	expect_bad(doc, "the wrong namespace");
	expect_bad("<AssumeRoleWithSAMLResponse xmlns=\"" NS "\"><AssumeRoleWithSAMLResult>"
		   "<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/R/a</Arn>"
		   "<AssumedRoleId>AROA:a</AssumedRoleId></AssumedRoleUser>"
		   "</AssumeRoleWithSAMLResult></AssumeRoleWithSAMLResponse>",
		   "no Credentials");
	snprintf(doc, sizeof(doc), success_fmt, "ASIAEXAMPLEKEY000001", "abc", "tok");
	memcpy(strstr(doc, "2026-11-29T01"), "2026-13-29T01", 13);
	expect_bad(doc, "an impossible Expiration");
	snprintf(doc, sizeof(doc), success_fmt, "ASIAEXAMPLEKEY000001", "abc", "tok");
	memcpy(strstr(doc, "<PackedPolicySize>6"), "<PackedPolicySize>x", 19);
	expect_bad(doc, "a PackedPolicySize that is not a number");
	expect_bad("<GetCallerIdentityResponse xmlns=\"" NS "\"/>", "another operation's reply");
	expect_bad("not xml at all", "garbage");
	expect_bad("<AssumeRoleWithSAMLResponse xmlns=\"" NS "\"><oops", "truncated XML");
	expect_bad("<a/><b/>", "two roots");
	expect_bad("", "an empty body");

	memset(&e, 0, sizeof(e));
	T_OK(ecs_sts_reply_parse("x", (size_t)ECS_STS_REPLY_MAX + 1, &c, &e) == -EBADMSG,
	     "a body over the cap is refused before parsing");
}

/* A DOCTYPE is refused on sight, as in a SAML Response: its internal subset never reaches
 * libxml2. The last prolog proves it: libxml2 could not even parse that subset, so a reply
 * it had parsed would be refused as not well-formed, not for its DOCTYPE. */
static void
test_doctype_unparsed(void)
{
	static const char *const prologs[] = {
		"<!DOCTYPE r [<!ENTITY k \"ASIAEXAMPLEKEY000001\">]>\n",
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- STS -->\n<!DOCTYPE r>\n",
		"\xef\xbb\xbf<!DOCTYPE r [<!ENTITY a \"aaaaaaaaaaaaaaaa\">"
		"<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
		"<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>",
		"<!DOCTYPE r [<!ENTITY k \"never closed>\n",
	};
	static const char *const what[] = {
		"an internal subset declaring an entity",
		"a DOCTYPE after the XML declaration and a comment",
		"an entity expansion bomb after a byte-order mark",
		"an internal subset libxml2 could not parse: refused before it tried",
	};
	struct ecs_sts_creds c;
	struct ecs_sts_error e;
	char body[4096];
	char doc[8192];
	unsigned i;
	int r;

	snprintf(body, sizeof(body), success_fmt, "ASIAEXAMPLEKEY000001", "abc", "tok");
	for (i = 0; i < sizeof(prologs) / sizeof(prologs[0]); i++) {
		snprintf(doc, sizeof(doc), "%s%s", prologs[i], body);
		r = parse_str(doc, &c, &e);
		T_OK(r == -EBADMSG && c.access_key_id == NULL && strstr(e.message, "DOCTYPE") &&
			     !strstr(e.message, "well-formed"),
		     "DOCTYPE refused unparsed: %s", what[i]);
		ecs_sts_creds_free(&c);
	}
	r = parse_str("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
		      "<ErrorResponse xmlns=\"" NS "\"><Error><Code>X</Code></Error>"
		      "</ErrorResponse>",
		      &c, &e);
	T_OK(r == -EBADMSG && strstr(e.message, "UTF-8"),
	     "a reply declaring another encoding is refused before it is decoded");
}

int
main(void)
{
	test_success();
	test_errors();
	test_refusals();
	test_doctype_unparsed();
	T_DONE();
}
