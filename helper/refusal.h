/* refusal.h — one refusal of a module verb, told to the two people concerned: the
 * administrator reads a syslog record whose code= names the exact cause, the user reads a
 * sentence at the PAM prompt saying what is wrong and who can fix it.
 *
 * The sentences: for the SAML reject codes (saml_reject.h), here, the signature-class ones
 * deliberately sharing one vague sentence; for a misconfiguration (the configuration, the
 * IdP trust files, an unknown user; ecs_misconf.h), the one the PAM module uses too, which
 * ends with its CODE so that what the user reports and what the log holds meet. STS
 * failures have their own sentences (sts_errmap.h), told from the user's side of
 * session-open. */
#ifndef ECS_REFUSAL_H
#define ECS_REFUSAL_H

#include <stddef.h>

#include "ecs_buf.h"
#include "ecs_misconf.h"
#include "request.h"

#define ECS_REFUSAL_TEXTSZ ECS_MISCONF_TEXTSZ

/* The sentence for code (never NULL; unknown codes get the generic refusal), possibly
 * formatted into buf of ECS_REFUSAL_TEXTSZ bytes. */
const char *ecs_refusal_text(const char *code, char *buf, size_t bufsz);

/* Put the user's sentence for code into reply (the cause was logged elsewhere). */
void ecs_refusal_tell(struct ecs_buf *reply, const char *code);

/* Log `PHASE refused: user="U" service="S" rhost="R" code="CODE" reason="WHY"` at prio
 * (rq may be NULL; logging.h escapes every value)
 * and put the user's sentence for code into reply. */
void ecs_refuse(struct ecs_buf *reply, const struct ecs_request *rq, const char *phase, int prio,
		const char *code, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

#endif
