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
	const char *many[17];
	char names[16][64];
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
	T_OK(out && strstr(out, "\"arn:aws:ecs:eu-west-1:123456789012:task/payments-eu/*\"") &&
		     strstr(out, "ecs:ExecuteCommand") && strstr(out, "ssm:StartSession") &&
		     !strstr(out, "${"),
	     "filled: task ARN patterns, ExecuteCommand, the StartSession deny, no variable left");
	free(out);
	out = NULL;
	ecs_conf_free(&c);

	for (i = 0; i < 16; i++) {
		snprintf(names[i], sizeof(names[i]), "a-rather-long-cluster-name-number-%02d", i);
		many[i] = names[i];
	}
	many[16] = NULL;
	conf_with(&c, "ap-southeast-2", many);
	r = render(&c, tmpl, ROLE, "alice", &out, err, sizeof(err));
	T_OK(r == -E2BIG && !out && strstr(err, "2048") && strstr(err, "characters"),
	     "sixteen long cluster names overflow 2048 characters: %s", err);
	ecs_conf_free(&c);
	free(tmpl);
}

int
main(void)
{
	test_variables();
	test_refusals();
	test_limit();
	T_DONE();
}
