/* test_names.c — one check per kind of name at trust boundaries: no metacharacters, no unicode,
 * no folding; and a site's whole-name rule. */
#include <errno.h>
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
	T_OK(ecs_name_user_ok("Alice"), "capitals pass the hard rules (the policy decides)");
	T_OK(!ecs_name_user_ok("-alice"), "leading dash refused (option injection)");
	T_OK(ecs_name_user_ok("1alice"), "leading digit, not all digits");
	T_OK(!ecs_name_user_ok("1234"), "all digits refused (reads as a UID)");
	T_OK(!ecs_name_user_ok("0"), "a single digit refused");
	T_OK(!ecs_name_user_ok(".."), "'..' refused");
	T_OK(!ecs_name_user_ok("."), "'.' refused");
	T_OK(!ecs_name_user_ok(".alice"), "leading dot refused (hidden home)");
	T_OK(!ecs_name_user_ok("first..last"), "'..' inside refused (it would reach a path)");
	T_OK(!ecs_name_user_ok("a/../b"), "slash refused");
	T_OK(!ecs_name_user_ok("a;id"), "';' refused");
	T_OK(!ecs_name_user_ok("a$(id)"), "'$(' refused");
	T_OK(!ecs_name_user_ok("a`id`"), "backtick refused");
	T_OK(!ecs_name_user_ok("a b"), "space refused");
	T_OK(!ecs_name_user_ok("alice\n"), "trailing newline refused");
	T_OK(ecs_name_user_ok("a.b") && ecs_name_user_ok("juergen.mueller") &&
		     ecs_name_user_ok("alice."),
	     "dots accepted (first.last)");
	T_OK(!ecs_name_user_ok("alice@corp.example"), "'@' refused");
	T_OK(!ecs_name_user_ok("ali:ce") && !ecs_name_user_ok("ali,ce"), "':' and ',' refused");
	T_OK(!ecs_name_user_ok("\xd0\xb0lice"), "Cyrillic homoglyph refused");
	T_OK(!ecs_name_user_ok("al\xe2\x80\x8dice"), "zero-width joiner refused");
	T_OK(!ecs_name_user_ok(NULL), "NULL refused");
}

/* The policy of ecs_names.h: default, site rule, lowercase mapping, and the reasons. */
static void
test_user_policy(void)
{
	struct ecs_name_policy def, lower, rule, caps;
	char out[ECS_NAME_USER_MAX + 1];
	const char *why = NULL;

	T_OK(ecs_name_policy_init(&def, NULL, false) == 0 &&
		     ecs_name_policy_init(&lower, "", true) == 0 &&
		     ecs_name_policy_init(&rule, "[a-z]+\\.[a-z]+", false) == 0 &&
		     ecs_name_policy_init(&caps, "[A-Za-z][A-Za-z0-9.]*", false) == 0,
	     "policies build: default, lowercase, a first.last rule, a rule with capitals");
	T_OK(ecs_name_policy_ok(&def, "juergen.mueller") && ecs_name_policy_ok(&def, "alice") &&
		     ecs_name_policy_ok(&def, "_svc-01") && ecs_name_policy_ok(&def, "3com.ops"),
	     "default: portable lowercase names, dots included");
	T_OK(!ecs_name_policy_ok(&def, "Juergen.Mueller") &&
		     strstr(ecs_name_policy_refusal(&def, "Juergen.Mueller"), "user_name_lowercase"),
	     "default: capitals refused, and the reason names the option that maps them");
	T_OK(!ecs_name_policy_ok(&def, "-alice") && !ecs_name_policy_ok(&def, "4242") &&
		     !ecs_name_policy_ok(&def, "a23456789012345678901234567890123"),
	     "default: leading '-', all digits, 33 bytes refused");
	T_OK(strstr(ecs_name_policy_refusal(&def, "4242"), "UID") &&
		     strstr(ecs_name_policy_refusal(&def, "-x"), "'-'") &&
		     strstr(ecs_name_policy_refusal(&def, "a@b"), "user_strip_suffix") &&
		     strstr(ecs_name_policy_refusal(&def, "a b"), "outside"),
	     "every refusal says why");
	T_OK(ecs_name_policy_map(&def, "Juergen.Mueller", 15, out, &why) == -EINVAL && why,
	     "default: First.Last does not map");
	T_OK(ecs_name_policy_map(&lower, "Juergen.Mueller", 15, out, &why) == 0 &&
		     strcmp(out, "juergen.mueller") == 0,
	     "lowercase: First.Last -> first.last");
	T_OK(ecs_name_policy_map(&lower, "JUERGEN.MUELLER@corp", 15, out, &why) == 0 &&
		     strcmp(out, "juergen.mueller") == 0,
	     "map reads only the length given (a stripped suffix)");
	T_OK(ecs_name_policy_map(&lower, "J\xc3\x9cRGEN", 7, out, &why) == -EINVAL &&
		     strstr(why, "outside"),
	     "lowercase maps ASCII only: a non-ASCII capital is still refused");
	T_OK(ecs_name_policy_map(&lower, "-Alice", 6, out, &why) == -EINVAL && strstr(why, "'-'"),
	     "lowercase: the hard rules still apply after mapping");
	T_OK(ecs_name_policy_map(&def, "a23456789012345678901234567890123", 33, out, &why) ==
			     -EINVAL &&
		     strstr(why, "32"),
	     "map refuses 33 bytes");
	T_OK(ecs_name_policy_map(&def, "al\0ice", 6, out, &why) == -EINVAL,
	     "map refuses a NUL inside the name");
	T_OK(ecs_name_policy_ok(&lower, "alice") && !ecs_name_policy_ok(&lower, "Alice"),
	     "lowercase: a name with capitals is never a Unix name (NSS asks for the mapped one)");
	T_OK(ecs_name_policy_ok(&rule, "first.last") && !ecs_name_policy_ok(&rule, "alice") &&
		     !ecs_name_policy_ok(&rule, "first.last.x"),
	     "rule: must match the whole name");
	T_OK(strstr(ecs_name_policy_refusal(&rule, "alice"), "user_name_rule"),
	     "rule: the refusal names the key");
	T_OK(ecs_name_policy_ok(&caps, "Juergen.Mueller"),
	     "rule: a site may admit capitals as they come");
	T_OK(!ecs_name_policy_ok(&caps, "Juergen..Mueller") &&
		     !ecs_name_policy_ok(&caps, "J2345678901234567890123456789012X"),
	     "rule: the hard rules still apply when the rule would match");
	ecs_name_policy_free(&rule);
	ecs_name_policy_free(&caps);
	T_OK(ecs_name_policy_init(&caps, "[A-Za-z][A-Za-z0-9.]*", true) == 0 &&
		     !ecs_name_policy_ok(&caps, "Juergen.Mueller") &&
		     strstr(ecs_name_policy_refusal(&caps, "Juergen.Mueller"), "lower-case") &&
		     ecs_name_policy_ok(&caps, "juergen.mueller"),
	     "lowercase with a rule admitting capitals: still no user has capitals");
	T_OK(ecs_name_policy_init(&rule, "([a-z]", false) == -EINVAL && !rule.has_rule,
	     "a rule that does not compile is refused");
	ecs_name_policy_free(&def);
	ecs_name_policy_free(&lower);
	ecs_name_policy_free(&rule);
	ecs_name_policy_free(&caps);
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
test_policy_arn(void)
{
	struct ecs_arn_parts parts;

	T_OK(ecs_arn_policy_ok("arn:aws:iam::123456789012:policy/EcsExecBoundary"),
	     "customer managed policy ARN");
	T_OK(ecs_arn_policy_ok("arn:aws:iam::aws:policy/ReadOnlyAccess"),
	     "AWS managed policy ARN (account \"aws\")");
	T_OK(ecs_arn_policy_ok("arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"),
	     "AWS managed policy with a path");
	T_OK(!ecs_arn_policy_ok("arn:aws:iam::123456789012:role/EcsExec"), "role ARN is not a policy");
	T_OK(!ecs_arn_policy_ok("arn:aws:iam::awsx:policy/P"), "account neither 12 digits nor aws");
	T_OK(!ecs_arn_policy_ok("arn:aws:iam::123456789012:policy/P x"), "space refused");
	T_OK(!ecs_arn_policy_ok("arn:aws:iam::123456789012:policy/"), "empty policy name refused");
	T_OK(!ecs_arn_role_ok("arn:aws:iam::aws:role/R"), "account \"aws\" is for policies only");
	T_OK(ecs_arn_role_split("arn:aws-us-gov:iam::123456789012:role/team/R", &parts) &&
		     strcmp(parts.partition, "aws-us-gov") == 0 &&
		     strcmp(parts.account, "123456789012") == 0,
	     "role ARN split into partition and account");
	T_OK(!ecs_arn_role_split("arn:aws:iam::123456789012:user/R", &parts),
	     "split refuses what ecs_arn_role_ok refuses");
	T_OK(!ecs_arn_role_split("arn:aws-abcdefghijklmnopqrstuvwxyzabcdefgh:iam::123456789012:role/R",
				 &parts),
	     "split refuses a partition too long to hold");
}

static void
test_region_cluster_service(void)
{
	T_OK(ecs_name_region_ok("eu-west-1") && ecs_name_region_ok("us-gov-west-1") &&
		     ecs_name_region_ok("ap-southeast-2"),
	     "region names");
	T_OK(!ecs_name_region_ok("eu-west") && !ecs_name_region_ok("EU-west-1") &&
		     !ecs_name_region_ok("euw-1") && !ecs_name_region_ok("eu-west-1x") &&
		     !ecs_name_region_ok("") && !ecs_name_region_ok(NULL),
	     "not region names: no number, uppercase, no word group, trailing byte, empty");
	T_OK(!ecs_name_region_ok("eu-abcdefghijklmnopqrstuvwxyzab-1"), "region over 32 bytes");
	T_OK(ecs_name_cluster_ok("prod") && ecs_name_cluster_ok("Stage_2-eu"), "cluster names");
	T_OK(!ecs_name_cluster_ok("a\"b") && !ecs_name_cluster_ok("a/b") &&
		     !ecs_name_cluster_ok("a.b") && !ecs_name_cluster_ok(""),
	     "not cluster names: quote, slash, dot, empty");
	T_OK(ecs_name_service_ok("sshd") && ecs_name_service_ok("sudo-i") &&
		     ecs_name_service_ok("ecs.saml_x"),
	     "PAM service names");
	T_OK(!ecs_name_service_ok("") && !ecs_name_service_ok("ss hd") &&
		     !ecs_name_service_ok("a/b") && !ecs_name_service_ok("a\n"),
	     "not PAM service names: empty, space, slash, newline");
	T_OK(ecs_name_group_ok("ecs-saml") && !ecs_name_group_ok("ecs saml"), "group names");
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
	T_OK(ecs_name_hex_ok("00ff", 4) && !ecs_name_hex_ok("00ff", 3) &&
		     !ecs_name_hex_ok("00f", 4) && !ecs_name_hex_ok("00fF", 4),
	     "hex of an exact length");
}

/* A site's rule (nss_first_login, user_name_rule): an ERE matched against the whole name. */
static void
test_rule(void)
{
	regex_t re;

	T_OK(ecs_name_rule_compile("dev-[a-z]+|ops", &re) == 0, "pattern compiles");
	T_OK(ecs_name_rule_match(&re, "dev-abc") && ecs_name_rule_match(&re, "ops"),
	     "pattern matches whole names");
	T_OK(!ecs_name_rule_match(&re, "xdev-abc") && !ecs_name_rule_match(&re, "opsx") &&
		     !ecs_name_rule_match(&re, "dev-abc1"),
	     "pattern is anchored on both ends, around the whole alternation");
	regfree(&re);
	/* glibc takes the unmatched ')' as a literal: wrapped as "^(" ere ")$" in text, this
	 * became ^(e2e[a-z]+)|(x))$ and matched any name starting with e2e + letters */
	T_OK(ecs_name_rule_compile("e2e[a-z]+)|(x)", &re) == 0, "stray ')' compiles");
	T_OK(!ecs_name_rule_match(&re, "e2ebob_admin") && !ecs_name_rule_match(&re, "e2ebob") &&
		     !ecs_name_rule_match(&re, "x)"),
	     "a stray ')' cannot break the whole-name match");
	regfree(&re);
	T_OK(ecs_name_rule_compile("x)|(.*", &re) == -EINVAL, "an unbalanced '(' is refused");
	T_OK(ecs_name_rule_compile("a|ab|abc", &re) == 0 && ecs_name_rule_match(&re, "abc"),
	     "the longest alternative is found at the start");
	regfree(&re);
	T_OK(ecs_name_rule_compile("dev-[a-z", &re) == -EINVAL, "a broken expression is refused");
	/* glibc's regcomp is exponential in stacked repetitions: each would hang every process
	 * that loads the configuration (fuzz_conf found "=++++...+"). */
	T_OK(ecs_name_rule_compile("x=++++++++++++++++++++++++++ yes", &re) == -EINVAL &&
	     strstr(ecs_name_rule_shape("x=++"), "two repetitions in a row") != NULL,
	     "stacked repetitions are refused, and said so");
	T_OK(ecs_name_rule_shape("a{2}*") != NULL && ecs_name_rule_shape("a*{2}") != NULL &&
	     ecs_name_rule_shape("(a+)+") == NULL, "... intervals too; a repeated group is fine");
	T_OK(strstr(ecs_name_rule_shape("(((a{1,32}){1,32}){1,32}){1,32}") ?: "",
		    "more than 2048 positions") != NULL &&
	     ecs_name_rule_shape("((a{32}){32}){3}") != NULL,
	     "nested intervals that expand past 2048 positions are refused");
	T_OK(ecs_name_rule_shape("(a{30000}){30000}") != NULL &&
	     ecs_name_rule_shape("(a{1,999999999999}){2}") != NULL,
	     "... however many digits a bound has");
	T_OK(ecs_name_rule_shape("[a-z][a-z0-9._-]{0,31}") == NULL &&
	     ecs_name_rule_shape("[]+*{]{2}[[:alpha:]+]x\\++") == NULL &&
	     ecs_name_rule_shape("a{,}+b{x}") == NULL,
	     "brackets, escapes and literal braces are not repetitions");
	{
		char longer[ECS_NAME_RULE_MAX + 2];

		memset(longer, 'a', sizeof(longer) - 1);
		longer[sizeof(longer) - 1] = '\0';
		T_OK(strstr(ecs_name_rule_shape(longer) ?: "", "longer than 256") != NULL,
		     "a rule longer than 256 characters is refused");
		memset(longer, '(', sizeof(longer) - 1);
		T_OK(ecs_name_rule_shape(longer) != NULL && (longer[256] = '\0',
		     ecs_name_rule_shape(longer) == NULL), "256 open groups: no overflow");
	}
}

static void
test_vpce_kms(void)
{
	T_OK(ecs_name_vpce_ok("vpce-0123abcd") && ecs_name_vpce_ok("vpce-0123456789abcdef0"),
	     "VPC endpoint IDs of 8 and 17 hex digits");
	T_OK(!ecs_name_vpce_ok("vpce-0123ABCD") && !ecs_name_vpce_ok("vpce-0123abc") &&
		     !ecs_name_vpce_ok("vpce-0123456789abcdef") && !ecs_name_vpce_ok("vpc-0123abcd") &&
		     !ecs_name_vpce_ok("vpce-0123abcd\"") && !ecs_name_vpce_ok("") &&
		     !ecs_name_vpce_ok(NULL),
	     "VPC endpoint IDs: capitals, other lengths, vpc-, a quote refused");
	T_OK(ecs_arn_kms_key_ok("arn:aws:kms:eu-west-1:123456789012:key/"
				"1234abcd-12ab-34cd-56ef-1234567890ab") &&
		     ecs_arn_kms_key_ok("arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/"
					"mrk-1234abcd12ab34cd56ef1234567890ab"),
	     "KMS key ARNs, a multi-Region key in another partition");
	T_OK(!ecs_arn_kms_key_ok("arn:aws:kms:eu-west-1:123456789012:alias/exec") &&
		     !ecs_arn_kms_key_ok("arn:aws:kms:eu-west-1:12345678901:key/k") &&
		     !ecs_arn_kms_key_ok("arn:aws:kms:eu-west-1:123456789012:key/") &&
		     !ecs_arn_kms_key_ok("arn:aws:kms:EU:123456789012:key/k") &&
		     !ecs_arn_kms_key_ok("arn:aws:kms:eu-west-1:123456789012:key/*") &&
		     !ecs_arn_kms_key_ok("arn:aws:kms:eu-west-1:123456789012:key/a\"b") &&
		     !ecs_arn_kms_key_ok("arn:aws:s3:eu-west-1:123456789012:key/k") &&
		     !ecs_arn_kms_key_ok(NULL),
	     "KMS key ARNs: an alias, a short account, no ID, a bad region, a wildcard, a quote, "
	     "another service refused");
}

int
main(void)
{
	test_vpce_kms();
	test_user();
	test_user_policy();
	test_session();
	test_arns();
	test_policy_arn();
	test_region_cluster_service();
	test_token();
	test_rule();
	T_DONE();
}
