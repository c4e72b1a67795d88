/* pam_server.h — finding the helper server (ecs_helper_server.h) from inside the PAM
 * application's process. */
#ifndef ECS_PAM_SERVER_H
#define ECS_PAM_SERVER_H

#include <security/pam_modules.h>

/* Connect to the helper server on ECS_HELPER_SOCKET: *fd is a non-blocking, close-on-exec
 * connection to a server run by root. -ENOENT when no server listens there (no socket, one
 * left by a server that stopped, or a full listen queue): the caller starts the helper
 * itself. -EPERM (logged) when the socket is served by anyone but root: refused, never
 * fallen back from, since a stranger answering in the helper's place is an attack. */
int ecs_server_connect(pam_handle_t *pamh, int *fd);

#endif
