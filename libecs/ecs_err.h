/* ecs_err.h — error values used everywhere inside pam_ecs_saml.
 *
 * Inside the project a function returns 0 on success and a negative value on failure:
 * either -errno (-EINVAL, -ENOMEM, -ERANGE, ...) or -ECS_E* for the project's own
 * domain errors below. Nothing inside returns PAM_* or NSS_STATUS_* codes: each boundary
 * (PAM shim, NSS shim, helper exit status) maps them exactly once, in its own file.
 */
#ifndef ECS_ERR_H
#define ECS_ERR_H

enum {
	ECS_E_BASE = 4096,	/* above every errno value */
	ECS_EREJECT,		/* untrusted input refused by a check; a reject code says which */
	ECS_ECONFIG,		/* configuration error (file, key, value, permissions) */
	ECS_EPROTO,		/* a peer broke a framing or conversation protocol */
	ECS_EREPLAY,		/* assertion ID already consumed */
	ECS_ESTS,		/* STS answered with an error */
	ECS_ETICKET,		/* ticket missing, expired, foreign or malformed */
	ECS_ECOLLISION,		/* derived UID collides */
	ECS_E_MAX
};

/* Static, human-readable text for any value returned inside the project. */
const char *ecs_strerror(int r);

enum {
	ECS_EXIT_OK = 0,
	ECS_EXIT_REJECT = 1,
	ECS_EXIT_USAGE = 2,
	ECS_EXIT_INTERNAL = 3,
};

/* The helper's exit status, and the status of a child the helper runs as the user, are one
 * code with one encoder and one decoder, side by side in ecs_err.c:
 *
 *   exit  encoded from                                        decoded to
 *   0     0                                                   0
 *   1     ECS_EREJECT ECS_EREPLAY ECS_ETICKET ECS_ECOLLISION   -ECS_EREJECT
 *         ECS_ESTS (the answer is no)
 *   2     ECS_ECONFIG, -EINVAL (usage or configuration)       -ECS_ECONFIG
 *   3     anything else (internal error)                      -EIO
 *   other exit status, or killed by a signal                  -EIO
 */
int ecs_err_to_exit(int r);

/* status as waitpid() stored it. Whatever the process was, a status outside the table is a
 * failure, never a success or a refusal. */
int ecs_exit_to_err(int status);

#endif
