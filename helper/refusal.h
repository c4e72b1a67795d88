/* refusal.h — one refusal of a module verb, told to the two people concerned: the
 * administrator reads a syslog record whose code= names the exact cause, the user reads a
 * sentence at the PAM prompt saying what is wrong and who can fix it.
 *
 * Every CODE a module verb refuses with has its sentence here, in one table: the SAML
 * reject codes (saml_reject.h; the signature-class ones deliberately share one vague
 * sentence), the codes of the IdP trust files (ECS_TRUST_*) and the other
 * misconfigurations a login can meet (ECS_MISCONF_* below). A misconfiguration's sentence
 * ends with its CODE, so what the user reports and what the log holds meet. STS failures
 * have their own sentences (sts_errmap.h): they are told from the user's side of
 * session-open. */
#ifndef ECS_REFUSAL_H
#define ECS_REFUSAL_H

#include <stddef.h>

#include "ecs_buf.h"
#include "request.h"

/* Misconfigurations found while explaining a login the system could not place. */
#define ECS_MISCONF_NSSWITCH "nsswitch"			/* no ecs_saml on the passwd line */
#define ECS_MISCONF_NSS_MODULE "nss-module-missing"	/* libnss_ecs_saml.so.2 not loadable */
#define ECS_MISCONF_USERMAP_MISSING "usermap-missing"	/* `users init` never ran */
#define ECS_MISCONF_USERMAP_CORRUPT "usermap-corrupt"
#define ECS_MISCONF_USER_UNKNOWN "user-unknown"		/* not mapped, no first-login match */
#define ECS_MISCONF_NSS_UNSEEN "nss-unseen"		/* NSS knows the user, the app did not */
#define ECS_MISCONF_CONFIG "config"			/* the configuration does not load */
#define ECS_MISCONF_REGION "config-region"		/* no region, which sessions need */
#define ECS_MISCONF_SESSION_POLICY "session-policy"	/* session_policy does not render */

/* The sentence for code (never NULL; unknown codes get a generic one) in buf, which should
 * hold ECS_REFUSAL_TEXTSZ bytes: shorter than the module's cap on a reply message. */
#define ECS_REFUSAL_TEXTSZ 256
const char *ecs_refusal_text(const char *code, char *buf, size_t bufsz);

/* Log "PHASE refused: user=U service=S rhost=R code=CODE: WHY" at prio (rq may be NULL)
 * and put the user's sentence for code into reply. */
void ecs_refuse(struct ecs_buf *reply, const struct ecs_request *rq, const char *phase, int prio,
		const char *code, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

#endif
