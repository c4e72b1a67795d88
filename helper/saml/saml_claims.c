/* saml_claims.c — shape, issuer, status, audience, subject confirmation and time checks. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecs_err.h"
#include "ecs_time.h"
#include "saml_attrs.h"
#include "saml_claims.h"
#include "saml_xml.h"
#include "xml_lib.h"	/* last: redirects libxml2's and xmlsec's names */

#define STATUS_SUCCESS	"urn:oasis:names:tc:SAML:2.0:status:Success"
#define CM_BEARER	"urn:oasis:names:tc:SAML:2.0:cm:bearer"
#define ECS_VALUE_MAX	4096	/* bytes of one Issuer, Audience, NameID, ... */

static bool
in_list(const struct ecs_strlist *l, const char *s)
{
	unsigned i;

	for (i = 0; i < l->n; i++) {
		if (strcmp(l->v[i], s) == 0)
			return true;
	}
	return false;
}

/* "a, b, c" for messages. */
static const char *
list_text(const struct ecs_strlist *l, char *buf, size_t size)
{
	size_t len = 0;
	unsigned i;

	buf[0] = '\0';
	for (i = 0; i < l->n && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? ", " : "", l->v[i]);
	return buf;
}

/* The text of n for a value check; control characters and element children are refused
 * with code so a value can never forge an output line. */
static int
value_of(const xmlNode *n, const char *code, const char *what, char **out,
	 struct ecs_reject *rej)
{
	int r = ecs_xml_text(n, ECS_VALUE_MAX, out);

	if (r == -EBADMSG)
		return ecs_reject(rej, ECS_REJ_STRUCTURE, "%s holds markup, not just text", what);
	if (r == -E2BIG)
		return ecs_reject(rej, code, "%s is longer than %d bytes", what, ECS_VALUE_MAX);
	if (r < 0)
		return r;
	if (!ecs_text_clean(*out)) {
		free(*out);
		*out = NULL;
		return ecs_reject(rej, code, "%s contains control characters", what);
	}
	return 0;
}

/* Each child element of parent must be one of the allowed {ns}names, each at most max
 * times; the counts land in found[]. */
struct child_rule {
	const char *ns;
	const char *name;
	unsigned max;
};

static int
only_children(const xmlNode *parent, const struct child_rule *rules, size_t n,
	      xmlNode **found, const char *what, struct ecs_reject *rej)
{
	unsigned count[16] = { 0 };
	xmlNode *c;
	size_t i;

	for (i = 0; i < n; i++)
		found[i] = NULL;
	for (c = ecs_xml_first_elem(parent); c; c = ecs_xml_next_elem(c)) {
		for (i = 0; i < n; i++) {
			if (ecs_xml_is(c, rules[i].ns, rules[i].name))
				break;
		}
		if (i == n)
			return ecs_reject(rej, ECS_REJ_STRUCTURE, "unexpected element %s in the %s",
					  (const char *)c->name, what);
		if (++count[i] > rules[i].max)
			return ecs_reject(rej, ECS_REJ_STRUCTURE, "more than one %s in the %s",
					  rules[i].name, what);
		if (!found[i])
			found[i] = c;
	}
	return 0;
}

static int
require_v2(const xmlNode *n, const char *what, struct ecs_reject *rej)
{
	char *v = NULL;
	int r = ecs_xml_attr(n, "Version", &v);

	if (r == 0 && (!v || strcmp(v, "2.0") != 0))
		r = ecs_reject(rej, ECS_REJ_STRUCTURE, "the %s is not SAML Version 2.0", what);
	free(v);
	return r;
}

static int
locate(const struct ecs_saml_doc *d, struct ecs_saml_shape *s, struct ecs_reject *rej)
{
	static const struct child_rule response_rules[] = {
		{ ECS_NS_ASSERTION, "Issuer", 1 },
		{ ECS_NS_DSIG, "Signature", 1 },
		{ ECS_NS_PROTOCOL, "Status", 1 },
		{ ECS_NS_ASSERTION, "Assertion", 1 },
	};
	static const struct child_rule assertion_rules[] = {
		{ ECS_NS_ASSERTION, "Issuer", 1 },
		{ ECS_NS_DSIG, "Signature", 1 },
		{ ECS_NS_ASSERTION, "Subject", 1 },
		{ ECS_NS_ASSERTION, "Conditions", 1 },
		{ ECS_NS_ASSERTION, "Advice", 1 },
		{ ECS_NS_ASSERTION, "AuthnStatement", 1 },
		{ ECS_NS_ASSERTION, "AttributeStatement", 1 },
	};
	xmlNode *rf[4], *af[7];
	int r;

	r = require_v2(d->response, "Response", rej);
	if (r == 0)
		r = require_v2(d->assertion, "Assertion", rej);
	if (r == 0)
		r = only_children(d->response, response_rules, 4, rf, "Response", rej);
	if (r == 0)
		r = only_children(d->assertion, assertion_rules, 7, af, "Assertion", rej);
	if (r < 0)
		return r;
	s->response_issuer = rf[0];
	s->status = rf[2];
	s->issuer = af[0];
	s->subject = af[2];
	s->conditions = af[3];
	s->authn = af[5];
	s->attributes = af[6];
	if (!s->status)
		return ecs_reject(rej, ECS_REJ_STRUCTURE, "the Response has no Status");
	if (!s->issuer)
		return ecs_reject(rej, ECS_REJ_STRUCTURE, "the Assertion has no Issuer");
	if (!s->subject)
		return ecs_reject(rej, ECS_REJ_STRUCTURE, "the Assertion has no Subject");
	if (!s->conditions)
		return ecs_reject(rej, ECS_REJ_STRUCTURE, "the Assertion has no Conditions");
	if (!s->authn)
		return ecs_reject(rej, ECS_REJ_STRUCTURE, "the Assertion has no AuthnStatement");
	if (ecs_xml_count(s->subject, ECS_NS_ASSERTION, "EncryptedID", NULL))
		return ecs_reject(rej, ECS_REJ_ENCRYPTED, "EncryptedID is not supported");
	if (ecs_xml_count(s->subject, ECS_NS_ASSERTION, "NameID", &s->nameid) != 1)
		return ecs_reject(rej, ECS_REJ_STRUCTURE,
				  "the Subject must have exactly one NameID element");
	return 0;
}

/* Issuer of the Assertion (and of the Response, if it has one) is a trusted IdP whose key
 * verified the signatures. */
static int
check_issuer(const struct ecs_trust *t, unsigned mask, const struct ecs_saml_shape *s,
	     struct ecs_saml_result *out, struct ecs_reject *rej)
{
	char *iss = NULL, *riss = NULL;
	unsigned i;
	int r;

	r = value_of(s->issuer, ECS_REJ_ISSUER, "the Assertion Issuer", &iss, rej);
	if (r == 0 && s->response_issuer)
		r = value_of(s->response_issuer, ECS_REJ_ISSUER, "the Response Issuer", &riss, rej);
	if (r < 0)
		goto out;
	if (riss && strcmp(riss, iss) != 0) {
		r = ecs_reject(rej, ECS_REJ_ISSUER, "the Response Issuer %s differs from the "
			       "Assertion Issuer %s", riss, iss);
		goto out;
	}
	for (i = 0; i < t->nidps; i++) {
		if (strcmp(t->entity_ids[i], iss) == 0)
			break;
	}
	if (i == t->nidps) {
		r = ecs_reject(rej, ECS_REJ_ISSUER, "Issuer is %s, not a configured IdP entity ID "
			       "(the first configured is %s)", iss, t->entity_ids[0]);
		goto out;
	}
	if (!(mask & (1u << i))) {
		r = ecs_reject(rej, ECS_REJ_ISSUER, "Issuer is %s, but the signing key belongs "
			       "to another configured IdP", iss);
		goto out;
	}
	out->issuer = iss;
	iss = NULL;	/* owned by out */
out:
	free(iss);
	free(riss);
	return r;
}

static int
check_status(const struct ecs_saml_shape *s, struct ecs_reject *rej)
{
	xmlNode *code;
	char *v = NULL;
	int r;

	if (ecs_xml_count(s->status, ECS_NS_PROTOCOL, "StatusCode", &code) != 1)
		return ecs_reject(rej, ECS_REJ_STATUS, "the Status must have exactly one StatusCode");
	if (ecs_xml_first_elem(code))
		return ecs_reject(rej, ECS_REJ_STATUS, "nested StatusCode: the IdP reported a "
				  "second-level status");
	r = ecs_xml_attr(code, "Value", &v);
	if (r < 0)
		return r;
	if (!v || strcmp(v, STATUS_SUCCESS) != 0)
		r = ecs_reject(rej, ECS_REJ_STATUS, "the IdP status is %s, not Success",
			       v && ecs_text_clean(v) ? v : "(none)");
	free(v);
	return r;
}

static int
check_no_attr(const xmlNode *n, const char *name, const char *code, const char *msg,
	      struct ecs_reject *rej)
{
	if (xmlHasNsProp(n, (const xmlChar *)name, NULL))
		return ecs_reject(rej, code, "%s", msg);
	return 0;
}

static int
check_destination(const struct ecs_saml_policy *p, const struct ecs_saml_doc *d,
		  struct ecs_reject *rej)
{
	char list[256], *dest = NULL;
	int r = ecs_xml_attr(d->response, "Destination", &dest);

	if (r == 0 && dest && !in_list(&p->recipient, dest))
		r = ecs_reject(rej, ECS_REJ_DESTINATION, "Destination is %s, expected one of %s",
			       ecs_text_clean(dest) ? dest : "(unprintable)",
			       list_text(&p->recipient, list, sizeof(list)));
	free(dest);
	return r;
}

static int
check_audience(const struct ecs_saml_policy *p, const struct ecs_saml_shape *s,
	       struct ecs_reject *rej)
{
	char list[256], *aud = NULL, first[128] = "";
	xmlNode *ar, *a;
	unsigned nar = 0;
	bool ok;
	int r;

	for (ar = ecs_xml_first_elem(s->conditions); ar; ar = ecs_xml_next_elem(ar)) {
		if (ecs_xml_is(ar, ECS_NS_ASSERTION, "OneTimeUse") ||
		    ecs_xml_is(ar, ECS_NS_ASSERTION, "ProxyRestriction"))
			continue;
		if (!ecs_xml_is(ar, ECS_NS_ASSERTION, "AudienceRestriction"))
			return ecs_reject(rej, ECS_REJ_STRUCTURE, "unknown condition %s",
					  (const char *)ar->name);
		/* Every AudienceRestriction must name one of ours (SAML core 2.5.1.4); the
		 * message names the first Audience of the restriction that fails. */
		nar++;
		ok = false;
		first[0] = '\0';
		for (a = ecs_xml_first_elem(ar); a; a = ecs_xml_next_elem(a)) {
			if (!ecs_xml_is(a, ECS_NS_ASSERTION, "Audience"))
				return ecs_reject(rej, ECS_REJ_STRUCTURE,
						  "unexpected element in AudienceRestriction");
			r = value_of(a, ECS_REJ_AUDIENCE, "an Audience", &aud, rej);
			if (r < 0)
				return r;
			if (!first[0])
				snprintf(first, sizeof(first), "%s", aud);
			ok = ok || in_list(&p->audience, aud);
			free(aud);
			aud = NULL;
		}
		if (!ok)
			return ecs_reject(rej, ECS_REJ_AUDIENCE, "audience is %s, expected one of %s",
					  first[0] ? first : "(empty)",
					  list_text(&p->audience, list, sizeof(list)));
	}
	if (nar == 0)
		return ecs_reject(rej, ECS_REJ_AUDIENCE, "no AudienceRestriction in Conditions");
	return 0;
}

/* A time attribute; 0 with *t (unset when absent), structure when malformed. */
static int
time_attr(const xmlNode *n, const char *name, const char *what, time_t *t, bool *present,
	  struct ecs_reject *rej)
{
	char *v = NULL;
	int r = ecs_xml_attr(n, name, &v);

	*present = false;
	if (r < 0 || !v)
		goto out;
	if (ecs_time_parse(v, t) < 0) {
		r = ecs_reject(rej, ECS_REJ_STRUCTURE, "%s %s is not a valid xs:dateTime in UTC",
			       what, name);
		goto out;
	}
	*present = true;
out:
	free(v);
	return r;
}

static int
check_subject_confirmation(const struct ecs_saml_policy *p, const struct ecs_saml_shape *s,
			   xmlNode **scd_out, struct ecs_reject *rej)
{
	char list[256], *v = NULL;
	xmlNode *sc, *scd;
	int r;

	if (ecs_xml_count(s->subject, ECS_NS_ASSERTION, "SubjectConfirmation", &sc) != 1)
		return ecs_reject(rej, ECS_REJ_SUBJECT_CONFIRMATION,
				  "there must be exactly one SubjectConfirmation");
	r = ecs_xml_attr(sc, "Method", &v);
	if (r < 0)
		return r;
	if (!v || strcmp(v, CM_BEARER) != 0)
		r = ecs_reject(rej, ECS_REJ_SUBJECT_CONFIRMATION,
			       "the SubjectConfirmation method is not bearer");
	free(v);
	v = NULL;
	if (r < 0)
		return r;
	if (ecs_xml_count(sc, ECS_NS_ASSERTION, "SubjectConfirmationData", &scd) != 1)
		return ecs_reject(rej, ECS_REJ_STRUCTURE,
				  "the SubjectConfirmation needs one SubjectConfirmationData");
	r = check_no_attr(scd, "InResponseTo", ECS_REJ_IN_RESPONSE_TO,
			  "SubjectConfirmationData has InResponseTo, but this bastion never "
			  "sends AuthnRequests (use an IdP-initiated sign-in)", rej);
	if (r == 0)
		r = check_no_attr(scd, "NotBefore", ECS_REJ_SUBJECT_CONFIRMATION,
				  "SubjectConfirmationData must not carry NotBefore", rej);
	if (r == 0 && !xmlHasNsProp(scd, (const xmlChar *)"NotOnOrAfter", NULL))
		r = ecs_reject(rej, ECS_REJ_SUBJECT_CONFIRMATION,
			       "SubjectConfirmationData has no NotOnOrAfter");
	if (r == 0)
		r = ecs_xml_attr(scd, "Recipient", &v);
	if (r == 0 && !v)
		r = ecs_reject(rej, ECS_REJ_SUBJECT_CONFIRMATION,
			       "SubjectConfirmationData has no Recipient");
	if (r == 0 && !in_list(&p->recipient, v))
		r = ecs_reject(rej, ECS_REJ_RECIPIENT, "recipient is %s, expected one of %s",
			       ecs_text_clean(v) ? v : "(unprintable)",
			       list_text(&p->recipient, list, sizeof(list)));
	free(v);
	*scd_out = scd;
	return r;
}

static int
check_times(const struct ecs_saml_policy *p, const struct ecs_saml_shape *s, xmlNode *scd,
	    const struct ecs_saml_doc *d, time_t now, struct ecs_saml_result *out,
	    struct ecs_reject *rej)
{
	char when[ECS_TIME_BUFSZ];
	time_t nb, noa, scd_noa, issue, snoa;
	bool has_nb, has_noa, has_scd_noa, has_issue, has_snoa;
	time_t skew = (time_t)p->clock_skew;
	int r;

	r = time_attr(s->conditions, "NotBefore", "Conditions", &nb, &has_nb, rej);
	if (r == 0)
		r = time_attr(s->conditions, "NotOnOrAfter", "Conditions", &noa, &has_noa, rej);
	if (r == 0)
		r = time_attr(scd, "NotOnOrAfter", "SubjectConfirmationData", &scd_noa,
			      &has_scd_noa, rej);
	if (r == 0)
		r = time_attr(d->assertion, "IssueInstant", "Assertion", &issue, &has_issue, rej);
	if (r == 0)
		r = time_attr(s->authn, "SessionNotOnOrAfter", "AuthnStatement", &snoa, &has_snoa,
			      rej);
	if (r < 0)
		return r;
	if (!has_issue)
		return ecs_reject(rej, ECS_REJ_STRUCTURE, "the Assertion has no IssueInstant");
	/* An IdP cannot issue in the future: an IssueInstant ahead of our clock by more than the
	 * allowance means the clocks disagree, whatever NotBefore says. Checked first, so the
	 * operator reads "clock" rather than a validity window that only looks wrong. */
	if (issue > now + skew) {
		ecs_time_format(issue, when);
		return ecs_reject(rej, ECS_REJ_CLOCK_SKEW, "issued at %s, %lld s ahead of this "
				  "host's clock (clock_skew allows %us): this host's clock or the "
				  "IdP's is wrong", when, (long long)(issue - now), p->clock_skew);
	}
	if (has_nb && now + skew < nb) {
		ecs_time_format(nb, when);
		return ecs_reject(rej, ECS_REJ_NOT_YET_VALID, "not valid before %s (clock skew "
				  "allowed: %us); check the clocks", when, p->clock_skew);
	}
	/* The earliest NotOnOrAfter bounds use; the skew tolerates clock differences only. */
	out->not_on_or_after = scd_noa;
	if (has_noa && noa < scd_noa)
		out->not_on_or_after = noa;
	if (now >= out->not_on_or_after + skew) {
		ecs_time_format(out->not_on_or_after, when);
		return ecs_reject(rej, ECS_REJ_EXPIRED, "expired at %s: fetch a fresh SAML "
				  "response", when);
	}
	if (now - issue > (time_t)p->max_assertion_age) {
		ecs_time_format(issue, when);
		return ecs_reject(rej, ECS_REJ_STALE, "issued at %s, outside the %us window "
				  "(STS redeems a Response only within 5 minutes of issue): fetch "
				  "a fresh SAML response", when, p->max_assertion_age);
	}
	if (has_snoa && now >= snoa + skew) {
		ecs_time_format(snoa, when);
		return ecs_reject(rej, ECS_REJ_EXPIRED, "the IdP session ended at %s "
				  "(SessionNotOnOrAfter): sign in again", when);
	}
	out->issue_instant = issue;
	out->session_not_on_or_after = has_snoa ? snoa : 0;
	return 0;
}

static int
copy_id(const struct ecs_saml_doc *d, struct ecs_saml_result *out)
{
	out->assertion_id = strdup(d->assertion_id);
	return out->assertion_id ? 0 : -ENOMEM;
}

static int
read_nameid(const struct ecs_saml_shape *s, struct ecs_saml_result *out,
	    struct ecs_reject *rej)
{
	int r;

	r = value_of(s->nameid, ECS_REJ_NAMEID, "the NameID", &out->nameid, rej);
	if (r < 0)
		return r;
	if (!out->nameid[0])
		return ecs_reject(rej, ECS_REJ_NAMEID, "the NameID is empty");
	r = ecs_xml_attr(s->nameid, "Format", &out->nameid_format);
	if (r == 0 && out->nameid_format && !ecs_text_clean(out->nameid_format))
		r = ecs_reject(rej, ECS_REJ_NAMEID, "the NameID Format has control characters");
	return r;
}

int
ecs_saml_claims(const struct ecs_saml_policy *p, const struct ecs_trust *t,
		unsigned idp_mask, const struct ecs_saml_doc *d, time_t now,
		struct ecs_saml_result *out, struct ecs_reject *rej)
{
	struct ecs_saml_shape s;
	xmlNode *scd = NULL;
	int r;

	memset(&s, 0, sizeof(s));
	r = locate(d, &s, rej);
	if (r == 0)
		r = check_issuer(t, idp_mask, &s, out, rej);
	if (r == 0)
		r = check_status(&s, rej);
	if (r == 0)
		r = check_no_attr(d->response, "InResponseTo", ECS_REJ_IN_RESPONSE_TO,
				  "the Response has InResponseTo, but this bastion never sends "
				  "AuthnRequests (use an IdP-initiated sign-in)", rej);
	if (r == 0)
		r = check_destination(p, d, rej);
	if (r == 0)
		r = check_audience(p, &s, rej);
	if (r == 0)
		r = check_subject_confirmation(p, &s, &scd, rej);
	if (r == 0)
		r = check_times(p, &s, scd, d, now, out, rej);
	if (r == 0)
		r = copy_id(d, out);
	if (r == 0)
		r = read_nameid(&s, out, rej);
	if (r == 0)
		r = ecs_saml_attributes(p, s.attributes, out, rej);
	return r;
}
