#!/bin/bash
# tests/run: isolated
# Suite 23: the sandboxed validator (helper/privsep.h). `verify` takes the same path as `auth`:
# the helper forks a child that becomes the sandbox account, and only the child parses the
# Response. Read from /proc while the child runs (it stops itself, test hook "stop"): its
# uid and gid are the account's, every capability set is empty, no_new_privs is set, seccomp
# is in filter mode, its rlimits are set, and it holds no descriptor but /dev/null, stderr
# and the pipe. A child that crashes, loops, runs out of memory, makes a forbidden system
# call or answers garbage (the other test hooks, compiled only into the in-tree build) is a
# clean refusal with its CODE, for `verify` and for `auth` (a request framed as the PAM
# module frames it). Without the account, with root named as the account, or when a sandbox
# step fails (no CAP_SETPCAP), the helper refuses to validate and tells the administrator
# what to do; run by a user other than
# root, the child is sandboxed all the same, without the id change.
#
# No ports. As root the helper runs in private mount namespaces whose /etc/passwd and
# /etc/group hold the sandbox account (tests/lib/nsroot.sh): the host's files never change.
. "$(dirname "$0")/../lib/tap.sh"
. "$ECS_TOP/tests/lib/nsroot.sh"

H=$B/ecs-saml-helper
PIN=2025-01-15T12:02:30Z
IN=$CORPUS/responses/future/xmlsec1/assertion-rsa-sha256-5k.b64
if [ ! -x "$H" ]; then
	t_fail "helper built" "$H is missing"
	t_done
fi
W=$(ns_account_wrapper "$T_WORK/privsep" "$H")
ACCOUNT_UID=$(awk -F: -v u="$NS_PRIVSEP_USER" '$1 == u { print $3 }' "$T_WORK/privsep/ns/passwd")
ACCOUNT_GID=$(awk -F: -v u="$NS_PRIVSEP_USER" '$1 == u { print $4 }' "$T_WORK/privsep/ns/passwd")

# Trust anchors and configurations readable by the unprivileged user of the last checks.
D=$T_WORK/pub
mkdir -p "$D"
cp "$CORPUS/metadata/idp-metadata.xml" "$D/"
chmod 644 "$D"/*
CONF_MODE=644
CONF_DEFAULTS=("user_strip_suffix = @corp.example.test" "state_dir = $T_WORK/state")
MD=$(conf_new md "idp_metadata = $D/idp-metadata.xml")
NOACCT=$(conf_new noacct "idp_metadata = $D/idp-metadata.xml" "privsep_user = ecs-no-such-acct")
ROOTACCT=$(conf_new rootacct "idp_metadata = $D/idp-metadata.xml" "privsep_user = root")

# verify [HOOK] [HELPER]: sets out, err, rc.
verify() {
	out=$(ECS_TEST_PRIVSEP=${1:-} "${2:-$W}" verify --config "$MD" --at $PIN <"$IN" \
		2>"$T_WORK/stderr")
	rc=$?
	err=$(cat "$T_WORK/stderr")
}

# ---------------------------------------------------------------------- accepted in the child

verify
t_eq "a valid Response is accepted through the sandboxed child" "$rc $(field user "$out")" "0 alice"

# ---------------------------------------------------------------------- the child, from /proc

# stopped_child PID: waits until PID's child has stopped itself, prints the child's pid.
stopped_child() {
	local c i
	for ((i = 0; i < 400; i++)); do
		c=$(tr -d ' ' <"/proc/$1/task/$1/children" 2>/dev/null)
		if [ -n "$c" ] && grep -q '^State:.*(stopped)' "/proc/$c/status" 2>/dev/null; then
			echo "$c"
			return 0
		fi
		kill -0 "$1" 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
}

# pf KEY STATUS: the value of "KEY:<tab>value" in a /proc status text, blanks squeezed.
pf() { sed -n "s/^$1:[[:space:]]*//p" <<<"$2" | tr -s '\t ' '  ' | sed 's/ $//'; }

# proc_checks LABEL CHILD UID GID BOUNDING: the sandbox as /proc shows it.
proc_checks() {
	local label=$1 c=$2 st
	st=$(cat "/proc/$c/status")
	t_eq "$label: Uid (real, effective, saved, fs)" "$(pf Uid "$st")" "$3 $3 $3 $3"
	t_eq "$label: Gid (real, effective, saved, fs)" "$(pf Gid "$st")" "$4 $4 $4 $4"
	t_eq "$label: no supplementary group but its own" "$(pf Groups "$st")" \
		"$([ "$3" = "$ACCOUNT_UID" ] && echo "$4")"
	t_eq "$label: CapEff, CapPrm, CapInh, CapAmb empty" \
		"$(pf CapEff "$st") $(pf CapPrm "$st") $(pf CapInh "$st") $(pf CapAmb "$st")" \
		"$(printf '%016x %016x %016x %016x' 0 0 0 0)"
	[ "$5" = bounding ] && t_eq "$label: CapBnd empty" "$(pf CapBnd "$st")" "$(printf '%016x' 0)"
	t_eq "$label: NoNewPrivs" "$(pf NoNewPrivs "$st")" 1
	t_eq "$label: Seccomp in filter mode" "$(pf Seccomp "$st")" 2
	t_match "$label: a CPU rlimit" "$(grep '^Max cpu time' "/proc/$c/limits")" \
		'^Max cpu time +3 +4 +seconds'
	t_match "$label: an address-space rlimit" "$(grep '^Max address space' "/proc/$c/limits")" \
		'^Max address space +[0-9]+ +[0-9]+ +bytes'
	t_eq "$label: no new process, no file written" \
		"$(grep -E '^Max (processes|file size)' "/proc/$c/limits" | awk '{ $1 = $1; print }' |
			tr '\n' ';')" 'Max file size 0 0 bytes;Max processes 0 0 processes;'
	t_eq "$label: descriptors: /dev/null, /dev/null, stderr, the pipe" \
		"$(cd "/proc/$c/fd" && for f in *; do printf '%s:%s ' "$f" "$(readlink "$f" |
			sed 's/pipe:.*/pipe/')"; done)" \
		"0:/dev/null 1:/dev/null 2:$T_WORK/stderr 3:pipe "
}

ECS_TEST_PRIVSEP=stop "$W" verify --config "$MD" --at $PIN <"$IN" >"$T_WORK/stop.out" \
	2>"$T_WORK/stderr" &
P=$!
if c=$(stopped_child $P); then
	proc_checks "root parent's child" "$c" "$ACCOUNT_UID" "$ACCOUNT_GID" bounding
	kill -CONT "$c"
else
	t_fail "the child stops itself for inspection" "no stopped child of $P"
fi
wait $P
t_eq "once continued, the child's verdict is the parent's answer" \
	"$? $(field user "$(cat "$T_WORK/stop.out")")" "0 alice"

# ---------------------------------------------------------------------- misbehaving children

reject_code() { sed -n 's/^reject: \([a-z-]*\): .*/\1/p' <<<"$err" | head -1; }

verify crash
t_eq "a crashing child is a clean refusal: privsep-crash" "$rc $(reject_code)" "1 privsep-crash"
SECONDS=0
verify loop
t_eq "a looping child is a clean refusal: privsep-timeout" "$rc $(reject_code)" "1 privsep-timeout"
t_check "the CPU rlimit ends it, not the parent's wall clock ($SECONDS s)" test $SECONDS -lt 12
verify memory
t_eq "a child over its address space is a clean refusal: privsep-memory" "$rc $(reject_code)" \
	"1 privsep-memory"
verify syscall
t_eq "a forbidden system call (socket) kills the child: privsep-syscall" "$rc $(reject_code)" \
	"1 privsep-syscall"
verify garbage
t_eq "a malformed answer is a clean refusal: privsep-protocol" "$rc $(reject_code)" \
	"1 privsep-protocol"
t_eq "no refusal prints claims" "$(field user "$out")" ""

# ---------------------------------------------------------------------- auth, as the module asks

# A request framed as pam_ecs_saml.so frames it (libecs/ecs_helper_proto.h): USER, SERVICE,
# RESPONSE, END. The helper reads its configuration from the compiled-in path: a namespace
# (ns_prepare) puts $MD there.
/usr/bin/python3 - "$IN" >"$T_WORK/auth.req" <<-'PY'
	import struct, sys
	def frame(t, b): return struct.pack(">BI", t, len(b)) + b
	resp = open(sys.argv[1], "rb").read().strip()
	sys.stdout.buffer.write(b"ECSW\x01" + frame(1, b"alice") + frame(2, b"ecs23") +
	                        frame(5, resp) + frame(0, b""))
PY
ns_prepare "$T_WORK/ns-auth" conf "$MD" || t_fail "auth namespace" "ns_prepare failed"
for hook in crash loop syscall; do
	code=privsep-$([ $hook = loop ] && echo timeout || echo $hook)
	reply=$( (ECS_TEST_PRIVSEP=$hook ns_exec "$T_WORK/ns-auth" "$H" auth <"$T_WORK/auth.req") |
		tr -c '[:print:]' ' ')
	t_match "auth: a $hook child refuses the login and tells the user its CODE ($code)" \
		"$reply" "validator failed on this SAML response \\(code $code in its log\\)"
done

# ---------------------------------------------------------------------- failing closed

out=$("$W" verify --config "$NOACCT" --at $PIN <"$IN" 2>&1)
rc=$?
t_eq "without the sandbox account, root validates nothing (exit 2)" "$rc" 2
t_match "and tells the administrator how to create it" "$out" \
	'^config: privsep-account: the sandbox account ecs-no-such-acct does not exist.*useradd --system'
t_eq "and prints no claim" "$(field user "$out")" ""
out=$("$W" verify --config "$ROOTACCT" --at $PIN <"$IN" 2>&1)
t_match "root named as the sandbox account is refused" "$?: $out" \
	'^2: config: privsep-account: the sandbox account root has uid or gid 0'

# A sandbox step the host refuses (here no CAP_SETPCAP, as a MAC policy without it would):
# nothing is validated, and the administrator is told which step.
out=$( (ns_account_exec "$T_WORK/privsep/ns" capsh --drop=cap_setpcap \
	--caps="cap_chown,cap_dac_override,cap_dac_read_search,cap_setgid,cap_setuid+eip" -- \
	-c 'exec "$0" verify --config "$1" --at "$2"' "$H" "$MD" $PIN) <"$IN" 2>&1)
t_match "a sandbox step that fails (no setpcap) validates nothing (exit 2) and names the step" \
	"$?: $out" '^2: config: privsep-setup: .*emptying the capability bounding set: Operation not permitted'
t_eq "and prints no claim" "$(field user "$out")" ""

# ---------------------------------------------------------------------- not root: no id change

# setpriv: an unprivileged user with no capability; no account is needed then.
NOBODY=$(id -u nobody)
NOGROUP=$(id -g nobody)
AS_NOBODY=(setpriv --reuid="$NOBODY" --regid="$NOGROUP" --clear-groups --inh-caps=-all)
out=$("${AS_NOBODY[@]}" "$H" verify --config "$MD" --at $PIN <"$IN" 2>"$T_WORK/stderr")
t_eq "run by an unprivileged user, verify validates in a sandboxed child too" \
	"$? $(field user "$out")" "0 alice"
ECS_TEST_PRIVSEP=stop "${AS_NOBODY[@]}" "$H" verify --config "$MD" --at $PIN <"$IN" \
	>"$T_WORK/stop.out" 2>"$T_WORK/stderr" &
P=$!
if c=$(stopped_child $P); then
	proc_checks "unprivileged parent's child" "$c" "$NOBODY" "$NOGROUP" -
	kill -CONT "$c"
else
	t_fail "the unprivileged parent's child stops itself for inspection" "none of $P"
fi
wait $P
t_eq "and answers once continued" "$? $(field user "$(cat "$T_WORK/stop.out")")" "0 alice"
t_done
