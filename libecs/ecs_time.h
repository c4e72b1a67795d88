/* ecs_time.h — xs:dateTime / RFC 3339 instants, strictly.
 *
 * Accepted: YYYY-MM-DDThh:mm:ss[.fraction](Z|+hh:mm|-hh:mm), a four-digit year, every field
 * range-checked (leap years, no second 60). A missing zone is -EINVAL: SAML requires UTC and
 * a zone-less time is ambiguous. A fraction is truncated to whole seconds. */
#ifndef ECS_TIME_H
#define ECS_TIME_H

#include <stddef.h>
#include <time.h>

int ecs_time_parse(const char *s, time_t *out);

/* Format as YYYY-MM-DDThh:mm:ssZ into buf (at least ECS_TIME_BUFSZ bytes). */
#define ECS_TIME_BUFSZ 21
void ecs_time_format(time_t t, char buf[ECS_TIME_BUFSZ]);

#endif
