/* test_err.c — error texts and the helper's exit status (libecs/ecs_err.c): the encoder for
 * every value the project returns, the decoder for real wait statuses (every exit status
 * the helper uses, others, and signals), and that the two agree. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ecs_err.h"
#include "tap.h"

/* A real wait status: a child that exits with code, or (code < 0) dies of signal -code. */
static int
status_of(int code)
{
	int status = 0;
	pid_t pid = fork();

	if (pid == 0) {
		if (code < 0) {
			signal(-code, SIG_DFL);
			raise(-code);
			_exit(99);	/* the signal did not kill: status 99, which the test refuses */
		}
		_exit(code);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static void
test_encoder(void)
{
	static const struct {
		int r, exit;
	} cases[] = {
		{ 0, ECS_EXIT_OK },
		{ -ECS_EREJECT, ECS_EXIT_REJECT },
		{ -ECS_EREPLAY, ECS_EXIT_REJECT },
		{ -ECS_ETICKET, ECS_EXIT_REJECT },
		{ -ECS_ECOLLISION, ECS_EXIT_REJECT },
		{ -ECS_ESTS, ECS_EXIT_REJECT },
		{ -ECS_ECONFIG, ECS_EXIT_USAGE },
		{ -EINVAL, ECS_EXIT_USAGE },
		{ -ECS_EPROTO, ECS_EXIT_INTERNAL },
		{ -EIO, ECS_EXIT_INTERNAL },
		{ -ENOMEM, ECS_EXIT_INTERNAL },
		{ -EPERM, ECS_EXIT_INTERNAL },
		{ -ENOENT, ECS_EXIT_INTERNAL },
		{ 5, ECS_EXIT_INTERNAL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		T_OK(ecs_err_to_exit(cases[i].r) == cases[i].exit, "encoder: %s (%d) -> exit %d",
		     ecs_strerror(cases[i].r), cases[i].r, cases[i].exit);
}

static void
test_decoder(void)
{
	static const struct {
		int code, r;
		const char *what;
	} cases[] = {
		{ 0, 0, "exit 0: success" },
		{ 1, -ECS_EREJECT, "exit 1: a refusal" },
		{ 2, -ECS_ECONFIG, "exit 2: usage or configuration" },
		{ 3, -EIO, "exit 3: an internal error" },
		{ 4, -EIO, "exit 4 (never used): a failure" },
		{ 127, -EIO, "exit 127 (exec failed in a shell): a failure" },
		{ 255, -EIO, "exit 255: a failure" },
		{ -SIGKILL, -EIO, "killed by SIGKILL (a deadline): a failure" },
		{ -SIGSEGV, -EIO, "killed by SIGSEGV (a crash): a failure" },
		{ -SIGTERM, -EIO, "killed by SIGTERM: a failure" },
		{ -SIGABRT, -EIO, "killed by SIGABRT (an assertion, a sanitizer): a failure" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int status = status_of(cases[i].code);
		int real = cases[i].code < 0 ? WIFSIGNALED(status) : WIFEXITED(status);

		T_OK(status != -1 && real && ecs_exit_to_err(status) == cases[i].r, "decoder: %s",
		     cases[i].what);
	}
}

/* Whatever crosses as an exit status comes back as an error value that encodes to the
 * same status: a refusal stays a refusal, a failure never becomes a success. */
static void
test_round_trip(void)
{
	int bad = 0;

	for (int r = -ECS_E_MAX; r <= 0; r++) {
		int exit_code = ecs_err_to_exit(r);
		int back = ecs_exit_to_err(exit_code << 8);	/* WIFEXITED, WEXITSTATUS = exit_code */

		if (ecs_err_to_exit(back) != exit_code || (back == 0) != (r == 0))
			bad++;
	}
	T_OK(bad == 0, "every error value survives the exit status: encode, decode, encode");
}

static void
test_text(void)
{
	T_OK(strcmp(ecs_strerror(0), "success") == 0, "text: success");
	T_OK(strcmp(ecs_strerror(-ECS_EREPLAY), "assertion already used") == 0,
	     "text: a project value");
	T_OK(strcmp(ecs_strerror(-ENOENT), "No such file or directory") == 0, "text: an errno");
	T_OK(strcmp(ecs_strerror(-ECS_E_MAX), "unknown error") == 0, "text: out of range");
}

int
main(void)
{
	test_encoder();
	test_decoder();
	test_round_trip();
	test_text();
	T_DONE();
}
