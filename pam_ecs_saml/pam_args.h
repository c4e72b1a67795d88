/* pam_args.h — the module's arguments. */
#ifndef ECS_PAM_ARGS_H
#define ECS_PAM_ARGS_H

#include <security/pam_modules.h>
#include <stdbool.h>

#define ECS_CONV_TIMEOUT_DEFAULT 60	/* seconds: inside the shipped LoginGraceTime (90) */

/* What the module reads from its arguments; everything else belongs to the helper.
 * Arguments are borrowed from libpam and stay valid for the call. */
struct ecs_pam_args {
	bool debug;		/* "debug": module debug logging, also passed to the helper */
	unsigned conv_timeout;	/* "conv_timeout=SECONDS" (5..600): the conversation's budget */
	bool ignore_silent;	/* "ignore_silent": tell the user why even under PAM_SILENT, which
				 * sudo passes on every authentication */
	const char **forward;	/* owned array of the arguments the helper gets as config
				 * overrides (the strings are libpam's); see ecs_pam_args_free */
	int nforward;
};

/* Check every argument: "config=/ABSOLUTE/PATH", "conv_timeout=N", "ignore_silent", and any configuration
 * key accepted by ecs_conf_set_arg (checked here, applied by the helper after it reads the
 * file, so arguments override the file). An unknown key or bad value is logged and is
 * -ECS_ECONFIG. 0, -ECS_ECONFIG or -ENOMEM. */
int ecs_pam_args_parse(pam_handle_t *pamh, int argc, const char **argv, struct ecs_pam_args *a);

void ecs_pam_args_free(struct ecs_pam_args *a);

#endif
