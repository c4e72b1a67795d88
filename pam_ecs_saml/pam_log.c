/* pam_log.c — the module's syslog sink (see pam_log.h). */
#include <stdarg.h>
#include <syslog.h>

#include <security/pam_ext.h>

#include "pam_log.h"

void
ecs_pam_log_rec(pam_handle_t *pamh, int prio, const struct ecs_logrec *rec)
{
	/* the record is data, never a format */
	pam_syslog(pamh, prio, "%s", ecs_logrec_text(rec));
}

void
ecs_pam_log(pam_handle_t *pamh, int prio, const char *event, ...)
{
	struct ecs_logrec rec;
	va_list ap;

	ecs_logrec_init(&rec, event);
	va_start(ap, event);
	ecs_logrec_addv(&rec, ap);
	va_end(ap);
	ecs_pam_log_rec(pamh, prio, &rec);
}
