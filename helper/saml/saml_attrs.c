/* saml_attrs.c — the AWS attributes of a verified Assertion and the Unix user mapping. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecs_err.h"
#include "ecs_limits.h"
#include "ecs_names.h"
#include "ecs_str.h"
#include "saml_attrs.h"
#include "saml_roles.h"
#include "saml_xml.h"

#define AWS_ATTR		"https://aws.amazon.com/SAML/Attributes/"
#define ATTR_ROLE		AWS_ATTR "Role"
#define ATTR_SESSION_NAME	AWS_ATTR "RoleSessionName"
#define ATTR_SOURCE_IDENTITY	AWS_ATTR "SourceIdentity"
#define ATTR_SESSION_DURATION	AWS_ATTR "SessionDuration"
#define ATTR_TAG_PREFIX		AWS_ATTR "PrincipalTag:"

#define MAX_ATTRIBUTES	256	/* Attribute elements in the statement */
#define MAX_VALUES	ECS_SAML_MAX_ROLES	/* values of one Attribute (Role has the most) */
#define MAX_VALUE	8192	/* bytes of one value (a role pair is two 2048-byte ARNs) */
#define MAX_TAGS	50	/* STS: at most 50 session tags */
#define MAX_TAG_KEY	128
#define MAX_TAG_VALUE	256

/* Names IdPs use for a person's display name, in order of preference (GECOS only). */
static const char *const display_names[] = {
	"displayName",
	"urn:oid:2.16.840.1.113730.3.1.241",
	"http://schemas.microsoft.com/identity/claims/displayname",
	"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
};

struct attr {
	xmlNode *node;
	char *name;
};

struct values {
	char *v[MAX_VALUES];
	unsigned n;
};

static void
values_free(struct values *vs)
{
	unsigned i;

	for (i = 0; i < vs->n; i++)
		free(vs->v[i]);
	vs->n = 0;
}

/* All AttributeValue texts of a, each free of control characters (else code). A value
 * forwarded to AWS (to_aws) must also be a single text node: see ecs_xml_split. */
static int
read_values(const struct attr *a, const char *code, bool to_aws, struct values *vs,
	    struct ecs_reject *rej)
{
	xmlNode *c;
	int r = 0;

	vs->n = 0;
	for (c = ecs_xml_first_elem(a->node); c; c = ecs_xml_next_elem(c)) {
		if (!ecs_xml_is(c, ECS_NS_ASSERTION, "AttributeValue")) {
			r = ecs_reject(rej, ECS_REJ_STRUCTURE, "unexpected element in Attribute %s",
				       a->name);
			break;
		}
		if (vs->n == MAX_VALUES) {
			r = ecs_reject(rej, code, "Attribute %s has more than %d values", a->name,
				       MAX_VALUES);
			break;
		}
		r = ecs_xml_text(c, MAX_VALUE, &vs->v[vs->n]);
		if (r == -EBADMSG)
			r = ecs_reject(rej, ECS_REJ_STRUCTURE, "a value of Attribute %s holds "
				       "markup, not just text", a->name);
		else if (r == -E2BIG)
			r = ecs_reject(rej, code, "a value of Attribute %s is too long", a->name);
		if (r < 0)
			break;
		vs->n++;
		if (to_aws && ecs_xml_split(c)) {
			r = ecs_reject(rej, code, "a value of Attribute %s is split by a comment "
				       "or CDATA section: AWS may read it differently than this "
				       "bastion", a->name);
			break;
		}
		if (!ecs_text_clean(vs->v[vs->n - 1])) {
			r = ecs_reject(rej, code, "a value of Attribute %s has control characters",
				       a->name);
			break;
		}
	}
	if (r < 0)
		values_free(vs);
	return r;
}

static void
attrs_free(struct attr *as, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		free(as[i].name);
}

/* Collect the Attribute elements; names must be present, printable and unique. */
static int
collect(xmlNode *statement, struct attr *as, unsigned *n, struct ecs_reject *rej)
{
	xmlNode *c;
	unsigned i;
	int r;

	*n = 0;
	for (c = ecs_xml_first_elem(statement); c; c = ecs_xml_next_elem(c)) {
		if (ecs_xml_is(c, ECS_NS_ASSERTION, "EncryptedAttribute"))
			return ecs_reject(rej, ECS_REJ_ENCRYPTED, "EncryptedAttribute is not "
					  "supported");
		if (!ecs_xml_is(c, ECS_NS_ASSERTION, "Attribute"))
			return ecs_reject(rej, ECS_REJ_STRUCTURE, "unexpected element %s in the "
					  "AttributeStatement", (const char *)c->name);
		if (*n == MAX_ATTRIBUTES)
			return ecs_reject(rej, ECS_REJ_ATTRIBUTE, "more than %d attributes",
					  MAX_ATTRIBUTES);
		r = ecs_xml_attr(c, "Name", &as[*n].name);
		if (r < 0)
			return r;
		if (!as[*n].name)
			return ecs_reject(rej, ECS_REJ_STRUCTURE, "an Attribute has no Name");
		as[*n].node = c;
		(*n)++;
		if (!ecs_text_clean(as[*n - 1].name))
			return ecs_reject(rej, ECS_REJ_ATTRIBUTE, "an Attribute Name has control "
					  "characters");
		for (i = 0; i + 1 < *n; i++) {
			if (strcmp(as[i].name, as[*n - 1].name) == 0)
				return ecs_reject(rej, ECS_REJ_ATTRIBUTE, "Attribute %s appears twice",
						  as[i].name);
		}
	}
	return 0;
}

static const struct attr *
find(const struct attr *as, unsigned n, const char *name)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		if (strcmp(as[i].name, name) == 0)
			return &as[i];
	}
	return NULL;
}

static int
take_roles(const struct ecs_saml_policy *p, const struct attr *as, unsigned n,
	   struct ecs_saml_result *out, struct ecs_reject *rej)
{
	const struct attr *a = find(as, n, ATTR_ROLE);
	struct ecs_saml_role role;
	struct values vs = { .n = 0 };
	unsigned i;
	int r;

	if (!a)
		return ecs_reject(rej, ECS_REJ_ROLE, "no %s attribute", ATTR_ROLE);
	r = read_values(a, ECS_REJ_ROLE, true, &vs, rej);
	if (r < 0)
		return r;
	out->roles = calloc(vs.n ? vs.n : 1, sizeof(*out->roles));
	if (!out->roles) {
		r = -ENOMEM;
		goto out;
	}
	for (i = 0; i < vs.n; i++) {
		r = ecs_saml_role_parse(vs.v[i], &role);
		if (r == -EINVAL)
			r = ecs_reject(rej, ECS_REJ_ROLE, "Role value %u is not a \"role ARN,"
				       "provider ARN\" pair", i + 1);
		if (r < 0)
			goto out;
		if (!ecs_saml_role_allowed(&p->allowed_roles, role.role_arn)) {
			free(role.role_arn);
			free(role.provider_arn);
			continue;
		}
		out->roles[out->nroles++] = role;
	}
	if (out->nroles == 0)
		r = ecs_reject(rej, ECS_REJ_ROLE, "none of the %u offered roles is allowed by "
			       "allowed_roles", vs.n);
out:
	values_free(&vs);
	return r;
}

/* An optional single-valued attribute: 0 with *out (NULL when absent). */
static int
single(const struct attr *as, unsigned n, const char *name, const char *code, bool to_aws,
       char **out, struct ecs_reject *rej)
{
	const struct attr *a = find(as, n, name);
	struct values vs = { .n = 0 };
	int r;

	*out = NULL;
	if (!a)
		return 0;
	r = read_values(a, code, to_aws, &vs, rej);
	if (r < 0)
		goto out;
	if (vs.n != 1) {
		r = ecs_reject(rej, code, "Attribute %s must have exactly one value, it has %u",
			       name, vs.n);
		goto out;
	}
	*out = vs.v[0];
	vs.n = 0;	/* ownership passed to the caller */
out:
	values_free(&vs);
	return r;
}

static int
take_session(const struct ecs_saml_policy *p, const struct attr *as, unsigned n,
	     struct ecs_saml_result *out, struct ecs_reject *rej)
{
	char *dur = NULL;
	uint64_t secs;
	int r;

	r = single(as, n, ATTR_SESSION_NAME, ECS_REJ_SESSION_NAME, true, &out->session_name,
		   rej);
	if (r < 0)
		return r;
	if (!out->session_name)
		return ecs_reject(rej, ECS_REJ_SESSION_NAME, "no RoleSessionName attribute (AWS "
				  "requires one)");
	if (!ecs_name_session_ok(out->session_name))
		return ecs_reject(rej, ECS_REJ_SESSION_NAME, "RoleSessionName does not match "
				  "[A-Za-z0-9_+=,.@-]{2,64}");
	r = single(as, n, ATTR_SOURCE_IDENTITY, ECS_REJ_SOURCE_IDENTITY, true,
		   &out->source_identity, rej);
	if (r < 0)
		return r;
	if (out->source_identity && !ecs_name_source_identity_ok(out->source_identity))
		return ecs_reject(rej, ECS_REJ_SOURCE_IDENTITY, "SourceIdentity does not match "
				  "[A-Za-z0-9_+=,.@-]{2,64} or starts with aws:");
	if (!out->source_identity && p->require_source_identity)
		return ecs_reject(rej, ECS_REJ_SOURCE_IDENTITY, "no SourceIdentity attribute, and "
				  "require_source_identity = yes");
	r = single(as, n, ATTR_SESSION_DURATION, ECS_REJ_SESSION_DURATION, true, &dur, rej);
	if (r == 0 && dur) {
		if (ecs_parse_u64(dur, ECS_STS_MIN_DURATION, ECS_STS_MAX_DURATION, &secs) < 0)
			r = ecs_reject(rej, ECS_REJ_SESSION_DURATION, "SessionDuration must be an "
				       "integer from %d to %d", ECS_STS_MIN_DURATION,
				       ECS_STS_MAX_DURATION);
		else
			out->session_duration = (unsigned)secs;
	}
	free(dur);
	return r;
}

/* Session tags are passed to STS by AWS itself; refusing what STS would refuse gives the
 * user a clear message at the bastion instead of an opaque STS error. */
static int
check_tags(const struct attr *as, unsigned n, struct ecs_reject *rej)
{
	size_t plen = strlen(ATTR_TAG_PREFIX), klen;
	struct values vs = { .n = 0 };
	unsigned i, tags = 0;
	int r;

	for (i = 0; i < n; i++) {
		if (strncmp(as[i].name, ATTR_TAG_PREFIX, plen) != 0)
			continue;
		klen = strlen(as[i].name + plen);
		if (klen == 0 || klen > MAX_TAG_KEY)
			return ecs_reject(rej, ECS_REJ_ATTRIBUTE, "PrincipalTag key must be 1 to %d "
					  "characters", MAX_TAG_KEY);
		if (++tags > MAX_TAGS)
			return ecs_reject(rej, ECS_REJ_ATTRIBUTE, "more than %d PrincipalTag "
					  "attributes", MAX_TAGS);
		r = read_values(&as[i], ECS_REJ_ATTRIBUTE, true, &vs, rej);
		if (r < 0)
			return r;
		r = vs.n == 1 && strlen(vs.v[0]) <= MAX_TAG_VALUE ? 0 :
		    ecs_reject(rej, ECS_REJ_ATTRIBUTE, "PrincipalTag %s needs one value of at "
			       "most %d characters", as[i].name + plen, MAX_TAG_VALUE);
		values_free(&vs);
		if (r < 0)
			return r;
	}
	return 0;
}

static int
take_display_name(const struct attr *as, unsigned n, struct ecs_saml_result *out,
		  struct ecs_reject *rej)
{
	size_t i;

	for (i = 0; i < sizeof(display_names) / sizeof(display_names[0]); i++) {
		if (find(as, n, display_names[i]))
			return single(as, n, display_names[i], ECS_REJ_ATTRIBUTE, false,
				      &out->display_name, rej);
	}
	return 0;
}

/* The Unix user: the configured source, an optional suffix that must be there to strip,
 * then the site's user-name policy (ecs_names.h), which may lowercase A-Z; no other
 * folding, no normalisation. */
static int
map_user(const struct ecs_saml_policy *p, const struct attr *as, unsigned n,
	 struct ecs_saml_result *out, struct ecs_reject *rej)
{
	char name[ECS_NAME_USER_MAX + 1];
	char *owned = NULL;
	const char *src, *what, *why;
	size_t len, slen;
	int r;

	switch (p->user_source) {
	case ECS_USER_FROM_NAMEID:
		src = out->nameid;
		what = "NameID";
		break;
	case ECS_USER_FROM_ATTRIBUTE:
		r = single(as, n, p->user_attribute, ECS_REJ_USER, false, &owned, rej);
		if (r < 0)
			return r;
		if (!owned)
			return ecs_reject(rej, ECS_REJ_USER, "no %s attribute to map the user from",
					  p->user_attribute);
		src = owned;
		what = p->user_attribute;
		break;
	default:
		src = out->session_name;
		what = "RoleSessionName";
		break;
	}
	len = strlen(src);
	if (p->user_strip_suffix) {
		slen = strlen(p->user_strip_suffix);
		if (len <= slen || strcmp(src + len - slen, p->user_strip_suffix) != 0) {
			r = ecs_reject(rej, ECS_REJ_USER, "%s \"%s\" does not end with the "
				       "configured user_strip_suffix %s", what, src,
				       p->user_strip_suffix);
			goto out;
		}
		len -= slen;
	}
	if (ecs_name_policy_map(&p->names, src, len, name, &why) < 0) {
		r = ecs_reject(rej, ECS_REJ_USER, "%s gives the user name \"%.*s\", which this "
			       "host refuses: %s", what, (int)(len < 64 ? len : 64), src, why);
		goto out;
	}
	out->user = strdup(name);
	r = out->user ? 0 : -ENOMEM;
out:
	free(owned);
	return r;
}

int
ecs_saml_attributes(const struct ecs_saml_policy *p, xmlNode *statement,
		    struct ecs_saml_result *out, struct ecs_reject *rej)
{
	struct attr *as;
	unsigned n = 0;
	int r;

	as = calloc(MAX_ATTRIBUTES, sizeof(*as));
	if (!as)
		return -ENOMEM;
	r = statement ? collect(statement, as, &n, rej) : 0;
	if (r == 0)
		r = take_roles(p, as, n, out, rej);
	if (r == 0)
		r = take_session(p, as, n, out, rej);
	if (r == 0)
		r = check_tags(as, n, rej);
	if (r == 0)
		r = take_display_name(as, n, out, rej);
	if (r == 0)
		r = map_user(p, as, n, out, rej);
	attrs_free(as, n);
	free(as);
	return r;
}
