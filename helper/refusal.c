/* refusal.c — the syslog record and the user's sentence of a refusal (see refusal.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "logging.h"
#include "audit.h"
#include "refusal.h"
#include "revoke_redis.h"
#include "saml_reject.h"
#include "xml_lib.h"

/* What the user is told about a refused Response: enough to act on, no more (the log has
 * the detail). A forged or altered Response gets the generic sentence: telling a forger
 * which check failed helps nobody else. */
#define PRIVSEP_FAILED(code)                                                                \
	{ code, "The bastion's validator failed on this SAML response (code " code " in its "   \
	  "log): fetch a fresh one, and if that fails too, tell the bastion's administrator." }

static const struct {
	const char *code;
	const char *text;
} texts[] = {
	{ ECS_REJ_EXPIRED, "This SAML response has expired: fetch a fresh one." },
	{ ECS_REJ_STALE, "This SAML response is too old: fetch a fresh one." },
	{ ECS_REJ_CLOCK_SKEW,
	  "This SAML response is dated in the future by the bastion's clock: its clock or the "
	  "IdP's is wrong. Ask the bastion's administrator to check its time synchronisation." },
	{ ECS_REJ_NOT_YET_VALID,
	  "This SAML response is not valid yet (NotBefore is in the future): ask the bastion's "
	  "administrator to check the clocks of the bastion and the IdP." },
	{ ECS_REJ_REPLAY, "This SAML response was already used: fetch a fresh one." },
	{ ECS_REJ_USER_MISMATCH, "This SAML response is for another user." },
	/* Checked after the signatures, and about the engineer's own name: telling them helps
	 * them and tells a forger nothing. */
	{ ECS_REJ_USER, "This SAML response maps to a user name this bastion does not accept. "
	  "The bastion's administrator decides which user names it accepts." },
	{ ECS_REJ_ROLE, "This SAML response grants no role allowed on this host." },
	{ ECS_REJ_SIZE, "The SAML response is too large." },
	{ ECS_REVOKED_CODE, "Your access was revoked by an administrator: ask the bastion's "
	  "administrators before you log in again." },
	{ ECS_REJ_ENCODING, "That is not a SAML response (neither base64 nor XML)." },
	{ ECS_REJ_DEFLATE, "The compressed SAML response is damaged or inflates past the "
	  "limit: run ecs-saml-ssh again, or with --no-compress." },
	/* The sandboxed validator (privsep.h): the first two are the administrator's to fix;
	 * the others happened to this Response, and a fresh one may fare better. */
	{ ECS_REJ_PRIVSEP_ACCOUNT, "The bastion cannot check SAML responses: the account its "
	  "validator runs as is missing. Ask the bastion's administrator to create it (code "
	  "privsep-account in its log)." },
	{ ECS_REJ_PRIVSEP_SETUP, "The bastion cannot check SAML responses: its validator's "
	  "sandbox cannot be set up. Ask the bastion's administrator to fix it (code "
	  "privsep-setup in its log)." },
	/* libxml2 or xmlsec does not load (xml_lib.h): no Response can be checked */
	{ ECS_XML_LIB_CODE, "The bastion cannot load the XML libraries it checks SAML responses "
	  "with. Ask the bastion's administrator to install the distribution's libxml2, "
	  "libxmlsec1 and libxmlsec1-openssl packages (code xml-library in its log)." },
	PRIVSEP_FAILED(ECS_REJ_PRIVSEP_CRASH),
	PRIVSEP_FAILED(ECS_REJ_PRIVSEP_TIMEOUT),
	PRIVSEP_FAILED(ECS_REJ_PRIVSEP_MEMORY),
	PRIVSEP_FAILED(ECS_REJ_PRIVSEP_SYSCALL),
	PRIVSEP_FAILED(ECS_REJ_PRIVSEP_PROTOCOL),
};

const char *
ecs_refusal_text(const char *code, char *buf, size_t bufsz)
{
	const char *t;

	for (size_t i = 0; code != NULL && i < sizeof(texts) / sizeof(texts[0]); i++)
		if (strcmp(code, texts[i].code) == 0)
			return texts[i].text;
	t = ecs_misconf_text(code, buf, bufsz);
	return t != NULL ? t : "SAML response refused.";
}

void
ecs_refusal_tell(struct ecs_buf *reply, const char *code)
{
	char text[ECS_REFUSAL_TEXTSZ];

	ecs_reply_message(reply, ecs_refusal_text(code, text, sizeof(text)));
}

void
ecs_refuse(struct ecs_buf *reply, const struct ecs_request *rq, const char *phase, int prio,
	   const char *code, const char *fmt, ...)
{
	char why[512], event[32];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	/* an auth refusal is an audit record (audit.h), with the same syslog line */
	if (strcmp(phase, "auth") == 0) {
		ecs_audit_auth_refused(rq != NULL ? rq->user : NULL, rq != NULL ? rq->service : NULL,
				       rq != NULL ? rq->rhost : NULL, prio, code, why);
		ecs_refusal_tell(reply, code);
		return;
	}
	snprintf(event, sizeof(event), "%s refused", phase);
	/* why may quote the Response (an algorithm URI, an Issuer): the record escapes it */
	ecs_log(prio, event, "user", rq != NULL && rq->user != NULL ? rq->user : "-",
		"service", rq != NULL && rq->service != NULL ? rq->service : "-",
		"rhost", rq != NULL ? rq->rhost : NULL, "code", code, "reason", why, (char *)NULL);
	ecs_refusal_tell(reply, code);
}
