/* sts_policy.c — fill the session policy template (see sts_policy.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ecs_buf.h"
#include "ecs_cidr.h"
#include "ecs_err.h"
#include "ecs_limits.h"
#include "ecs_names.h"
#include "ecs_safefile.h"
#include "sts_policy.h"
#include "sts_request.h"

/* Rendered before the ECS_STS_MAX_POLICY check, so the error can say by how much. */
#define RENDER_MAX (64 * 1024)
#define VAR_NAME_MAX 64

struct fill {
	const struct ecs_conf *conf;
	const char *user;
	struct ecs_arn_parts arn;	/* of the role */
	char *err;
	size_t errsz;
	bool put_pinning;	/* the template placed ${pinning} / ${exec_kms} */
	bool put_kms;
};

/* A JSON array of strings, each values[i] checked by ok (the configuration checked them
 * already; again here because they are pasted into JSON). */
static int
put_strings(struct ecs_buf *b, const struct fill *f, const char *key,
	    const struct ecs_strlist *l, bool (*ok)(const char *))
{
	unsigned i;
	int r;

	for (i = 0; i < l->n; i++) {
		if (!ok(l->v[i])) {
			snprintf(f->err, f->errsz, "%s: '%.64s' is not valid here", key, l->v[i]);
			return -ECS_ECONFIG;
		}
	}
	r = ecs_buf_puts(b, "[");
	for (i = 0; r == 0 && i < l->n; i++)
		r = ecs_buf_printf(b, "%s\"%s\"", i ? "," : "", l->v[i]);
	return r == 0 ? ecs_buf_puts(b, "]") : r;
}

/* The canonical form of each pin_source_ip network, as a JSON array. */
static int
put_networks(struct ecs_buf *b, const struct fill *f)
{
	const struct ecs_strlist *l = &f->conf->pin_source_ip;
	char text[ECS_CIDR_TEXT_MAX];
	struct ecs_cidr net;
	const char *why;
	unsigned i;
	int r;

	r = ecs_buf_puts(b, "[");
	for (i = 0; r == 0 && i < l->n; i++) {
		if (ecs_cidr_parse(l->v[i], &net, &why) < 0 ||
		    ecs_cidr_format(&net, text, sizeof(text)) < 0) {
			snprintf(f->err, f->errsz, "pin_source_ip: '%.64s' is not a network",
				 l->v[i]);
			return -ECS_ECONFIG;
		}
		r = ecs_buf_printf(b, "%s\"%s\"", i ? "," : "", text);
	}
	return r == 0 ? ecs_buf_puts(b, "]") : r;
}

/* ${pinning}: nothing, or (after a comma) the statement that denies every call made with the
 * session's credentials from anywhere but the bastion's networks / VPC endpoints. The
 * ...IfExists forms: on a path where AWS does not set a key (aws:SourceIp through a VPC
 * endpoint, aws:SourceVpce over the internet) that key's test counts as "not the bastion",
 * so only a call that matches one configured pin gets through. Calls AWS services make on
 * the session's behalf (aws:ViaAWSService) come from AWS's addresses and are exempt. */
static int
put_pinning(struct ecs_buf *b, struct fill *f)
{
	const struct ecs_conf *c = f->conf;
	int r;

	f->put_pinning = true;
	if (c->pin_source_ip.n == 0 && c->pin_source_vpce.n == 0)
		return 0;
	r = ecs_buf_puts(b, ",{\"Sid\":\"OnlyFromTheBastion\",\"Effect\":\"Deny\","
			    "\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{");
	if (r == 0 && c->pin_source_ip.n) {
		r = ecs_buf_puts(b, "\"NotIpAddressIfExists\":{\"aws:SourceIp\":");
		if (r == 0)
			r = put_networks(b, f);
		if (r == 0)
			r = ecs_buf_puts(b, "},");
	}
	if (r == 0 && c->pin_source_vpce.n) {
		r = ecs_buf_puts(b, "\"StringNotEqualsIfExists\":{\"aws:SourceVpce\":");
		if (r == 0)
			r = put_strings(b, f, "pin_source_vpce", &c->pin_source_vpce,
					ecs_name_vpce_ok);
		if (r == 0)
			r = ecs_buf_puts(b, "},");
	}
	if (r == 0)
		r = ecs_buf_puts(b, "\"BoolIfExists\":{\"aws:ViaAWSService\":\"false\"}}}");
	return r;
}

/* ${exec_kms}: nothing, or (after a comma) the Allow of kms:GenerateDataKey on the keys that
 * the clusters' executeCommandConfiguration names: session-manager-plugin asks KMS for the
 * session's data key with the caller's credentials. */
static int
put_kms(struct ecs_buf *b, struct fill *f)
{
	int r;

	f->put_kms = true;
	if (f->conf->exec_kms_key.n == 0)
		return 0;
	r = ecs_buf_puts(b, ",{\"Sid\":\"ExecSessionDataKey\",\"Effect\":\"Allow\","
			    "\"Action\":\"kms:GenerateDataKey\",\"Resource\":");
	if (r == 0)
		r = put_strings(b, f, "exec_kms_key", &f->conf->exec_kms_key, ecs_arn_kms_key_ok);
	return r == 0 ? ecs_buf_puts(b, "}") : r;
}

/* ${cluster_patterns}: a JSON array with, per configured cluster, the StringLike pattern
 * "*:cluster/NAME" that its ARN (the ecs:cluster condition key) matches and no other
 * cluster's does (a cluster name has no ':' or '/'); the statement's Resource holds the
 * partition, Region and account. A third of ${clusters}' size per cluster: 20 clusters, the
 * plugin's calls and the pinning fit in STS's 2048 characters. */
static int
put_cluster_patterns(struct ecs_buf *b, const struct fill *f)
{
	const struct ecs_strlist *l = &f->conf->ecs_clusters;
	unsigned i;
	int r;

	if (l->n == 0) {
		snprintf(f->err, f->errsz, "session policy uses ${cluster_patterns} but no "
					   "ecs_clusters are configured");
		return -ECS_ECONFIG;
	}
	for (i = 0; i < l->n; i++) {
		if (!ecs_name_cluster_ok(l->v[i])) {
			snprintf(f->err, f->errsz, "ecs_clusters: '%.64s' is not a cluster name",
				 l->v[i]);
			return -ECS_ECONFIG;
		}
	}
	r = ecs_buf_puts(b, "[");
	for (i = 0; r == 0 && i < l->n; i++)
		r = ecs_buf_printf(b, "%s\"*:cluster/%s\"", i ? "," : "", l->v[i]);
	return r == 0 ? ecs_buf_puts(b, "]") : r;
}

/* An IAM policy variable (${aws:userid}, ${aws:username}, ...) is AWS's to fill in at each
 * request: the renderer keeps it as it is. */
static bool
iam_variable(const char *name)
{
	const char *p;

	if (strncmp(name, "aws:", 4) != 0 || !name[4])
		return false;
	for (p = name + 4; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '/' || *p == '_' || *p == '-'))
			return false;
	return true;
}

/* A JSON array holding, per cluster, its ARN and the wildcard pattern of its task ARNs. */
static int
put_clusters(struct ecs_buf *b, const struct fill *f)
{
	const struct ecs_strlist *l = &f->conf->ecs_clusters;
	unsigned i;
	int r = 0;

	if (l->n == 0) {
		snprintf(f->err, f->errsz,
			 "session policy uses ${clusters} but no ecs_clusters are configured");
		return -ECS_ECONFIG;
	}
	for (i = 0; i < l->n; i++) {
		/* the configuration checked them already; again here because a name is pasted
		 * into JSON */
		if (!ecs_name_cluster_ok(l->v[i])) {
			snprintf(f->err, f->errsz, "ecs_clusters: '%.64s' is not a cluster name",
				 l->v[i]);
			return -ECS_ECONFIG;
		}
	}
	r = ecs_buf_puts(b, "[");
	for (i = 0; r == 0 && i < l->n; i++)
		r = ecs_buf_printf(b,
				   "%s\"arn:%s:ecs:%s:%s:cluster/%s\",\"arn:%s:ecs:%s:%s:task/%s/*\"",
				   i ? "," : "", f->arn.partition, f->conf->region, f->arn.account, l->v[i],
				   f->arn.partition, f->conf->region, f->arn.account, l->v[i]);
	if (r == 0)
		r = ecs_buf_puts(b, "]");
	return r;
}

static int
put_var(struct ecs_buf *b, const char *name, struct fill *f)
{
	bool needs_region = strcmp(name, "region") == 0 || strcmp(name, "clusters") == 0;

	if (needs_region && !f->conf->region) {
		snprintf(f->err, f->errsz, "session policy uses ${%s} but no region is configured",
			 name);
		return -ECS_ECONFIG;
	}
	if (needs_region && !ecs_name_region_ok(f->conf->region)) {
		snprintf(f->err, f->errsz, "region is not a region name");
		return -ECS_ECONFIG;
	}
	if (strcmp(name, "partition") == 0)
		return ecs_buf_puts(b, f->arn.partition);
	if (strcmp(name, "account") == 0)
		return ecs_buf_puts(b, f->arn.account);
	if (strcmp(name, "region") == 0)
		return ecs_buf_puts(b, f->conf->region);
	if (strcmp(name, "user") == 0)
		return ecs_buf_puts(b, f->user);
	if (strcmp(name, "clusters") == 0)
		return put_clusters(b, f);
	if (strcmp(name, "cluster_patterns") == 0)
		return put_cluster_patterns(b, f);
	if (strcmp(name, "pinning") == 0)
		return put_pinning(b, f);
	if (strcmp(name, "exec_kms") == 0)
		return put_kms(b, f);
	if (iam_variable(name))
		return ecs_buf_printf(b, "${%s}", name);
	snprintf(f->err, f->errsz, "session policy: unknown variable ${%s}", name);
	return -ECS_ECONFIG;
}

int
ecs_policy_render_text(const char *tmpl, size_t len, const struct ecs_conf *conf,
		       const struct ecs_policy_vars *vars, char **out, char *err, size_t errsz)
{
	struct fill f = { .conf = conf, .user = vars->user, .err = err, .errsz = errsz };
	struct ecs_buf b;
	char name[VAR_NAME_MAX + 1];
	size_t i = 0;
	size_t n;
	size_t nchars;
	const char *end;
	int r;

	*out = NULL;
	err[0] = 0;
	ecs_buf_init(&b, RENDER_MAX);
	r = -EINVAL;
	if (!ecs_arn_role_split(vars->role_arn, &f.arn)) {
		snprintf(err, errsz, "role ARN has no partition and account to fill in");
		goto out;
	}
	if (!vars->user || !ecs_name_user_ok(vars->user)) {
		snprintf(err, errsz, "user name is not a valid Unix user name");
		goto out;
	}
	if (memchr(tmpl, 0, len)) {
		snprintf(err, errsz, "session policy template contains a NUL byte");
		goto out;
	}
	r = 0;
	while (i < len) {
		end = memmem(tmpl + i, len - i, "${", 2);
		n = end ? (size_t)(end - (tmpl + i)) : len - i;
		r = ecs_buf_append(&b, tmpl + i, n);
		if (r < 0 || !end)
			break;
		i += n + 2;
		n = 0;
		while (i + n < len && n < VAR_NAME_MAX && tmpl[i + n] != '}')
			n++;
		if (i + n >= len || tmpl[i + n] != '}') {
			snprintf(err, errsz, "session policy: unterminated or overlong ${...}");
			r = -ECS_ECONFIG;
			goto out;
		}
		memcpy(name, tmpl + i, n);
		name[n] = 0;
		i += n + 1;
		r = put_var(&b, name, &f);
		if (r < 0)
			break;
	}
	if (r == -E2BIG) {
		snprintf(err, errsz, "session policy is far over %d characters once filled in",
			 ECS_STS_MAX_POLICY);
		goto out;
	}
	if (r < 0)
		goto out;
	/* a pin or key the template has no place for would be dropped without a word: the
	 * administrator believes the credentials are pinned */
	r = -ECS_ECONFIG;
	if ((conf->pin_source_ip.n || conf->pin_source_vpce.n) && !f.put_pinning) {
		snprintf(err, errsz, "pin_source_ip/pin_source_vpce are set, but the session policy "
				     "template has no ${pinning} to carry them");
		goto out;
	}
	if (conf->exec_kms_key.n && !f.put_kms) {
		snprintf(err, errsz, "exec_kms_key is set, but the session policy template has no "
				     "${exec_kms} to carry it");
		goto out;
	}
	r = ecs_buf_puts(&b, "");	/* a template of zero bytes still yields a C string */
	if (r < 0)
		goto out;
	r = ecs_sts_policy_check((const char *)b.data, &nchars);
	if (r == -EILSEQ) {
		snprintf(err, errsz, "session policy has characters STS does not accept "
				     "(only TAB, LF, CR and U+0020..U+00FF)");
		r = -EINVAL;
		goto out;
	}
	if (r < 0) {
		snprintf(err, errsz,
			 "session policy is %zu characters once filled in; STS takes 1..%d "
			 "(shorten the template or configure fewer ecs_clusters)",
			 nchars, ECS_STS_MAX_POLICY);
		goto out;
	}
	*out = (char *)ecs_buf_take(&b, &n);
	r = 0;
out:
	ecs_buf_free(&b);
	return r;
}

int
ecs_policy_render(const struct ecs_conf *conf, const struct ecs_policy_vars *vars, char **out,
		  char *err, size_t errsz)
{
	struct ecs_buf t;
	int r;

	*out = NULL;
	err[0] = 0;
	if (!conf->session_policy && (conf->pin_source_ip.n || conf->pin_source_vpce.n ||
				      conf->exec_kms_key.n)) {
		snprintf(err, errsz, "pin_source_ip, pin_source_vpce and exec_kms_key are sent "
				     "in the session policy, and no session_policy is configured");
		return -ECS_ECONFIG;
	}
	if (!conf->session_policy)
		return 0;
	ecs_buf_init(&t, ECS_POLICY_TEMPLATE_MAX);
	/* root-owned and not writable by others: the policy bounds what every user may do */
	r = ecs_safe_read_path(conf->session_policy, 0, ECS_POLICY_TEMPLATE_MAX, &t, NULL);
	if (r < 0) {
		snprintf(err, errsz, "session_policy %s: %s", conf->session_policy,
			 ecs_strerror(r));
		goto out;
	}
	r = ecs_policy_render_text((const char *)t.data, t.len, conf, vars, out, err, errsz);
out:
	ecs_buf_free(&t);
	return r;
}
