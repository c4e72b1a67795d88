/* test_pam_spawn.c — the module running its helper (pam_spawn.c), against scripts standing
 * in for the helper, and asking the helper server (pam_server.c), against a stand-in server
 * forked here. This binary is built with ECS_HELPER_PATH pointing at
 * $(BUILD)/tests/spawn-helper and ECS_HELPER_SOCKET at $(BUILD)/tests/spawn-helper.sock
 * (tests/pam.mk), which each case rewrites. A hung module fails the test by SIGALRM rather
 * than hanging suite 10. */
#include <errno.h>
#include <fcntl.h>
#include <security/pam_appl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ecs_err.h"
#include "ecs_helper_server.h"
#include "pam_spawn.h"
#include "tap.h"

#define BIG_REQUEST (1u << 20)	/* far more than a socket buffer holds */

static char pidfile[64];

/* Make the stand-in helper: it records its pid, then runs body. */
static int
helper(const char *body)
{
	FILE *f = fopen(ECS_HELPER_PATH ".tmp", "w");

	if (f == NULL)
		return -1;
	fprintf(f, "#!/bin/sh\necho $$ >%s\n%s\n", pidfile, body);
	if (fclose(f) != 0 || chmod(ECS_HELPER_PATH ".tmp", 0755) != 0 ||
	    rename(ECS_HELPER_PATH ".tmp", ECS_HELPER_PATH) != 0)
		return -1;
	unlink(pidfile);
	return 0;
}

/* true once the last stand-in has been reaped: its pid no longer names a process of ours */
static int
helper_gone(void)
{
	FILE *f = fopen(pidfile, "r");
	long pid = 0;

	if (f == NULL)
		return 0;
	if (fscanf(f, "%ld", &pid) != 1)
		pid = 0;
	fclose(f);
	return pid > 0 && kill((pid_t)pid, 0) < 0 && errno == ESRCH;
}

static int
spawn(pam_handle_t *ph, const char *body, size_t len, struct ecs_buf *reply)
{
	static uint8_t req[BIG_REQUEST];

	if (helper(body) < 0)
		return -999;
	return ecs_spawn_helper(ph, "auth", req, len, 2, reply);
}

/* A stand-in helper server on ECS_HELPER_SOCKET for one connection: it listens as uid (the
 * kernel reports the listener's credentials), reads to EOF, and answers `answer`, then the
 * trailer for wait status `status` unless status is -1 (a server that died mid-way), or
 * nothing at all with hang. A request that does not start with the preamble "auth\n" gets
 * "bad preamble" instead. Returns its pid once it listens. */
static pid_t
server(uid_t uid, const char *answer, int status, int hang)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX, .sun_path = ECS_HELPER_SOCKET };
	int ready[2];
	pid_t pid;
	char c;

	unlink(ECS_HELPER_SOCKET);
	if (pipe(ready) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		static char got[BIG_REQUEST + 64];
		uint8_t t[ECS_HELPER_SERVER_TRAILER_LEN];
		size_t n = 0;
		ssize_t k;
		int l = socket(AF_UNIX, SOCK_STREAM, 0), s;

		if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) < 0 ||
		    (uid != 0 && setuid(uid) < 0) || listen(l, 4) < 0 || write(ready[1], "r", 1) != 1)
			_exit(1);
		s = accept(l, NULL, NULL);
		while (s >= 0 && (k = read(s, got + n, sizeof(got) - n)) > 0)
			n += (size_t)k;
		if (hang)
			pause();
		if (n < 5 || memcmp(got, "auth\n", 5) != 0)
			answer = "bad preamble";
		if (write(s, answer, strlen(answer)) < 0)
			_exit(1);
		ecs_helper_server_trailer(status, t);
		if (status != -1 && write(s, t, sizeof(t)) < 0)
			_exit(1);
		_exit(0);
	}
	close(ready[1]);
	if (pid < 0 || read(ready[0], &c, 1) != 1) {
		close(ready[0]);
		return -1;
	}
	close(ready[0]);
	return pid;
}

static void
server_done(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	unlink(ECS_HELPER_SOCKET);
}

/* The server cases: the stand-in helper script, were it started, would answer "fresh". */
static void
server_cases(pam_handle_t *ph)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX, .sun_path = ECS_HELPER_SOCKET };
	struct ecs_buf reply;
	pid_t pid;
	int r, s;

	pid = server(0, "hello", 0, 0);
	r = spawn(ph, "/bin/cat >/dev/null; printf fresh", 100, &reply);
	T_OK(r == 0 && reply.len == 5 && memcmp(reply.data, "hello", 5) == 0,
	     "a root server that answers with exit status 0: success with its reply, the "
	     "preamble and trailer are not part of it");
	T_OK(access(pidfile, F_OK) != 0, "... and no helper was started");
	ecs_buf_free(&reply);
	server_done(pid);

	pid = server(0, "no", W_EXITCODE(1, 0), 0);
	r = spawn(ph, "/bin/cat >/dev/null; printf fresh", 100, &reply);
	T_OK(r == -ECS_EREJECT, "the server's child exited 1: a refusal");
	ecs_buf_free(&reply);
	server_done(pid);

	pid = server(0, "hello", -1, 0);
	r = spawn(ph, "/bin/cat >/dev/null; printf fresh", 100, &reply);
	T_OK(r == -EBADMSG, "a server that ends without the trailer: a failed exchange");
	T_OK(access(pidfile, F_OK) != 0, "... not retried with a helper of our own");
	ecs_buf_free(&reply);
	server_done(pid);

	pid = server(65534, "hello", 0, 0);
	r = spawn(ph, "/bin/cat >/dev/null; printf fresh", 100, &reply);
	T_OK(r == -EPERM, "a server that is not root's: refused");
	T_OK(access(pidfile, F_OK) != 0, "... and no helper started in its place");
	ecs_buf_free(&reply);
	server_done(pid);

	pid = server(0, "hello", 0, 1);
	r = spawn(ph, "/bin/cat >/dev/null; printf fresh", 100, &reply);
	T_OK(r == -ETIMEDOUT, "a server that never answers: timed out");
	ecs_buf_free(&reply);
	server_done(pid);

	/* a socket nobody listens on any more: a server that stopped */
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	T_OK(s >= 0 && bind(s, (struct sockaddr *)&a, sizeof(a)) == 0, "a dead server's socket");
	if (s >= 0)
		close(s);
	r = spawn(ph, "/bin/cat >/dev/null; printf fresh", 100, &reply);
	T_OK(r == 0 && reply.len == 5 && memcmp(reply.data, "fresh", 5) == 0,
	     "... the module starts the helper itself");
	ecs_buf_free(&reply);
	unlink(ECS_HELPER_SOCKET);
}

int
main(void)
{
	char confdir[] = "/tmp/ecs-spawn.XXXXXX", svc[128];
	struct pam_conv conv = { NULL, NULL };
	pam_handle_t *ph = NULL;
	struct ecs_buf reply;
	FILE *f;
	int r;

	alarm(60);
	if (mkdtemp(confdir) == NULL) {
		T_OK(0, "mkdtemp");
		T_DONE();
	}
	snprintf(svc, sizeof(svc), "%s/ecs-spawn-test", confdir);
	snprintf(pidfile, sizeof(pidfile), "%s/pid", confdir);
	f = fopen(svc, "w");
	if (f != NULL) {
		fputs("auth required pam_permit.so\n", f);
		fclose(f);
	}
	if (pam_start_confdir("ecs-spawn-test", "nobody", &conv, confdir, &ph) != PAM_SUCCESS) {
		T_OK(0, "pam_start_confdir");
		T_DONE();
	}

	r = spawn(ph, "/bin/cat >/dev/null; printf hello", 100, &reply);
	T_OK(r == 0 && reply.len == 5 && memcmp(reply.data, "hello", 5) == 0,
	     "a helper that reads, answers and exits 0: success with its reply");
	ecs_buf_free(&reply);

	r = spawn(ph, "/bin/cat >/dev/null; exit 1", 100, &reply);
	T_OK(r == -ECS_EREJECT, "exit 1 is a refusal");
	ecs_buf_free(&reply);

	r = spawn(ph, "/bin/cat >/dev/null; exit 7", 100, &reply);
	T_OK(r == -EIO, "another exit status is a failure");
	ecs_buf_free(&reply);

	r = spawn(ph, "exec /bin/sleep 600", BIG_REQUEST, &reply);
	T_OK(r == -ETIMEDOUT, "a helper that never reads a large request: timed out, not stuck "
	     "in send");
	T_OK(helper_gone(), "... and it is killed and reaped");
	ecs_buf_free(&reply);

	r = spawn(ph, "/bin/cat >/dev/null; exec <&- >&- /bin/sleep 600", 100, &reply);
	T_OK(r == -ETIMEDOUT, "a helper that closes its end and lingers: timed out, not stuck "
	     "in waitpid");
	T_OK(helper_gone(), "... and it is killed and reaped");
	ecs_buf_free(&reply);

	r = spawn(ph, "/bin/cat >/dev/null; exec /bin/sleep 600", 100, &reply);
	T_OK(r == -ETIMEDOUT, "a helper that reads and never answers: timed out");
	T_OK(helper_gone(), "... and it is killed and reaped");
	ecs_buf_free(&reply);

	server_cases(ph);

	pam_end(ph, PAM_SUCCESS);
	unlink(ECS_HELPER_PATH);
	unlink(pidfile);
	unlink(svc);
	rmdir(confdir);
	T_DONE();
}
