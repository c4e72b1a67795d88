/* serve.h — `ecs-saml-helper serve`: the helper kept warm for the PAM module.
 *
 * The server loads what the module's verbs use (OpenSSL, libxml2, xmlsec, libcurl) once,
 * then accepts connections on its socket (ECS_HELPER_SOCKET, or the one systemd passes) and
 * forks one child per request. The child is the helper as the module would have started it:
 * stdin and stdout are the connection, stderr /dev/null, no other descriptor, default
 * signals, the caller's pid from SO_PEERCRED (caller.h); it reads the verb from the
 * preamble (ecs_helper_server.h) and runs it. The server itself never reads a request: it
 * checks the peer is uid 0, appends the child's wait status when the child has exited, kills
 * a child whose module hung up or that outlives ECS_SERVE_CHILD_LIMIT_S, and keeps at most
 * ECS_SERVE_MAX_CHILDREN at once (more connections wait in the listen queue). Requests share
 * nothing: each child reads the configuration, the trust anchors and the spool afresh.
 * SIGTERM and SIGINT stop the accepting; the server exits once its children have. */
#ifndef ECS_SERVE_H
#define ECS_SERVE_H

#define ECS_SERVE_MAX_CHILDREN 256
#define ECS_SERVE_CHILD_LIMIT_S 300

/* run_verb runs one module verb in the child (the verb's name from the preamble) and returns
 * its exit status; it refuses a name that is not a module verb. socket_path: where to listen
 * when systemd passed no socket. 0 once stopped by SIGTERM or SIGINT, or -errno (told on
 * stderr) when it cannot serve. */
int ecs_serve(const char *socket_path, int (*run_verb)(const char *verb));

#endif
