/* conf.c — the helper's configuration, loaded and reported in one place for every verb. */
#include <stdio.h>
#include <syslog.h>

#include "conf.h"

int
ecs_helper_conf_load(const char *path, const char *const *args, size_t nargs,
		     struct ecs_conf *c)
{
	char err[ECS_CONF_ERRSZ];
	int r;

	r = ecs_conf_load(c, path, args, nargs, err, sizeof(err));
	if (r < 0) {
		fprintf(stderr, "config: %s\n", err);
		syslog(LOG_ERR, "configuration error: code=%s: %s",
		       c->err_code != NULL ? c->err_code : "-", err);
	}
	return r;
}
