/* privsep_sandbox.c — the validator child's sandbox (see privsep_sandbox.h). */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

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
	unsigned long pages = 0;
	FILE *f;
	int n;

	f = fopen("/proc/self/statm", "re");
	if (!f)
		return -errno;
	n = fscanf(f, "%lu", &pages);
	fclose(f);
	if (n != 1)
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
		if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) < 0)
			break;	/* EINVAL: past the kernel's last capability */
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
			FAIL("emptying the capability bounding set");
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		FAIL("emptying the ambient capability set");
	return 0;
}

/* Every capability set empty: effective, permitted, inheritable (cleared here: a uid change
 * leaves it), ambient, and the bounding set when this process could empty it. glibc has no
 * capget/capset wrapper and the helper does not link libcap, hence the raw syscalls. */
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
	for (unsigned long cap = 0; cap <= 63; cap++) {
		int in_bounding = prctl(PR_CAPBSET_READ, cap, 0, 0, 0);

		if (in_bounding < 0)
			break;
		if ((bounding && in_bounding != 0) ||
		    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, cap, 0, 0) != 0) {
			errno = EPERM;
			FAIL("checking that the bounding and ambient sets are empty");
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ seccomp */

struct rule {
	const char *name;
	uint32_t action;
};

#define DENY SCMP_ACT_ERRNO(EPERM)	/* the default */
#define KILL SCMP_ACT_KILL_PROCESS
#define ALLOW SCMP_ACT_ALLOW
/* What a sanitizer runtime does while it writes a report (isatty on stderr, then fork and
 * exec of its symbolizer): fails in a sanitizer build, so the report comes out; kills
 * otherwise. */
#define RUNTIME (SANITIZED ? DENY : KILL)

static const struct rule rules[] = {
	/* memory (mmap and mprotect: below, without PROT_EXEC) */
	{ "brk", ALLOW }, { "munmap", ALLOW }, { "mremap", ALLOW }, { "madvise", ALLOW },
	/* OpenSSL's and libxml2's randomness, glibc's locks, clocks */
	{ "getrandom", ALLOW }, { "futex", ALLOW }, { "clock_gettime", ALLOW },
	{ "clock_getres", ALLOW }, { "gettimeofday", ALLOW }, { "time", ALLOW },
	/* abort() and raise() signal the process itself (tgkill: below, own pid only) */
	{ "getpid", ALLOW }, { "gettid", ALLOW }, { "rt_sigprocmask", ALLOW },
	{ "rt_sigaction", ALLOW }, { "rt_sigreturn", ALLOW },
	{ "exit", ALLOW }, { "exit_group", ALLOW },
	/* killed: nothing parsing calls; code running in the child would */
	{ "execve", RUNTIME }, { "execveat", RUNTIME }, { "fork", RUNTIME }, { "vfork", RUNTIME },
	{ "clone", RUNTIME }, { "clone3", RUNTIME }, { "ioctl", RUNTIME },
	{ "socket", KILL }, { "socketpair", KILL }, { "connect", KILL }, { "bind", KILL },
	{ "listen", KILL }, { "accept", KILL }, { "accept4", KILL }, { "sendto", KILL },
	{ "sendmsg", KILL }, { "sendmmsg", KILL }, { "recvfrom", KILL }, { "recvmsg", KILL },
	{ "ptrace", KILL }, { "process_vm_readv", KILL }, { "process_vm_writev", KILL },
	{ "kill", KILL }, { "tkill", KILL }, { "pidfd_open", KILL }, { "pidfd_getfd", KILL },
	{ "pidfd_send_signal", KILL }, { "rt_sigqueueinfo", KILL },
	{ "rt_tgsigqueueinfo", KILL },
	{ "setuid", KILL }, { "setgid", KILL }, { "setreuid", KILL }, { "setregid", KILL },
	{ "setresuid", KILL }, { "setresgid", KILL }, { "setfsuid", KILL }, { "setfsgid", KILL },
	{ "setgroups", KILL }, { "capset", KILL },
	{ "unshare", KILL }, { "setns", KILL }, { "mount", KILL }, { "umount2", KILL },
	{ "pivot_root", KILL }, { "chroot", KILL }, { "move_mount", KILL },
	{ "open_tree", KILL }, { "fsopen", KILL }, { "fsmount", KILL },
	{ "bpf", KILL }, { "perf_event_open", KILL }, { "userfaultfd", KILL },
	{ "io_uring_setup", KILL }, { "keyctl", KILL }, { "add_key", KILL },
	{ "request_key", KILL }, { "init_module", KILL }, { "finit_module", KILL },
	{ "delete_module", KILL }, { "kexec_load", KILL }, { "kexec_file_load", KILL },
	{ "reboot", KILL }, { "personality", KILL },
	{ "open_by_handle_at", KILL }, { "name_to_handle_at", KILL }, { "memfd_create", KILL },
	{ "seccomp", KILL },
#if SANITIZED
	/* a sanitizer report: /proc/self/maps, stderr (below), an alternate signal stack */
	{ "openat", ALLOW }, { "open", ALLOW }, { "read", ALLOW }, { "close", ALLOW },
	{ "fstat", ALLOW }, { "newfstatat", ALLOW }, { "lseek", ALLOW }, { "readlink", ALLOW },
	{ "readlinkat", ALLOW }, { "sigaltstack", ALLOW }, { "sched_yield", ALLOW },
	{ "sched_getaffinity", ALLOW }, { "prlimit64", ALLOW }, { "getrlimit", ALLOW },
	{ "uname", ALLOW }, { "mincore", ALLOW }, { "prctl", ALLOW },
#else
	{ "prctl", KILL },
#endif
};

static int
add(scmp_filter_ctx ctx, uint32_t action, const char *name, unsigned n,
    const struct scmp_arg_cmp *cmp)
{
	int nr = seccomp_syscall_resolve_name(name);

	if (nr == __NR_SCMP_ERROR || action == DENY)
		return 0;	/* not a system call here, or the default (libseccomp refuses those) */
	return seccomp_rule_add_array(ctx, action, nr, n, cmp);
}

/* First argument == v (SCMP_A0 leaves datum_b to the compiler's zeroing, which -Wextra
 * flags). */
static struct scmp_arg_cmp
arg0_is(scmp_datum_t v)
{
	struct scmp_arg_cmp c = { .arg = 0, .op = SCMP_CMP_EQ, .datum_a = v, .datum_b = 0 };

	return c;
}

static int
filter(int pipe_fd, const char **step)
{
	const struct scmp_arg_cmp no_exec = SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0);
	const struct scmp_arg_cmp to_pipe = arg0_is((scmp_datum_t)pipe_fd);
	const struct scmp_arg_cmp to_self = arg0_is((scmp_datum_t)getpid());
	scmp_filter_ctx ctx;
	int r = 0;

	ctx = seccomp_init(DENY);
	if (!ctx) {
		*step = "creating the seccomp filter";
		return -ENOMEM;
	}
	for (size_t i = 0; r == 0 && i < sizeof(rules) / sizeof(rules[0]); i++)
		r = add(ctx, rules[i].action, rules[i].name, 0, NULL);
	if (r == 0)
		r = add(ctx, ALLOW, "mmap", 1, &no_exec);
	if (r == 0)
		r = add(ctx, ALLOW, "mprotect", 1, &no_exec);
	if (r == 0)
		r = add(ctx, ALLOW, "write", 1, &to_pipe);
	if (r == 0)
		r = add(ctx, ALLOW, "tgkill", 1, &to_self);
	if (r == 0 && SANITIZED) {
		const struct scmp_arg_cmp to_stderr = arg0_is(STDERR_FILENO);

		r = add(ctx, ALLOW, "write", 1, &to_stderr);
	}
	if (r == 0)
		r = seccomp_load(ctx);
	seccomp_release(ctx);
	if (r < 0)
		*step = "installing the seccomp filter";
	return r;
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
	return filter(ECS_SANDBOX_PIPE_FD, step);
}
