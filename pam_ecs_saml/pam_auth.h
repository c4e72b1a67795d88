/* pam_auth.h — the module's authentication flow.
 *
 * Returns 0 or -errno / -ECS_E*, which the shim (pam_ecs_saml.c) maps to a PAM code. flags
 * are the application's; with PAM_SILENT no message is shown to the user. */
#ifndef ECS_PAM_AUTH_H
#define ECS_PAM_AUTH_H

#include <security/pam_modules.h>

#include "pam_args.h"

/* The PAM environment variable that hands the session phase its ticket id: the only thing
 * that crosses from auth to session under sshd. Not secret: a ticket id names a root-only
 * spool entry and is consumed once. */
#define ECS_ENV_TICKET "PAM_ECS_SAML_TICKET"

/* Take a SAML Response from the user, have the helper verify it (with a role choice when
 * there are several) and leave the ticket id in ECS_ENV_TICKET. */
int ecs_pam_authenticate(pam_handle_t *pamh, int flags, const struct ecs_pam_args *a);

#endif
