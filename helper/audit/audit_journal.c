/* audit_journal.c — the journal sink (audit_sink.h): journald's native protocol spoken
 * directly, one datagram per record to its socket. Framing a dozen fields is a few lines;
 * linking libsystemd for it made every helper start, auth and session close included, load
 * libsystemd's tree of six more libraries (issue 14: a login's cost is mostly the loader). */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "audit.h"
#include "audit_sink.h"
#include "ecs_buf.h"

#define JOURNAL_SOCKET "/run/systemd/journal/socket"
#define JOURNAL_WAIT_MS 1000

/* One field in the native protocol: "NAME=value\n", or, when the value holds a newline,
 * "NAME\n", the value's length as 64-bit little-endian, the value, "\n". */
static int
frame_field(struct ecs_buf *dg, const char *field, size_t len)
{
	const char *eq = memchr(field, '=', len);
	const char *value;
	size_t name_len, value_len;
	unsigned char le[8];
	uint64_t v;
	int r;

	if (eq == NULL || eq == field)
		return -EINVAL;
	value = eq + 1;
	name_len = (size_t)(eq - field);
	value_len = len - name_len - 1;
	if (memchr(value, '\n', value_len) == NULL) {
		r = ecs_buf_append(dg, field, len);
		return r < 0 ? r : ecs_buf_append(dg, "\n", 1);
	}
	v = value_len;
	for (int i = 0; i < 8; i++, v >>= 8)
		le[i] = (unsigned char)(v & 0xff);
	if ((r = ecs_buf_append(dg, field, name_len)) < 0 || (r = ecs_buf_append(dg, "\n", 1)) < 0 ||
	    (r = ecs_buf_append(dg, le, sizeof(le))) < 0 ||
	    (r = ecs_buf_append(dg, value, value_len)) < 0)
		return r;
	return ecs_buf_append(dg, "\n", 1);
}

int
ecs_audit_journal_frame(const struct iovec *iov, int n, struct ecs_buf *dg)
{
	int r = 0;

	for (int i = 0; i < n && r == 0; i++)
		r = frame_field(dg, iov[i].iov_base, iov[i].iov_len);
	return r;
}

int
ecs_audit_journal_send(const struct iovec *iov, int n)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX, .sun_path = JOURNAL_SOCKET };
	struct pollfd pfd = { .events = POLLOUT };
	struct msghdr msg = { .msg_name = &sa, .msg_namelen = sizeof(sa), .msg_iovlen = 1 };
	struct iovec whole;
	struct ecs_buf dg;
	struct stat st;
	int fd = -1, r;

	ecs_buf_init(&dg, ECS_AUDIT_RECORD_MAX * 3);
	/* no journald on this host (or in this container): nothing to wait for */
	if (stat(JOURNAL_SOCKET, &st) < 0 || !S_ISSOCK(st.st_mode)) {
		r = 0;
		goto out;
	}
	r = ecs_audit_journal_frame(iov, n, &dg);
	if (r < 0)
		goto out;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		r = -errno;
		goto out;
	}
	whole.iov_base = dg.data;
	whole.iov_len = dg.len;
	msg.msg_iov = &whole;
	/* A journald that is there but does not read fills its socket's queue; a login never
	 * waits on it for more than a second. */
	pfd.fd = fd;
	for (int tries = 0;; tries++) {
		if (sendmsg(fd, &msg, MSG_NOSIGNAL) >= 0) {
			r = 0;
			break;
		}
		r = -errno;
		if ((r != -EAGAIN && r != -EINTR) || tries > 0)
			break;
		if (poll(&pfd, 1, JOURNAL_WAIT_MS) <= 0) {
			r = -ETIMEDOUT;
			break;
		}
	}
out:
	if (fd >= 0)
		close(fd);
	ecs_buf_free(&dg);
	return r;
}
