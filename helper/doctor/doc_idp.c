/* doc_idp.c — the trusted IdPs, loaded by the validator's own loader (saml_trust.h): the
 * files parse, every key is strong enough, and the signing certificates are not about to
 * expire. The validator does not look at validity dates (as AWS does not), but the IdP
 * will stop signing with an expired certificate's key, or the operator's auditors will ask:
 * a rotation is due, and doctor says so in time. */
#include <errno.h>
#include <string.h>

#include "doctor.h"
#include "saml_trust.h"

#define DAY 86400

enum ecs_doc_sev
ecs_doc_cert_state(const time_t *not_after, unsigned n, time_t now, unsigned warn_days)
{
	time_t soon = now + (time_t)warn_days * DAY;
	bool good = false, lasting = false, expired = false;
	unsigned i;

	for (i = 0; i < n; i++) {
		if (not_after[i] == 0 || not_after[i] > soon)
			lasting = true;	/* unknown dates cannot be a reason to warn */
		if (not_after[i] == 0 || not_after[i] > now)
			good = true;
		else
			expired = true;
	}
	if (n == 0 || !good)
		return ECS_DOC_FAIL;
	if (!lasting || expired)
		return ECS_DOC_WARN;
	return ECS_DOC_OK;
}

static void
date_of(time_t t, char *buf, size_t sz)
{
	struct tm tm;

	if (t == 0 || !gmtime_r(&t, &tm) || strftime(buf, sz, "%Y-%m-%d", &tm) == 0)
		snprintf(buf, sz, "unknown");
}

/* One IdP's verdict, and a line for every certificate that is the reason. */
static void
check_one_idp(struct ecs_doc *d, const struct ecs_trust *t, unsigned idp)
{
	time_t na[ECS_TRUST_MAX_KEYS];
	enum ecs_doc_sev sev;
	unsigned i, n = 0;
	char date[32];

	for (i = 0; i < t->nkeys; i++)
		if (t->keys[i].idp == idp)
			na[n++] = t->keys[i].not_after;
	sev = ecs_doc_cert_state(na, n, d->now, ECS_DOC_CERT_WARN_DAYS);
	for (i = 0; i < t->nkeys; i++) {
		const struct ecs_trust_key *k = &t->keys[i];

		if (k->idp != idp)
			continue;
		date_of(k->not_after, date, sizeof(date));
		if (k->not_after && k->not_after <= d->now)
			ecs_doc_add(d, sev == ECS_DOC_FAIL ? ECS_DOC_FAIL : ECS_DOC_WARN,
				    "idp-cert-expired", "get the IdP's current signing certificate "
				    "(its metadata) and remove the expired one from the "
				    "configuration", "%s: the signing certificate of %s expired on %s",
				    k->source, t->entity_ids[idp], date);
		else if (k->not_after && k->not_after <= d->now + ECS_DOC_CERT_WARN_DAYS * DAY &&
			 sev != ECS_DOC_OK)
			ecs_doc_add(d, ECS_DOC_WARN, "idp-cert-expiring", "ask the IdP's "
				    "administrators for the next signing certificate and add it "
				    "beside this one (two certificates during a rotation are fine)",
				    "%s: the signing certificate of %s expires on %s, within %d days",
				    k->source, t->entity_ids[idp], date, ECS_DOC_CERT_WARN_DAYS);
		else
			ecs_doc_add(d, ECS_DOC_OK, "idp-cert", NULL, "%s: %s key of %d bits for %s, "
				    "valid until %s", k->source, k->kind == ECS_KEY_RSA ? "RSA" : "EC",
				    k->bits, t->entity_ids[idp], date);
	}
}

int
ecs_doc_check_idp(struct ecs_doc *d)
{
	struct ecs_reject rej = { 0 };
	struct ecs_trust t;
	unsigned i;
	int r;

	r = ecs_trust_load(&t, &d->conf, &rej);
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		ecs_doc_add(d, ECS_DOC_FAIL, rej.code ? rej.code : "idp-invalid",
			    "correct idp_metadata / idp_cert (pam_ecs_saml.conf(5)); keys must be "
			    "RSA of 2048 bits or more, or EC on P-256, P-384 or P-521",
			    "%s", rej.msg);
		return 0;
	}
	for (i = 0; i < t.nidps; i++)
		check_one_idp(d, &t, i);
	ecs_trust_free(&t);
	return 0;
}
