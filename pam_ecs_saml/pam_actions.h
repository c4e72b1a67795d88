/* pam_actions.h — the module's three flows: authenticate, open and close a session.
 *
 * Each returns 0 or -errno / -ECS_E*; -ENODATA means "nothing of ours to do here" (no
 * ticket at session open, no session tag at close), which the shim reports as PAM_IGNORE.
 * flags are the application's; with PAM_SILENT no message is shown to the user. */
#ifndef ECS_PAM_ACTIONS_H
#define ECS_PAM_ACTIONS_H

#include <security/pam_modules.h>

#include "pam_args.h"

/* PAM environment names: the hand-off from auth to session (not secret: a ticket id names
 * a root-only spool entry and is consumed once) and the session tag for close. */
#define ECS_ENV_TICKET "PAM_ECS_SAML_TICKET"
#define ECS_ENV_SESSION "PAM_ECS_SAML_SESSION"

int ecs_action_authenticate(pam_handle_t *pamh, int flags, const struct ecs_pam_args *a);
int ecs_action_open_session(pam_handle_t *pamh, int flags, const struct ecs_pam_args *a);
int ecs_action_close_session(pam_handle_t *pamh, int flags, const struct ecs_pam_args *a);

#endif
