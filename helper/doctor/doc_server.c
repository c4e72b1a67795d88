/* doc_server.c — doctor's check of the helper server (serve.h): whether the module will find
 * one on its socket, and whether it may talk to it. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "doctor.h"
#include "ecs_helper_server.h"
#include "ecs_io.h"

#define ENABLE "systemctl enable --now ecs-saml-helper.socket (README 4.8)"

int
ecs_doc_check_server(struct ecs_doc *d)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX, .sun_path = ECS_HELPER_SOCKET };
	struct ucred peer;
	socklen_t len = sizeof(peer);
	int fd;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return errno == ENOMEM ? -ENOMEM : 0;
	/* connected, the server forks a child that reads an empty preamble and exits */
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		if (errno == ENOENT)
			ecs_doc_add(d, ECS_DOC_INFO, "server-absent", ENABLE, "no helper server on "
				    ECS_HELPER_SOCKET ": the module starts the helper for each request");
		else
			ecs_doc_add(d, ECS_DOC_WARN, "server-stale",
				    "systemctl restart ecs-saml-helper.socket, or remove the file",
				    "nobody answers on " ECS_HELPER_SOCKET " (%s): the server has "
				    "stopped, and the module starts the helper for each request",
				    strerror(errno));
	} else if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &len) < 0 ||
		   len != sizeof(peer) || peer.uid != 0) {
		ecs_doc_add(d, ECS_DOC_FAIL, "server-not-root",
			    "stop whatever listens there and remove the file; " ENABLE,
			    "the process on " ECS_HELPER_SOCKET " is not root's (uid %ld): the "
			    "module refuses it, so every login is refused",
			    len == sizeof(peer) ? (long)peer.uid : -1L);
	} else {
		ecs_doc_add(d, ECS_DOC_OK, "server", NULL, "the helper server answers on "
			    ECS_HELPER_SOCKET " (pid %ld)", (long)peer.pid);
	}
	ecs_close(&fd);
	return 0;
}
