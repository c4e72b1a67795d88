/* refusal.c — the syslog record and the user's sentence of a refusal (see refusal.h). */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "refusal.h"
#include "saml_reject.h"

struct text {
	const char *code;	/* a CODE, or a prefix ending in '-' that covers a family */
	bool misconf;		/* the administrator fixes it: the sentence names the CODE */
	const char *text;
};

/* What the user is told: enough to act on, no more (the log has the detail). A refusal for
 * a forged or altered Response gets the generic sentence: telling a forger which check
 * failed helps nobody else. */
static const struct text texts[] = {
	{ ECS_REJ_EXPIRED, false, "This SAML response has expired: fetch a fresh one." },
	{ ECS_REJ_STALE, false, "This SAML response is too old: fetch a fresh one." },
	{ ECS_REJ_CLOCK_SKEW, false,
	  "This SAML response is dated in the future by the bastion's clock: its clock or the "
	  "IdP's is wrong. Ask the bastion's administrator to check its time synchronisation." },
	{ ECS_REJ_NOT_YET_VALID, false,
	  "This SAML response is not valid yet (NotBefore is in the future): ask the bastion's "
	  "administrator to check the clocks of the bastion and the IdP." },
	{ ECS_REJ_REPLAY, false, "This SAML response was already used: fetch a fresh one." },
	{ ECS_REJ_USER_MISMATCH, false, "This SAML response is for another user." },
	{ ECS_REJ_ROLE, false, "This SAML response grants no role allowed on this host." },
	{ ECS_REJ_SIZE, false, "The SAML response is too large." },
	{ ECS_REJ_ENCODING, false, "That is not a SAML response (neither base64 nor XML)." },
	{ "idp-", true,
	  "The bastion cannot check SAML responses: its IdP certificate or metadata is unusable. "
	  "Ask the bastion's administrator to fix idp_cert or idp_metadata" },
	{ ECS_MISCONF_NSSWITCH, true,
	  "The bastion does not look up federated users (/etc/nsswitch.conf lacks ecs_saml). "
	  "Ask the bastion's administrator to add ecs_saml to its passwd and group lines" },
	{ ECS_MISCONF_NSS_MODULE, true,
	  "The bastion's NSS module for federated users (libnss_ecs_saml.so.2) is not "
	  "installed. Ask the bastion's administrator to install it" },
	{ ECS_MISCONF_USERMAP_MISSING, true,
	  "The bastion has no federated user map yet. Ask the bastion's administrator to run "
	  "`ecs-saml-helper users init`" },
	{ ECS_MISCONF_USERMAP_CORRUPT, true,
	  "The bastion's federated user map is unreadable. Ask the bastion's administrator to "
	  "repair it" },
	{ ECS_MISCONF_USER_UNKNOWN, true,
	  "The bastion does not know this user name (not in its user map, no match for "
	  "nss_first_login). Ask the bastion's administrator to add you" },
	{ ECS_MISCONF_NSS_UNSEEN, true,
	  "The bastion's sshd does not see federated users that its NSS module knows. Ask the "
	  "bastion's administrator to check nscd and /etc/nsswitch.conf" },
	{ ECS_MISCONF_SESSION_POLICY, true,
	  "The bastion's session policy is invalid. Ask the bastion's administrator to fix "
	  "session_policy" },
	{ "config", true,
	  "The bastion's pam_ecs_saml configuration is invalid. Ask the bastion's "
	  "administrator to correct it" },
};

static bool
matches(const struct text *t, const char *code)
{
	size_t n = strlen(t->code);

	if (t->code[n - 1] == '-')
		return strncmp(t->code, code, n) == 0;
	/* "config" covers "config" and the "config-*" family */
	return strcmp(t->code, code) == 0 ||
	       (strcmp(t->code, "config") == 0 && strncmp(code, "config-", 7) == 0);
}

const char *
ecs_refusal_text(const char *code, char *buf, size_t bufsz)
{
	for (size_t i = 0; code != NULL && i < sizeof(texts) / sizeof(texts[0]); i++) {
		if (!matches(&texts[i], code))
			continue;
		if (!texts[i].misconf)
			return texts[i].text;
		snprintf(buf, bufsz, "%s (code %s in its log).", texts[i].text, code);
		return buf;
	}
	return "SAML response refused.";
}

void
ecs_refuse(struct ecs_buf *reply, const struct ecs_request *rq, const char *phase, int prio,
	   const char *code, const char *fmt, ...)
{
	char why[512], text[ECS_REFUSAL_TEXTSZ];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	syslog(prio, "%s refused: user=%s service=%s rhost=%s code=%s: %s", phase,
	       rq != NULL && rq->user != NULL ? rq->user : "-",
	       rq != NULL && rq->service != NULL ? rq->service : "-",
	       rq != NULL && rq->rhost != NULL ? rq->rhost : "", code, why);
	ecs_reply_message(reply, ecs_refusal_text(code, text, sizeof(text)));
}
