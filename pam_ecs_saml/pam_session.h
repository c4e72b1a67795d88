/* pam_session.h — the module's session flows: open and close.
 *
 * Each returns 0 or -errno / -ECS_E*; -ENODATA means "nothing of ours to do here" (no
 * ticket at session open, no session tag at close), which the shim reports as PAM_IGNORE.
 * flags are the application's; with PAM_SILENT no message is shown to the user. */
#ifndef ECS_PAM_SESSION_H
#define ECS_PAM_SESSION_H

#include <security/pam_modules.h>

#include "pam_args.h"

/* The PAM environment variable with the session tag, for a close in another process. */
#define ECS_ENV_SESSION "PAM_ECS_SAML_SESSION"

/* Redeem the ticket auth left in ECS_ENV_TICKET (and remove it): the helper fetches the
 * credentials; their paths, region and expiry and the session tag go to the environment. */
int ecs_pam_open_session(pam_handle_t *pamh, int flags, const struct ecs_pam_args *a);

/* End the session this handle (or, after a fork, ECS_ENV_SESSION) names: the helper
 * removes its credentials; the variables go from the environment either way. */
int ecs_pam_close_session(pam_handle_t *pamh, int flags, const struct ecs_pam_args *a);

#endif
