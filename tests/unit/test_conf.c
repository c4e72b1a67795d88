/* test_conf.c — the configuration table: every key, defaults, errors with line numbers,
 * repeated keys, IdP grouping, module-argument precedence, and the file loader's checks. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ecs_conf.h"
#include "ecs_err.h"
#include "tap.h"

/* Two well-formed public-key pins (base64 of 32 bytes) */
#define PIN_B64 "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
#define PIN_A "sha256//" PIN_B64
#define PIN_B "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="

static char dir[] = "/tmp/ecs-test-conf.XXXXXX";
static char err[ECS_CONF_ERRSZ];

/* Parse text as file "t.conf" into a fresh c, then finish. Returns the first error. */
static int
parse(struct ecs_conf *c, const char *text)
{
	int r;

	ecs_conf_init(c);
	err[0] = 0;
	r = ecs_conf_parse_text(c, text, strlen(text), "t.conf", err, sizeof(err));
	if (r == 0)
		r = ecs_conf_finish(c, err, sizeof(err));
	return r;
}

/* Parse text; true when it fails with -ECS_ECONFIG and the message contains want. */
static int
fails_with(const char *text, const char *want)
{
	struct ecs_conf c;
	int r = parse(&c, text);

	ecs_conf_free(&c);
	if (r != -ECS_ECONFIG || !strstr(err, want)) {
		printf("# got %d '%s'\n", r, err);
		return 0;
	}
	return 1;
}

static void
test_defaults(void)
{
	struct ecs_conf c;

	T_OK(parse(&c, "") == 0, "empty file is a valid configuration");
	/* AWS's entity ID, and what Entra ID's stock AWS app sends (issue 9) */
	T_OK(c.audience.n == 2 && strcmp(c.audience.v[0], "urn:amazon:webservices") == 0 &&
		     strcmp(c.audience.v[1], "https://signin.aws.amazon.com/saml") == 0,
	     "default audience: urn:amazon:webservices and https://signin.aws.amazon.com/saml");
	T_OK(c.recipient.n == 1 &&
		     strcmp(c.recipient.v[0], "https://signin.aws.amazon.com/saml") == 0,
	     "default recipient");
	T_OK(c.clock_skew == 180 && c.max_assertion_age == 300 && !c.allow_sha1 &&
		     c.user_source == ECS_USER_FROM_SESSION_NAME && !c.user_attribute &&
		     !c.require_source_identity && c.allowed_roles.n == 0,
	     "default validation settings");
	T_OK(!c.user_name_rule && !c.user_name_lowercase,
	     "default user-name policy: no site rule, no case mapping");
	T_OK(strcmp(c.state_dir, "/var/lib/pam_ecs_saml") == 0, "default state_dir");
	T_OK(!c.region && !c.sts_endpoint && !c.sts_ca_file && c.sts_timeout == 10 &&
		     c.duration_seconds == 3600 && !c.session_policy && c.policy_arns.n == 0 &&
		     c.ecs_clusters.n == 0,
	     "default STS settings");
	T_OK(!c.nss_first_login && c.nss_uid_min == 1879113728 && c.nss_uid_max == 2147352575 &&
		     strcmp(c.nss_group, "ecs-saml") == 0 && c.nss_gid == 1879048192 &&
		     strcmp(c.nss_home, "/home/%u") == 0 && strcmp(c.nss_shell, "/bin/bash") == 0 &&
		     !c.debug && c.nidps == 0,
	     "default NSS settings");
	ecs_conf_free(&c);
	T_OK(c.audience.n == 0 && !c.state_dir && c.clock_skew == 180,
	     "free leaves the defaults of init");
	T_OK(parse(&c, "audience = urn:amazon:webservices\n") == 0 && c.audience.n == 1 &&
		     strcmp(c.audience.v[0], "urn:amazon:webservices") == 0,
	     "an audience line replaces the default list, so a site can narrow it");
	ecs_conf_free(&c);
}

static const char every_key[] =
	"# every key once (lists twice)\n"
	"idp_metadata = /etc/pam_ecs_saml/okta.xml\n"
	"idp_entity_id = https://idp.example/saml#main\n"
	"idp_cert = /etc/pam_ecs_saml/idp1.pem\n"
	"idp_cert = /etc/pam_ecs_saml/idp2.pem\n"
	"audience = urn:amazon:webservices\n"
	"audience = https://eu-west-1.signin.aws.amazon.com/saml\n"
	"recipient = https://signin.aws.amazon.com/saml\n"
	"clock_skew = 0\n"
	"max_assertion_age = 86400\n"
	"allow_sha1 = yes\n"
	"user_source = nameid\n"
	"user_strip_suffix = @corp.example\n"
	"user_name_rule = [a-z]+\\.[a-z]+\n"
	"user_name_lowercase = yes\n"
	"require_source_identity = true\n"
	"allowed_roles = arn:aws:iam::123456789012:role/Ecs*\n"
	"allowed_roles = arn:aws:iam::210987654321:role/Ops\n"
	"state_dir = /var/lib/ecs\n"
	"region = us-gov-west-1\n"
	"sts_endpoint = https://127.0.0.1:8443/\n"
	"sts_ca_file = /etc/ssl/sts.pem\n"
	"sts_pin_sha256 = " PIN_A ";" PIN_B "\n"
	"sts_proxy = http://proxy.corp.example:3128\n"
	"sts_proxy_auth_file = /etc/security/pam_ecs_saml.proxy-auth\n"
	"aws_config_snippet = /etc/security/pam_ecs_saml.aws-config\n"
	"sts_timeout = 120\n"
	"duration_seconds = 43200\n"
	"session_policy = /etc/pam_ecs_saml/policy.json\n"
	"policy_arns = arn:aws:iam::aws:policy/ReadOnlyAccess\n"
	"ecs_clusters = prod\n"
	"ecs_clusters = staging\n"
	"pin_source_ip = 203.0.113.7/32\n"
	"pin_source_ip = 2001:db8::/48\n"
	"pin_source_vpce = vpce-0123456789abcdef0\n"
	"exec_kms_key = arn:aws:kms:us-gov-west-1:123456789012:key/mrk-0123\n"
	"nss_first_login = ^[a-z]+\\.adm$\n"
	"nss_uid_min = 1000\n"
	"nss_uid_max = 2147483646\n"
	"nss_group = ecs-users\n"
	"nss_gid = 5000\n"
	"nss_home = /srv/home/%u\n"
	"nss_shell = /bin/sh\n"
	"debug = 1\n";

static void
test_every_key(void)
{
	struct ecs_conf c;

	T_OK(parse(&c, every_key) == 0, "a file setting every key parses");
	T_OK(c.nidps == 2 && strcmp(c.idps[0].metadata, "/etc/pam_ecs_saml/okta.xml") == 0 &&
		     !c.idps[0].entity_id && c.idps[0].certs.n == 0,
	     "idp_metadata starts an IdP");
	T_OK(strcmp(c.idps[1].entity_id, "https://idp.example/saml#main") == 0 &&
		     !c.idps[1].metadata && c.idps[1].certs.n == 2 &&
		     strcmp(c.idps[1].certs.v[1], "/etc/pam_ecs_saml/idp2.pem") == 0,
	     "idp_cert lines belong to the idp_entity_id above them; '#' inside a value kept");
	T_OK(c.audience.n == 2 && c.recipient.n == 1 && c.allowed_roles.n == 2 &&
		     c.ecs_clusters.n == 2 && c.policy_arns.n == 1 && c.pin_source_ip.n == 2 &&
		     c.pin_source_vpce.n == 1 && c.exec_kms_key.n == 1,
	     "list keys collect their values (no default added)");
	T_OK(c.clock_skew == 0 && c.max_assertion_age == 86400 && c.allow_sha1 &&
		     c.user_source == ECS_USER_FROM_NAMEID &&
		     strcmp(c.user_strip_suffix, "@corp.example") == 0 && c.require_source_identity,
	     "validation keys");
	T_OK(strcmp(c.user_name_rule, "[a-z]+\\.[a-z]+") == 0 && c.user_name_lowercase,
	     "user-name policy keys");
	T_OK(strcmp(c.state_dir, "/var/lib/ecs") == 0 && strcmp(c.region, "us-gov-west-1") == 0 &&
		     strcmp(c.sts_endpoint, "https://127.0.0.1:8443/") == 0 &&
		     strcmp(c.sts_ca_file, "/etc/ssl/sts.pem") == 0 &&
		     strcmp(c.sts_pin_sha256, PIN_A ";" PIN_B) == 0 && c.sts_timeout == 120 &&
		     c.duration_seconds == 43200 &&
		     strcmp(c.session_policy, "/etc/pam_ecs_saml/policy.json") == 0,
	     "STS keys; an explicit sts_endpoint wins over the region default");
	T_OK(strcmp(c.sts_proxy, "http://proxy.corp.example:3128") == 0 &&
		     strcmp(c.sts_proxy_auth_file, "/etc/security/pam_ecs_saml.proxy-auth") == 0 &&
		     strcmp(c.aws_config_snippet, "/etc/security/pam_ecs_saml.aws-config") == 0,
	     "proxy keys and the AWS config snippet");
	T_OK(strcmp(c.nss_first_login, "^[a-z]+\\.adm$") == 0 && c.nss_uid_min == 1000 &&
		     c.nss_uid_max == 2147483646 && strcmp(c.nss_group, "ecs-users") == 0 &&
		     c.nss_gid == 5000 && strcmp(c.nss_home, "/srv/home/%u") == 0 &&
		     strcmp(c.nss_shell, "/bin/sh") == 0 && c.debug,
	     "NSS keys");
	ecs_conf_free(&c);

	T_OK(parse(&c, "region = eu-west-1\n") == 0 &&
		     strcmp(c.sts_endpoint, "https://sts.eu-west-1.amazonaws.com/") == 0,
	     "sts_endpoint derived from region");
	ecs_conf_free(&c);
	T_OK(parse(&c, "region = cn-north-1\n") == 0 &&
		     strcmp(c.sts_endpoint, "https://sts.cn-north-1.amazonaws.com.cn/") == 0,
	     "sts_endpoint derived from a China region is in amazonaws.com.cn");
	ecs_conf_free(&c);
	T_OK(parse(&c, "region = us-gov-east-1\n") == 0 &&
		     strcmp(c.sts_endpoint, "https://sts.us-gov-east-1.amazonaws.com/") == 0,
	     "sts_endpoint derived from a GovCloud region");
	ecs_conf_free(&c);
	T_OK(parse(&c, "sts_proxy = http://[fd00::1]:8080/\n") == 0 && !c.sts_proxy_auth_file,
	     "sts_proxy: an IPv6 proxy with a trailing '/'; no credentials by default");
	ecs_conf_free(&c);
	T_OK(parse(&c, "") == 0 && !c.sts_proxy && !c.aws_config_snippet,
	     "no proxy and no snippet by default");
	ecs_conf_free(&c);
	T_OK(parse(&c, "user_source = urn:oid:0.9.2342.19200300.100.1.1") == 0 &&
		     c.user_source == ECS_USER_FROM_ATTRIBUTE &&
		     strcmp(c.user_attribute,
			    "urn:oid:0.9.2342.19200300.100.1.1") == 0,
	     "user_source naming an attribute");
	ecs_conf_free(&c);
	T_OK(parse(&c, "user_source = role_session_name\n") == 0 &&
		     c.user_source == ECS_USER_FROM_SESSION_NAME && !c.user_attribute,
	     "user_source role_session_name");
	ecs_conf_free(&c);
	T_OK(parse(&c, "nss_first_login =\n") == 0 && c.nss_first_login &&
		     !*c.nss_first_login,
	     "empty nss_first_login means off");
	ecs_conf_free(&c);
}

static void
test_syntax(void)
{
	struct ecs_conf c;

	T_OK(parse(&c, "  # indented comment\n\n\t\nclock_skew=5\r\n"
		       "  \tmax_assertion_age \t=\t 7 \t\n") == 0 &&
		     c.clock_skew == 5 && c.max_assertion_age == 7,
	     "blank lines, indented comments, CRLF, whitespace around '=' and at ends");
	ecs_conf_free(&c);
	T_OK(parse(&c, "clock_skew = 5 # five\n") == -ECS_ECONFIG,
	     "'#' after a value is part of the value (so a number is refused)");
	ecs_conf_free(&c);
	T_OK(parse(&c, "audience = urn:x#y") == 0 && strcmp(c.audience.v[0], "urn:x#y") == 0,
	     "'#' inside a value; last line without a newline");
	ecs_conf_free(&c);
	T_OK(fails_with("debug = no\n\n# c\naudiance = x\n", "t.conf:4: unknown key 'audiance'"),
	     "unknown key names file and line");
	T_OK(fails_with("clock_skew\n", "t.conf:1: expected 'key = value'"), "line without '='");
	T_OK(fails_with(" = 5\n", "t.conf:1: missing key"), "missing key");
	T_OK(fails_with("clock_skew = 1\nclock_skew = 2\n", "t.conf:2: 'clock_skew' given twice"),
	     "repeated non-list key");
	T_OK(fails_with("region = eu-west-1\nregion = eu-west-1\n", "given twice"),
	     "repeated string key, even with the same value");
	T_OK(fails_with("state_dir =\n", "t.conf:1: 'state_dir': empty value"), "empty value");
	T_OK(fails_with("clock_skew = 3601\n", "out of range 0..3600"), "clock_skew over range");
	T_OK(fails_with("max_assertion_age = 0\n", "out of range 1..86400"),
	     "max_assertion_age zero");
	T_OK(fails_with("sts_timeout = 121\n", "out of range 1..120"), "sts_timeout over range");
	T_OK(fails_with("duration_seconds = 899\n", "out of range 900..43200"),
	     "duration_seconds under range");
	T_OK(fails_with("duration_seconds = 43201\n", "out of range"),
	     "duration_seconds over range");
	T_OK(fails_with("nss_uid_min = 999\n", "out of range"), "nss_uid_min below 1000");
	T_OK(fails_with("nss_uid_max = 2147483647\n", "out of range"), "nss_uid_max at 2^31-1");
	T_OK(fails_with("nss_gid = 0\n", "out of range"), "nss_gid root group refused");
	T_OK(fails_with("clock_skew = -1\n", "not a decimal number"), "negative number");
	T_OK(fails_with("clock_skew = 0x10\n", "not a decimal number"), "hex number");
	T_OK(fails_with("allow_sha1 = maybe\n", "'allow_sha1': not yes/no"), "bad boolean");
	T_OK(fails_with("state_dir = var/lib\n", "not an absolute path"), "relative path");
	T_OK(fails_with("sts_ca_file = /etc/../tmp/x.pem\n", "not an absolute path"),
	     "'..' in a path");
	T_OK(fails_with("region = eu-west\n", "not an AWS region"), "region without number");
	T_OK(fails_with("region = EU-west-1\n", "not an AWS region"), "uppercase region");
	T_OK(fails_with("region = euw-1\n", "not an AWS region"), "region without a word group");
	T_OK(fails_with("region = eu-west-1x\n", "not an AWS region"), "region trailing garbage");
	T_OK(fails_with("sts_endpoint = http://sts.amazonaws.com/\n", "not an https:// URL"),
	     "plain http endpoint");
	T_OK(fails_with("nss_group = -admins\n", "not a valid group name"), "bad group name");
	T_OK(fails_with("nss_group = 4242\n", "not a valid group name"),
	     "an all-digit group name reads as a GID");
	T_OK(fails_with("policy_arns = arn:aws:iam::123456789012:role/R\n",
			"not an IAM policy ARN"),
	     "a role ARN is not a policy ARN");
	T_OK(fails_with("policy_arns = ReadOnlyAccess\n", "not an IAM policy ARN"),
	     "a policy name without its ARN");
	T_OK(fails_with("ecs_clusters = a\"b\n", "not an ECS cluster name"),
	     "a cluster name with a quote");
	T_OK(fails_with("ecs_clusters = arn:aws:ecs:eu-west-1:123456789012:cluster/prod\n",
			"not an ECS cluster name"),
	     "a cluster ARN where a name belongs");
	T_OK(fails_with("sts_pin_sha256 = sha256//AAAA\n", "'sts_pin_sha256': not sha256//BASE64"),
	     "a pin too short for a SHA-256 digest");
	T_OK(fails_with("sts_pin_sha256 = " PIN_A "x\n", "'sts_pin_sha256': not sha256//"),
	     "a pin with a character too many");
	T_OK(fails_with("sts_pin_sha256 = sha1//" PIN_B64 "\n", "'sts_pin_sha256': not sha256"),
	     "a pin of another hash");
	T_OK(fails_with("sts_pin_sha256 = " PIN_A ";\n", "'sts_pin_sha256': not sha256"),
	     "a trailing ';'");
	T_OK(fails_with("sts_pin_sha256 = sha256//" "%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%=" "\n",
			"'sts_pin_sha256': not sha256"),
	     "a pin that is not base64");
	T_OK(fails_with("sts_pin_sha256 = /etc/ssl/sts.pem\n", "'sts_pin_sha256': not sha256"),
	     "a file name where a pin belongs");
	T_OK(fails_with("audience = a b\n", "space in value"), "space inside a list value");
	T_OK(fails_with("audience = a\x01\n", "control character"), "control character");
	T_OK(fails_with("nss_first_login = ([a-z]\n", "not a valid extended regular expression"),
	     "bad ERE refused by finish");
	T_OK(fails_with("user_name_rule = ([a-z]\n",
			"'user_name_rule': not a valid extended regular expression"),
	     "a user_name_rule that does not compile is refused by finish");
	T_OK(fails_with("user_name_rule = [a-z]+\\.[a-z]=+++++++++++++++++++++++++ yes\n",
			"'user_name_rule': it has two repetitions in a row"),
	     "a user_name_rule glibc would take minutes to compile is refused, and why");
	T_OK(fails_with("nss_first_login = ((a{1,32}){1,32}){1,32}\n",
			"'nss_first_login': its repetitions expand to more than 2048 positions"),
	     "so is an nss_first_login that expands past 2048 positions");
	T_OK(fails_with("nss_uid_min = 5000\nnss_uid_max = 5000\n", "must be below"),
	     "uid_min must be below uid_max");
	T_OK(fails_with("policy_arns = arn:aws:iam::aws:policy/a\n"
			"policy_arns = arn:aws:iam::aws:policy/b\n"
			"policy_arns = arn:aws:iam::aws:policy/c\n"
			"policy_arns = arn:aws:iam::aws:policy/d\n"
			"policy_arns = arn:aws:iam::aws:policy/e\n"
			"policy_arns = arn:aws:iam::aws:policy/f\n"
			"policy_arns = arn:aws:iam::aws:policy/g\n"
			"policy_arns = arn:aws:iam::aws:policy/h\n"
			"policy_arns = arn:aws:iam::aws:policy/i\n"
			"policy_arns = arn:aws:iam::aws:policy/j\n"
			"policy_arns = arn:aws:iam::aws:policy/k\n",
			"t.conf:11: 'policy_arns': more than 10 values"),
	     "policy_arns capped at 10");
	ecs_conf_init(&c);
	T_OK(ecs_conf_parse_text(&c, "clock_skew = 1\n\0debug = 1\n", 25, "t.conf", err,
				 sizeof(err)) == -ECS_ECONFIG &&
		     strstr(err, "NUL byte") && c.clock_skew == 180,
	     "a NUL byte anywhere refuses the whole text before anything is applied");
	ecs_conf_free(&c);
}

static void
test_idps(void)
{
	char text[1024];
	int i, n = 0;

	T_OK(fails_with("idp_cert = /a.pem\n",
			"t.conf:1: 'idp_cert' without a preceding idp_entity_id"),
	     "idp_cert with no IdP");
	T_OK(fails_with("idp_metadata = /m.xml\nidp_cert = /a.pem\n",
			"t.conf:2: 'idp_cert' without a preceding idp_entity_id"),
	     "idp_cert after idp_metadata");
	T_OK(fails_with("idp_entity_id = urn:x\n", "idp_entity_id 'urn:x' has no idp_cert"),
	     "entity ID without a certificate refused by finish");
	for (i = 0; i < ECS_CONF_MAX_IDPS + 1; i++)
		n += snprintf(text + n, sizeof(text) - (size_t)n, "idp_metadata = /m%d.xml\n", i);
	T_OK(fails_with(text, "t.conf:9: 'idp_metadata': more than 8 IdPs"), "IdP count capped");
}

static void
test_module_args(void)
{
	struct ecs_conf c;
	const char *file = "audience = a\naudience = b\nclock_skew = 10\n"
			   "idp_entity_id = urn:file\nidp_cert = /f.pem\n";

	ecs_conf_init(&c);
	T_OK(ecs_conf_parse_text(&c, file, strlen(file), "t.conf", err, sizeof(err)) == 0,
	     "file for the argument tests");
	T_OK(ecs_conf_set_arg(&c, "audience=x", err, sizeof(err)) == 0 && c.audience.n == 1 &&
		     strcmp(c.audience.v[0], "x") == 0,
	     "a list given as module argument replaces the file's list");
	T_OK(ecs_conf_set_arg(&c, "audience=y", err, sizeof(err)) == 0 && c.audience.n == 2,
	     "a second argument for the list extends it");
	T_OK(ecs_conf_set_arg(&c, "clock_skew=20", err, sizeof(err)) == 0 && c.clock_skew == 20,
	     "an argument overrides the file's scalar");
	T_OK(ecs_conf_set_arg(&c, "clock_skew=30", err, sizeof(err)) == -ECS_ECONFIG &&
		     strstr(err, "module argument 'clock_skew': 'clock_skew' given twice"),
	     "the same scalar argument twice is refused");
	T_OK(ecs_conf_set_arg(&c, "debug", err, sizeof(err)) == 0 && c.debug,
	     "a bare boolean argument means yes");
	T_OK(ecs_conf_set_arg(&c, "region", err, sizeof(err)) == -ECS_ECONFIG,
	     "a bare non-boolean argument is refused");
	T_OK(ecs_conf_set_arg(&c, "audiance=x", err, sizeof(err)) == -ECS_ECONFIG &&
		     strstr(err, "unknown key 'audiance'"),
	     "unknown argument key");
	T_OK(ecs_conf_set_arg(&c, "=x", err, sizeof(err)) == -ECS_ECONFIG, "argument without key");
	T_OK(ecs_conf_set_arg(&c, "idp_cert=/g.pem", err, sizeof(err)) == -ECS_ECONFIG,
	     "an idp_cert argument cannot attach to the file's IdP");
	T_OK(ecs_conf_set_arg(&c, "idp_entity_id=urn:arg", err, sizeof(err)) == 0 &&
		     c.nidps == 1 && strcmp(c.idps[0].entity_id, "urn:arg") == 0,
	     "an IdP argument replaces the file's IdPs");
	T_OK(ecs_conf_set_arg(&c, "idp_cert=/g.pem", err, sizeof(err)) == 0 &&
		     c.idps[0].certs.n == 1,
	     "an idp_cert argument attaches to the argument's IdP");
	T_OK(ecs_conf_set_arg(&c, "state_dir=/tmp/x", err, sizeof(err)) == -ECS_ECONFIG &&
		     strstr(err, "module argument 'state_dir': 'state_dir' can only be set in the "
				 "configuration file: the NSS module reads only the file"),
	     "state_dir as a module argument is refused: the NSS module would not see it");
	T_OK(ecs_conf_set_arg(&c, "nss_uid_min=5000", err, sizeof(err)) == -ECS_ECONFIG &&
		     c.nss_uid_min == 1879113728 && strstr(err, "'nss_uid_min' can only be set"),
	     "nss_uid_min as a module argument is refused and changes nothing");
	T_OK(ecs_conf_set_arg(&c, "nss_first_login=.*", err, sizeof(err)) == -ECS_ECONFIG &&
		     !c.nss_first_login,
	     "nss_first_login as a module argument is refused");
	T_OK(ecs_conf_set_arg(&c, "user_name_rule=.*", err, sizeof(err)) == -ECS_ECONFIG &&
		     !c.user_name_rule && strstr(err, "'user_name_rule' can only be set"),
	     "user_name_rule as a module argument is refused: NSS must apply the same policy");
	T_OK(ecs_conf_set_arg(&c, "user_name_lowercase=yes", err, sizeof(err)) == -ECS_ECONFIG &&
		     !c.user_name_lowercase,
	     "user_name_lowercase as a module argument is refused");
	T_OK(ecs_conf_finish(&c, err, sizeof(err)) == 0, "finish after arguments");
	ecs_conf_free(&c);
	T_OK(ecs_conf_is_key("nss_uid_min") && !ecs_conf_is_key("nss_uid") &&
		     !ecs_conf_is_key(""),
	     "ecs_conf_is_key");
}

/* Write a config file at dir/name with mode and owner; returns its path (static). */
static const char *
put_file(const char *name, const char *text, mode_t mode, uid_t uid)
{
	static char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text) ||
	    fchown(fd, uid, 0) < 0 || fchmod(fd, mode) < 0)
		printf("# setup of %s failed\n", path);
	if (fd >= 0)
		close(fd);
	return path;
}

static int
load(const char *path)
{
	struct ecs_conf c;
	int r;

	ecs_conf_init(&c);
	err[0] = 0;
	r = ecs_conf_load_file(&c, path, err, sizeof(err));
	ecs_conf_free(&c);
	return r;
}

static void
test_file(void)
{
	char path[256], big[ECS_CONF_MAX_SIZE + 2];
	const char *p;

	p = put_file("good.conf", "clock_skew = 1\n", 0644, 0);
	T_OK(load(p) == 0, "root-owned 0644 file loads");
	p = put_file("bad.conf", "clock_skew = 1\n\nwhat = 2\n", 0600, 0);
	T_OK(load(p) == -ECS_ECONFIG && strstr(err, "/bad.conf:3: unknown key 'what'"),
	     "errors from a file name its path and line");
	p = put_file("ww.conf", "clock_skew = 1\n", 0666, 0);
	T_OK(load(p) == -ECS_ECONFIG && strstr(err, "writable by group or others"),
	     "world-writable file refused");
	p = put_file("gw.conf", "clock_skew = 1\n", 0660, 0);
	T_OK(load(p) == -ECS_ECONFIG, "group-writable file refused");
	p = put_file("user.conf", "clock_skew = 1\n", 0644, 65534);
	T_OK(load(p) == -ECS_ECONFIG && strstr(err, "not owned by root"),
	     "file owned by another user refused");
	/* the directories above count too: whoever may replace one may replace the file */
	snprintf(path, sizeof(path), "%s/open", dir);
	T_OK(mkdir(path, 0700) == 0 && chmod(path, 0777) == 0, "world-writable directory");
	p = put_file("open/in.conf", "clock_skew = 1\n", 0644, 0);
	T_OK(load(p) == -ECS_ECONFIG && strstr(err, "writable by group or others"),
	     "file in a world-writable directory refused");
	snprintf(path, sizeof(path), "%s/mine", dir);
	T_OK(mkdir(path, 0755) == 0 && chown(path, 65534, 0) == 0, "directory owned by a user");
	p = put_file("mine/in.conf", "clock_skew = 1\n", 0644, 0);
	T_OK(load(p) == -ECS_ECONFIG && strstr(err, "not owned by root"),
	     "file in a directory owned by another user refused");
	snprintf(path, sizeof(path), "%s/via", dir);
	T_OK(symlink(".", path) == 0, "symlinked directory");
	snprintf(path, sizeof(path), "%s/via/good.conf", dir);
	T_OK(load(path) == -ECS_ECONFIG && strstr(err, "symbolic link"),
	     "file reached through a symlinked directory refused");
	snprintf(path, sizeof(path), "%s/link.conf", dir);
	T_OK(symlink("good.conf", path) == 0 && load(path) == -ECS_ECONFIG &&
		     strstr(err, "symbolic link"),
	     "symlinked file refused");
	snprintf(path, sizeof(path), "%s/fifo.conf", dir);
	T_OK(mkfifo(path, 0600) == 0 && load(path) == -ECS_ECONFIG &&
		     strstr(err, "not a regular file"),
	     "FIFO refused without blocking");
	T_OK(load(dir) == -ECS_ECONFIG && strstr(err, "not a regular file"), "directory refused");
	snprintf(path, sizeof(path), "%s/missing.conf", dir);
	T_OK(load(path) == -ENOENT, "missing file is -ENOENT");
	T_OK(load("relative.conf") == -ECS_ECONFIG, "relative path refused");
	memset(big, '#', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	p = put_file("big.conf", big, 0644, 0);
	T_OK(load(p) == -ECS_ECONFIG && strstr(err, "larger than 65536"),
	     "file over 64 KiB refused");
	big[ECS_CONF_MAX_SIZE] = 0;
	p = put_file("max.conf", big, 0644, 0);
	T_OK(load(p) == 0, "file of exactly 64 KiB (comments) loads");
}

/* ecs_conf_load: the one entry point (file, arguments over it, finish), its one-line errors
 * and the empty configuration it leaves on failure. */
static void
test_entry_point(void)
{
	const char *over[] = { "clock_skew=20", "debug" };
	const char *bad_arg[] = { "clock_skew=20", "audiance=x" };
	const char *file_only[] = { "state_dir=/tmp/x" };
	char path[256];
	struct ecs_conf c;
	const char *p;

	p = put_file("entry.conf", "clock_skew = 1\nmax_assertion_age = 60\n", 0644, 0);
	T_OK(ecs_conf_load(&c, p, over, 2, err, sizeof(err)) == 0 && c.clock_skew == 20 &&
		     c.max_assertion_age == 60 && c.debug && c.audience.n > 0,
	     "entry point: the file, the arguments over it, then the defaults");
	ecs_conf_free(&c);
	T_OK(ecs_conf_load(&c, p, NULL, 0, err, sizeof(err)) == 0 && c.clock_skew == 1 && !c.debug,
	     "entry point: the file alone");
	ecs_conf_free(&c);
	T_OK(ecs_conf_load(&c, p, bad_arg, 2, err, sizeof(err)) == -ECS_ECONFIG &&
		     strstr(err, "module argument 'audiance': unknown key") && c.clock_skew == 180 &&
		     c.audience.n == 0,
	     "entry point: a bad argument is named, and nothing is left loaded");
	T_OK(ecs_conf_load(&c, p, file_only, 1, err, sizeof(err)) == -ECS_ECONFIG &&
		     strstr(err, "'state_dir' can only be set in the configuration file"),
	     "entry point: a file-only key as an argument is refused");
	snprintf(path, sizeof(path), "%s/absent.conf", dir);
	T_OK(ecs_conf_load(&c, path, NULL, 0, err, sizeof(err)) == -ECS_ECONFIG &&
		     strstr(err, "absent.conf: no such file"),
	     "entry point: a missing file is a configuration error that names it");
	p = put_file("entry-bad.conf", "clock_skew = 1\nbogus = 2\n", 0644, 0);
	T_OK(ecs_conf_load(&c, p, over, 2, err, sizeof(err)) == -ECS_ECONFIG &&
		     strstr(err, "entry-bad.conf:2: unknown key 'bogus'") && c.clock_skew == 180,
	     "entry point: a bad file names its line; the arguments are not applied");
	p = put_file("entry-x.conf", "nss_uid_min = 5000\nnss_uid_max = 4000\n", 0644, 0);
	T_OK(ecs_conf_load(&c, p, NULL, 0, err, sizeof(err)) == -ECS_ECONFIG &&
		     strstr(err, "'nss_uid_min' must be below 'nss_uid_max'"),
	     "entry point: the cross-key checks run");
	p = put_file("entry-ww.conf", "clock_skew = 1\n", 0666, 0);
	T_OK(ecs_conf_load(&c, p, NULL, 0, err, sizeof(err)) == -ECS_ECONFIG &&
		     strstr(err, "writable by group or others"),
	     "entry point: the file's ownership checks apply");
	ecs_conf_free(&c);
}

/* The CODE ecs_conf_load names a failure with: one per cause an administrator fixes. */
static const char *
code_of(const char *path, const char *const *args, size_t nargs)
{
	struct ecs_conf c;
	const char *code;

	if (ecs_conf_load(&c, path, args, nargs, err, sizeof(err)) == 0)
		code = "loaded";
	else
		code = c.err_code != NULL ? c.err_code : "(none)";
	ecs_conf_free(&c);
	return code;
}

static void
test_codes(void)
{
	const char *unknown_arg[] = { "audiance=x" };
	const char *file_only[] = { "state_dir=/tmp/x" };
	const char *no_key[] = { "=x" };
	char path[256];
	const char *p;

	p = put_file("c-ok.conf", "clock_skew = 1\n", 0644, 0);
	T_OK(strcmp(code_of(p, NULL, 0), "loaded") == 0, "codes: a good file loads");
	snprintf(path, sizeof(path), "%s/c-absent.conf", dir);
	T_OK(strcmp(code_of(path, NULL, 0), ECS_CONF_E_MISSING) == 0, "codes: config-missing");
	p = put_file("c-owner.conf", "clock_skew = 1\n", 0644, 65534);
	T_OK(strcmp(code_of(p, NULL, 0), ECS_CONF_E_OWNER) == 0,
	     "codes: the file owned by a user is config-owner");
	p = put_file("c-mode.conf", "clock_skew = 1\n", 0664, 0);
	T_OK(strcmp(code_of(p, NULL, 0), ECS_CONF_E_MODE) == 0,
	     "codes: a group-writable file is config-mode");
	p = put_file("open/c-dir.conf", "clock_skew = 1\n", 0644, 0);
	T_OK(strcmp(code_of(p, NULL, 0), ECS_CONF_E_DIR) == 0,
	     "codes: a world-writable directory above is config-dir");
	p = put_file("c-private.conf", "clock_skew = 1\n", 0600, 0);
	T_OK(strcmp(code_of(p, NULL, 0), "loaded") == 0,
	     "codes: a private copy elsewhere than the NSS module's file loads");
	{
		struct ecs_conf c;

		ecs_conf_init(&c);
		T_OK(ecs_conf_check_shared(&c, p, err, sizeof(err)) == -ECS_ECONFIG &&
			     strcmp(c.err_code, ECS_CONF_E_PRIVATE) == 0 &&
			     strstr(err, "mode 0600 is not readable by everyone"),
		     "codes: the NSS module's file only root can read: config-unreadable-by-users");
		p = put_file("c-public.conf", "clock_skew = 1\n", 0644, 0);
		T_OK(ecs_conf_check_shared(&c, p, err, sizeof(err)) == 0,
		     "codes: the NSS module's file readable by everyone passes");
	}
	p = put_file("c-key.conf", "clock_skew = 1\nclok_skew = 2\n", 0644, 0);
	T_OK(strcmp(code_of(p, NULL, 0), ECS_CONF_E_KEY) == 0, "codes: an unknown key, config-key");
	p = put_file("c-ok.conf", "clock_skew = 1\n", 0644, 0);
	T_OK(strcmp(code_of(p, unknown_arg, 1), ECS_CONF_E_KEY) == 0,
	     "codes: an unknown key as a module argument, config-key");
	T_OK(strcmp(code_of(p, file_only, 1), ECS_CONF_E_FILE_ONLY) == 0,
	     "codes: a file-only key as an argument, config-file-only");
	T_OK(strcmp(code_of(p, no_key, 1), ECS_CONF_E_SYNTAX) == 0,
	     "codes: an argument without a key, config-syntax");
	p = put_file("c-syntax.conf", "clock_skew 1\n", 0644, 0);
	T_OK(strcmp(code_of(p, NULL, 0), ECS_CONF_E_SYNTAX) == 0,
	     "codes: a line without '=', config-syntax");
	p = put_file("c-twice.conf", "clock_skew = 1\nclock_skew = 2\n", 0644, 0);
	T_OK(strcmp(code_of(p, NULL, 0), ECS_CONF_E_REPEATED) == 0, "codes: config-repeated");
	p = put_file("c-value.conf", "clock_skew = soon\n", 0644, 0);
	T_OK(strcmp(code_of(p, NULL, 0), ECS_CONF_E_VALUE) == 0, "codes: a bad value, config-value");
	p = put_file("c-cross.conf", "nss_uid_min = 5000\nnss_uid_max = 4000\n", 0644, 0);
	T_OK(strcmp(code_of(p, NULL, 0), ECS_CONF_E_VALUE) == 0,
	     "codes: keys that do not agree, config-value");
	snprintf(path, sizeof(path), "%s/c-link.conf", dir);
	T_OK(symlink("c-ok.conf", path) == 0 && strcmp(code_of(path, NULL, 0), ECS_CONF_E_SYMLINK) == 0,
	     "codes: config-symlink");
	T_OK(strcmp(code_of(dir, NULL, 0), ECS_CONF_E_NOT_FILE) == 0, "codes: config-not-file");

	/* the replay cache's keys: their own code, and file-only (sshd and sudo share a cache) */
	{
		const char *redis_arg[] = { "replay_cache=redis://127.0.0.1" };

		p = put_file("c-redis.conf", "replay_cache = redis+unix:///run/redis.sock?db=1\n"
			     "redis_user = bastion\nredis_password_file = /etc/pw\n"
			     "redis_timeout_ms = 250\n", 0644, 0);
		T_OK(strcmp(code_of(p, NULL, 0), "loaded") == 0, "codes: a Redis replay cache loads");
		T_OK(strcmp(code_of(p, redis_arg, 1), ECS_CONF_E_FILE_ONLY) == 0 &&
		     strstr(err, "sshd and sudo must share one replay cache"),
		     "codes: replay_cache as a module argument, config-file-only");
		p = put_file("c-redis-url.conf", "replay_cache = redis://u:pw@h\n", 0644, 0);
		T_OK(strcmp(code_of(p, NULL, 0), ECS_CONF_E_REPLAY_CACHE) == 0 &&
		     strstr(err, "credentials do not go in the URL"),
		     "codes: credentials in the URL, config-replay-cache");
		p = put_file("c-redis-ms.conf", "redis_connect_timeout_ms = 0\n", 0644, 0);
		T_OK(strcmp(code_of(p, NULL, 0), ECS_CONF_E_REPLAY_CACHE) == 0,
		     "codes: a timeout out of range, config-replay-cache");
		p = put_file("c-redis-ca.conf", "replay_cache = redis://h\nredis_ca_file = /etc/ca\n",
			     0644, 0);
		T_OK(strcmp(code_of(p, NULL, 0), ECS_CONF_E_REPLAY_CACHE) == 0 &&
		     strstr(err, "rediss://"), "codes: redis_ca_file without TLS, config-replay-cache");
		p = put_file("c-redis-file.conf", "redis_user = x\n", 0644, 0);
		T_OK(strcmp(code_of(p, NULL, 0), ECS_CONF_E_REPLAY_CACHE) == 0 &&
		     strstr(err, "replay_cache is 'file'"),
		     "codes: redis_* with the file cache, config-replay-cache");
		p = put_file("c-redis-pfx.conf", "replay_cache = redis://h\nredis_key_prefix = "
			     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n", 0644, 0);
		T_OK(strcmp(code_of(p, NULL, 0), ECS_CONF_E_REPLAY_CACHE) == 0,
		     "codes: a key prefix over 64 characters, config-replay-cache");
	}

	/* the STS proxy's keys: their own code, each with what is wrong */
	{
		static const struct {
			const char *text, *why, *name;
		} bad[] = {
			{ "sts_proxy = http://u:pw@proxy:3128\n", "credentials do not go in the URL",
			  "credentials in the URL" },
			{ "sts_proxy = https://proxy:3128\n", "plain HTTP", "https://" },
			{ "sts_proxy = socks5://proxy:1080\n", "not http://HOST:PORT", "socks5://" },
			{ "sts_proxy = http://proxy\n", "no port", "no port" },
			{ "sts_proxy = http://proxy:0\n", "1..65535", "port 0" },
			{ "sts_proxy = http://proxy:65536\n", "1..65535", "port 65536" },
			{ "sts_proxy = http://proxy:3128/path\n", "unexpected characters",
			  "a path" },
			{ "sts_proxy = http://pro_xy:3128\n", "no DNS name", "a bad host" },
			{ "sts_proxy = http://:3128\n", "no host", "no host" },
			{ "sts_proxy = http://[fd00::1:3128\n", "closed with ']'", "an open [" },
			{ "sts_proxy = http://proxy:3128?x=1\n", "not a number", "a query" },
			{ "sts_proxy_auth_file = etc/auth\n", "not an absolute path",
			  "a relative auth file" },
			{ "sts_proxy_auth_file = /etc/auth\n", "sts_proxy is not",
			  "credentials without a proxy" },
		};
		const char *arg[] = { "sts_proxy=http://127.0.0.1:3128" };

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			p = put_file("c-proxy.conf", bad[i].text, 0644, 0);
			T_OK(strcmp(code_of(p, NULL, 0), ECS_CONF_E_STS_PROXY) == 0 &&
				     strstr(err, bad[i].why),
			     "codes: sts_proxy with %s, config-sts-proxy", bad[i].name);
		}
		p = put_file("c-proxy.conf", "sts_proxy = http://10.0.0.1:3128\n"
			     "sts_proxy_auth_file = /etc/auth\n", 0644, 0);
		T_OK(strcmp(code_of(p, NULL, 0), "loaded") == 0,
		     "codes: a proxy with its credentials file loads");
		p = put_file("c-ok.conf", "clock_skew = 1\n", 0644, 0);
		T_OK(strcmp(code_of(p, arg, 1), "loaded") == 0,
		     "codes: sts_proxy as a module argument loads");
		p = put_file("c-snip.conf", "aws_config_snippet = snippet\n", 0644, 0);
		T_OK(strcmp(code_of(p, NULL, 0), ECS_CONF_E_VALUE) == 0,
		     "codes: a relative aws_config_snippet, config-value");
	}

	/* network pinning and the exec KMS keys: strict values, their own code */
	{
		const char *pin_arg[] = { "pin_source_ip=198.51.100.0/24" };

		p = put_file("c-pin.conf", "pin_source_ip = 203.0.113.7\n"
			     "pin_source_ip = 2001:db8::/48\npin_source_vpce = vpce-0a1b2c3d\n"
			     "exec_kms_key = arn:aws:kms:eu-west-1:123456789012:key/k-1\n", 0644, 0);
		T_OK(strcmp(code_of(p, NULL, 0), "loaded") == 0, "codes: pinning keys load");
		T_OK(strcmp(code_of(p, pin_arg, 1), "loaded") == 0,
		     "codes: pin_source_ip as a module argument");
		p = put_file("c-pin-host.conf", "pin_source_ip = 10.1.2.3/24\n", 0644, 0);
		T_OK(strcmp(code_of(p, NULL, 0), ECS_CONF_E_PINNING) == 0 &&
		     strstr(err, "pin_source_ip") && strstr(err, "first address"),
		     "codes: host bits after the prefix, config-pinning, the fix named: %s",
		     err);
		p = put_file("c-pin-zero.conf", "pin_source_ip = 0.0.0.0/0\n", 0644, 0);
		T_OK(strcmp(code_of(p, NULL, 0), ECS_CONF_E_PINNING) == 0 &&
		     strstr(err, "pins nothing"), "codes: a /0 pin, config-pinning");
		p = put_file("c-pin-vpce.conf", "pin_source_vpce = vpc-0a1b2c3d\n", 0644, 0);
		T_OK(strcmp(code_of(p, NULL, 0), ECS_CONF_E_PINNING) == 0 &&
		     strstr(err, "VPC endpoint"), "codes: a VPC ID for an endpoint, config-pinning");
		p = put_file("c-pin-kms.conf",
			     "exec_kms_key = arn:aws:kms:eu-west-1:123456789012:alias/x\n", 0644, 0);
		T_OK(strcmp(code_of(p, NULL, 0), ECS_CONF_E_PINNING) == 0 &&
		     strstr(err, "not an alias"), "codes: a KMS alias, config-pinning");
	}
}

/* ecs_conf_remember_rules (the helper server's): an expression found good once is not
 * compiled again, but a changed one is, and a bad one is refused however often it comes. */
static void
test_remember_rules(void)
{
	struct ecs_conf c;
	int ok = 1;

	ecs_conf_remember_rules();
	for (int i = 0; i < 3; i++) {
		ok &= parse(&c, "user_name_rule = [a-z]+\\.[a-z]+\n") == 0 &&
		      strcmp(c.user_name_rule, "[a-z]+\\.[a-z]+") == 0;
		ecs_conf_free(&c);
	}
	T_OK(ok, "remembered rules: the same good rule loads again and again");
	T_OK(fails_with("user_name_rule = ([a-z]\n",
			"'user_name_rule': not a valid extended regular expression") &&
	     fails_with("user_name_rule = ([a-z]\n",
			"'user_name_rule': not a valid extended regular expression"),
	     "remembered rules: a bad rule after a good one is refused, every time");
	T_OK(parse(&c, "user_name_rule = [a-z]+\\.[a-z]+\nnss_first_login = [a-z]+\n") == 0,
	     "remembered rules: the good rule still loads after the bad one, beside another key's");
	ecs_conf_free(&c);
	T_OK(fails_with("user_name_rule = [a-z]+\\.[a-z]+\nnss_first_login = [a-z\n",
			"'nss_first_login': not a valid extended regular expression"),
	     "remembered rules: each key is checked on its own");
}

int
main(void)
{
	char cmd[64];

	if (!mkdtemp(dir)) {
		T_OK(0, "mkdtemp");
		T_DONE();
	}
	test_defaults();
	test_every_key();
	test_syntax();
	test_idps();
	test_module_args();
	test_file();
	test_entry_point();
	test_codes();
	test_remember_rules();	/* last: it changes how every later load checks */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	T_DONE();
}
