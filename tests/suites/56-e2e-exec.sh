#!/bin/bash
# Suite 56: exec sessions end with the login, end to end. A real sshd, stock ssh through
# ecs-saml-ssh, and inside the session only what the module exports (plus the test CA and
# the stand-in's URL given to the commands, as an engineer would): ecs-saml-exec opens an
# ECS Exec session at the stand-in AWS (tests/sts/fake_sts.py: STS, ECS and SSM on one port)
# and hands it to the stub session-manager-plugin (tests/sts/plugin) through the
# environment, while another local user scanning every /proc/*/cmdline never sees the token.
# Then the login ends with the exec session still open, and the helper ends it
# (helper/exec_teardown.h): ssm:TerminateSession for exactly that session ID, signed with that
# login's key (the stand-in verifies the signature), the plugin gone, the files gone — at a
# logout, at a dropped TCP connection (the client killed), and for a session whose sshd was
# SIGKILLed, in `ecs-saml-helper gc`; the same user's other login keeps its exec session.
# The sudo operator shell execs with its own credentials, and its exit ends only its own exec
# session. When SSM refuses TerminateSession, or the stand-in is down, the logout still ends
# within seconds and the helper logs the failure with its CODE.
#
# Ports: sshd 23401, the stand-in 23402. Shares /run/pam_ecs_saml (the helper's spool),
# /dev/shm/pam_ecs_saml and /dev/log (syslog capture) with the other end-to-end suites: run it
# under the e2e lock. sshd and sudo run in a private mount namespace (tests/lib/nsroot.sh).
. "$(dirname "$0")/../lib/tap.sh"
. "$ECS_TOP/tests/lib/bastion.sh"
. "$ECS_TOP/tests/lib/syslog.sh"
. "$ECS_TOP/tests/lib/exec.sh"

SSH_PORT=23401
STS_PORT=23402
PY=/usr/bin/python3
OPGROUP=ecs-operator	# the shipped sudoers' group
SCAN_UID=42456		# the second local user, scanning /proc

if ! syslog_start 2>"$T_WORK/syslog.err"; then
	t_fail "syslog capture" "$(cat "$T_WORK/syslog.err")"
	t_done
fi
if ! bastion_setup "$SSH_PORT" "$STS_PORT" sshd-ecs-e2e-exec module "$B/pam_ecs_saml.so" \
	pam sudo-ecs-operator "$ECS_TOP/pam.d/sudo-ecs-operator.example" \
	sudoers ecs-operator "$ECS_TOP/pam.d/sudoers.d/ecs-operator" \
	group "$OPGROUP" 1668399991 >"$T_WORK/setup.log" 2>&1; then
	t_fail "setup" "$(tail -n 5 "$T_WORK/setup.log")"
	t_done
fi
URL=https://127.0.0.1:$STS_PORT
# SSM for the helper's TerminateSession is the stand-in too (the configuration sshd's
# namespace reads is a copy in its overlay, re-read on every call).
NSCONF=$SSHD_DIR/ns/security/pam_ecs_saml.conf
echo "ssm_endpoint = $URL/" >>"$NSCONF"
t_ok "setup: sshd pid $SSHD_PID, stand-in $URL, ssm_endpoint set"

exec_kit "$URL" || { t_fail "exec kit" "$W"; t_done; }
# in-session NAME: the login's part: its environment, an exec session, then hold the login
# until a line arrives on stdin.
cat >"$W/in-session" <<EOF
echo CREDS=\$AWS_SHARED_CREDENTIALS_FILE
echo ENV=\$(env | grep -oE '^AWS_[A-Z_]+' | LC_ALL=C sort | tr '\n' ' ')
bash $W/exec-bg \$1
echo READY
read -r line
EOF
# op-session NAME: the sudo operator shell's part: an exec session with its own credentials.
cat >"$W/op-session" <<EOF
echo OPCREDS=\$AWS_SHARED_CREDENTIALS_FILE
bash $W/exec-bg \$1
EOF
chmod 644 "$W/in-session" "$W/op-session"

declare -A LPID LFD
# login NAME USER [SCRIPT ARGS...]: log USER in with a fresh Response, run in-session NAME
# (or SCRIPT) there, the client's stdin a FIFO this shell holds; until READY.
login() {
	local n=$1 u=$2 i fd
	shift 2
	mint "$u" >"$T_WORK/$n.b64" && chmod 644 "$T_WORK/$n.b64"
	rm -f "$T_WORK/$n.in"
	mkfifo "$T_WORK/$n.in"
	exec {fd}<>"$T_WORK/$n.in"
	# shellcheck disable=SC2046
	"$B/ecs-saml-ssh" --response "$T_WORK/$n.b64" $(ssh_opts) -p "$SSH_PORT" "$u@127.0.0.1" \
		"${*:-bash $W/in-session $n}" <&$fd >"$T_WORK/$n.out" 2>&1 &
	LPID[$n]=$!
	LFD[$n]=$fd
	t_on_exit "pkill -P ${LPID[$n]} 2>/dev/null; kill ${LPID[$n]} 2>/dev/null"
	for ((i = 0; i < 300; i++)); do
		# The record is written before the plugin starts: READY, and the plugin's first line.
		grep -q '^READY' "$T_WORK/$n.out" && { plugin_started "$(sid_of "$n")"; return 0; }
		kill -0 "${LPID[$n]}" 2>/dev/null || break
		sleep 0.1
	done
	echo "# login $n: $(tail -n 3 "$T_WORK/$n.out" | tr '\n' ' ')" >&2
	return 1
}
# logout NAME: the remote shell reads its line and exits; wait for the client.
logout() {
	echo bye >&"${LFD[$1]}"
	wait "${LPID[$1]}" 2>/dev/null
	exec {LFD[$1]}>&-
}
# drop NAME: the client vanishes: ecs-saml-ssh and its ssh SIGKILLed, the TCP connection gone.
drop() {
	local ssh_pid
	ssh_pid=$(ps -o pid= --ppid "${LPID[$1]}" | tr -d ' ')
	kill -9 ${ssh_pid:+"$ssh_pid"} "${LPID[$1]}" 2>/dev/null
	wait "${LPID[$1]}" 2>/dev/null
}
sid_of() { exec_sid "$T_WORK/$1.out"; }
ended() { exec_ended "$T_WORK/$1.out" "$2"; }

# --- an exec inside the login ----------------------------------------------------------------
if login a e2eexa; then
	t_ok "login a: an exec session is open"
else
	t_fail "login a: an exec session is open" "see above"
fi
SA=$(sid_of a)
t_match "login a: the session's environment is the module's" "$(sed -n 's/^ENV=//p' "$T_WORK/a.out")" \
	'^AWS_CONFIG_FILE AWS_CREDENTIAL_EXPIRATION AWS_REGION AWS_SHARED_CREDENTIALS_FILE ?$'
t_eq "ecs-saml-exec reached the stand-in: DescribeTasks and ExecuteCommand verified and allowed" \
	"$(cat "$STS_DIR"/requests-*.jsonl | $PY -c 'import json,sys
rs=[json.loads(l) for l in sys.stdin]
rs=[r for r in rs if r.get("action") in ("DescribeTasks","ExecuteCommand")]
print(" ".join(r["action"]+":"+r["sigv4"]+":"+r["decision"] for r in rs))')" \
	"DescribeTasks:valid:allow ExecuteCommand:valid:allow"
t_match "the exec session is recorded under the ID ECS gave" "$SA" '^ecs-execute-command-[0-9a-f]+$'
t_eq "the stub plugin got the session from its environment, no token in argv" \
	"$(prec "$SA" start 'r["handover"]+" "+str(r["token_in_argv"])')" "env False"
TOKEN_SHA=$(cat "$STS_DIR"/requests-*.jsonl | $PY -c 'import json,sys
for l in sys.stdin:
    r=json.loads(l)
    if r.get("action")=="ExecuteCommand" and r.get("session_id")==sys.argv[1]: print(r["token_sha256"])' "$SA")
t_eq "... the token the stand-in issued" "$(prec "$SA" start 'r["token_sha256"]')" "$TOKEN_SHA"
t_check "a second local user scanning every /proc/*/cmdline during the exec never sees the token" \
	setpriv --reuid=$SCAN_UID --regid=$SCAN_UID --clear-groups $PY -c 'import glob,hashlib,sys
want=sys.argv[1]
for f in glob.glob("/proc/[0-9]*/cmdline"):
    try:
        b=open(f,"rb").read()
    except OSError:
        continue
    assert b"token" b"Value" not in b, f	# spelt apart: the scanner is a process too
    for i in range(max(0,len(b)-199)):
        assert hashlib.sha256(b[i:i+200]).hexdigest()!=want, f' "$TOKEN_SHA"

# --- logout ends it; the same user's other login keeps its own --------------------------------
if login b e2eexa; then
	t_ok "login b: the same user's second login, an exec session of its own"
else
	t_fail "login b: a second login with an exec session" "see above"
fi
SB=$(sid_of b)
mark=$(syslog_mark)
logout a
ended a "logout"
t_eq "logout of a: b's exec session is still Connected, its plugin alive" \
	"$(status_of "$SB") $(alive "$(ppid_of "$SB")" && echo alive)" "Connected None alive"
t_eq "logout of a: no TerminateSession for b's session" "$(terminations "$SB")" 0

# --- a dropped TCP connection ----------------------------------------------------------------
drop b
ended b "dropped connection"

# --- a SIGKILLed session, then gc ------------------------------------------------------------
if login c e2eexc; then
	t_ok "login c: an exec session is open"
else
	t_fail "login c: an exec session is open" "see above"
fi
SC=$(sid_of c)
CTAG=$(basename "$(dirname "$(sed -n 's/^CREDS=//p' "$T_WORK/c.out")")")
MON=$(sed -n 's/^pid=//p' "/run/pam_ecs_saml/sessions/$CTAG" 2>/dev/null)
if [ -n "$MON" ] && kill -9 "$MON" 2>/dev/null; then
	t_ok "login c: its PAM application (sshd, pid $MON) SIGKILLed: no close"
else
	t_fail "login c: SIGKILL its PAM application" "no pid in /run/pam_ecs_saml/sessions/$CTAG"
fi
drop c
t_check "without a close, c's exec session stays open (nothing ended it)" \
	test "$(status_of "$SC")" = "Connected None" -a "$(terminations "$SC")" = 0
mkdir -p "$T_WORK/gc-ns"
out=$(ns_prepare "$T_WORK/gc-ns" conf "$NSCONF" && ns_exec "$T_WORK/gc-ns" "$B/ecs-saml-helper" gc 2>&1)
t_match "gc sweeps the dead session" "$out" '^gc: removed [0-9]+ expired tickets, [1-9][0-9]* dead sessions'
ended c "SIGKILLed session, then gc"
t_check "... logged as gc's" syslog_wait "exec session ended: .*by=\"gc\".*exec_session=\"$SC\""

# --- the sudo operator shell -----------------------------------------------------------------
if [ -n "$(asan_env)" ]; then
	# sudo is set-uid: the loader ignores LD_PRELOAD, so an ASan-built module cannot run in
	# it (suite 51 says the same); the rest of this suite runs under ASan.
	echo "# ASan build: the sudo operator shell's case runs in the plain build only"
else
	mint e2eexs >"$T_WORK/sudo.b64" && chmod 644 "$T_WORK/sudo.b64"
	cat >"$W/sudo-session" <<EOF
echo CREDS=\$AWS_SHARED_CREDENTIALS_FILE
bash $W/exec-bg s
script -qec "$B/ecs-saml-ssh --sudo --response $T_WORK/sudo.b64 -g $OPGROUP bash $W/op-session op" \\
	/dev/null >"$W/op.tty" 2>&1
echo SUDO_RC=\$?
tr -d '\r' <"$W/op.tty" | grep -E '^(OPCREDS|REC)='
echo READY
read -r line
EOF
	chmod 644 "$W/sudo-session"
	if login s e2eexs "bash $W/sudo-session"; then
		t_eq "sudo operator shell: ran, with credentials of its own" \
			"$(sed -n 's/^SUDO_RC=//p' "$T_WORK/s.out") $(grep -c '^OPCREDS=/' "$T_WORK/s.out")" "0 1"
	else
		t_fail "sudo operator shell: ran" "see above"
	fi
	SS=$(sed -n 's/^REC=exec-//p' "$T_WORK/s.out" | sed -n 1p)
	SO=$(sed -n 's/^REC=exec-//p' "$T_WORK/s.out" | sed -n 2p)
	t_check "sudo: the login's exec session and the operator shell's are two" \
		test -n "$SS" -a -n "$SO" -a "$SS" != "$SO"
	t_check "sudo: the operator shell's exec is signed with another key than the login's" \
		test -n "$(akid_of "$SO")" -a "$(akid_of "$SO")" != "$(akid_of "$SS")"
	t_check "sudo: its exit ended its own exec session (TerminateSession with its key)" \
		wait_until test "$(status_of "$SO")" = "Terminated $(akid_of "$SO")"
	t_check "... its plugin is gone" wait_until gone "$(ppid_of "$SO")"
	t_eq "... and only its own: the login's exec session is still Connected" \
		"$(status_of "$SS") $(terminations "$SS")" "Connected None 0"
	logout s
	ended s "sudo: then the login's logout"
	rm -f /run/sudo/ts/e2eexs
fi

# --- the stand-in refuses TerminateSession, then is down --------------------------------------
# ends_quickly NAME: logout, and the credentials are gone within 8 s.
ends_quickly() {
	local creds t0
	creds=$(sed -n 's/^CREDS=//p' "$T_WORK/$1.out")
	t0=$(date +%s%N)
	logout "$1"
	wait_until no_file "$(dirname "$creds")" || return 1
	echo "# logout of $1 done in $((($(date +%s%N) - t0) / 1000000)) ms"
	[ $((($(date +%s%N) - t0) / 1000000)) -lt 8000 ]
}
world '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},
	{"Effect":"Deny","Action":"ssm:TerminateSession","Resource":"*"}]}'
login d e2eexd || t_fail "login d: an exec session is open" "see above"
SD=$(sid_of d)
t_check "SSM refuses TerminateSession: the logout still completes quickly" ends_quickly d
t_check "... logged with its CODE and SSM's HTTP status" syslog_wait \
	"exec session not terminated: .*exec_session=\"$SD\".*code=\"exec-terminate-refused\".*status=\"400\""
t_check "... the plugin was still stopped (pidfd)" wait_until gone "$(ppid_of "$SD")"
t_check "... and the session end is recorded as failed" \
	syslog_wait "exec session ended: .*exec_session=\"$SD\".*terminate=\"failed\".*plugin=\"(stopped|killed)\""
world
login f e2eexf || t_fail "login f: an exec session is open" "see above"
SF=$(sid_of f)
sts_stop
t_check "the stand-in down: the logout still completes quickly" ends_quickly f
t_check "... logged with its CODE" syslog_wait \
	"exec session not terminated: .*exec_session=\"$SF\".*code=\"exec-terminate-unreachable\".*transport=\"sts-unreachable\""
t_check "... the plugin was stopped" wait_until gone "$(ppid_of "$SF")"
sts_restart ok >/dev/null 2>&1

t_done
