/* privsep_filter_gen.c — build-time generator of the validator child's seccomp filter.
 *
 * The filter (what helper/privsep_sandbox.h describes) is compiled here, once, by libseccomp,
 * into classic BPF, and written out as a C header ($(GEN)/ecs_privsep_filter.h) that the
 * helper installs with one seccomp(2) call. Compiling it in each child at run time (hundreds
 * of allocations and name look-ups, every one a copy-on-write fault in a forked process)
 * cost more than the rest of the sandbox; and the helper no longer loads libseccomp at all.
 *
 * Two programs: for the normal build, and for sanitizer builds (whose runtime must be able
 * to write its report). One value is known only in the child: its pid, which tgkill's first
 * argument must equal. The filter compares it with PID_MARK; the header lists the
 * instructions whose constant is PID_MARK, and the child puts its pid there.
 *
 * Usage: privsep_filter_gen > ecs_privsep_filter.h. Exit 1 on any failure (the build stops). */
#include <errno.h>
#include <linux/filter.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "privsep_sandbox.h"

/* Stands for the child's pid: over any pid_max (2^22), and no syscall number. */
#define PID_MARK 0x7e5ca1d0u

#define DENY SCMP_ACT_ERRNO(EPERM)	/* the default */
#define KILL SCMP_ACT_KILL_PROCESS
#define ALLOW SCMP_ACT_ALLOW

/* Each rule's action in the normal build and in a sanitizer build. */
struct rule {
	const char *name;
	uint32_t normal, sanitized;
};

#define A(name) { name, ALLOW, ALLOW }
#define K(name) { name, KILL, KILL }
/* what a sanitizer runtime does while it writes a report (isatty on stderr, then fork and
 * exec of its symbolizer): fails in a sanitizer build, so the report comes out */
#define RUNTIME(name) { name, KILL, DENY }
/* what only a sanitizer runtime needs: the default (EPERM) in the normal build */
#define SANITIZER(name) { name, DENY, ALLOW }

static const struct rule rules[] = {
	/* memory (mmap and mprotect: below, without PROT_EXEC) */
	A("brk"), A("munmap"), A("mremap"), A("madvise"),
	/* OpenSSL's and libxml2's randomness, glibc's locks, clocks */
	A("getrandom"), A("futex"), A("clock_gettime"),
	A("clock_getres"), A("gettimeofday"), A("time"),
	/* abort() and raise() signal the process itself (tgkill: below, own pid only) */
	A("getpid"), A("gettid"), A("rt_sigprocmask"),
	A("rt_sigaction"), A("rt_sigreturn"),
	A("exit"), A("exit_group"),
	/* killed: nothing parsing calls; code running in the child would */
	RUNTIME("execve"), RUNTIME("execveat"), RUNTIME("fork"), RUNTIME("vfork"),
	RUNTIME("clone"), RUNTIME("clone3"), RUNTIME("ioctl"),
	K("socket"), K("socketpair"), K("connect"), K("bind"),
	K("listen"), K("accept"), K("accept4"), K("sendto"),
	K("sendmsg"), K("sendmmsg"), K("recvfrom"), K("recvmsg"),
	K("ptrace"), K("process_vm_readv"), K("process_vm_writev"),
	K("kill"), K("tkill"), K("pidfd_open"), K("pidfd_getfd"),
	K("pidfd_send_signal"), K("rt_sigqueueinfo"),
	K("rt_tgsigqueueinfo"),
	K("setuid"), K("setgid"), K("setreuid"), K("setregid"),
	K("setresuid"), K("setresgid"), K("setfsuid"), K("setfsgid"),
	K("setgroups"), K("capset"),
	K("unshare"), K("setns"), K("mount"), K("umount2"),
	K("pivot_root"), K("chroot"), K("move_mount"),
	K("open_tree"), K("fsopen"), K("fsmount"),
	K("bpf"), K("perf_event_open"), K("userfaultfd"),
	K("io_uring_setup"), K("keyctl"), K("add_key"),
	K("request_key"), K("init_module"), K("finit_module"),
	K("delete_module"), K("kexec_load"), K("kexec_file_load"),
	K("reboot"), K("personality"),
	K("open_by_handle_at"), K("name_to_handle_at"), K("memfd_create"),
	K("seccomp"),
	/* a sanitizer report: /proc/self/maps, stderr (below), an alternate signal stack;
	 * prctl is killed in the normal build */
	SANITIZER("openat"), SANITIZER("open"), SANITIZER("read"),
	SANITIZER("close"), SANITIZER("fstat"), SANITIZER("newfstatat"),
	SANITIZER("lseek"), SANITIZER("readlink"), SANITIZER("readlinkat"),
	SANITIZER("sigaltstack"), SANITIZER("sched_yield"),
	SANITIZER("sched_getaffinity"), SANITIZER("prlimit64"), SANITIZER("getrlimit"),
	SANITIZER("uname"), SANITIZER("mincore"), { "prctl", KILL, ALLOW },
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

/* The program as libseccomp compiles it, into *prog (malloc'd) and *n. 0 or -errno. */
static int
compile(bool sanitized, struct sock_filter **prog, size_t *n)
{
	const struct scmp_arg_cmp no_exec = SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0);
	const struct scmp_arg_cmp to_pipe = arg0_is(ECS_SANDBOX_PIPE_FD);
	const struct scmp_arg_cmp to_self = arg0_is(PID_MARK);
	const struct scmp_arg_cmp to_stderr = arg0_is(STDERR_FILENO);
	scmp_filter_ctx ctx;
	FILE *f = NULL;
	long size = 0;
	int r = 0;

	*prog = NULL;
	ctx = seccomp_init(DENY);
	if (!ctx)
		return -ENOMEM;
	for (size_t i = 0; r == 0 && i < sizeof(rules) / sizeof(rules[0]); i++)
		r = add(ctx, sanitized ? rules[i].sanitized : rules[i].normal, rules[i].name, 0, NULL);
	if (r == 0)
		r = add(ctx, ALLOW, "mmap", 1, &no_exec);
	if (r == 0)
		r = add(ctx, ALLOW, "mprotect", 1, &no_exec);
	if (r == 0)
		r = add(ctx, ALLOW, "write", 1, &to_pipe);
	if (r == 0)
		r = add(ctx, ALLOW, "tgkill", 1, &to_self);
	if (r == 0 && sanitized)
		r = add(ctx, ALLOW, "write", 1, &to_stderr);
	if (r == 0 && !(f = tmpfile()))
		r = -errno;
	if (r == 0)
		r = seccomp_export_bpf(ctx, fileno(f));
	if (r == 0 && (fseek(f, 0, SEEK_END) < 0 || (size = ftell(f)) <= 0 ||
		       size % (long)sizeof(struct sock_filter) != 0 || fseek(f, 0, SEEK_SET) < 0))
		r = -EIO;
	if (r == 0) {
		*n = (size_t)size / sizeof(struct sock_filter);
		*prog = malloc((size_t)size);
		if (!*prog || fread(*prog, sizeof(struct sock_filter), *n, f) != *n)
			r = -EIO;
	}
	if (f)
		fclose(f);
	seccomp_release(ctx);
	if (r < 0) {
		free(*prog);
		*prog = NULL;
	}
	return r;
}

/* Print one program as NAME (an initializer) and NAME_PID_AT (where the pid goes). */
static int
emit(const char *name, const struct sock_filter *p, size_t n)
{
	size_t marks = 0;

	printf("#define %s_LEN %zu\n#define %s { \\\n", name, n, name);
	for (size_t i = 0; i < n; i++)
		printf("\t{ 0x%04x, %u, %u, 0x%08x }, \\\n", p[i].code, p[i].jt, p[i].jf, p[i].k);
	printf("}\n#define %s_PID_AT {", name);
	for (size_t i = 0; i < n; i++) {
		if (p[i].k != PID_MARK)
			continue;
		/* only ever a comparison with the argument loaded before it */
		if (p[i].code != (BPF_JMP | BPF_JEQ | BPF_K)) {
			fprintf(stderr, "privsep_filter_gen: instruction %zu uses the pid mark "
				"unexpectedly (code 0x%04x)\n", i, p[i].code);
			return -1;
		}
		printf("%s %zu", marks++ ? "," : "", i);
	}
	printf(" }\n");
	if (marks == 0) {
		fprintf(stderr, "privsep_filter_gen: no comparison with the pid in %s\n", name);
		return -1;
	}
	return 0;
}

int
main(void)
{
	static const char *const names[] = { "ECS_PRIVSEP_FILTER", "ECS_PRIVSEP_FILTER_SANITIZED" };
	struct sock_filter *p;
	size_t n = 0;
	int r;

	printf("/* generated at build time by helper/gen/privsep_filter_gen.c from libseccomp %u.%u.%u:"
	       " do not edit */\n", seccomp_version()->major, seccomp_version()->minor,
	       seccomp_version()->micro);
	for (int s = 0; s < 2; s++) {
		r = compile(s == 1, &p, &n);
		if (r < 0) {
			fprintf(stderr, "privsep_filter_gen: libseccomp: %s\n", strerror(-r));
			return 1;
		}
		r = emit(names[s], p, n);
		free(p);
		if (r < 0)
			return 1;
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
