/* privsep_sandbox.h — what the validator child does to itself before it reads a byte of the
 * Response (privsep.c forks it; OpenSSH's privilege separation is the model).
 *
 * In order: die with the parent; only the pipe to the parent (and stderr) stay open, stdin
 * and stdout become /dev/null; rlimits (no core, no file size, no new process, few files,
 * ECS_SANDBOX_CPU_SECONDS of CPU, the address space it has plus ECS_SANDBOX_AS_BUDGET);
 * when it runs as root, an empty bounding and ambient set, then the dedicated account
 * (ecs_privs_drop: groups, gid, uid, and the check that root cannot come back), an empty
 * inheritable set; every capability set checked empty; no_new_privs; and a seccomp filter
 * that allows what parsing and verifying in memory need. No file can be opened after it:
 * the IdP keys were loaded by the parent before the fork.
 *
 * The filter (seccomp(2); compiled at build time by libseccomp, helper/gen/, so the child
 * installs it with one system call and the helper does not load libseccomp):
 *   allowed     memory (brk, mmap/mprotect without PROT_EXEC, munmap, mremap, madvise),
 *               getrandom, futex, clocks, write on the parent's pipe only, signals to
 *               itself (abort), exit
 *   killed      what only an attacker who runs code in the child would call: exec, fork
 *               and clone, sockets, ptrace and process_vm_*, signals to others, id and
 *               capability changes, namespaces and mounts, bpf, keys, modules, ioctl, ...
 *               The parent sees SIGSYS and refuses with privsep-syscall.
 *   all others  fail with EPERM, opening files included: a library that merely probes
 *               fails cleanly instead of taking the login down.
 * Sanitizer builds (ASan/UBSan, for the test suites) also allow what their runtime needs to
 * write a report: reading /proc/self/maps, stderr, sigaltstack; their symbolizer's fork and
 * exec fail with EPERM instead of killing, so the report still comes out (unsymbolized).
 */
#ifndef ECS_PRIVSEP_SANDBOX_H
#define ECS_PRIVSEP_SANDBOX_H

#include <stdbool.h>
#include <sys/types.h>

#define ECS_SANDBOX_CPU_SECONDS 3	/* SIGXCPU past this: a Response takes milliseconds */
#define ECS_SANDBOX_AS_BUDGET (512ul << 20)	/* bytes of address space beyond the fork's */
#define ECS_SANDBOX_PIPE_FD 3		/* where the pipe to the parent ends up */

struct ecs_sandbox_id {
	bool change;	/* root: become uid/gid; otherwise keep the caller's unprivileged ids */
	uid_t uid;
	gid_t gid;
};

/* In the freshly forked child: everything above, the pipe fd moved to ECS_SANDBOX_PIPE_FD.
 * 0, or -errno with *step naming the step that failed (a static string). Never call it in
 * a process that must go on doing anything else. */
int ecs_sandbox_enter(const struct ecs_sandbox_id *id, int pipe_fd, const char **step);

#endif
