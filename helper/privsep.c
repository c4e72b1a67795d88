/* privsep.c — the root parent's side of the sandboxed validation, and the child's main
 * (see privsep.h; the sandbox itself is privsep_sandbox.c, the message privsep_wire.c). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ecs_err.h"
#include "ecs_io.h"
#include "privsep.h"
#include "privsep_hook.h"
#include "privsep_sandbox.h"
#include "privsep_wire.h"

/* ------------------------------------------------------------------ the child */

/* write(2) only: the seccomp filter allows nothing else on the pipe (ecs_write_all would
 * try send first). */
static void
write_msg(int fd, const struct ecs_buf *msg)
{
	size_t off = 0;

	while (off < msg->len) {
		ssize_t w = write(fd, msg->data + off, msg->len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		off += (size_t)w;
	}
}

/* Never returns. The child neither logs (it could not reach syslog) nor runs exit handlers:
 * it answers on the pipe and _exits. */
static void __attribute__((noreturn))
child(int pipe_fd, const struct ecs_sandbox_id *id, const struct ecs_verifier *v,
      const char *in, size_t len, enum ecs_kbd_encoding enc, time_t now, enum ecs_privsep_hook hook)
{
	struct ecs_saml_result res = { 0 };
	struct ecs_reject rej = { 0 };
	const char *step = NULL;
	struct ecs_buf msg;
	int r;

	ecs_buf_init(&msg, ECS_PRIVSEP_MSG_MAX);
	/* the pipe goes where the sandbox keeps it first, so a failing step can be reported */
	if (pipe_fd != ECS_SANDBOX_PIPE_FD && dup2(pipe_fd, ECS_SANDBOX_PIPE_FD) >= 0)
		pipe_fd = ECS_SANDBOX_PIPE_FD;
	/* the bare hook (test builds only) measures the fork without the sandbox */
	r = hook == ECS_PRIVSEP_HOOK_BARE ? 0 : ecs_sandbox_enter(id, pipe_fd, &step);
	if (r == 0)
		r = ecs_privsep_hook_run(hook, pipe_fd);
	if (r == 0) {
		r = ecs_saml_verify(v, in, len, enc, now, &res, &rej);
		step = NULL;	/* a failure from here on is the validation's */
	}
	if (ecs_privsep_encode(&msg, r, &res, &rej, step) == 0)
		write_msg(pipe_fd, &msg);
	/* no wipe needed for the kernel's sake, but the habit is cheap */
	ecs_buf_free(&msg);
	ecs_saml_result_free(&res);
	_exit(0);
}

/* ------------------------------------------------------------------ the parent */

/* The account to become, when running as root. */
static int
account(const struct ecs_conf *conf, struct ecs_sandbox_id *id, struct ecs_reject *rej)
{
	const char *name = conf->privsep_user != NULL ? conf->privsep_user : "_ecs-saml";
	struct passwd *pw;

	id->change = geteuid() == 0;
	if (!id->change)
		return 0;
	errno = 0;
	pw = getpwnam(name);
	if (!pw && errno != 0 && errno != ENOENT && errno != ESRCH)
		return ecs_reject_config(rej, ECS_REJ_PRIVSEP_ACCOUNT, "cannot look up the sandbox "
					 "account %s: %s: check /etc/nsswitch.conf", name,
					 strerror(errno));
	if (!pw)
		return ecs_reject_config(rej, ECS_REJ_PRIVSEP_ACCOUNT, "the sandbox account %s "
					 "does not exist, so no Response can be checked: create it "
					 "(`make install` does; by hand: useradd --system "
					 "--no-create-home --home-dir /nonexistent --shell "
					 "/usr/sbin/nologin %s) or name another unprivileged "
					 "account with privsep_user", name, name);
	if (pw->pw_uid == 0 || pw->pw_gid == 0)
		return ecs_reject_config(rej, ECS_REJ_PRIVSEP_ACCOUNT, "the sandbox account %s "
					 "has uid or gid 0: give privsep_user an unprivileged "
					 "account of its own", name);
	id->uid = pw->pw_uid;
	id->gid = pw->pw_gid;
	return 0;
}

static long
ms_left(const struct timespec *deadline)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (deadline->tv_sec - now.tv_sec) * 1000L + (deadline->tv_nsec - now.tv_nsec) / 1000000L;
}

enum outcome {
	OUT_EOF,	/* the child closed the pipe */
	OUT_TIMEOUT,	/* the wall clock ran out */
	OUT_TOO_BIG,	/* more than a message can hold */
	OUT_ERROR,
};

/* Read the child's message until EOF, within ECS_PRIVSEP_WALL_SECONDS. */
static enum outcome
collect(int fd, struct ecs_buf *msg)
{
	struct timespec deadline;
	uint8_t chunk[16384];
	enum outcome o = OUT_ERROR;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += ECS_PRIVSEP_WALL_SECONDS;
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		long left = ms_left(&deadline);
		ssize_t n;
		int k;

		if (left <= 0) {
			o = OUT_TIMEOUT;
			break;
		}
		k = poll(&p, 1, (int)left);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			break;
		if (k == 0)
			continue;	/* the deadline check above ends it */
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		if (n == 0) {
			o = OUT_EOF;
			break;
		}
		if (ecs_buf_append(msg, chunk, (size_t)n) < 0) {
			o = OUT_TOO_BIG;
			break;
		}
	}
	explicit_bzero(chunk, sizeof(chunk));
	return o;
}

static double
cpu_seconds(const struct rusage *ru)
{
	return (double)(ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) +
	       (double)(ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) / 1e6;
}

/* What a child that gave no usable message did, as a refusal. */
static int
child_failed(enum outcome o, int status, const struct rusage *ru, struct ecs_reject *rej)
{
	int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;

	if (o == OUT_TIMEOUT)
		return ecs_reject(rej, ECS_REJ_PRIVSEP_TIMEOUT, "the validator gave no answer in "
				  "%d s and was killed", ECS_PRIVSEP_WALL_SECONDS);
	if (o == OUT_TOO_BIG)
		return ecs_reject(rej, ECS_REJ_PRIVSEP_PROTOCOL, "the validator's answer is over "
				  "%u bytes", ECS_PRIVSEP_MSG_MAX);
	if (sig == SIGSYS)
		return ecs_reject(rej, ECS_REJ_PRIVSEP_SYSCALL, "the validator made a system call "
				  "its seccomp filter forbids, and was killed (an exploit attempt, or "
				  "a library that needs more than parsing: report it)");
	if (sig == SIGXCPU || (sig == SIGKILL && cpu_seconds(ru) >= ECS_SANDBOX_CPU_SECONDS))
		return ecs_reject(rej, ECS_REJ_PRIVSEP_TIMEOUT, "the validator used up its %d s "
				  "of CPU and was killed", ECS_SANDBOX_CPU_SECONDS);
	if (sig != 0)
		return ecs_reject(rej, ECS_REJ_PRIVSEP_CRASH, "the validator died of signal %d "
				  "(%s)", sig, strsignal(sig));
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		return ecs_reject(rej, ECS_REJ_PRIVSEP_CRASH, "the validator exited with status %d",
				  WEXITSTATUS(status));
	return ecs_reject(rej, ECS_REJ_PRIVSEP_PROTOCOL, "the validator's answer is malformed");
}

/* A well-formed message, read into out/rej. */
static int
verdict(struct ecs_privsep_verdict *pv, struct ecs_saml_result *out, struct ecs_reject *rej)
{
	switch (pv->kind) {
	case ECS_PRIVSEP_ACCEPT:
		*out = pv->res;
		memset(&pv->res, 0, sizeof(pv->res));	/* ownership passed to the caller */
		return 0;
	case ECS_PRIVSEP_REJECT:
		*rej = pv->rej;
		return -ECS_EREJECT;
	default:
		break;
	}
	if (pv->err == ENOMEM)
		return ecs_reject(rej, ECS_REJ_PRIVSEP_MEMORY, "the validator ran out of its %lu "
				  "MiB of address space", ECS_SANDBOX_AS_BUDGET >> 20);
	if (strcmp(pv->stage, "validation") != 0)
		return ecs_reject_config(rej, ECS_REJ_PRIVSEP_SETUP, "the validator's sandbox "
					 "could not be set up: %s: %s. Check that the helper's "
					 "AppArmor or SELinux policy is the one installed with it "
					 "(it needs setuid, setgid and setpcap)", pv->stage,
					 strerror(pv->err));
	return -pv->err;	/* an internal failure while validating, as ecs_saml_verify's */
}

int
ecs_privsep_validate(const struct ecs_conf *conf, const struct ecs_verifier *v,
		     const char *in, size_t len, enum ecs_kbd_encoding enc, time_t now,
		     struct ecs_saml_result *out, struct ecs_reject *rej)
{
	enum ecs_privsep_hook hook = ecs_privsep_hook_get();
	struct ecs_privsep_verdict pv = { 0 };
	struct ecs_sandbox_id id = { 0 };
	int fds[2] = { -1, -1 };
	struct rusage ru = { 0 };
	struct ecs_buf msg;
	enum outcome o;
	int status = 0;
	pid_t pid;
	int r;

	memset(out, 0, sizeof(*out));
	rej->code = NULL;
	rej->msg[0] = '\0';
	ecs_buf_init(&msg, ECS_PRIVSEP_MSG_MAX);
	if (hook == ECS_PRIVSEP_HOOK_INPROCESS)	/* test builds only: the bench's baseline */
		return ecs_saml_verify(v, in, len, enc, now, out, rej);
	r = account(conf, &id, rej);
	if (r < 0)
		goto out;
	if (pipe2(fds, O_CLOEXEC) < 0) {
		r = -errno;
		goto out;
	}
	fflush(NULL);	/* nothing buffered may be written twice */
	pid = fork();
	if (pid < 0) {
		r = -errno;
		goto out;
	}
	if (pid == 0) {
		close(fds[0]);
		child(fds[1], &id, v, in, len, enc, now, hook);
	}
	ecs_close(&fds[1]);
	o = collect(fds[0], &msg);
	if (o != OUT_EOF)
		kill(pid, SIGKILL);
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			r = -errno;
			goto out;
		}
	}
	if (o != OUT_EOF || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || msg.len == 0)
		r = child_failed(o, status, &ru, rej);
	else if (ecs_privsep_decode(msg.data, msg.len, &pv) < 0)
		r = ecs_reject(rej, ECS_REJ_PRIVSEP_PROTOCOL, "the validator's answer is "
			       "malformed");
	else
		r = verdict(&pv, out, rej);
out:
	ecs_privsep_verdict_free(&pv);
	ecs_buf_free(&msg);
	ecs_close(&fds[0]);
	ecs_close(&fds[1]);
	return r;
}
