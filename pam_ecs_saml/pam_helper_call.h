/* pam_helper_call.h — one round trip with the helper, as every flow of the module makes it:
 * the PAM user, the frames every request starts with, the run, the checked reply, and the
 * helper's message for the user. */
#ifndef ECS_PAM_HELPER_CALL_H
#define ECS_PAM_HELPER_CALL_H

#include <security/pam_modules.h>

#include "ecs_buf.h"
#include "pam_args.h"
#include "pam_helper_reply.h"

/* A PAM item's text (PAM_SERVICE, PAM_RHOST), "" when unset. */
const char *ecs_call_item(pam_handle_t *pamh, int item);

/* PAM_USER, which must be a valid Unix user name. 0, -ECS_EREJECT (logged) or -EIO. */
int ecs_call_user(pam_handle_t *pamh, const char **user);

/* Start a request (initialises req) with the frames every verb takes: user, service, rhost
 * and the module arguments the helper applies over the configuration file. */
int ecs_call_begin(pam_handle_t *pamh, const struct ecs_pam_args *a, const char *user,
		   struct ecs_buf *req);

/* Add the user's uid and gid as this application resolves them, which the helper checks
 * against its own lookup. -ECS_EREJECT (logged) when the application does not know user. */
int ecs_call_put_ids(pam_handle_t *pamh, const char *user, struct ecs_buf *req);

/* Show msg to the user as an error, unless the application asked for silence (PAM_SILENT
 * in flags): sudo -n and the like pass it so that only the outcome reaches the terminal. */
void ecs_call_tell_user(pam_handle_t *pamh, int flags, const char *msg);

/* Run verb with the finished request req and parse its reply into *rep (filled or empty
 * either way; caller frees with ecs_reply_free). On failure the helper's message, if any,
 * is shown to the user; with a->debug the verdict and the time taken are logged. 0 or the
 * helper's verdict (see ecs_spawn_helper), -EBADMSG for a malformed reply. */
int ecs_call_helper(pam_handle_t *pamh, int flags, const struct ecs_pam_args *a,
		    const char *verb, const struct ecs_buf *req, struct ecs_helper_reply *rep);

#endif
