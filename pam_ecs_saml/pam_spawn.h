/* pam_spawn.h — running ecs-saml-helper from inside the PAM application's process. */
#ifndef ECS_PAM_SPAWN_H
#define ECS_PAM_SPAWN_H

#include <security/pam_modules.h>

#include "ecs_buf.h"

/* Run `ECS_HELPER_PATH verb` with an empty environment, hand it the wire message
 * request[len] on stdin and collect its stdout into *reply (initialised here, capped at
 * ECS_HELPER_PROTO_MAX_TOTAL; caller frees with ecs_buf_free, which wipes). The helper gets
 * timeout_s seconds before it is killed.
 * Returns the helper's verdict, its exit status decoded by ecs_exit_to_err (0, -ECS_EREJECT,
 * -ECS_ECONFIG, -EIO), or -ETIMEDOUT (killed at the deadline), -EBADMSG (reply over the cap), or -errno when it could not be run. Whatever
 * the helper wrote is left in *reply in every case, so its message can still be shown. */
int ecs_spawn_helper(pam_handle_t *pamh, const char *verb, const void *request, size_t len,
		     unsigned timeout_s, struct ecs_buf *reply);

#endif
