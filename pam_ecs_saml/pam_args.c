/* pam_args.c — the module's arguments and its view of the configuration.
 *
 * The module keeps for itself only what governs its own behaviour inside the application
 * (debug logging, the conversation budget, PAM_SILENT). Configuration proper is the
 * helper's business: the helper loads the file and the module arguments over it. The
 * module loads the same configuration the same way (ecs_conf_load), so that a typo in
 * /etc/pam.d or the file is reported by the module that has it, and `debug` in either
 * place turns on the module's own debug records. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <security/pam_ext.h>

#include "ecs_conf.h"
#include "ecs_err.h"
#include "ecs_str.h"
#include "ecs_helper_proto.h"
#include "ecs_misconf.h"
#include "pam_args.h"
#include "pam_log.h"

#define ARG_CONFIG "config="
#define ARG_CONV_TIMEOUT "conv_timeout="
#define ARG_IGNORE_SILENT "ignore_silent"
#define ARG_REQUIRE_TICKET "require_ticket"

/* A configuration the module cannot use: the log gets the CODE and why, the user what is
 * wrong and that the bastion's administrator fixes it. Always -ECS_ECONFIG. */
static int __attribute__((format(printf, 5, 6)))
refuse_conf(pam_handle_t *pamh, int flags, const struct ecs_pam_args *a, const char *code,
	    const char *fmt, ...)
{
	char why[ECS_CONF_ERRSZ], text[ECS_MISCONF_TEXTSZ];
	const char *t;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	ecs_pam_log(pamh, LOG_ERR, "configuration error", "code", code, "reason", why,
		    (char *)NULL);
	t = ecs_misconf_text(code, text, sizeof(text));
	if (t != NULL && (!(flags & PAM_SILENT) || a->ignore_silent))
		pam_error(pamh, "%s", t);
	return -ECS_ECONFIG;
}

/* Load the configuration as the helper will: the file, then the configuration arguments
 * over it. Only debug is kept. */
static int
load_conf(pam_handle_t *pamh, int flags, const char *const *args, size_t nargs,
	  struct ecs_pam_args *a)
{
	struct ecs_conf c;
	char err[ECS_CONF_ERRSZ];
	int r;

	r = ecs_conf_load(&c, ECS_CONF_PATH, args, nargs, err, sizeof(err));
	if (r == -ECS_ECONFIG)
		r = refuse_conf(pamh, flags, a, c.err_code != NULL ? c.err_code : ECS_CONF_E_VALUE,
				"%s", err);
	else if (r == 0)
		a->debug = c.debug;
	ecs_conf_free(&c);
	return r;
}

int
ecs_pam_args_parse(pam_handle_t *pamh, int flags, int argc, const char **argv,
		   struct ecs_pam_args *a)
{
	int r = 0;

	memset(a, 0, sizeof(*a));
	a->conv_timeout = ECS_CONV_TIMEOUT_DEFAULT;
	if (argc > (int)ECS_HELPER_PROTO_MAX_CONF_ARGS)
		return refuse_conf(pamh, flags, a, ECS_CONF_E_VALUE,
				   "too many module arguments (at most %u)",
				   ECS_HELPER_PROTO_MAX_CONF_ARGS);
	a->forward = calloc((size_t)argc + 1, sizeof(*a->forward));
	if (a->forward == NULL)
		return -ENOMEM;
	/* ignore_silent first: it decides whether the user hears about a bad argument */
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], ARG_IGNORE_SILENT) == 0)
			a->ignore_silent = true;
	for (int i = 0; r == 0 && i < argc; i++) {
		const char *arg = argv[i];
		uint64_t v;

		if (ecs_startswith(arg, ARG_CONV_TIMEOUT)) {
			if (ecs_parse_u64(arg + strlen(ARG_CONV_TIMEOUT), 5, 600, &v) == 0)
				a->conv_timeout = (unsigned)v;
			else
				r = refuse_conf(pamh, flags, a, ECS_CONF_E_VALUE,
						"bad module argument: %s (5..600)", arg);
			continue;
		}
		if (strcmp(arg, ARG_IGNORE_SILENT) == 0)
			continue;
		if (strcmp(arg, ARG_REQUIRE_TICKET) == 0) {
			a->require_ticket = true;
			continue;
		}
		/* A file of the module's choosing would be one the NSS module never sees: another
		 * user map, UID range or group. Named here, since "unknown key" would not say why. */
		if (ecs_startswith(arg, ARG_CONFIG)) {
			r = refuse_conf(pamh, flags, a, ECS_CONF_E_VALUE, "module argument 'config' "
					"is not supported: the helper and the PAM and NSS modules all "
					"read %s; set keys there, or as module arguments",
					ECS_CONF_PATH);
			continue;
		}
		a->forward[a->nforward++] = arg;
	}
	if (r == 0)
		r = load_conf(pamh, flags, (const char *const *)a->forward, (size_t)a->nforward, a);
	if (r < 0)
		ecs_pam_args_free(a);
	return r;
}

void
ecs_pam_args_free(struct ecs_pam_args *a)
{
	free(a->forward);
	memset(a, 0, sizeof(*a));
}
