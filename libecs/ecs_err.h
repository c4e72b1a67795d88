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

/* Helper exit status: 0 accept/ok, 1 reject (ECS_EREJECT, ECS_EREPLAY, ECS_ETICKET,
 * ECS_ECOLLISION, ECS_ESTS), 2 usage or configuration error (ECS_ECONFIG, -EINVAL from
 * argument parsing), 3 any other internal error. */
int ecs_err_to_exit(int r);

enum {
	ECS_EXIT_OK = 0,
	ECS_EXIT_REJECT = 1,
	ECS_EXIT_USAGE = 2,
	ECS_EXIT_INTERNAL = 3,
};

#endif
