/* pam_ecs_saml.c — the PAM entry points, and nothing else.
 *
 * Each parses the module arguments, runs one flow (pam_auth.c, pam_session.c) and maps its
 * result to a PAM code, in the one place where that mapping exists. */
#include <errno.h>

#include <security/pam_modules.h>

#include "ecs_err.h"
#include "pam_args.h"
#include "pam_auth.h"
#include "pam_session.h"

#define ECS_PAM_EXPORT __attribute__((visibility("default")))

/* refusal is the code for "the answer is no" in this phase (PAM_AUTH_ERR, PAM_PERM_DENIED);
 * failing is the code for "could not decide" (PAM_AUTHINFO_UNAVAIL, PAM_SYSTEM_ERR). */
static int
ecs_err_to_pam(int r, int refusal, int failing)
{
	switch (r) {
	case 0:
		return PAM_SUCCESS;
	case -ENODATA:
		return PAM_IGNORE;
	case -ENOMEM:
		return PAM_BUF_ERR;
	case -ECONNABORTED:
		return PAM_CONV_ERR;
	case -ECS_ECONFIG:
		return PAM_SERVICE_ERR;
	case -ECS_EREJECT:
	case -ECS_EREPLAY:
	case -ECS_EPROTO:
	case -ECS_ETICKET:
	case -ECS_ECOLLISION:
	case -ECS_ESTS:
		return refusal;
	default:
		return failing;
	}
}

typedef int (*ecs_flow_fn)(pam_handle_t *pamh, int flags, const struct ecs_pam_args *a);

static int
run(pam_handle_t *pamh, int flags, int argc, const char **argv, ecs_flow_fn flow,
    int refusal, int failing)
{
	struct ecs_pam_args a;
	int r;

	r = ecs_pam_args_parse(pamh, flags, argc, argv, &a);
	/* sudo passes PAM_SILENT on every authentication; without the reason ("already used:
	 * fetch a fresh one") a step-up user only sees "Sorry, try again". */
	if (r == 0 && a.ignore_silent)
		flags &= ~PAM_SILENT;
	if (r == 0)
		r = flow(pamh, flags, &a);
	ecs_pam_args_free(&a);
	return ecs_err_to_pam(r, refusal, failing);
}

ECS_PAM_EXPORT int
pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	return run(pamh, flags, argc, argv, ecs_pam_authenticate, PAM_AUTH_ERR, PAM_AUTHINFO_UNAVAIL);
}

/* The credentials are made at session open, where the user's session exists; setcred has
 * nothing of its own to establish or delete, and must not fail the stack for it. */
ECS_PAM_EXPORT int
pam_sm_setcred(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	return PAM_SUCCESS;
}

/* Not PAM_SESSION_ERR: sudo takes that one as a warning and runs the command anyway (its
 * pam_open_session handling), so the operator shell would start with no credentials, or with
 * no Response at all under require_ticket. Every other failure ends sudo; sshd ends the
 * connection on any. */
ECS_PAM_EXPORT int
pam_sm_open_session(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	return run(pamh, flags, argc, argv, ecs_pam_open_session, PAM_PERM_DENIED, PAM_SYSTEM_ERR);
}

ECS_PAM_EXPORT int
pam_sm_close_session(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	return run(pamh, flags, argc, argv, ecs_pam_close_session, PAM_SESSION_ERR, PAM_SESSION_ERR);
}
