/* test_audit_journal.c — the journal sink speaks journald's native protocol itself; the
 * reference is journald's own client library: for the same fields, the datagram the sink
 * sends is byte for byte the one sd_journal_sendv sends. Both go to the fixed socket path, so
 * the test runs in a private mount namespace whose /run is a tmpfs holding a socket of its
 * own (root; the host's /run is never touched). Every case names SYSLOG_IDENTIFIER, as the
 * helper's records do: libsystemd adds one when it is missing. */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
/* the reference without the caller's source location, which libsystemd's macro adds */
#define SD_JOURNAL_SUPPRESS_LOCATION
#include <systemd/sd-journal.h>
#include <unistd.h>

#include "audit/audit_sink.h"
#include "ecs_buf.h"
#include "tap.h"

#define SOCK "/run/systemd/journal/socket"

static int
private_run(void)
{
	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("tmpfs", "/run", "tmpfs", 0, "mode=0755") < 0 || mkdir("/run/systemd", 0755) < 0 ||
	    mkdir("/run/systemd/journal", 0755) < 0)
		return -errno;
	return 0;
}

static int
listener(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX, .sun_path = SOCK };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -1;
	return fd;
}

#define IOV(s) { .iov_base = (void *)(s), .iov_len = sizeof(s) - 1 }

/* one case: sd_journal_sendv's datagram, then ours, compared */
static void
same_as_libsystemd(int fd, const struct iovec *iov, int n, const char *what)
{
	static char ref[8192], ours[8192];
	ssize_t a = -1, b = -1;

	if (sd_journal_sendv(iov, n) == 0)
		a = recv(fd, ref, sizeof(ref), 0);
	if (ecs_audit_journal_send(iov, n) == 0)
		b = recv(fd, ours, sizeof(ours), 0);
	T_OK(a > 0 && a == b && memcmp(ref, ours, (size_t)a) == 0, "%s: the same datagram as "
	     "sd_journal_sendv (%zd and %zd bytes)", what, a, b);
}

int
main(void)
{
	static const struct iovec plain[] = { IOV("MESSAGE=session open: user=alice"),
		IOV("MESSAGE_ID=0c5a7b2f6e8d4a1b9c3d5e7f9a1b3c5d"), IOV("PRIORITY=6"),
		IOV("SYSLOG_IDENTIFIER=ecs-saml-helper"), IOV("ECS_USER=alice") };
	static const struct iovec newline[] = { IOV("MESSAGE=two\nlines"),
		IOV("ECS_RHOST=a\nb\n"), IOV("ECS_EMPTY="),
		IOV("SYSLOG_IDENTIFIER=ecs-saml-helper") };
	static const struct iovec binary[] = { IOV("ECS_NAMEID=\x01\xff\x7f=x\n\n"),
		IOV("SYSLOG_IDENTIFIER=ecs-saml-helper") };
	const struct iovec bad[] = { IOV("NO_EQUALS_SIGN") };
	struct ecs_buf dg;
	int fd, r;

	r = private_run();
	T_OK(r == 0, "a private /run in a mount namespace (%s)", strerror(-r));
	if (r < 0)
		T_DONE();
	T_OK(ecs_audit_journal_send(plain, 5) == 0, "no journald socket: nothing sent, no error");
	fd = listener();
	T_OK(fd >= 0, "the test's journal socket");
	if (fd < 0)
		T_DONE();
	same_as_libsystemd(fd, plain, 5, "plain fields");
	same_as_libsystemd(fd, newline, 4, "values with newlines (the binary form), an empty one");
	same_as_libsystemd(fd, binary, 2, "a value of any bytes");
	ecs_buf_init(&dg, 1024);
	T_OK(ecs_audit_journal_frame(bad, 1, &dg) == -EINVAL, "a field without a name is refused");
	ecs_buf_free(&dg);
	close(fd);
	T_DONE();
}
