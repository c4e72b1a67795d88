/* conf.h — the helper's configuration, loaded and reported in one place for every verb. */
#ifndef ECS_HELPER_CONF_H
#define ECS_HELPER_CONF_H

#include <stddef.h>

#include "ecs_conf.h"

/* Load the configuration with ecs_conf_load (the file at path, then args over it). A
 * failure is reported here, once: "config: WHY" on stderr for an administrator at a
 * terminal (the PAM module gives the helper /dev/null there) and "configuration error:
 * code=CODE: WHY" in syslog, CODE naming the cause (c->err_code, ECS_CONF_E_*). On success,
 * debug-level syslog records are let through exactly when the configuration says `debug`
 * (main.c starts without them). c is initialised here either way; the caller frees it with
 * ecs_conf_free.
 * 0, -ECS_ECONFIG or -ENOMEM, which main.c turns into the exit status. */
int ecs_helper_conf_load(const char *path, const char *const *args, size_t nargs,
			 struct ecs_conf *c);

#endif
