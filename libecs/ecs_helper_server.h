/* ecs_helper_server.h — the wire between the PAM module and the helper server
 * (`ecs-saml-helper serve`, helper/serve.h).
 *
 * Why a server at all: a login runs three helper verbs (auth, session-open, session-close),
 * and started afresh each one spends most of its time in exec and the dynamic linker
 * (OpenSSL, libxml2, xmlsec, libcurl), not in its work. The server has them loaded once and
 * forks one child per request; the child runs the very verb code the exec'd helper runs, so
 * a request through the server and one through a fresh helper are answered alike. When no
 * server listens, the module starts the helper as before (pam_ecs_saml/pam_spawn.c).
 *
 * On ECS_HELPER_SOCKET (a stream socket, mode 0600, root's), the module sends the verb's name
 * and a newline (the preamble), then the request message exactly as it would write it to a
 * fresh helper's stdin (ecs_helper_proto.h), and shuts its writing side. It reads back the
 * helper's stdout, as it would from a fresh helper, followed by a trailer the server appends
 * once the child has exited: the magic "ECSX" and the child's wait status (as waitpid gives
 * it, u32 big-endian). A reply without a trailer (the server died) is a failed exchange.
 * Each side checks the other's credentials (SO_PEERCRED): the server serves only uid 0, the
 * module talks only to a server run by root. */
#ifndef ECS_HELPER_SERVER_H
#define ECS_HELPER_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ecs_buf.h"

/* Unit tests build the module with a socket of their own (tests/pam.mk). */
#ifndef ECS_HELPER_SOCKET
#define ECS_HELPER_SOCKET "/run/pam_ecs_saml/helper.sock"
#endif
#define ECS_HELPER_SERVER_VERB_MAX 32		/* bytes of a verb's name, newline excluded */
#define ECS_HELPER_SERVER_TRAILER_MAGIC "ECSX"
#define ECS_HELPER_SERVER_TRAILER_LEN 8

/* true for a verb name the preamble may carry: 1..ECS_HELPER_SERVER_VERB_MAX of [a-z-] */
bool ecs_helper_server_verb_ok(const char *verb, size_t len);

/* The trailer for wait status `status`. */
void ecs_helper_server_trailer(int status, uint8_t out[ECS_HELPER_SERVER_TRAILER_LEN]);

/* Take the trailer off the end of reply: *status is the child's wait status and reply keeps
 * only the helper's own output. 0, or -EBADMSG when reply does not end with a trailer. */
int ecs_helper_server_untrail(struct ecs_buf *reply, int *status);

#endif
