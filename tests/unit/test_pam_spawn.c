/* test_pam_spawn.c — the module running its helper (pam_spawn.c), against scripts standing
 * in for the helper. This binary is built with ECS_HELPER_PATH pointing at
 * $(BUILD)/tests/spawn-helper (tests/pam.mk), which each case rewrites. A hung module
 * fails the test by SIGALRM rather than hanging suite 10. */
#include <errno.h>
#include <fcntl.h>
#include <security/pam_appl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ecs_err.h"
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

	pam_end(ph, PAM_SUCCESS);
	unlink(ECS_HELPER_PATH);
	unlink(pidfile);
	unlink(svc);
	rmdir(confdir);
	T_DONE();
}
