/* pam_server.c — connecting to the helper server (pam_server.h). */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>

#include "ecs_helper_server.h"
#include "ecs_io.h"
#include "ecs_logrec.h"
#include "pam_log.h"
#include "pam_server.h"

int
ecs_server_connect(pam_handle_t *pamh, int *fd)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX, .sun_path = ECS_HELPER_SOCKET };
	struct ucred peer;
	socklen_t len = sizeof(peer);
	struct ecs_logrec rec;
	int s;
	int r = 0;

	*fd = -1;
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s < 0)
		return -ENOENT;
	if (connect(s, (struct sockaddr *)&a, sizeof(a)) < 0) {
		/* no server, a dead one's socket, or a full queue: the helper starts afresh */
		r = -ENOENT;
		goto out;
	}
	if (getsockopt(s, SOL_SOCKET, SO_PEERCRED, &peer, &len) < 0 || len != sizeof(peer) ||
	    peer.uid != 0) {
		ecs_logrec_init(&rec, "helper socket refused");
		ecs_logrec_add(&rec, "socket", ECS_HELPER_SOCKET);
		if (len == sizeof(peer))
			ecs_logrec_addf(&rec, "server_uid", "%ld", (long)peer.uid);
		ecs_logrec_add(&rec, "reason", "the server there is not root's");
		ecs_pam_log_rec(pamh, LOG_ERR, &rec);
		r = -EPERM;
		goto out;
	}
	*fd = s;
	s = -1;
out:
	ecs_close(&s);
	return r;
}
