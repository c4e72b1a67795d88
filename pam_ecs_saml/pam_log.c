/* pam_log.c — the module's syslog sink (see pam_log.h). */
#include <stdarg.h>
#include <syslog.h>

#include <security/pam_ext.h>

#include "ecs_version.h"
#include "pam_log.h"

void
ecs_pam_log_rec(pam_handle_t *pamh, int prio, const struct ecs_logrec *rec)
{
	struct ecs_logrec with = *rec;

	/* Every record says which module wrote it: a fleet mid-upgrade runs two, and the
	 * helper a module runs is not always the one installed beside it. */
	ecs_logrec_add(&with, "version", ECS_VERSION);
	/* the record is data, never a format */
	pam_syslog(pamh, prio, "%s", ecs_logrec_text(&with));
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
