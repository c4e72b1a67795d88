/* logging.c — the helper's syslog sink (see logging.h). */
#include <stdarg.h>
#include <syslog.h>

#include "logging.h"

void
ecs_log_rec(int prio, const struct ecs_logrec *rec)
{
	/* the record is data, never a format */
	syslog(prio, "%s", ecs_logrec_text(rec));
}

void
ecs_log(int prio, const char *event, ...)
{
	struct ecs_logrec rec;
	va_list ap;

	ecs_logrec_init(&rec, event);
	va_start(ap, event);
	ecs_logrec_addv(&rec, ap);
	va_end(ap);
	ecs_log_rec(prio, &rec);
}
