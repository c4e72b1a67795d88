/* pam_args.h — the module's arguments. */
#ifndef ECS_PAM_ARGS_H
#define ECS_PAM_ARGS_H

#include <security/pam_modules.h>
#include <stdbool.h>

#define ECS_CONV_TIMEOUT_DEFAULT 60	/* seconds: inside the shipped LoginGraceTime (90) */

/* What the module reads from its arguments and the configuration; everything else belongs
 * to the helper. Arguments are borrowed from libpam and stay valid for the call. */
struct ecs_pam_args {
	bool debug;		/* `debug` in the file or as an argument: module debug records */
	unsigned conv_timeout;	/* "conv_timeout=SECONDS" (5..600): the conversation's budget */
	bool ignore_silent;	/* "ignore_silent": tell the user why even under PAM_SILENT, which
				 * sudo passes on every authentication */
	bool require_ticket;	/* "require_ticket": session open without a ticket from this
				 * authentication fails closed instead of PAM_IGNORE */
	const char **forward;	/* owned array of the arguments the helper gets as config
				 * overrides (the strings are libpam's); see ecs_pam_args_free */
	int nforward;
};

/* Check every argument: "conv_timeout=N", "ignore_silent", "require_ticket", and
 * configuration keys, which are loaded over ECS_CONF_PATH as the helper will load them
 * (ecs_conf_load) and forwarded to the helper. "config=PATH" is refused with its reason:
 * every part reads ECS_CONF_PATH. A bad argument, key, value or file is logged with its CODE
 * (ECS_CONF_E_*) and told to the user (ecs_misconf.h: the bastion's administrator fixes
 * it), unless flags has PAM_SILENT without ignore_silent among the arguments; it is
 * -ECS_ECONFIG. 0, -ECS_ECONFIG or -ENOMEM. */
int ecs_pam_args_parse(pam_handle_t *pamh, int flags, int argc, const char **argv,
		       struct ecs_pam_args *a);

void ecs_pam_args_free(struct ecs_pam_args *a);

#endif
