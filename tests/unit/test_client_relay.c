/* test_client_relay.c — ecs-saml-ssh's relay of ssh's standard error: everything passes
 * through unchanged, and the method list of ssh's "Permission denied (...)" line is kept,
 * however the bytes arrive. */
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "client_relay.h"
#include "tap.h"

static void
feed_str(struct ecs_client_relay *r, const char *s)
{
	ecs_client_relay_feed(r, s, strlen(s));
}

int
main(void)
{
	static const char ssh_err[] = "SAML response refused.\r\n\r\n"
				      "e2ex@127.0.0.1: Permission denied (keyboard-interactive).\r\n";
	struct ecs_client_relay r;
	char big[2000], out[256];
	int in[2], copy[2];
	ssize_t n;

	ecs_client_relay_init(&r);
	feed_str(&r, "e2ex@127.0.0.1: Permission denied (password).\n");
	T_OK(r.denied && strcmp(r.methods, "password") == 0, "the method list is kept");
	T_OK(!ecs_client_relay_offered(&r, "keyboard-interactive") &&
		     ecs_client_relay_offered(&r, "password"),
	     "password only: keyboard-interactive is not offered");

	ecs_client_relay_init(&r);
	for (size_t i = 0; i < sizeof(ssh_err) - 1; i++)
		ecs_client_relay_feed(&r, ssh_err + i, 1);
	T_OK(r.denied && ecs_client_relay_offered(&r, "keyboard-interactive"),
	     "byte by byte: the same verdict");

	ecs_client_relay_init(&r);
	feed_str(&r, "a@b: Permission denied (publickey,keyboard-interactive-x,password).\n");
	T_OK(!ecs_client_relay_offered(&r, "keyboard-interactive"),
	     "a method is matched whole, not by prefix");

	ecs_client_relay_init(&r);
	feed_str(&r, "ssh: connect to host 127.0.0.1 port 1: Connection refused\n");
	T_OK(!r.denied, "no Permission denied line: nothing kept");
	feed_str(&r, "a@b: Permission denied (password");
	T_OK(!r.denied, "a line is judged only once it ends");

	ecs_client_relay_init(&r);
	memset(big, 'x', sizeof(big));
	ecs_client_relay_feed(&r, big, sizeof(big));
	feed_str(&r, ": Permission denied (password).\n");
	T_OK(!r.denied, "an overlong line is passed through, not scanned");
	feed_str(&r, "a@b: Permission denied (password).\n");
	T_OK(r.denied, "... and the next line is scanned again");

	T_OK(pipe2(in, O_NONBLOCK) == 0 && pipe(copy) == 0, "pipes");
	T_OK(write(in[1], ssh_err, sizeof(ssh_err) - 1) == (ssize_t)sizeof(ssh_err) - 1, "write");
	ecs_client_relay_init(&r);
	T_OK(ecs_client_relay_pump(&r, in[0], copy[1]) == 0, "pump: nothing more for now");
	n = read(copy[0], out, sizeof(out));
	T_OK(n == (ssize_t)sizeof(ssh_err) - 1 && memcmp(out, ssh_err, (size_t)n) == 0,
	     "pump: the bytes pass through unchanged");
	T_OK(r.denied, "pump: and are scanned");
	close(in[1]);
	T_OK(ecs_client_relay_pump(&r, in[0], copy[1]) == 1, "pump: end of file");
	T_DONE();
}
