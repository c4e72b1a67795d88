/* client_chan.c — the parent/askpass channel of ecs-saml-ssh (client_chan.h). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "client_chan.h"
#include "ecs_kbd_proto.h"
#include "ecs_io.h"

/* An askpass that connects and then stalls must not hang the login: ssh waits for it. */
#define IO_TIMEOUT_SEC 10
/* A reply is a status character and at most one chunk or header. */
#define REPLY_MAX (1 + ECS_KBD_PROTO_SSH_CUT + 1)

/* $XDG_RUNTIME_DIR only when it is really ours and private; a stale or shared value
 * falls back to /tmp, where mkdtemp's 0700 directory is just as private. */
static const char *
runtime_base(void)
{
	const char *x = getenv("XDG_RUNTIME_DIR");
	struct stat st;

	if (x == NULL || x[0] != '/' || stat(x, &st) < 0 || !S_ISDIR(st.st_mode) ||
	    st.st_uid != getuid() || (st.st_mode & 077) != 0)
		return "/tmp";
	return x;
}

static int
set_timeouts(int fd)
{
	struct timeval tv = { .tv_sec = IO_TIMEOUT_SEC };

	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0)
		return -errno;
	return 0;
}

static int
peer_is_us(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
		return -errno;
	return cred.uid == getuid() ? 0 : -EPERM;
}

/* The name of the askpass link next to the socket. */
#define ASKPASS_NAME "askpass"

int
ecs_client_chan_open(struct ecs_client_chan *c, const char *self)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int n, r = 0;

	c->lfd = -1;
	c->path[0] = '\0';
	c->askpass[0] = '\0';
	n = snprintf(c->dir, sizeof(c->dir), "%s/ecs-saml-ssh.XXXXXX", runtime_base());
	if (n < 0 || (size_t)n >= sizeof(c->dir)) {
		c->dir[0] = '\0';
		r = -ENAMETOOLONG;
		goto out;
	}
	if (mkdtemp(c->dir) == NULL) {
		c->dir[0] = '\0';
		r = -errno;
		goto out;
	}
	n = snprintf(c->path, sizeof(c->path), "%s/sock", c->dir);
	if (n < 0 || (size_t)n >= sizeof(c->path)) {
		c->path[0] = '\0';
		r = -ENAMETOOLONG;
		goto out;
	}
	memcpy(sa.sun_path, c->path, (size_t)n + 1);
	n = snprintf(c->askpass, sizeof(c->askpass), "%s/" ASKPASS_NAME, c->dir);
	if (n < 0 || (size_t)n >= sizeof(c->askpass)) {
		c->askpass[0] = '\0';
		r = -ENAMETOOLONG;
		goto out;
	}
	if (symlink(self, c->askpass) < 0) {
		c->askpass[0] = '\0';
		r = -errno;
		goto out;
	}
	c->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->lfd < 0 || bind(c->lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(c->lfd, 4) < 0)
		r = -errno;
out:
	if (r < 0)
		ecs_client_chan_close(c);
	return r;
}

void
ecs_client_chan_close(struct ecs_client_chan *c)
{
	ecs_close(&c->lfd);
	if (c->path[0] != '\0')
		unlink(c->path);
	if (c->askpass[0] != '\0')
		unlink(c->askpass);
	if (c->dir[0] != '\0')
		rmdir(c->dir);
	c->path[0] = '\0';
	c->askpass[0] = '\0';
	c->dir[0] = '\0';
}

bool
ecs_client_chan_is_askpass(const char *argv0, const char *sock)
{
	const char *slash = strrchr(sock, '/');
	size_t dlen;

	if (slash == NULL || sock[0] != '/')
		return false;
	dlen = (size_t)(slash - sock) + 1;
	return strncmp(argv0, sock, dlen) == 0 && strcmp(argv0 + dlen, ASKPASS_NAME) == 0;
}

static char
status_of(int r)
{
	switch (r) {
	case 0:
		return ECS_CHAN_OK;
	case -EPROTO:
		return ECS_CHAN_REFUSED;
	case -EALREADY:
		return ECS_CHAN_ALREADY;
	case -ENOENT:
		return ECS_CHAN_NOROLE;
	default:
		return ECS_CHAN_ERROR;
	}
}

int
ecs_client_chan_serve_one(struct ecs_client_chan *c, struct ecs_client_answerer *a)
{
	struct ecs_buf prompt, reply;
	char status;
	int fd = -1;
	int r;

	ecs_buf_init(&prompt, ECS_KBD_PROTO_PROMPT_MAX);
	ecs_buf_init(&reply, REPLY_MAX);
	fd = accept4(c->lfd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		goto out;
	}
	r = peer_is_us(fd);
	if (r == 0)
		r = set_timeouts(fd);
	if (r == 0)
		r = ecs_read_all(fd, &prompt);
	if (r < 0)
		goto out;
	/* An empty or NUL-carrying prompt is not one of ours. */
	if (prompt.len == 0 || memchr(prompt.data, '\0', prompt.len) != NULL)
		status = ECS_CHAN_REFUSED;
	else
		status = status_of(ecs_client_answer(a, (const char *)prompt.data, &reply));
	if (status != ECS_CHAN_OK)
		ecs_buf_clear(&reply);
	r = ecs_write_all(fd, &status, 1);
	if (r == 0)
		r = ecs_write_all(fd, reply.data, reply.len);
	if (r == 0)
		r = (unsigned char)status;
out:
	ecs_close(&fd);
	ecs_buf_free(&prompt);
	ecs_buf_free(&reply);
	return r;
}

int
ecs_client_chan_ask(const char *path, const char *prompt, struct ecs_buf *answer)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct ecs_buf reply;
	int fd = -1;
	int r;

	ecs_buf_init(&reply, REPLY_MAX);
	if (strlen(path) >= sizeof(sa.sun_path)) {
		r = -ENAMETOOLONG;
		goto out;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		r = -errno;
		goto out;
	}
	r = peer_is_us(fd);
	if (r == 0)
		r = set_timeouts(fd);
	if (r == 0)
		r = ecs_write_all(fd, prompt, strlen(prompt));
	if (r == 0 && shutdown(fd, SHUT_WR) < 0)
		r = -errno;
	if (r == 0)
		r = ecs_read_all(fd, &reply);
	if (r < 0)
		goto out;
	if (reply.len == 0) {
		r = -EPROTO;
		goto out;
	}
	r = ecs_buf_append(answer, reply.data + 1, reply.len - 1);
	if (r == 0)
		r = reply.data[0];
out:
	ecs_close(&fd);
	ecs_buf_free(&reply);
	return r;
}
