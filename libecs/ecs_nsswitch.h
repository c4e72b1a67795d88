/* ecs_nsswitch.h — reading /etc/nsswitch.conf for one question: does a database's line name
 * a service? (unknown-user's diagnosis and doctor ask it of passwd and group.) */
#ifndef ECS_NSSWITCH_H
#define ECS_NSSWITCH_H

#include <stdbool.h>

/* Whether the "DB:" line of the NUL-terminated nsswitch.conf text names service. Action
 * items such as [NOTFOUND=return] and comments are skipped; without such a line glibc uses
 * "files", so the answer is false. */
bool ecs_nsswitch_has(const char *text, const char *db, const char *service);

#endif
