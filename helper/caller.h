/* caller.h — the process of the PAM application that asked (sshd's or sudo's process running
 * the module): the one a session record names, and whose end ends the login.
 *
 * Started by the module, the helper's parent is that process. Run by the helper server
 * (serve.h), the parent is the server; the server sets the caller to the pid the kernel
 * gave for the connecting process (SO_PEERCRED) before the verb runs. */
#ifndef ECS_CALLER_H
#define ECS_CALLER_H

#include <sys/types.h>

/* The caller's pid: the one set by ecs_caller_set, else the parent's. */
pid_t ecs_caller_pid(void);

/* For the server's child only, before it runs a verb. */
void ecs_caller_set(pid_t pid);

#endif
