/* privsep_sandbox.c — the validator child's sandbox (see privsep_sandbox.h). */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ecs_privsep_filter.h"
#include "privs.h"
#include "privsep_sandbox.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_UNDEFINED__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED 0
#endif

#define FAIL(what)                                                                         \
	do {                                                                               \
		*step = (what);                                                            \
		return errno ? -errno : -EPERM;                                           \
	} while (0)

/* Only the pipe (moved to ECS_SANDBOX_PIPE_FD) and stderr stay: stdin and stdout are the
 * PAM module's pipes (or the administrator's terminal), which code running in the child
 * must not read or write. Every other descriptor the parent had (syslog's socket, a
 * configuration file) is closed. */
static int
fds(int pipe_fd, const char **step)
{
	int null;

	if (pipe_fd != ECS_SANDBOX_PIPE_FD) {
		if (dup2(pipe_fd, ECS_SANDBOX_PIPE_FD) < 0)
			FAIL("moving the pipe");
	}
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0 || dup2(null, STDIN_FILENO) < 0 || dup2(null, STDOUT_FILENO) < 0)
		FAIL("redirecting stdin and stdout to /dev/null");
	if (syscall(SYS_close_range, ECS_SANDBOX_PIPE_FD + 1, ~0u, 0) < 0)
		FAIL("closing inherited descriptors");
	return 0;
}

/* The address space mapped now, from /proc/self/statm (pages), read while files can still
 * be opened. The limit is relative because a sanitizer runtime maps terabytes of shadow
 * that an absolute RLIMIT_AS would forbid; the budget is what the child may add. */
static int
mapped_now(unsigned long *bytes)
{
	char text[64];
	unsigned long pages;
	char *end;
	ssize_t n;
	int fd;

	/* read(2), not stdio: every allocation in the forked child is a copy-on-write fault */
	fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	text[n] = '\0';
	errno = 0;
	pages = strtoul(text, &end, 10);
	if (errno != 0 || end == text || *end != ' ')
		return -EIO;
	*bytes = pages * (unsigned long)sysconf(_SC_PAGESIZE);
	return 0;
}

static int
limits(unsigned long mapped, const char **step)
{
	struct rlimit zero = { 0, 0 };
	struct rlimit cpu = { ECS_SANDBOX_CPU_SECONDS, ECS_SANDBOX_CPU_SECONDS + 1 };
	struct rlimit as = { mapped + ECS_SANDBOX_AS_BUDGET, mapped + ECS_SANDBOX_AS_BUDGET };
	struct rlimit nofile = { 8, 8 };

	if (setrlimit(RLIMIT_CORE, &zero) < 0 || setrlimit(RLIMIT_FSIZE, &zero) < 0)
		FAIL("setting RLIMIT_CORE and RLIMIT_FSIZE to 0");
	if (setrlimit(RLIMIT_NPROC, &zero) < 0)
		FAIL("setting RLIMIT_NPROC to 0");
	if (setrlimit(RLIMIT_NOFILE, &nofile) < 0)
		FAIL("setting RLIMIT_NOFILE");
	if (setrlimit(RLIMIT_CPU, &cpu) < 0)
		FAIL("setting RLIMIT_CPU");
	if (setrlimit(RLIMIT_AS, &as) < 0)
		FAIL("setting RLIMIT_AS");
	return 0;
}

/* Empty the bounding set (needs CAP_SETPCAP, so before the uid change) and the ambient set:
 * with those empty, nothing the child could exec would get a capability back. */
static int
drop_bounding(const char **step)
{
	for (unsigned long cap = 0; cap <= 63; cap++) {
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == 0)
			continue;
		if (errno == EINVAL && cap > 0)
			break;	/* past the kernel's last capability */
		FAIL("emptying the capability bounding set");
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		FAIL("emptying the ambient capability set");
	return 0;
}

/* Every capability set empty: effective, permitted, inheritable (cleared here: a uid change
 * leaves it), ambient, and the bounding set when this process could empty it. The ambient
 * set needs no look of its own: the kernel keeps it within permitted and inheritable, both
 * checked empty (capabilities(7)). glibc has no capget/capset wrapper and the helper does
 * not link libcap, hence the raw syscalls. */
static int
caps_checked_empty(bool bounding, const char **step)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = { 0 };

	if (syscall(SYS_capset, &hdr, data) < 0)
		FAIL("clearing the capability sets");
	if (syscall(SYS_capget, &hdr, data) < 0)
		FAIL("reading the capability sets");
	for (int i = 0; i < _LINUX_CAPABILITY_U32S_3; i++) {
		if (data[i].effective || data[i].permitted || data[i].inheritable) {
			errno = EPERM;
			FAIL("checking that no capability is left");
		}
	}
	for (unsigned long cap = 0; bounding && cap <= 63; cap++) {
		int in_bounding = prctl(PR_CAPBSET_READ, cap, 0, 0, 0);

		if (in_bounding < 0)
			break;	/* EINVAL: past the kernel's last capability */
		if (in_bounding != 0) {
			errno = EPERM;
			FAIL("checking that the bounding set is empty");
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ seccomp */

/* The filter, compiled by libseccomp at build time (helper/gen/privsep_filter_gen.c): one
 * copy on the stack, the child's own pid put where tgkill's first argument is compared, and
 * one system call. */
static int
filter(const char **step)
{
#if SANITIZED
	struct sock_filter prog[] = ECS_PRIVSEP_FILTER_SANITIZED;
	static const unsigned short pid_at[] = ECS_PRIVSEP_FILTER_SANITIZED_PID_AT;
#else
	struct sock_filter prog[] = ECS_PRIVSEP_FILTER;
	static const unsigned short pid_at[] = ECS_PRIVSEP_FILTER_PID_AT;
#endif
	struct sock_fprog fprog = { .len = sizeof(prog) / sizeof(prog[0]), .filter = prog };
	uint32_t pid = (uint32_t)getpid();

	for (size_t i = 0; i < sizeof(pid_at) / sizeof(pid_at[0]); i++)
		prog[pid_at[i]].k = pid;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) < 0)
		FAIL("installing the seccomp filter");
	return 0;
}

/* ------------------------------------------------------------------ the whole */

int
ecs_sandbox_enter(const struct ecs_sandbox_id *id, int pipe_fd, const char **step)
{
	unsigned long mapped = 0;
	int r;

	*step = "dying with the parent";
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		return -errno;
	r = fds(pipe_fd, step);
	if (r < 0)
		return r;
	*step = "reading /proc/self/statm";
	r = mapped_now(&mapped);
	if (r < 0)
		return r;
	if (id->change) {
		r = drop_bounding(step);
		if (r < 0)
			return r;
		*step = "switching to the sandbox account (groups, gid, uid)";
		r = ecs_privs_drop(id->uid, id->gid);
		if (r < 0)
			return r;
	} else if (geteuid() == 0) {
		*step = "running as root without an account to switch to";
		return -EPERM;
	}
	r = caps_checked_empty(id->change, step);
	if (r == 0)
		r = limits(mapped, step);
	if (r < 0)
		return r;
	if (chdir("/") < 0)
		FAIL("changing to /");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
		FAIL("setting no_new_privs");
	return filter(step);
}
