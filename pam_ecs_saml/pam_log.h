/* pam_log.h — the module's syslog records: pam_syslog (libpam's "pam_ecs_saml(SERVICE:TYPE)"
 * prefix, LOG_AUTHPRIV), in the one record format of ecs_logrec.h (EVENT: key="value" ...),
 * every value escaped whatever it holds, and a last field version="X.Y.Z" (VERSION, through
 * the generated ecs_version.h) on every record. The module logs only through these. */
#ifndef ECS_PAM_LOG_H
#define ECS_PAM_LOG_H

#include <security/pam_modules.h>

#include "ecs_logrec.h"

/* Log EVENT with the pairs key, value, ... up to a NULL key (values may be NULL). */
void ecs_pam_log(pam_handle_t *pamh, int prio, const char *event, ...)
	__attribute__((sentinel));

/* Log a record built with ecs_logrec_* (for numbers and formatted values). */
void ecs_pam_log_rec(pam_handle_t *pamh, int prio, const struct ecs_logrec *rec);

#endif
