/* conf.c — the helper's configuration, loaded and reported in one place for every verb, and
 * the one switch for debug-level syslog records (the `debug` key). */
#include <stdio.h>
#include <syslog.h>

#include "conf.h"
#include "logging.h"

int
ecs_helper_conf_load(const char *path, const char *const *args, size_t nargs,
		     struct ecs_conf *c)
{
	char err[ECS_CONF_ERRSZ];
	struct ecs_logrec rec;
	int r;

	r = ecs_conf_load(c, path, args, nargs, err, sizeof(err));
	if (r < 0) {
		fprintf(stderr, "config: %s\n", err);
		ecs_log(LOG_ERR, "configuration error", "code",
			c->err_code != NULL ? c->err_code : "-", "reason", err, (char *)NULL);
		return r;
	}
	/* The verbs log their steps at LOG_DEBUG unconditionally; the mask decides, so that
	 * `debug` in the file or as a module argument is the only switch. Never a secret at
	 * any level: no Response, ticket content or credential, only names, sizes and ids. */
	setlogmask(c->debug ? LOG_UPTO(LOG_DEBUG) : LOG_UPTO(LOG_INFO));
	ecs_logrec_init(&rec, "configuration");
	ecs_logrec_add(&rec, "file", path);
	ecs_logrec_addf(&rec, "module_args", "%zu", nargs);
	ecs_log_rec(LOG_DEBUG, &rec);
	return 0;
}
