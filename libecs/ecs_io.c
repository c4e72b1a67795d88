/* ecs_io.c — whole reads and writes on a descriptor (see ecs_io.h).
 *
 * The PAM module writes from inside sshd, sudo or login: a SIGPIPE there would kill the
 * application, and its disposition is not ours to change. So no write here may raise one. */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ecs_io.h"
#include "ecs_secmem.h"

#define ECS_IO_CHUNK 4096

void
ecs_close(int *fd)
{
	int saved = errno;

	if (*fd >= 0)
		close(*fd);
	*fd = -1;
	errno = saved;
}

int
ecs_read_all(int fd, struct ecs_buf *out)
{
	uint8_t chunk[ECS_IO_CHUNK];
	size_t old_len = out->len;
	int r = 0;

	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			break;
		}
		if (n == 0)
			break;
		r = ecs_buf_append(out, chunk, (size_t)n);
		if (r < 0)
			break;
	}
	/* the bytes may be a SAML Response or a PAM answer */
	ECS_WIPE_OBJ(chunk);
	if (r < 0)
		ecs_buf_truncate(out, old_len);
	return r;
}

/* write() to a non-socket (a pipe) with SIGPIPE blocked for this thread. A SIGPIPE the
 * write raises stays pending while blocked and is consumed before the mask is restored,
 * unless one was already pending before: that one belongs to someone else. */
static ssize_t
ecs_io_write_nosigpipe(int fd, const void *p, size_t n)
{
	static const struct timespec zero = { 0, 0 };
	sigset_t pipe_set, old_mask, pending;
	bool was_pending;
	ssize_t w;
	int saved;
	int r;

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigpending(&pending);
	was_pending = sigismember(&pending, SIGPIPE);
	r = pthread_sigmask(SIG_BLOCK, &pipe_set, &old_mask);
	if (r != 0) {
		errno = r;
		return -1;
	}
	w = write(fd, p, n);
	saved = errno;
	if (w < 0 && saved == EPIPE && !was_pending) {
		while (sigtimedwait(&pipe_set, NULL, &zero) < 0 && errno == EINTR)
			;
	}
	pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
	errno = saved;
	return w;
}

int
ecs_write_all(int fd, const void *p, size_t n)
{
	const uint8_t *s = p;
	bool sock = true;

	while (n > 0) {
		ssize_t w;

		if (sock) {
			w = send(fd, s, n, MSG_NOSIGNAL);
			if (w < 0 && errno == ENOTSOCK) {
				sock = false;
				continue;
			}
		} else {
			w = ecs_io_write_nosigpipe(fd, s, n);
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}
