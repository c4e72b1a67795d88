/* pam_args.c — the module's arguments.
 *
 * The module keeps for itself only what governs its own behaviour inside the application
 * (debug logging, the conversation budget). Configuration proper is the helper's business:
 * it reads the file and then applies the module arguments on top, so that arguments
 * override the file with one piece of code. The module still checks each argument here
 * with the same parser, so a typo in /etc/pam.d is reported by the module that has it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <security/pam_ext.h>

#include "ecs_conf.h"
#include "ecs_err.h"
#include "ecs_str.h"
#include "ecs_helper_proto.h"
#include "pam_args.h"

#define ARG_CONFIG "config="
#define ARG_CONV_TIMEOUT "conv_timeout="
#define ARG_IGNORE_SILENT "ignore_silent"

/* Check one configuration argument by applying it to a scratch configuration. */
static int
check_conf_arg(pam_handle_t *pamh, const char *arg)
{
	struct ecs_conf c;
	char err[ECS_CONF_ERRSZ];
	int r;

	ecs_conf_init(&c);
	r = ecs_conf_set_arg(&c, arg, err, sizeof(err));
	if (r < 0)
		pam_syslog(pamh, LOG_ERR, "bad module argument: %s", err);
	ecs_conf_free(&c);
	return r < 0 ? -ECS_ECONFIG : 0;
}

int
ecs_pam_args_parse(pam_handle_t *pamh, int argc, const char **argv, struct ecs_pam_args *a)
{
	int r = 0;

	memset(a, 0, sizeof(*a));
	a->conv_timeout = ECS_CONV_TIMEOUT_DEFAULT;
	if (argc > (int)ECS_HELPER_PROTO_MAX_CONF_ARGS) {
		pam_syslog(pamh, LOG_ERR, "too many module arguments (at most %u)",
			   ECS_HELPER_PROTO_MAX_CONF_ARGS);
		return -ECS_ECONFIG;
	}
	a->forward = calloc((size_t)argc + 1, sizeof(*a->forward));
	if (a->forward == NULL)
		return -ENOMEM;
	for (int i = 0; r == 0 && i < argc; i++) {
		const char *arg = argv[i];
		uint64_t v;

		if (ecs_startswith(arg, ARG_CONV_TIMEOUT)) {
			if (ecs_parse_u64(arg + strlen(ARG_CONV_TIMEOUT), 5, 600, &v) == 0) {
				a->conv_timeout = (unsigned)v;
			} else {
				pam_syslog(pamh, LOG_ERR, "bad module argument: %s (5..600)", arg);
				r = -ECS_ECONFIG;
			}
			continue;
		}
		if (strcmp(arg, ARG_IGNORE_SILENT) == 0) {
			a->ignore_silent = true;
			continue;
		}
		if (ecs_startswith(arg, ARG_CONFIG)) {
			if (arg[strlen(ARG_CONFIG)] != '/') {
				pam_syslog(pamh, LOG_ERR, "bad module argument: %s (absolute path)", arg);
				r = -ECS_ECONFIG;
			}
		} else {
			if (strcmp(arg, "debug") == 0)
				a->debug = true;
			r = check_conf_arg(pamh, arg);
		}
		a->forward[a->nforward++] = arg;
	}
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
