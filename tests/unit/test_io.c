/* test_io.c — ecs_read_all, ecs_write_all and ecs_close. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ecs_io.h"
#include "tap.h"

static volatile sig_atomic_t sigpipes;

static void
on_sigpipe(int sig)
{
	(void)sig;
	sigpipes++;
}

static void
test_roundtrip(void)
{
	static const char msg[] = "a message that crosses a pipe";
	struct ecs_buf in;
	int p[2];

	T_OK(pipe(p) == 0, "pipe");
	T_OK(ecs_write_all(p[1], msg, sizeof(msg)) == 0, "write_all to a pipe (not a socket)");
	ecs_close(&p[1]);
	T_OK(p[1] == -1, "ecs_close sets the fd to -1");
	ecs_buf_init(&in, 64);
	T_OK(ecs_read_all(p[0], &in) == 0 && in.len == sizeof(msg) &&
		     memcmp(in.data, msg, sizeof(msg)) == 0, "read_all reads back to EOF");
	ecs_close(&p[0]);
	ecs_buf_free(&in);
}

static void
test_cap(void)
{
	struct ecs_buf in;
	int sv[2];

	T_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair");
	T_OK(ecs_write_all(sv[1], "0123456789", 10) == 0, "write_all to a socket");
	ecs_close(&sv[1]);
	ecs_buf_init(&in, 8);
	T_OK(ecs_buf_append(&in, "ab", 2) == 0, "prefix");
	T_OK(ecs_read_all(sv[0], &in) == -E2BIG, "more than the buffer's max is -E2BIG");
	T_OK(in.len == 2 && memcmp(in.data, "ab", 2) == 0, "a refused read leaves the buffer as it was");
	ecs_close(&sv[0]);
	ecs_buf_free(&in);
	T_OK(ecs_read_all(-1, &in) == -EBADF, "a bad fd is -errno");
}

/* A closed peer must give -EPIPE, for a socket and for a pipe, and never a SIGPIPE. */
static void
test_no_sigpipe(void)
{
	sigset_t mask;
	int sv[2], p[2];

	signal(SIGPIPE, on_sigpipe);
	T_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair");
	ecs_close(&sv[0]);
	T_OK(ecs_write_all(sv[1], "x", 1) == -EPIPE, "socket peer gone: -EPIPE");
	ecs_close(&sv[1]);
	T_OK(pipe(p) == 0, "pipe");
	ecs_close(&p[0]);
	T_OK(ecs_write_all(p[1], "x", 1) == -EPIPE, "pipe reader gone: -EPIPE");
	ecs_close(&p[1]);
	T_OK(sigpipes == 0, "no SIGPIPE delivered (got %d)", (int)sigpipes);
	sigprocmask(SIG_SETMASK, NULL, &mask);
	T_OK(!sigismember(&mask, SIGPIPE), "the signal mask is restored");
	signal(SIGPIPE, SIG_DFL);
}

int
main(void)
{
	test_roundtrip();
	test_cap();
	test_no_sigpipe();
	T_DONE();
}
