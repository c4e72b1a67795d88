/* test_sts_request.c — the AssumeRoleWithSAML body, field checks, duration clamping and the
 * error-code table. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ecs_buf.h"
#include "ecs_limits.h"
#include "sts.h"
#include "sts_errmap.h"
#include "sts_request.h"
#include "tap.h"

#define ROLE "arn:aws:iam::123456789012:role/EcsExec"
#define IDP "arn:aws:iam::123456789012:saml-provider/corp-idp"

static struct ecs_sts_call
base_call(void)
{
	static const char saml[] = "PD94bWw+PHI+YS9iPC9yPg==";	/* has '+', '/' and '=' */

	return (struct ecs_sts_call){
		.role_arn = ROLE,
		.principal_arn = IDP,
		.saml_b64 = saml,
		.saml_len = sizeof(saml) - 1,
		.duration = 3600,
	};
}

static char *
body_of(const struct ecs_sts_call *call, const struct ecs_strlist *arns, int *r)
{
	struct ecs_buf b;
	size_t n;

	ecs_buf_init(&b, ECS_STS_BODY_MAX);
	*r = ecs_sts_request_body(call, arns, &b);
	if (*r < 0) {
		ecs_buf_free(&b);
		return NULL;
	}
	return (char *)ecs_buf_take(&b, &n);
}

static void
test_encoding(void)
{
	struct ecs_buf b;

	ecs_buf_init(&b, 256);
	T_OK(ecs_sts_form_encode(&b, "a+b/c=d e~-._Z9", 15) == 0 &&
		     strcmp((char *)b.data, "a%2Bb%2Fc%3Dd%20e~-._Z9") == 0,
	     "percent-encoding keeps only RFC 3986 unreserved characters");
	ecs_buf_clear(&b);
	T_OK(ecs_sts_form_encode(&b, "{\"\n\xc3\xa9&", 6) == 0 &&
		     strcmp((char *)b.data, "%7B%22%0A%C3%A9%26") == 0,
	     "JSON punctuation, newline, UTF-8 and '&' are encoded byte by byte");
	ecs_buf_free(&b);
	ecs_buf_init(&b, 5);
	T_OK(ecs_sts_form_encode(&b, "++", 2) == -E2BIG, "encoding respects the buffer cap");
	ecs_buf_free(&b);
}

static void
test_body(void)
{
	struct ecs_sts_call c = base_call();
	struct ecs_strlist arns = { .v = { "arn:aws:iam::123456789012:policy/EcsRead",
					   "arn:aws:iam::aws:policy/ReadOnlyAccess" },
				    .n = 2 };
	char *body;
	int r;

	body = body_of(&c, NULL, &r);
	T_OK(r == 0 && body &&
		     strcmp(body, "Action=AssumeRoleWithSAML&Version=2011-06-15"
				  "&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2FEcsExec"
				  "&PrincipalArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Asaml-provider"
				  "%2Fcorp-idp"
				  "&SAMLAssertion=PD94bWw%2BPHI%2BYS9iPC9yPg%3D%3D"
				  "&DurationSeconds=3600") == 0,
	     "exact body without policy");
	free(body);

	c.policy = "{\"Version\":\"2012-10-17\"}";
	c.duration = 900;
	body = body_of(&c, &arns, &r);
	T_OK(r == 0 && body &&
		     strstr(body, "&DurationSeconds=900&Policy=%7B%22Version%22%3A%222012-10-17%22%7D"
				  "&PolicyArns.member.1.arn=arn%3Aaws%3Aiam%3A%3A123456789012%3Apolicy"
				  "%2FEcsRead"
				  "&PolicyArns.member.2.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy"
				  "%2FReadOnlyAccess") &&
		     !strchr(body, '+') && !strchr(body, ' '),
	     "policy then numbered policy ARNs, nothing left unencoded");
	free(body);
}

static void
test_checks(void)
{
	struct ecs_sts_call c;
	struct ecs_strlist many = { .n = 11 };
	char why[128];
	char *big;
	unsigned i;

	for (i = 0; i < many.n; i++)
		many.v[i] = "arn:aws:iam::123456789012:policy/P";

	c = base_call();
	T_OK(ecs_sts_request_check(&c, NULL, why, sizeof(why)) == 0, "a valid call passes");
	c.role_arn = "arn:aws:iam::123456789012:user/bob";
	T_OK(ecs_sts_request_check(&c, NULL, why, sizeof(why)) == -EINVAL && strstr(why, "RoleArn"),
	     "a user ARN is not a RoleArn");
	c = base_call();
	c.principal_arn = ROLE;
	T_OK(ecs_sts_request_check(&c, NULL, why, sizeof(why)) == -EINVAL &&
		     strstr(why, "PrincipalArn"),
	     "a role ARN is not a PrincipalArn");
	c = base_call();
	c.saml_b64 = "PD94 bWw+";
	c.saml_len = 9;
	T_OK(ecs_sts_request_check(&c, NULL, why, sizeof(why)) == -EINVAL,
	     "whitespace inside the assertion is refused (it must be normalised first)");
	c.saml_b64 = "abc";
	c.saml_len = 3;
	T_OK(ecs_sts_request_check(&c, NULL, why, sizeof(why)) == -EINVAL,
	     "an assertion under 4 characters is refused");
	big = malloc(100001);
	memset(big, 'A', 100001);
	c.saml_b64 = big;
	c.saml_len = 100000;
	T_OK(ecs_sts_request_check(&c, NULL, why, sizeof(why)) == 0,
	     "100000 base64 characters pass");
	c.saml_len = 100001;
	T_OK(ecs_sts_request_check(&c, NULL, why, sizeof(why)) == -EINVAL,
	     "100001 base64 characters are refused");
	free(big);

	c = base_call();
	c.duration = 899;
	T_OK(ecs_sts_request_check(&c, NULL, why, sizeof(why)) == -EINVAL, "DurationSeconds 899");
	c.duration = 43201;
	T_OK(ecs_sts_request_check(&c, NULL, why, sizeof(why)) == -EINVAL,
	     "DurationSeconds 43201");

	c = base_call();
	big = malloc(2050);
	memset(big, 'x', 2049);
	big[2048] = 0;
	c.policy = big;
	T_OK(ecs_sts_request_check(&c, NULL, why, sizeof(why)) == 0, "a 2048-character policy");
	big[2048] = 'x';
	big[2049] = 0;
	T_OK(ecs_sts_request_check(&c, NULL, why, sizeof(why)) == -EINVAL && strstr(why, "2049"),
	     "a 2049-character policy is refused, saying its length");
	free(big);
	c.policy = "{\"a\":\"\x01\"}";
	T_OK(ecs_sts_request_check(&c, NULL, why, sizeof(why)) == -EINVAL,
	     "a control character in the policy is refused");
	c.policy = "";
	T_OK(ecs_sts_request_check(&c, NULL, why, sizeof(why)) == -EINVAL,
	     "an empty policy is refused");
	c = base_call();
	T_OK(ecs_sts_request_check(&c, &many, why, sizeof(why)) == -EINVAL,
	     "eleven policy ARNs are refused");
	many.n = 10;
	T_OK(ecs_sts_request_check(&c, &many, why, sizeof(why)) == 0, "ten policy ARNs pass");
}

static void
test_policy_check(void)
{
	size_t n = 0;

	static char big[2 * ECS_STS_MAX_POLICY + 2];

	T_OK(ecs_sts_policy_check("caf\xc3\xa9\t\r\n", &n) == 0 && n == 7,
	     "U+00E9 counts as one character; TAB CR LF allowed");
	T_OK(ecs_sts_policy_check("\xe2\x82\xac", &n) == -EILSEQ, "U+20AC is outside STS's range");
	T_OK(ecs_sts_policy_check("\xc3", &n) == -EILSEQ, "a truncated UTF-8 sequence");
	T_OK(ecs_sts_policy_check("\x7f", &n) == -EILSEQ, "DEL");
	T_OK(ecs_sts_policy_check("", &n) == -EINVAL && n == 0, "an empty policy");
	/* the limit counts characters, not bytes: 2048 two-byte characters pass */
	for (size_t i = 0; i < 2 * ECS_STS_MAX_POLICY; i += 2) {
		big[i] = '\xc3';
		big[i + 1] = '\xa9';
	}
	T_OK(ecs_sts_policy_check(big, &n) == 0 && n == ECS_STS_MAX_POLICY,
	     "ECS_STS_MAX_POLICY characters of U+00E9 (twice as many bytes) pass");
	big[2 * ECS_STS_MAX_POLICY] = 'x';
	T_OK(ecs_sts_policy_check(big, &n) == -E2BIG && n == ECS_STS_MAX_POLICY + 1,
	     "one character more is too long");
}

static void
test_duration(void)
{
	time_t now = 1800000000;

	T_OK(ecs_sts_duration(3600, 0, 0, now) == 3600, "configured duration by default");
	T_OK(ecs_sts_duration(43200, 0, 0, now) == 43200, "12 h configured stays 12 h");
	T_OK(ecs_sts_duration(3600, 1800, 0, now) == 1800, "SessionDuration shortens");
	T_OK(ecs_sts_duration(3600, 7200, 0, now) == 3600, "SessionDuration never lengthens");
	T_OK(ecs_sts_duration(3600, 600, 0, now) == 900, "never under 900");
	T_OK(ecs_sts_duration(3600, 0, now + 1000, now) == 1000, "SessionNotOnOrAfter shortens");
	T_OK(ecs_sts_duration(3600, 0, now + 100, now) == 900,
	     "SessionNotOnOrAfter under 900 s away: 900 (STS ends the session itself)");
	T_OK(ecs_sts_duration(3600, 0, now - 5, now) == 0, "SessionNotOnOrAfter already past: none");
	T_OK(ecs_sts_duration(3600, 0, now, now) == 0, "SessionNotOnOrAfter now: none");
	T_OK(ecs_sts_duration(3600, 2000, now + 1500, now) == 1500, "the earliest bound wins");
	T_OK(ecs_sts_duration(90000, 0, 0, now) == 43200, "above 12 h is clamped");
}

static void
test_errmap(void)
{
	static const char *const documented[] = {
		"IDPRejectedClaim", "InvalidIdentityToken", "ExpiredTokenException",
		"MalformedPolicyDocument", "PackedPolicyTooLarge", "RegionDisabledException",
		"AccessDenied", "ValidationError", "Throttling", "InternalFailure",
		"ServiceUnavailable", "IDPCommunicationError",
	};
	static const char *const retry[] = { "Throttling", "InternalFailure",
					     "ServiceUnavailable", "IDPCommunicationError" };
	unsigned i;
	unsigned transient = 0;

	for (i = 0; i < sizeof(documented) / sizeof(documented[0]); i++) {
		const char *m = ecs_sts_code_user_msg(documented[i]);

		T_OK(m && strlen(m) > 20 && !strchr(m, '\n'), "user message for %s", documented[i]);
		transient += ecs_sts_code_transient(documented[i]);
	}
	for (i = 0; i < sizeof(retry) / sizeof(retry[0]); i++)
		T_OK(ecs_sts_code_transient(retry[i]), "%s is retried", retry[i]);
	T_OK(transient == 4, "exactly the four transient codes are retried");
	T_OK(strstr(ecs_sts_code_user_msg("ExpiredTokenException"), "fresh SAML response"),
	     "expired: tell the user to fetch a fresh Response");
	T_OK(ecs_sts_code_user_msg("NoSuchThing") != NULL && !ecs_sts_code_transient("NoSuchThing"),
	     "an unknown code gets the generic message and is final");
	T_OK(ecs_sts_duration_too_long("ValidationError",
				       "The requested DurationSeconds exceeds the MaxSessionDuration "
				       "set for this role."),
	     "the MaxSessionDuration ValidationError is recognised");
	T_OK(!ecs_sts_duration_too_long("ValidationError", "1 validation error detected: policy"),
	     "another ValidationError is not");
	T_OK(!ecs_sts_duration_too_long("AccessDenied", "DurationSeconds MaxSessionDuration"),
	     "another code is not");
	T_OK(strstr(ecs_sts_cause_user_msg(ECS_STS_CAUSE_TIMEOUT), "in time") != NULL,
	     "a timeout says so");
	T_OK(strstr(ecs_sts_cause_user_msg(ECS_STS_CAUSE_UNTRUSTED), "does not trust") != NULL,
	     "a TLS trust failure says so");
	T_OK(strstr(ecs_sts_cause_user_msg(NULL), "administrator") != NULL,
	     "no cause: the generic message still says who can help");
}

/* Every cause a user can meet has its own sentence, fit for one PAM message (the module
 * refuses more than 255 bytes), naming who can fix it. */
static void
test_causes(void)
{
	static const char *const causes[] = {
		ECS_STS_CAUSE_TIMEOUT, ECS_STS_CAUSE_UNREACHABLE, ECS_STS_CAUSE_DNS,
		ECS_STS_CAUSE_UNTRUSTED, ECS_STS_CAUSE_TLS, ECS_STS_CAUSE_CA_FILE,
		ECS_STS_CAUSE_CONNECTION, ECS_STS_CAUSE_BAD_REPLY, ECS_STS_CAUSE_CONFIG,
		ECS_STS_CAUSE_REQUEST,
	};
	const char *generic = ecs_sts_cause_user_msg(NULL);

	for (size_t i = 0; i < sizeof(causes) / sizeof(causes[0]); i++) {
		const char *m = ecs_sts_cause_user_msg(causes[i]);

		T_OK(m != generic && strlen(m) < 256 && !strchr(m, '\n') &&
			     strstr(m, "the bastion's administrator") != NULL,
		     "%s: its own sentence, under 256 bytes, naming who fixes it", causes[i]);
	}
}

int
main(void)
{
	test_encoding();
	test_body();
	test_checks();
	test_policy_check();
	test_causes();
	test_duration();
	test_errmap();
	T_DONE();
}
