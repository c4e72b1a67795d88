/* logging.h — the helper's syslog records: one line per event in the format of ecs_logrec.h
 * (EVENT: key="value" ...), every value escaped, whatever it holds. The helper logs only
 * through these (openlog in main.c names it and the facility, LOG_AUTHPRIV). */
#ifndef ECS_LOGGING_H
#define ECS_LOGGING_H

#include "ecs_logrec.h"

/* Log EVENT with the pairs key, value, ... up to a NULL key (values may be NULL), e.g.
 * ecs_log(LOG_NOTICE, "auth refused", "user", u, "code", c, (char *)NULL). */
void ecs_log(int prio, const char *event, ...) __attribute__((sentinel));

/* Log a record built with ecs_logrec_* (for numbers and formatted values). */
void ecs_log_rec(int prio, const struct ecs_logrec *rec);

#endif
