/* test_sts_policy.c — filling the session policy template and its 2048-character limit. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecs_conf.h"
#include "ecs_err.h"
#include "sts.h"
#include "sts_policy.h"
#include "tap.h"

#define ROLE "arn:aws:iam::123456789012:role/EcsExec"

static void
conf_with(struct ecs_conf *c, const char *region, const char *const *clusters)
{
	char err[ECS_CONF_ERRSZ];

	ecs_conf_init(c);
	if (region)
		ecs_conf_set(c, "region", region, ECS_CONF_ORIGIN_FILE, err, sizeof(err));
	for (; clusters && *clusters; clusters++)
		ecs_conf_set(c, "ecs_clusters", *clusters, ECS_CONF_ORIGIN_FILE, err, sizeof(err));
}

static int
render(const struct ecs_conf *c, const char *tmpl, const char *role, const char *user,
       char **out, char *err, size_t errsz)
{
	struct ecs_policy_vars v = { .role_arn = role, .user = user };

	return ecs_policy_render_text(tmpl, strlen(tmpl), c, &v, out, err, errsz);
}

static void
test_variables(void)
{
	static const char *const two[] = { "prod", "stage_2", NULL };
	struct ecs_conf c;
	char err[256];
	char *out = NULL;
	int r;

	conf_with(&c, "eu-west-1", two);
	r = render(&c, "${partition}|${account}|${region}|${user}|${clusters}", ROLE, "alice", &out,
		   err, sizeof(err));
	T_OK(r == 0 && out &&
		     strcmp(out, "aws|123456789012|eu-west-1|alice|"
				 "[\"arn:aws:ecs:eu-west-1:123456789012:cluster/prod\","
				 "\"arn:aws:ecs:eu-west-1:123456789012:task/prod/*\","
				 "\"arn:aws:ecs:eu-west-1:123456789012:cluster/stage_2\","
				 "\"arn:aws:ecs:eu-west-1:123456789012:task/stage_2/*\"]") == 0,
	     "every variable filled, clusters as a JSON array of cluster and task ARNs");
	free(out);
	out = NULL;
	r = render(&c, "${partition}:${account}", "arn:aws-cn:iam::210987654321:role/a/b/R", "bob",
		   &out, err, sizeof(err));
	T_OK(r == 0 && out && strcmp(out, "aws-cn:210987654321") == 0,
	     "partition and account come from the role ARN (role with a path)");
	free(out);
	out = NULL;
	r = render(&c, "no variables at all", ROLE, "alice", &out, err, sizeof(err));
	T_OK(r == 0 && out && strcmp(out, "no variables at all") == 0, "plain text is kept");
	free(out);
	out = NULL;
	r = render(&c, "$user {user} $", ROLE, "alice", &out, err, sizeof(err));
	T_OK(r == 0 && out && strcmp(out, "$user {user} $") == 0, "only ${...} is a variable");
	free(out);
	ecs_conf_free(&c);
}

static void
test_refusals(void)
{
	static const char *const quote[] = { "prod\",\"*", NULL };
	static const char *const one[] = { "prod", NULL };
	struct ecs_conf c;
	char err[256];
	char *out = NULL;

	conf_with(&c, "eu-west-1", one);
	T_OK(render(&c, "${usr}", ROLE, "alice", &out, err, sizeof(err)) == -ECS_ECONFIG &&
		     strstr(err, "${usr}") && !out,
	     "an unknown variable is refused by name");
	T_OK(render(&c, "${user", ROLE, "alice", &out, err, sizeof(err)) == -ECS_ECONFIG,
	     "an unterminated variable");
	T_OK(render(&c, "${averyveryverylongname}", ROLE, "alice", &out, err, sizeof(err)) ==
		     -ECS_ECONFIG,
	     "an overlong variable name");
	T_OK(render(&c, "${user}", ROLE, "Alice\"", &out, err, sizeof(err)) == -EINVAL,
	     "a user name that is not a Unix name never reaches the JSON");
	T_OK(render(&c, "${account}", "arn:aws:iam::123:role/R", "alice", &out, err,
		    sizeof(err)) == -EINVAL,
	     "a role ARN without a 12-digit account");
	T_OK(render(&c, "{\"a\":\"\x01\"}", ROLE, "alice", &out, err, sizeof(err)) == -EINVAL,
	     "a control character in the template");
	T_OK(render(&c, "", ROLE, "alice", &out, err, sizeof(err)) == -EINVAL && err[0],
	     "an empty policy, with a reason");
	ecs_conf_free(&c);

	/* the configuration refuses such a name; put it in past the parser to prove the
	 * renderer does not rely on that */
	conf_with(&c, "eu-west-1", NULL);
	c.ecs_clusters.v[c.ecs_clusters.n++] = strdup(quote[0]);
	T_OK(render(&c, "${clusters}", ROLE, "alice", &out, err, sizeof(err)) == -ECS_ECONFIG &&
		     strstr(err, "is not a cluster name"),
	     "a cluster name with a quote cannot break out of the JSON string");
	ecs_conf_free(&c);
	conf_with(&c, "eu-west-1", NULL);
	T_OK(render(&c, "${clusters}", ROLE, "alice", &out, err, sizeof(err)) == -ECS_ECONFIG &&
		     strstr(err, "no ecs_clusters"),
	     "${clusters} without clusters");
	ecs_conf_free(&c);
	conf_with(&c, NULL, one);
	T_OK(render(&c, "${region}", ROLE, "alice", &out, err, sizeof(err)) == -ECS_ECONFIG &&
		     strstr(err, "region"),
	     "${region} without a region");
	ecs_conf_free(&c);
}

/* The shipped template, read from the source tree. */
static char *
shipped_template(void)
{
	const char *top = getenv("ECS_TOP");
	char path[4096];
	char *buf = NULL;
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/pam.d/ecs-exec-session-policy.json", top ? top : ".");
	f = fopen(path, "re");
	if (!f)
		return NULL;
	buf = calloc(1, 65536);
	if (buf)
		n = fread(buf, 1, 65535, f);
	fclose(f);
	if (buf)
		buf[n] = 0;
	return buf;
}

static void
test_limit(void)
{
	static const char *const three[] = { "prod", "staging", "payments-eu", NULL };
	const char *many[33];
	char names[32][72];	/* the longest name and any int gcc -O1 assumes */
	struct ecs_conf c;
	char err[256];
	char *tmpl = shipped_template();
	char *out = NULL;
	int r;
	int i;

	T_OK(tmpl != NULL, "the shipped template is readable (ECS_TOP=%s)", getenv("ECS_TOP"));
	if (!tmpl)
		return;
	conf_with(&c, "eu-west-1", three);
	r = render(&c, tmpl, ROLE, "alice", &out, err, sizeof(err));
	T_OK(r == 0 && out && strlen(out) < 1400, "shipped template with three clusters: %zu chars",
	     out ? strlen(out) : 0);
	T_OK(out && strstr(out, "\"*:cluster/payments-eu\"]") &&
		     strstr(out, "\"arn:aws:ecs:eu-west-1:123456789012:task/*\"") &&
		     strstr(out, "ecs:ExecuteCommand") && strstr(out, "ssm:StartSession") &&
		     strstr(out, "${") == strstr(out, "${aws:userid}") &&
		     !strstr(strstr(out, "${aws:userid}") + 1, "${") && !strstr(out, "OnlyFromThe"),
	     "filled: cluster patterns, ExecuteCommand, the StartSession deny, no variable left "
	     "but AWS's ${aws:userid}, no pinning unless configured");
	free(out);
	out = NULL;
	ecs_conf_free(&c);

	for (i = 0; i < 32; i++) {
		snprintf(names[i], sizeof(names[i]),
			 "a-rather-long-cluster-name-for-the-payments-team-number-%02d", i);
		many[i] = names[i];
	}
	many[32] = NULL;
	conf_with(&c, "ap-southeast-2", many);
	r = render(&c, tmpl, ROLE, "alice", &out, err, sizeof(err));
	T_OK(r == -E2BIG && !out && strstr(err, "2048") && strstr(err, "characters"),
	     "32 long cluster names overflow 2048 characters: %s", err);
	ecs_conf_free(&c);
	free(tmpl);
}

/* The budget the README promises: 20 clusters of a usual length, with pinning to two
 * networks and two VPC endpoints and two exec KMS keys, fit in STS's 2048 characters. */
static void
test_twenty_clusters_pinned(void)
{
	const char *many[21];
	char names[20][32];
	struct ecs_conf c;
	char err[256];
	char *tmpl = shipped_template();
	char *out = NULL;
	int r;
	int i;

	if (!tmpl) {
		T_OK(0, "the shipped template is readable");
		return;
	}
	for (i = 0; i < 20; i++) {
		snprintf(names[i], sizeof(names[i]), "payments-prod-%02d", i);
		many[i] = names[i];
	}
	many[20] = NULL;
	conf_with(&c, "ap-southeast-2", many);
	ecs_conf_set(&c, "pin_source_ip", "203.0.113.7", ECS_CONF_ORIGIN_FILE, err, sizeof(err));
	ecs_conf_set(&c, "pin_source_ip", "2001:db8:1234::/48", ECS_CONF_ORIGIN_FILE, err,
		     sizeof(err));
	ecs_conf_set(&c, "pin_source_vpce", "vpce-0123456789abcdef0", ECS_CONF_ORIGIN_FILE, err,
		     sizeof(err));
	ecs_conf_set(&c, "pin_source_vpce", "vpce-0fedcba987654321f", ECS_CONF_ORIGIN_FILE, err,
		     sizeof(err));
	ecs_conf_set(&c, "exec_kms_key",
		     "arn:aws:kms:ap-southeast-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
		     ECS_CONF_ORIGIN_FILE, err, sizeof(err));
	ecs_conf_set(&c, "exec_kms_key",
		     "arn:aws:kms:ap-southeast-2:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab",
		     ECS_CONF_ORIGIN_FILE, err, sizeof(err));
	T_OK(c.ecs_clusters.n == 20 && c.pin_source_ip.n == 2 && c.pin_source_vpce.n == 2 &&
		     c.exec_kms_key.n == 2,
	     "20 clusters, 2 networks, 2 endpoints, 2 keys configured");
	r = render(&c, tmpl, ROLE, "alice", &out, err, sizeof(err));
	T_OK(r == 0 && out && strlen(out) <= 2048,
	     "20 clusters, pinning and KMS keys fit in 2048 characters: %zu (%s)",
	     out ? strlen(out) : 0, err);
	T_OK(out && strstr(out, "\"*:cluster/payments-prod-00\",") &&
		     strstr(out, "\"*:cluster/payments-prod-19\"]") &&
		     strstr(out, "arn:aws:ecs:ap-southeast-2:123456789012:task/*"),
	     "each cluster as an ecs:cluster pattern; the tasks of the region and account");
	T_OK(out && strstr(out, ",{\"Sid\":\"OnlyFromTheBastion\",\"Effect\":\"Deny\","
				"\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{"
				"\"NotIpAddressIfExists\":{\"aws:SourceIp\":[\"203.0.113.7/32\","
				"\"2001:db8:1234::/48\"]},\"StringNotEqualsIfExists\":{"
				"\"aws:SourceVpce\":[\"vpce-0123456789abcdef0\","
				"\"vpce-0fedcba987654321f\"]},\"BoolIfExists\":{"
				"\"aws:ViaAWSService\":\"false\"}}}"),
	     "the pinning Deny: networks in canonical form, endpoints, calls via AWS services "
	     "exempt");
	T_OK(out && strstr(out, "\"Action\":\"kms:GenerateDataKey\",\"Resource\":["
				"\"arn:aws:kms:ap-southeast-2:123456789012:key/1234abcd"),
	     "kms:GenerateDataKey on the configured keys");
	T_OK(out && strstr(out, "\"${aws:userid}\"") && strstr(out, "ssm:TerminateSession") &&
		     strstr(out, "\"ssm:StartSession\""),
	     "the IAM variable ${aws:userid} kept for AWS; Terminate allowed, StartSession denied");
	free(out);
	ecs_conf_free(&c);
	free(tmpl);
}

static void
test_pinning_has_a_place(void)
{
	static const char *const one[] = { "prod", NULL };
	struct ecs_conf c;
	struct ecs_policy_vars v = { .role_arn = ROLE, .user = "alice" };
	char err[256];
	char *out = NULL;
	int r;

	conf_with(&c, "eu-west-1", one);
	r = render(&c, "{\"Statement\":[{}${pinning}${exec_kms}]}", ROLE, "alice", &out, err,
		   sizeof(err));
	T_OK(r == 0 && out && strcmp(out, "{\"Statement\":[{}]}") == 0,
	     "no pin and no key: ${pinning} and ${exec_kms} are empty");
	free(out);
	out = NULL;
	ecs_conf_set(&c, "pin_source_vpce", "vpce-0a1b2c3d", ECS_CONF_ORIGIN_FILE, err,
		     sizeof(err));
	r = render(&c, "{\"Statement\":[{}${pinning}]}", ROLE, "alice", &out, err, sizeof(err));
	T_OK(r == 0 && out && strstr(out, "\"StringNotEqualsIfExists\":{\"aws:SourceVpce\":"
					  "[\"vpce-0a1b2c3d\"]},\"BoolIfExists\"") &&
		     !strstr(out, "SourceIp"),
	     "an endpoint alone: no aws:SourceIp test (a public call is then denied)");
	free(out);
	out = NULL;
	r = render(&c, "{\"Statement\":[{}]}", ROLE, "alice", &out, err, sizeof(err));
	T_OK(r == -ECS_ECONFIG && !out && strstr(err, "${pinning}"),
	     "a pin the template has no ${pinning} for is refused: %s", err);
	ecs_conf_set(&c, "exec_kms_key", "arn:aws:kms:eu-west-1:123456789012:key/k",
		     ECS_CONF_ORIGIN_FILE, err, sizeof(err));
	r = render(&c, "{\"Statement\":[{}${pinning}]}", ROLE, "alice", &out, err, sizeof(err));
	T_OK(r == -ECS_ECONFIG && !out && strstr(err, "${exec_kms}"),
	     "a KMS key the template has no ${exec_kms} for is refused");
	r = ecs_policy_render(&c, &v, &out, err, sizeof(err));
	T_OK(r == -ECS_ECONFIG && !out && strstr(err, "no session_policy"),
	     "pins without a session_policy are refused, not dropped: %s", err);
	r = render(&c, "${aws:user\"id}", ROLE, "alice", &out, err, sizeof(err));
	T_OK(r == -ECS_ECONFIG && !out, "an aws: variable with a quote is no IAM variable");
	ecs_conf_free(&c);
}

int
main(void)
{
	test_variables();
	test_refusals();
	test_limit();
	test_twenty_clusters_pinned();
	test_pinning_has_a_place();
	T_DONE();
}
