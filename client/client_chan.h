/* client_chan.h — how the askpass child gets each answer from the ecs-saml-ssh parent.
 *
 * ssh runs SSH_ASKPASS as a fresh process per prompt with only the prompt text in argv and
 * its other descriptors closed, so the Response has to be fetched from somewhere. It must
 * never touch disk or argv, so the parent keeps it in memory and answers over a unix stream
 * socket bound inside a fresh mkdtemp() directory (mode 0700, in $XDG_RUNTIME_DIR when that
 * is a private directory, else /tmp). The directory mode keeps other users from even
 * connecting; both ends also check SO_PEERCRED so that each talks only to its own uid. A
 * same-uid process could ptrace either end anyway, so the uid is the real trust boundary,
 * and the parent marks itself non-dumpable so that boundary is the only one.
 *
 * A memfd read through /proc/<pid>/fd was the alternative: it would need the parent to stay
 * dumpable (or /proc would refuse the read), and it hands the whole Response to every
 * askpass run instead of one chunk per prompt.
 *
 * Wire: the askpass writes the prompt text and shuts its write side; the parent replies with
 * one status character then the answer text, and closes.
 *
 * Which process is the askpass: ECS_CLIENT_SOCK_ENV alone cannot tell, since every child of
 * ssh inherits it (a ProxyCommand, a LocalCommand, a Match exec), and `ecs-saml-ssh host`
 * run there also has one argument. So ssh is given, as its askpass, a symlink to this
 * program inside the private directory, and ssh passes that path as argv[0]: askpass mode
 * needs argv[0] to be exactly that link, which nothing else runs by accident. */
#ifndef ECS_CLIENT_CHAN_H
#define ECS_CLIENT_CHAN_H

#include <limits.h>
#include <stdbool.h>
#include <sys/un.h>

#include "client_answer.h"
#include "ecs_buf.h"

/* The environment variable naming the socket for the askpass child (a path, not a secret). */
#define ECS_CLIENT_SOCK_ENV "ECS_SAML_SSH_SOCK"

/* Reply status characters. */
#define ECS_CHAN_OK '0'
#define ECS_CHAN_REFUSED 'P'	/* not our prompt, or out of order */
#define ECS_CHAN_ALREADY 'A'	/* the Response was already sent once */
#define ECS_CHAN_NOROLE 'R'	/* a role prompt --role does not answer */
#define ECS_CHAN_ERROR 'E'	/* anything else on the parent's side */

struct ecs_client_chan {
	char dir[PATH_MAX];
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char askpass[PATH_MAX];	/* the symlink to self given to ssh or sudo as askpass */
	int lfd;
};

/* Create the private directory, the askpass link to self (an absolute path) in it, and
 * listen there. 0 or -errno; on error nothing is left. */
int ecs_client_chan_open(struct ecs_client_chan *c, const char *self);

/* Stop listening and remove the socket and its directory. Safe to call twice. */
void ecs_client_chan_close(struct ecs_client_chan *c);

/* Accept one connection and answer it with a. Returns the status character sent (so the
 * caller can report a refusal), or -errno when the exchange itself failed (including a peer
 * of another uid, which is dropped unanswered: -EPERM). */
int ecs_client_chan_serve_one(struct ecs_client_chan *c, struct ecs_client_answerer *a);

/* Whether a process started as argv0 with sock in ECS_CLIENT_SOCK_ENV is the askpass of
 * the channel at sock: argv0 is the askpass link next to sock. */
bool ecs_client_chan_is_askpass(const char *argv0, const char *sock);

/* Askpass side: send prompt to the parent at path and return its status character, with the
 * answer text in answer (a secret: the caller wipes it). -errno when the parent cannot be
 * reached or is not our uid. */
int ecs_client_chan_ask(const char *path, const char *prompt, struct ecs_buf *answer);

#endif
