#!/bin/bash
# tests/run: isolated
# Suite 72: the checker of what the helper really does (tests/mac/trace_check.py, run at the
# end of suites 50 and 51), on a hand-made record where the answer is known: it must catch an
# access that is not on the access list, a capability the kernel granted, a child's access
# after it forked; and ignore the wrapper's own doings before it became the helper, the
# kernel's quiet capability probes and other processes; with --user-pids, judge those pids'
# /proc entries as a user's process's (an exec session's plugin). No servers, no ports.
. "$(dirname "$0")/../lib/tap.sh"

d=$T_WORK/trace
mkdir -p "$d/log" "$d/real" "$d/state"
# The wrapper (pid 100) reads something of its own, then becomes the helper, which reads its
# configuration and /etc/shadow, writes its state, and forks a child (101) that reads a file
# in the user's home.
cat >"$d/log/100.strace" <<LOG
100   openat(AT_FDCWD</>, "/etc/wrapper-only", O_RDONLY) = 3</etc/wrapper-only>
100   execve("$d/real/ecs-saml-helper", [...], 0x7ffd /* 0 vars */) = 0
100   openat(AT_FDCWD</>, "/etc/security/pam_ecs_saml.conf", O_RDONLY|O_NOFOLLOW|O_CLOEXEC) = 3</etc/security/pam_ecs_saml.conf>
100   openat(AT_FDCWD</>, "/etc/shadow", O_RDONLY|O_CLOEXEC) = 4</etc/shadow>
100   openat(5<$d/state>, "usermap", O_RDONLY|O_NOFOLLOW|O_CLOEXEC) = 6<$d/state/usermap>
100   clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 101
101   openat(AT_FDCWD</>, "/root/.netrc", O_RDONLY) = 7</root/.netrc>
LOG
echo "100 sshd auth" >"$d/log/100.meta"
cat >"$d/caps" <<CAPS
100 21 0 security_vm_enough_memory_mm<__mmap_region<do_mmap<vm_mmap_pgoff
100 1 0 generic_permission<inode_permission<may_open<path_openat
101 7 0 __sys_setresuid<do_syscall_64<entry_SYSCALL_64_after_hwframe
999 19 0 ptrace_attach<__x64_sys_ptrace<do_syscall_64<entry_SYSCALL_64_after_hwframe
CAPS
printf '%s %s\n' "$d/real" /usr/libexec/pam_ecs_saml "$d/state" /var/lib/pam_ecs_saml >"$d/map"

out=$(/usr/bin/python3 "$ECS_TOP/tests/mac/trace_check.py" --map "$d/map" --caps "$d/caps" \
	"$ECS_TOP/tests/mac/helper-access" "$d/log" 2>&1)
rc=$?
t_eq "a record with accesses off the list fails the check" "$rc" 1
t_match "an unlisted file read is caught" "$out" "^not ok - helper trace: 'read /etc/shadow' is on the access list"
t_match "a forked child's access is caught" "$out" "^not ok - helper trace: 'read /root/.netrc' is on the access list"
t_match "a capability the kernel granted is caught" "$out" \
	"^not ok - helper trace: 'capability dac_override' is on the access list"
t_match "this run's directories are judged at their deployed place (and found listed)" \
	"$(grep -c "usermap" <<<"$out")" '^0$'
t_eq "the wrapper's own doings before it became the helper are not the helper's" \
	"$(grep -c 'wrapper-only' <<<"$out")" 0
t_eq "the quiet overcommit probe is not a use of CAP_SYS_ADMIN" "$(grep -c 'sys_admin' <<<"$out")" 0
t_eq "other processes' checks are not the helper's" "$(grep -c 'sys_ptrace' <<<"$out")" 0
t_match "listed accesses pass: the configuration, setuid" \
	"$(grep -cE "pam_ecs_saml.conf|capability setuid" <<<"$out")" '^0$'

# --user-pids: the /proc entries of those pids are a user's process (an exec session's plugin,
# whose status the access list allows); any other pid's are the PAM application's, whose
# status it does not.
u=$T_WORK/trace-user
mkdir -p "$u/log"
cat >"$u/log/200.strace" <<LOG
200   execve("$d/real/ecs-saml-helper", [...], 0x7ffd /* 0 vars */) = 0
200   openat(AT_FDCWD</>, "/proc/300/status", O_RDONLY|O_CLOEXEC) = 3</proc/300/status>
200   openat(AT_FDCWD</>, "/proc/400/stat", O_RDONLY|O_CLOEXEC) = 4</proc/400/stat>
LOG
echo "200 sshd session-close" >"$u/log/200.meta"
: >"$u/caps"
user_check() {
	/usr/bin/python3 "$ECS_TOP/tests/mac/trace_check.py" --map "$d/map" --caps "$u/caps" "$@" \
		"$ECS_TOP/tests/mac/helper-access" "$u/log" 2>&1
}
out=$(user_check --user-pids 300)
t_eq "--user-pids 300: the plugin's status and the PAM application's stat are both listed" "$?" 0
out=$(user_check)
t_match "without it, pid 300's status is the PAM application's, and caught" "$out" \
	"^not ok - helper trace: 'read /proc/PAM-APP/status' is on the access list"
t_done
