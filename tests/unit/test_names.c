/* test_names.c — name syntax at trust boundaries: no metacharacters, no unicode, no folding. */
#include <string.h>

#include "ecs_names.h"
#include "tap.h"

static void
test_user(void)
{
	char long_name[301];

	T_OK(ecs_name_user_ok("alice"), "plain user name");
	T_OK(ecs_name_user_ok("_svc-01"), "leading underscore, digits and dash");
	T_OK(ecs_name_user_ok("a2345678901234567890123456789012"), "32 characters");
	T_OK(!ecs_name_user_ok("a23456789012345678901234567890123"), "33 characters refused");
	memset(long_name, 'a', 300);
	long_name[300] = 0;
	T_OK(!ecs_name_user_ok(long_name), "300 characters refused");
	T_OK(!ecs_name_user_ok(""), "empty refused");
	T_OK(!ecs_name_user_ok("Alice"), "uppercase refused");
	T_OK(!ecs_name_user_ok("-alice"), "leading dash refused (option injection)");
	T_OK(!ecs_name_user_ok("1alice"), "leading digit refused");
	T_OK(!ecs_name_user_ok(".."), "'..' refused");
	T_OK(!ecs_name_user_ok("a/../b"), "slash refused");
	T_OK(!ecs_name_user_ok("a;id"), "';' refused");
	T_OK(!ecs_name_user_ok("a$(id)"), "'$(' refused");
	T_OK(!ecs_name_user_ok("a`id`"), "backtick refused");
	T_OK(!ecs_name_user_ok("a b"), "space refused");
	T_OK(!ecs_name_user_ok("alice\n"), "trailing newline refused");
	T_OK(!ecs_name_user_ok("a.b"), "dot refused");
	T_OK(!ecs_name_user_ok("\xd0\xb0lice"), "Cyrillic homoglyph refused");
	T_OK(!ecs_name_user_ok("al\xe2\x80\x8dice"), "zero-width joiner refused");
	T_OK(!ecs_name_user_ok(NULL), "NULL refused");
}

static void
test_session(void)
{
	char s64[65], s65[66];

	T_OK(ecs_name_session_ok("alice@corp.example"), "e-mail style session name");
	T_OK(ecs_name_session_ok("a_b+c=d,e.f@g-h"), "every allowed punctuation");
	T_OK(ecs_name_session_ok("ab"), "two characters");
	T_OK(!ecs_name_session_ok("a"), "one character refused");
	memset(s64, 'x', 64);
	s64[64] = 0;
	memset(s65, 'x', 65);
	s65[65] = 0;
	T_OK(ecs_name_session_ok(s64), "64 characters");
	T_OK(!ecs_name_session_ok(s65), "65 characters refused");
	T_OK(!ecs_name_session_ok("alice smith"), "space refused");
	T_OK(!ecs_name_session_ok("alice:x"), "colon refused");
	T_OK(!ecs_name_session_ok("alic\xc3\xa9"), "non-ASCII refused");
	T_OK(!ecs_name_session_ok("alice/x"), "slash refused");
	T_OK(ecs_name_source_identity_ok("alice@corp.example"), "source identity");
	T_OK(!ecs_name_source_identity_ok("aws:alice"), "source identity with aws: refused");
	T_OK(!ecs_name_source_identity_ok("x"), "short source identity refused");
}

static void
test_arns(void)
{
	T_OK(ecs_arn_role_ok("arn:aws:iam::123456789012:role/EcsExec"), "role ARN");
	T_OK(ecs_arn_role_ok("arn:aws:iam::123456789012:role/team/ops/EcsExec"), "role with path");
	T_OK(ecs_arn_role_ok("arn:aws-us-gov:iam::123456789012:role/R"), "GovCloud partition");
	T_OK(ecs_arn_role_ok("arn:aws-cn:iam::123456789012:role/R"), "China partition");
	T_OK(!ecs_arn_role_ok("arn:aws:iam::12345678901:role/R"), "11-digit account refused");
	T_OK(!ecs_arn_role_ok("arn:aws:iam::1234567890123:role/R"), "13-digit account refused");
	T_OK(!ecs_arn_role_ok("arn:aws:iam::123456789012:role/"), "empty role name refused");
	T_OK(!ecs_arn_role_ok("arn:aws:iam::123456789012:role//R"), "empty path segment refused");
	T_OK(!ecs_arn_role_ok("arn:aws:iam::123456789012:role/R/"), "trailing slash refused");
	T_OK(!ecs_arn_role_ok("arn:aws:iam::123456789012:user/R"), "user ARN refused");
	T_OK(!ecs_arn_role_ok("arn:aws:sts::123456789012:role/R"), "sts service refused");
	T_OK(ecs_arn_role_ok("arn:aws:iam::123456789012:role/R,x@y"), "IAM punctuation in name");
	T_OK(!ecs_arn_role_ok("arn:aws:iam::123456789012:role/R x"), "space refused");
	T_OK(!ecs_arn_role_ok("arn:aws:iam::123456789012:role/R\n"), "newline refused");
	T_OK(!ecs_arn_role_ok("arn:AWS:iam::123456789012:role/R"), "uppercase partition refused");
	T_OK(!ecs_arn_role_ok("arn:aws-:iam::123456789012:role/R"), "dangling partition dash");
	T_OK(ecs_arn_provider_ok("arn:aws:iam::123456789012:saml-provider/Okta"),
	     "SAML provider ARN");
	T_OK(!ecs_arn_provider_ok("arn:aws:iam::123456789012:saml-provider/a/b"),
	     "provider with a path refused");
	T_OK(!ecs_arn_provider_ok("arn:aws:iam::123456789012:role/Okta"),
	     "role ARN is not a provider");
	T_OK(!ecs_arn_role_ok("arn:aws:iam::123456789012:saml-provider/Okta"),
	     "provider ARN is not a role");
}

static void
test_token(void)
{
	T_OK(ecs_name_token_ok("0123456789abcdef0123456789abcdef"), "32 lowercase hex");
	T_OK(!ecs_name_token_ok("0123456789ABCDEF0123456789abcdef"), "uppercase hex refused");
	T_OK(!ecs_name_token_ok("0123456789abcdef0123456789abcde"), "31 characters refused");
	T_OK(!ecs_name_token_ok("0123456789abcdef0123456789abcdef0"), "33 characters refused");
	T_OK(!ecs_name_token_ok("0123456789abcdef0123456789abcdeg"), "non-hex refused");
	T_OK(!ecs_name_token_ok("../3456789abcdef0123456789abcdef"), "path refused");
}

int
main(void)
{
	test_user();
	test_session();
	test_arns();
	test_token();
	T_DONE();
}
