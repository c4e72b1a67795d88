/* saml_verify.c — the verifier object and the validation pipeline:
 * input caps → parse and pre-scan → signatures → claims. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ecs_err.h"
#include "saml_claims.h"
#include "saml_doc.h"
#include "saml_input.h"
#include "saml_sig.h"
#include "saml_trust.h"
#include "saml_verify.h"

struct ecs_verifier {
	struct ecs_trust trust;
	struct ecs_saml_policy policy;
};

static int
copy_list(struct ecs_strlist *dst, const struct ecs_strlist *src)
{
	unsigned i;

	for (i = 0; i < src->n; i++) {
		dst->v[i] = strdup(src->v[i]);
		if (!dst->v[i])
			return -ENOMEM;
		dst->n = i + 1;
	}
	return 0;
}

static void
free_list(struct ecs_strlist *l)
{
	unsigned i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	l->n = 0;
}

static int
copy_policy(struct ecs_saml_policy *p, const struct ecs_conf *c)
{
	int r;

	p->clock_skew = c->clock_skew;
	p->max_assertion_age = c->max_assertion_age;
	p->allow_sha1 = c->allow_sha1;
	p->require_source_identity = c->require_source_identity;
	p->user_source = c->user_source;
	r = copy_list(&p->audience, &c->audience);
	if (r == 0)
		r = copy_list(&p->recipient, &c->recipient);
	if (r == 0)
		r = copy_list(&p->allowed_roles, &c->allowed_roles);
	if (r == 0 && c->user_attribute && !(p->user_attribute = strdup(c->user_attribute)))
		r = -ENOMEM;
	if (r == 0 && c->user_strip_suffix &&
	    !(p->user_strip_suffix = strdup(c->user_strip_suffix)))
		r = -ENOMEM;
	if (r == 0 && p->user_source == ECS_USER_FROM_ATTRIBUTE && !p->user_attribute)
		r = -ECS_ECONFIG;
	if (r == 0)
		r = ecs_name_policy_init(&p->names, c->user_name_rule, c->user_name_lowercase);
	return r;
}

void
ecs_verifier_free(struct ecs_verifier *v)
{
	if (!v)
		return;
	ecs_trust_free(&v->trust);
	free_list(&v->policy.audience);
	free_list(&v->policy.recipient);
	free_list(&v->policy.allowed_roles);
	free(v->policy.user_attribute);
	free(v->policy.user_strip_suffix);
	ecs_name_policy_free(&v->policy.names);
	free(v);
}

static int
verifier_alloc(const struct ecs_conf *conf, struct ecs_verifier **out, struct ecs_reject *rej)
{
	struct ecs_verifier *v;
	int r;

	*out = NULL;
	v = calloc(1, sizeof(*v));
	if (!v) {
		r = -ENOMEM;
		goto out;
	}
	r = copy_policy(&v->policy, conf);
	if (r == -ECS_ECONFIG)
		r = ecs_reject_config(rej, ECS_TRUST_USER_SOURCE, "user_source names an attribute "
				      "but user_attribute is not set");
	else if (r == -EINVAL)	/* ecs_conf_finish refuses it first; this is for any caller */
		r = ecs_reject_config(rej, ECS_TRUST_USER_NAME_RULE, "user_name_rule is not a "
				      "valid extended regular expression");
	if (r < 0)
		goto out;
	*out = v;
	v = NULL;	/* ownership passed to the caller */
out:
	ecs_verifier_free(v);
	return r;
}

int
ecs_verifier_new(const struct ecs_conf *conf, struct ecs_verifier **out,
		 struct ecs_reject *rej)
{
	struct ecs_verifier *v = NULL;
	int r;

	*out = NULL;
	r = verifier_alloc(conf, &v, rej);
	if (r < 0)
		goto out;
	r = ecs_trust_load(&v->trust, conf, rej);
	if (r < 0)
		goto out;
	*out = v;
	v = NULL;	/* ownership passed to the caller */
out:
	ecs_verifier_free(v);
	return r;
}

int
ecs_verifier_new_pem(const struct ecs_conf *conf, const char *entity_id, const char *pem,
		     size_t pem_len, struct ecs_verifier **out, struct ecs_reject *rej)
{
	struct ecs_verifier *v = NULL;
	int r;

	*out = NULL;
	r = verifier_alloc(conf, &v, rej);
	if (r < 0)
		goto out;
	r = ecs_trust_add_pem(&v->trust, entity_id, pem, pem_len, "built-in certificate", rej);
	if (r < 0)
		goto out;
	*out = v;
	v = NULL;	/* ownership passed to the caller */
out:
	ecs_verifier_free(v);
	return r;
}

int
ecs_saml_verify(const struct ecs_verifier *v, const char *in, size_t len, enum ecs_kbd_encoding enc,
		time_t now, struct ecs_saml_result *out, struct ecs_reject *rej)
{
	struct ecs_saml_input input = { 0 };
	struct ecs_saml_doc doc;
	unsigned idp_mask = 0;
	int r;

	memset(out, 0, sizeof(*out));
	memset(&doc, 0, sizeof(doc));
	if (rej) {
		rej->code = NULL;
		rej->msg[0] = '\0';
	}
	r = ecs_saml_input_decode(in, len, enc, &input, rej);
	if (r < 0)
		goto out;
	r = ecs_saml_doc_parse(input.xml, input.xml_len, &doc, rej);
	if (r < 0)
		goto out;
	r = ecs_saml_sig_check(&v->trust, v->policy.allow_sha1, &doc, &idp_mask, rej);
	if (r < 0)
		goto out;
	r = ecs_saml_claims(&v->policy, &v->trust, idp_mask, &doc, now, out, rej);
	if (r < 0)
		goto out;
	out->response_b64 = input.b64;
	out->response_b64_len = input.b64_len;
	input.b64 = NULL;	/* ownership passed to the result */
out:
	ecs_saml_doc_free(&doc);
	ecs_saml_input_free(&input);
	if (r < 0)
		ecs_saml_result_free(out);
	return r;
}
