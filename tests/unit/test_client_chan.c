/* test_client_chan.c — the ecs-saml-ssh parent/askpass channel: a real unix socket in a
 * private directory, a forked "askpass" asking, the parent serving one request at a time. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client_answer.h"
#include "client_chan.h"
#include "ecs_kbd_proto.h"
#include "tap.h"

/* T_OK evaluates its condition twice; judge once and pass the value. */
static void
check(bool ok, const char *name)
{
	T_OK(ok, "%s", name);
}

/* In a child: ask prompt over path, exit with the status character, write the answer. */
static pid_t
ask_in_child(const char *path, const char *prompt, int outfd)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct ecs_buf answer;
		int r;

		ecs_buf_init(&answer, 4096);
		r = ecs_client_chan_ask(path, prompt, &answer);
		if (answer.len > 0 && write(outfd, answer.data, answer.len) < 0)
			_exit(99);
		_exit(r < 0 ? 100 : r);
	}
	return pid;
}

/* One round: the child asks, the parent serves; returns the child's status character and
 * the answer it received in got[]. */
static int
round_trip(struct ecs_client_chan *c, struct ecs_client_answerer *a, const char *prompt,
	   char *got, size_t gotsz)
{
	int pfd[2], st = 0;
	ssize_t n;
	pid_t pid;

	if (pipe(pfd) < 0)
		return -1;
	pid = ask_in_child(c->path, prompt, pfd[1]);
	close(pfd[1]);
	ecs_client_chan_serve_one(c, a);
	waitpid(pid, &st, 0);
	n = read(pfd[0], got, gotsz - 1);
	got[n > 0 ? n : 0] = '\0';
	close(pfd[0]);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int
main(void)
{
	static const char b64[] = "PFJlc3BvbnNlLz4=";	/* <Response/> */
	static const char header[] = "ecs-saml/1 chunks=1 length=16 sha256=";
	char prompt[ECS_KBD_PROTO_PROMPT_MAX], got[2048], dir[sizeof(((struct ecs_client_chan *)0)->dir)];
	char link[PATH_MAX], other[PATH_MAX + 16];
	ssize_t n;
	struct ecs_client_chan c;
	struct ecs_client_answerer a;
	struct stat st;
	int r;

	r = ecs_client_chan_open(&c, "/bin/true");
	check(r == 0, "channel opens");
	if (r < 0)
		T_DONE();
	check(stat(c.dir, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0700 &&
		      st.st_uid == getuid(),
	      "socket directory is private (0700, ours)");
	n = readlink(c.askpass, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	check(strcmp(link, "/bin/true") == 0, "the askpass link in the directory points at self");
	check(ecs_client_chan_is_askpass(c.askpass, c.path),
	      "started through the askpass link: askpass mode");
	check(!ecs_client_chan_is_askpass("ecs-saml-ssh", c.path) &&
		      !ecs_client_chan_is_askpass("/bin/true", c.path),
	      "started by name or by its real path (a ProxyCommand's `ecs-saml-ssh host`): not askpass");
	snprintf(other, sizeof(other), "%s/askpass2", c.dir);
	check(!ecs_client_chan_is_askpass(other, c.path) &&
		      !ecs_client_chan_is_askpass("/tmp/askpass", c.path) &&
		      !ecs_client_chan_is_askpass(c.askpass, "sock"),
	      "a near miss of the link, or a relative socket path: not askpass");
	ecs_client_answerer_init(&a, ECS_CLIENT_CHUNKED, b64, strlen(b64), ECS_KBD_ENC_NONE, NULL);

	check(round_trip(&c, &a, "Password: ", got, sizeof(got)) == ECS_CHAN_REFUSED &&
		      got[0] == '\0',
	      "a foreign prompt is refused over the channel and nothing is sent");
	ecs_kbd_proto_format_prompt(ECS_PROMPT_RESPONSE, 0, 0, NULL, prompt, sizeof(prompt));
	check(round_trip(&c, &a, prompt, got, sizeof(got)) == ECS_CHAN_OK &&
		      strncmp(got, header, strlen(header)) == 0 && strlen(got) == strlen(header) + 64,
	      "the response prompt gets the chunk header");
	ecs_kbd_proto_format_prompt(ECS_PROMPT_CHUNK, 1, 1, NULL, prompt, sizeof(prompt));
	check(round_trip(&c, &a, prompt, got, sizeof(got)) == ECS_CHAN_OK && strcmp(got, b64) == 0,
	      "the chunk prompt gets the chunk");
	ecs_kbd_proto_format_prompt(ECS_PROMPT_RESPONSE, 0, 0, NULL, prompt, sizeof(prompt));
	check(round_trip(&c, &a, prompt, got, sizeof(got)) == ECS_CHAN_ALREADY,
	      "a second request for the Response is refused");

	memcpy(dir, c.dir, sizeof(dir));
	ecs_client_chan_close(&c);
	check(stat(dir, &st) < 0 && errno == ENOENT,
	      "closing removes the socket directory (socket and askpass link included)");
	ecs_client_chan_close(&c);
	check(c.lfd == -1, "closing twice is harmless");
	T_DONE();
}
