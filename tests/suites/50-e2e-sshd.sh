#!/bin/bash
# Suite 50: end to end through a real sshd on 127.0.0.1 — three real clients, a deflated 20 KB
# Response in at most 5 keyboard-interactive round trips, one fewer with its first characters
# inline in the header (and the old header still logging in; a decompression bomb refused),
# credentials used by awscli inside the session, removed at logout and at a dropped
# connection, the refusals a user meets (each with its message), an interactive shell in a
# terminal, role choice, the client refusing a foreign prompt, no Response in any process's
# argv or environment, and 20 concurrent logins; the helper server (`ecs-saml-helper serve`)
# answering the module, revoke through it, its refusal of other users, its stop, and the
# module starting the helper itself without it; ecs-saml-ssh refusing an unchecked host key,
# a jump host or a ProxyCommand; the harness refusing a busy port.
#
# Ports: sshd 22501 (and 22503 for the shipped pam.d/sshd.example), STS stand-in 22543,
# 22504 held by a stray listener to see sshd_start refuse it, 23484 the login bench's 25 ms
# relay (tests/bench/delay-relay.py) in front of 22501, smoke-tested with the bench's burst
# driver (tests/bench/login-burst.py) starting 3 logins through it at once. sshd runs as PAM service "sshd-ecs-e2e" in a
# private mount namespace (tests/lib/nsroot.sh): its PAM file, the NSS module and the
# configuration are overlays there, nothing under /etc is written. Federated users e2e*
# exist nowhere but in the NSS module; e2ephish is a local password user (passwd/shadow
# copies in the namespace) whose stack asks "Password:" first, to see that ecs-saml-ssh
# never answers a prompt that is not pam_ecs_saml's.
. "$(dirname "$0")/../lib/tap.sh"
# Federated users: e2e names, and e2e first.last names (the user-name policy's dots).
BASTION_USER_RE='^e2e[a-z0-9]{1,12}(\.[a-z0-9]{1,12})?$'
. "$ECS_TOP/tests/lib/bastion.sh"
. "$ECS_TOP/tests/mac/trace.sh"

SSH_PORT=22501
STS_PORT=22543
EXAMPLE_PORT=22503	# a second sshd, with the shipped pam.d/sshd.example and drop-in
BUSY_PORT=22504		# held by a stray listener: sshd_start must refuse it

cat >"$T_WORK/stack-pre" <<STACK
auth     [success=ignore default=1] pam_succeed_if.so quiet user = e2ephish
auth     [success=done default=die] pam_unix.so
STACK
BASTION_STACK_PRE=$T_WORK/stack-pre
trace_start
if ! bastion_setup "$SSH_PORT" "$STS_PORT" sshd-ecs-e2e \
	user e2ephish 1668200002 "$(openssl passwd -6 "$(head -c 12 /dev/urandom | base64)")" \
	>"$T_WORK/setup.log" 2>&1; then
	t_fail "bastion setup" "$(tail -n 5 "$T_WORK/setup.log")"
	t_done
fi
t_ok "bastion up: sshd pid $SSHD_PID, STS $STS_URL"

ASK=$(aws_in_session)
# The in-session probe: who STS says we are, and where our credentials are.
# Numeric owner: a name lookup would load the NSS module into stat (and, in an ASan build,
# abort there for want of the ASan runtime).
PROBE="echo CREDS=\$AWS_SHARED_CREDENTIALS_FILE; echo EXP=\$AWS_CREDENTIAL_EXPIRATION; \
echo OWNER=\$(stat -c %u:%a \"\$AWS_SHARED_CREDENTIALS_FILE\"); echo ME=\$(id -u); echo ARN=\$($ASK)"

ssh_login() {	# ssh_login USER RESPONSE_FILE CMD — ecs-saml-ssh over stock ssh
	# shellcheck disable=SC2046
	"$B/ecs-saml-ssh" --response "$2" $(ssh_opts) -p "$SSH_PORT" "$1@127.0.0.1" "$3" 2>&1
}

gone_soon() {	# a file disappears within 5 s
	local i
	for ((i = 0; i < 50; i++)); do [ -e "$1" ] || return 0; sleep 0.1; done
	return 1
}

check_session() {	# NAME USER OUTPUT RC
	local name=$1 user=$2 out=$3 rc=$4 creds
	if [ "$rc" -ne 0 ]; then
		t_fail "$name: login" "exit $rc: $(tail -n 4 <<<"$out" | tr '\n' ' ')"
		return 1
	fi
	t_match "$name: aws sts get-caller-identity inside the session is $user's role session" \
		"$(field ARN "$out")" "^arn:aws:sts::123456789012:assumed-role/BastionOperator/$user\$"
	t_eq "$name: credentials file is the user's own, 0600" "$(field OWNER "$out")" \
		"$(field ME "$out"):600"
	t_match "$name: expiry exported" "$(field EXP "$out")" '^20[0-9]{2}-[0-9]{2}-[0-9]{2}T'
	creds=$(field CREDS "$out")
	if [ -n "$creds" ] && gone_soon "$creds"; then
		t_ok "$name: credentials removed at logout"
	else
		t_fail "$name: credentials removed at logout" "'$creds' still there"
	fi
}

resp() {	# resp NAME USER [mint options] — mint into $T_WORK/NAME.b64 (readable by tests)
	local f=$T_WORK/$1.b64 user=$2
	shift 2
	mint "$user" "$@" >"$f" && chmod 644 "$f" && echo "$f"
}

refused() {	# NAME RC OUTPUT ERE — a login that must fail with that message
	if [ "$2" -eq 0 ]; then
		t_fail "$1" "login succeeded"
	else
		t_match "$1" "$3" "$4"
	fi
}

# --- the three clients --------------------------------------------------------------------
r=$(resp alice e2ealice)
out=$(ssh_login e2ealice "$r" "$PROBE")
check_session "ecs-saml-ssh (chunked)" e2ealice "$out" $?
ALICE_RESPONSE=$r

r=$(resp bob e2ebob --pad 20000)
out=$(/usr/bin/python3 "$ECS_TOP/tests/lib/kbd_login.py" --port "$SSH_PORT" --user e2ebob \
	--response "$r" --cmd "$PROBE" 2>&1)
check_session "paramiko (whole 20 KB answer)" e2ebob "$out" $?

r=$(resp carol e2ecarol)
out=$(/usr/bin/python3 "$ECS_TOP/tests/lib/paste_login.py" --port "$SSH_PORT" \
	--known-hosts "$SSHD_DIR/known_hosts" --user e2ecarol \
	--response "$r" --cmd "$PROBE" 2>&1 | tr -d '\r'; exit "${PIPESTATUS[0]}")
check_session "stock ssh in a pty, pasted line by line" e2ecarol "$out" $?

# --- a deflated Response: fewer chunks, so fewer round trips (issue 14) -----------------------
# sshd's keyboard-interactive bridge sends one prompt per network round trip. ssh -vv logs
# every request it answers with its number of prompts ("input_userauth_info_req:
# num_prompts N"), paramiko's handler runs once per request (kbd_login.py counts them).
# Counted as issue 14 counts them, the rounds with a prompt (header + chunks): the shared
# corpus's 20 KB Response took 28 before it went deflated. sshd adds one round without a
# prompt when PAM is done, whatever the Response: not counted.
kbd_rounds() { grep -cE 'input_userauth_info_req: num_prompts [1-9]' <<<"$1"; }
r=$(resp zoe e2ezoe --pad 20000)
# shellcheck disable=SC2046
out=$("$B/ecs-saml-ssh" --response "$r" $(ssh_opts) -vv -p "$SSH_PORT" e2ezoe@127.0.0.1 "$PROBE" 2>&1)
check_session "ecs-saml-ssh, 20 KB Response packed (the bastion offers packed1)" e2ezoe "$out" $?
n=$(kbd_rounds "$out")
t_check "ecs-saml-ssh, 20 KB Response packed: $n keyboard-interactive round trips (at most 3)" \
	test "$n" -ge 1 -a "$n" -le 3
# The shared corpus's own 20 KB Response (another IdP's, so refused, but only once every
# chunk is in): the figure issue 14 sets its goal on.
# shellcheck disable=SC2046
out=$("$B/ecs-saml-ssh" --response "$CORPUS/responses/future/xmlsec1/assertion-rsa-sha256-20k.b64" \
	$(ssh_opts) -vv -p "$SSH_PORT" e2ezeta@127.0.0.1 true 2>&1)
n=$(kbd_rounds "$out")
t_check "the corpus's 20 KB Response, packed, its header carrying the first bytes: $n round trips with a prompt (at most 3; 4 deflated, 28 as it is)" \
	test "$n" -ge 1 -a "$n" -le 3
t_match "...and then refused by the bastion (another IdP's signature)" "$out" '^SAML response refused\.'
# The header's own round trip saved (" inline=K "): the same corpus Response, deflated by the
# same encoder (Python's zlib: 3596 characters), once with the header of a client that
# predates the field and once with its first characters inline. Both are refused only after
# every chunk is in, so the round trips are the whole conversation's.
C20=$CORPUS/responses/future/xmlsec1/assertion-rsa-sha256-20k.b64
old=$(/usr/bin/python3 "$ECS_TOP/tests/lib/kbd_login.py" --port "$SSH_PORT" --user e2eold20k \
	--response "$C20" --send deflated 2>&1)
new=$(/usr/bin/python3 "$ECS_TOP/tests/lib/kbd_login.py" --port "$SSH_PORT" --user e2einline20k \
	--response "$C20" --send inline 2>&1)
n_old=$(sed -n 's/^kbd-int rounds: //p' <<<"$old")
n_new=$(sed -n 's/^kbd-int rounds: //p' <<<"$new")
t_check "the corpus's 20 KB Response: $n_old round trips with the old header, $n_new with inline characters (one fewer)" \
	test -n "$n_old" -a "$n_new" = "$((n_old - 1))"
t_match "... the old header got all the way to the signature check" "$old" 'SAML response refused\.'
t_match "... and so did the inline one" "$new" 'SAML response refused\.'
r=$(resp zack e2ezack --pad 20000)
# shellcheck disable=SC2046
out=$("$B/ecs-saml-ssh" --response "$r" --no-compress $(ssh_opts) -vv -p "$SSH_PORT" \
	e2ezack@127.0.0.1 "$PROBE" 2>&1)
check_session "ecs-saml-ssh --no-compress (a v1 header without deflate), 20 KB" e2ezack "$out" $?
n=$(kbd_rounds "$out")
t_check "ecs-saml-ssh --no-compress, 20 KB: $n round trips, one per 1000 characters" \
	test "$n" -ge 21
r=$(resp yara e2eyara --pad 20000)
out=$(/usr/bin/python3 "$ECS_TOP/tests/lib/kbd_login.py" --port "$SSH_PORT" --user e2eyara \
	--response "$r" --send deflated --cmd "$PROBE" 2>&1)
check_session "paramiko, chunked and deflated by Python's zlib (another encoder), an old header: no inline field" e2eyara "$out" $?
t_match "paramiko, deflated 20 KB: at most 5 round trips" "$out" '^kbd-int rounds: [2-5]$'
r=$(resp yves e2eyves --pad 20000)
out=$(/usr/bin/python3 "$ECS_TOP/tests/lib/kbd_login.py" --port "$SSH_PORT" --user e2eyves \
	--response "$r" --send inline --cmd "$PROBE" 2>&1)
check_session "paramiko, deflated by Python's zlib, the first characters inline in the header" e2eyves "$out" $?
hdr=$(sed -n 's/^kbd-header: //p' <<<"$out")
t_check "... one round trip for the header with its inline share plus one per chunk left ($hdr: $(sed -n 's/^kbd-int rounds: //p' <<<"$out"))" \
	test -n "$hdr" -a "$(sed -n 's/^kbd-int rounds: //p' <<<"$out")" = "$((1 + ${hdr##*chunks=}))"
# encoding=packed1 from another encoder (Python's zlib with the preset dictionary, the byte
# alphabet escaped in Python): the bytes ride through real ssh/sshd/PAM answers as they are.
r=$(resp yuki e2eyuki --pad 20000)
out=$(/usr/bin/python3 "$ECS_TOP/tests/lib/kbd_login.py" --port "$SSH_PORT" --user e2eyuki \
	--response "$r" --send packed --cmd "$PROBE" 2>&1)
check_session "paramiko, packed1 by Python's zlib with the preset dictionary, 20 KB" e2eyuki "$out" $?
hdr=$(sed -n 's/^kbd-header: //p' <<<"$out")
n=$(sed -n 's/^kbd-int rounds: //p' <<<"$out")
t_check "... the 20 KB Response packed: $n round trips ($hdr), fewer than deflate's" \
	test -n "$hdr" -a "$n" = "$((1 + ${hdr##*chunks=}))" -a "$n" -le 3
# A stray escape (0x01 then 'Z'): not the byte alphabet, refused as a damaged stream.
printf 'ab\001Zcd' >"$T_WORK/bad-escape.raw"
r=$(resp badesc e2ebadesc)
out=$(/usr/bin/python3 "$ECS_TOP/tests/lib/kbd_login.py" --port "$SSH_PORT" --user e2ebadesc \
	--response "$r" --send packed --stream "$T_WORK/bad-escape.raw" 2>&1)
refused "packed1 with a stray escape is refused with the deflate code's sentence" $? "$out" \
	'The compressed SAML response is damaged or inflates past the limit'
# A decompression bomb (10 MB of zeros in 10 KB): the sandboxed validator stops at the cap
# and the user meets the deflate code's sentence.
/usr/bin/python3 -c 'import sys, zlib; z = zlib.compressobj(9, zlib.DEFLATED, -15); sys.stdout.buffer.write(z.compress(bytes(10 << 20)) + z.flush())' >"$T_WORK/bomb.raw"
r=$(resp bomb e2ebomb)
out=$(/usr/bin/python3 "$ECS_TOP/tests/lib/kbd_login.py" --port "$SSH_PORT" --user e2ebomb \
	--response "$r" --send deflated --stream "$T_WORK/bomb.raw" 2>&1)
refused "a decompression bomb is refused with the deflate code's sentence" $? "$out" \
	'The compressed SAML response is damaged or inflates past the limit'

# --- first.last user names (the user-name policy, ecs_names.h) -----------------------------
# Enterprise RoleSessionNames are first.last, sometimes with capitals. A dotted name logs in
# as it is; First.Last is refused with its reason unless user_name_lowercase maps it.
r=$(resp dotted e2ejuergen.mueller)
out=$(ssh_login e2ejuergen.mueller "$r" "$PROBE; echo WHO=\$(id -un); echo HOME=\$HOME")
check_session "dotted user name e2ejuergen.mueller" e2ejuergen.mueller "$out" $?
t_eq "dotted user name: the session's user and home" "$(field WHO "$out") $(field HOME "$out")" \
	"e2ejuergen.mueller $HOMES"
r=$(resp capitals E2EJuergen.Mueller)
out=$(ssh_login e2ejuergen.mueller "$r" true)
refused "First.Last without user_name_lowercase: refused, saying who can change it" $? \
	"$out" 'maps to a user name this bastion does not accept\. The bastion.s administrator decides'
# The configuration sshd's namespace sees is a copy in its overlay (tests/lib/nsroot.sh):
# written in place, as the modules re-read it on every call.
NSCONF=$SSHD_DIR/ns/security/pam_ecs_saml.conf
cp -p "$NSCONF" "$T_WORK/conf.before-lowercase"
echo "user_name_lowercase = yes" >>"$NSCONF"
r=$(resp capitals-mapped E2EJuergen.Mueller)
out=$(ssh_login e2ejuergen.mueller "$r" "echo WHO=\$(id -un); echo ARN=\$($ASK)")
rc=$?
t_eq "First.Last with user_name_lowercase logs in as first.last" "$rc:$(field WHO "$out")" \
	"0:e2ejuergen.mueller"
t_match "and STS sees the RoleSessionName as the IdP sent it" "$(field ARN "$out")" \
	'assumed-role/BastionOperator/E2EJuergen\.Mueller$'
cat "$T_WORK/conf.before-lowercase" >"$NSCONF"

# --- an interactive login shell in a terminal, as people use it -------------------------------
r=$(resp pia e2epia)
# shellcheck disable=SC2046
out=$(/usr/bin/python3 "$ECS_TOP/tests/lib/pty_run.py" --expect '\$ $' \
	--input 'echo "tty=$(tty) creds=${AWS_SHARED_CREDENTIALS_FILE:+yes}"; exit\n' -- \
	"$B/ecs-saml-ssh" --response "$r" $(ssh_opts) -p "$SSH_PORT" e2epia@127.0.0.1 2>&1 |
	tr -d '\r'; exit "${PIPESTATUS[0]}")
rc=$?
if [ $rc -eq 0 ]; then
	t_match "interactive shell through ecs-saml-ssh: a terminal, and the credentials" "$out" \
		'tty=/dev/pts/[0-9]+ creds=yes$'
else
	t_fail "interactive shell through ecs-saml-ssh" "exit $rc: $(tail -n 3 <<<"$out" | tr '\n' ' ')"
fi

# --- the other input shapes: a form body named by ECS_SAML_RESPONSE, XML on stdin -------------
r=$(resp nina e2enina)
f=$T_WORK/nina.form
printf 'SAMLResponse=%s&RelayState=https%%3A%%2F%%2Fconsole.aws.amazon.com%%2F\n' \
	"$(tr -d '\n' <"$r" | sed 's/+/%2B/g; s|/|%2F|g; s/=/%3D/g')" >"$f"
# shellcheck disable=SC2046
out=$(ECS_SAML_RESPONSE=$f "$B/ecs-saml-ssh" $(ssh_opts) -p "$SSH_PORT" e2enina@127.0.0.1 "$PROBE" 2>&1)
t_match "form body (SAMLResponse=...&RelayState=...) from ECS_SAML_RESPONSE logs in" \
	"$(field ARN "$out")" 'assumed-role/BastionOperator/e2enina$'
# shellcheck disable=SC2046
out=$(mint e2eoscar --xml | "$B/ecs-saml-ssh" --response - $(ssh_opts) -p "$SSH_PORT" \
	e2eoscar@127.0.0.1 "$PROBE" 2>&1)
t_match "decoded XML on stdin (--response -) logs in" "$(field ARN "$out")" \
	'assumed-role/BastionOperator/e2eoscar$'

# --- a dropped TCP connection closes the session too --------------------------------------
r=$(resp dave e2edave)
/usr/bin/python3 "$ECS_TOP/tests/lib/kbd_login.py" --port "$SSH_PORT" --user e2edave \
	--response "$r" --cmd "$PROBE; sleep 60" --hold 60 >"$T_WORK/dave.out" 2>&1 &
client=$!
for ((i = 0; i < 100; i++)); do grep -q '^ARN=' "$T_WORK/dave.out" && break; sleep 0.1; done
creds=$(field CREDS <"$T_WORK/dave.out")
if [ -n "$creds" ] && [ -e "$creds" ]; then
	t_ok "dropped connection: session open with credentials"
	# The timer's sweep meanwhile: the session's sshd is alive, so gc leaves it alone.
	out=$(trace_run "$B/ecs-saml-helper" gc 2>&1)
	# (the host's own sshd_config draws gc's warning first: the failure shows gc's summary)
	t_match "gc beside a live session: runs" "$(grep -v '^gc: sshd refuses' <<<"$out")" \
		'^gc: removed [0-9]+ expired tickets, 0 dead sessions'
	t_check "gc beside a live session: its credentials stay" test -e "$creds"
	kill -9 "$client"
	wait "$client" 2>/dev/null
	if gone_soon "$creds"; then
		t_ok "dropped connection: credentials removed when the client vanished"
	else
		t_fail "dropped connection: credentials removed" "$creds still there"
	fi
else
	kill -9 "$client" 2>/dev/null
	t_fail "dropped connection: session open" "$(tail -n 3 "$T_WORK/dave.out" | tr '\n' ' ')"
fi

# --- refusals, each with the message the user sees -----------------------------------------
# A bad signature or an unknown key gets the generic message on purpose: telling a forger
# which check failed helps nobody else.

out=$(ssh_login e2ealice "$ALICE_RESPONSE" true)
refused "replayed Response refused" $? "$out" 'This SAML response was already used: fetch a fresh one\.'

r=$(resp erin-for-frank e2eerin)
out=$(ssh_login e2efrank "$r" true)
refused "another user's Response refused" $? "$out" 'This SAML response is for another user\.'

r=$(resp grace-expired e2egrace --expired)
out=$(ssh_login e2egrace "$r" true)
refused "expired Response refused by ecs-saml-ssh before connecting" $? "$out" \
	'ecs-saml-ssh: the SAML response expired at'
out=$(/usr/bin/python3 "$ECS_TOP/tests/lib/kbd_login.py" --port "$SSH_PORT" --user e2egrace \
	--response "$r" 2>&1)
refused "expired Response refused by the bastion" $? "$out" 'This SAML response has expired: fetch a fresh one\.'

r=$(resp heidi-tampered e2eheidi --tamper)
out=$(ssh_login e2eheidi "$r" true)
refused "tampered Response refused" $? "$out" '^SAML response refused\.'

r=$(resp ivan-wrong-idp e2eivan --key attacker-rsa2048)
out=$(ssh_login e2eivan "$r" true)
refused "Response signed by another IdP refused" $? "$out" '^SAML response refused\.'

r=$(resp judy-whole-paste e2ejudy)
out=$(/usr/bin/python3 "$ECS_TOP/tests/lib/paste_login.py" --port "$SSH_PORT" \
	--known-hosts "$SSHD_DIR/known_hosts" --user e2ejudy \
	--response "$r" --whole 2>&1 | tr -d '\r'; exit "${PIPESTATUS[0]}")
refused "whole Response pasted into stock ssh: the cut is named" $? "$out" \
	'Your answer was cut at 1023 characters by ssh'

# --- role choice: a Response offering two allowed roles --------------------------------------
r=$(resp kim-two-roles e2ekim --roles 2)
out=$(ssh_login e2ekim "$r" true)
refused "two roles, no --role: ecs-saml-ssh says how to choose" $? "$out" \
	'offers several roles: choose one with --role N or --role ARN'
r=$(resp kim-two-roles-2 e2ekim --roles 2)
# shellcheck disable=SC2046
out=$("$B/ecs-saml-ssh" --response "$r" --role arn:aws:iam::123456789012:role/BastionReadOnly \
	$(ssh_opts) -p "$SSH_PORT" e2ekim@127.0.0.1 "$PROBE" 2>&1)
t_match "two roles, --role ARN: the session has that role" "$(field ARN "$out")" \
	'assumed-role/BastionReadOnly/e2ekim$'

# --- the client never types the Response into a foreign prompt -------------------------------
r=$(resp phish e2ephish)
out=$(ssh_login e2ephish "$r" true)
refused "a Password: prompt is refused by ecs-saml-ssh" $? "$out" \
	'refusing to answer a prompt that is not from pam_ecs_saml: "(\(e2ephish@127.0.0.1\) )?Password: "'
t_eq "nothing of the Response reached the server's log" \
	"$(grep -c "$(cut -c 200-240 "$r")" "$SSHD_LOG")" 0

# --- an unchecked host key, a jump host, a ProxyCommand: the Response stays home -------------
# A bastion whose key is not in known_hosts, with the user's own options and ssh_config
# asking ssh not to check it (no, accept-new): ecs-saml-ssh's forced
# StrictHostKeyChecking=yes comes first and wins, ssh stops before authentication, and the
# Response is never sent (the same Response then logs in: the bastion never consumed it).
r=$(resp hostkey e2ehostkey)
: >"$T_WORK/unknown_hosts"
for mode in no accept-new; do
	cat >"$T_WORK/ssh_config.$mode" <<-CFG
		Host *
		  StrictHostKeyChecking $mode
		  UserKnownHostsFile $T_WORK/unknown_hosts
		  GlobalKnownHostsFile /dev/null
		  LogLevel INFO
	CFG
	uopt=()
	[ "$mode" = no ] && uopt=(-o StrictHostKeyChecking=no)
	out=$("$B/ecs-saml-ssh" --response "$r" -F "$T_WORK/ssh_config.$mode" "${uopt[@]}" \
		-p "$SSH_PORT" e2ehostkey@127.0.0.1 'echo LOGGED-IN' 2>&1)
	refused "host key unknown, StrictHostKeyChecking $mode from the user: ssh refuses the host" \
		$? "$out" 'Host key verification failed'
	t_eq "host key unknown ($mode): nothing was written to known_hosts" \
		"$(wc -c <"$T_WORK/unknown_hosts")" 0
done
t_eq "host key unknown: the bastion never saw an authentication attempt for the user" \
	"$(grep -c 'e2ehostkey' "$SSHD_LOG")" 0
out=$(ssh_login e2ehostkey "$r" 'echo LOGGED-IN')
t_match "host key unknown: the Response was not consumed (it logs in once the key is pinned)" \
	"$out" '^LOGGED-IN$'

r=$(resp jump e2ejump)
# shellcheck disable=SC2046
out=$("$B/ecs-saml-ssh" --response "$r" $(ssh_opts) -J "e2ejump@127.0.0.1:$SSH_PORT" \
	-p "$SSH_PORT" e2ejump@127.0.0.1 true 2>&1)
refused "-J refused before ssh runs" $? "$out" '^ecs-saml-ssh: refusing -J: a jump host or ProxyCommand'
# shellcheck disable=SC2046
out=$("$B/ecs-saml-ssh" --response "$r" $(ssh_opts) -p "$SSH_PORT" e2ejump@127.0.0.1 \
	-o "ProxyCommand=/bin/sh -c 'exec nc 127.0.0.1 %p'" true 2>&1)
refused "-o ProxyCommand=... (after the destination) refused" $? "$out" \
	'^ecs-saml-ssh: refusing -o: a jump host or ProxyCommand'
cat >"$T_WORK/ssh_config.proxy" <<CFG
Host *
  ProxyCommand /bin/sh -c 'touch $T_WORK/proxy-ran; exec false'
  ProxyJump e2ejump@127.0.0.2:1
CFG
# shellcheck disable=SC2046
out=$("$B/ecs-saml-ssh" --response "$r" -F "$T_WORK/ssh_config.proxy" $(ssh_opts) \
	-p "$SSH_PORT" e2ejump@127.0.0.1 'echo LOGGED-IN' 2>&1)
t_match "ProxyCommand/ProxyJump in an ssh_config are overridden: a direct login" "$out" '^LOGGED-IN$'
t_eq "ProxyCommand in an ssh_config never ran" "$([ -e "$T_WORK/proxy-ran" ] && echo ran)" ""

# --- askpass mode needs the channel's own askpass link --------------------------------------
# Every child of ssh inherits ECS_SAML_SSH_SOCK (a LocalCommand, a Match exec): there,
# `ecs-saml-ssh HOST` (one argument) must be the client, not an askpass answering "HOST".
out=$(env -u ECS_SAML_RESPONSE ECS_SAML_SSH_SOCK="$T_WORK/no-such-dir/sock" \
	"$B/ecs-saml-ssh" e2ezed@127.0.0.1 2>&1)
rc=$?
t_match "ECS_SAML_SSH_SOCK set, one argument, not started as the askpass link: the client runs" \
	"$rc:$out" '^2:ecs-saml-ssh: no SAML response'

# --- no process carries the Response in argv or environment during a login ------------------
r=$(resp leo e2eleo)
needle=$(tr -d '\n' <"$r" | cut -c 3001-3040)
(
	end=$((SECONDS + 20))
	while [ $SECONDS -lt $end ] && [ ! -e "$T_WORK/scan.stop" ]; do
		grep -laF -- "$needle" /proc/[0-9]*/cmdline /proc/[0-9]*/environ 2>/dev/null
	done >"$T_WORK/scan.hits"
) &
scanner=$!
out=$(ssh_login e2eleo "$r" "sleep 1; echo DONE")
touch "$T_WORK/scan.stop"
wait "$scanner"
t_match "login while scanning /proc succeeded" "$out" '^DONE$'
t_eq "no process had the Response in its argv or environment" \
	"$(grep -v "^/proc/$scanner/" "$T_WORK/scan.hits" | sort -u | tr '\n' ' ')" ""

# --- 20 concurrent logins of different users -----------------------------------------------
mkdir -p "$T_WORK/many"
for i in $(seq 1 20); do resp "many$i" "e2em$i" >/dev/null; done
pids=()
for i in $(seq 1 20); do
	ssh_login "e2em$i" "$T_WORK/many$i.b64" \
		"$PROBE; echo READABLE=\$(find /dev/shm/pam_ecs_saml /run/user -name credentials \
		 -readable 2>/dev/null | wc -l)" \
		>"$T_WORK/many/$i.out" 2>&1 &
	pids+=($!)
done
ok=0 own=0 isolated=0
for i in $(seq 1 20); do
	wait "${pids[$((i - 1))]}" && ok=$((ok + 1))
	o=$(cat "$T_WORK/many/$i.out")
	[ "$(field ARN "$o")" = "arn:aws:sts::123456789012:assumed-role/BastionOperator/e2em$i" ] && own=$((own + 1))
	[ "$(field READABLE "$o")" = "1" ] && isolated=$((isolated + 1))
	field CREDS "$o" >>"$T_WORK/many/creds"
done
t_eq "20 concurrent logins: all succeed" "$ok" 20
t_eq "20 concurrent logins: each STS identity is the user's own" "$own" 20
t_eq "20 concurrent logins: each session can read exactly one credentials file (its own)" "$isolated" 20
t_eq "20 concurrent logins: 20 distinct credentials files" "$(sort -u "$T_WORK/many/creds" | grep -c .)" 20
left=0
while read -r c; do [ -n "$c" ] && ! gone_soon "$c" && left=$((left + 1)); done <"$T_WORK/many/creds"
t_eq "20 concurrent logins: every credentials file removed after logout" "$left" 0

# --- the helper server: the module's verbs answered by `ecs-saml-helper serve` (issue 14) -------
# The server runs in sshd's view of the files (a namespace of the same overlays). While it
# runs, the helper's path in sshd's namespace is covered by a program that only fails, so a
# login that works went through the server; with the socket moved aside, the same login
# fails. revoke ends a login made through the server (the session record names sshd's
# process, not the server's), and the server lives on. It runs with the environment its
# systemd unit gives it (malloc's settings for a forking server).
SOCK=/run/pam_ecs_saml/helper.sock
mapfile -t server_env < <(sed -n 's/^Environment=//p' "$ECS_TOP/systemd/ecs-saml-helper.service")
t_eq "the helper server's unit sets malloc's settings for a forking server" "${server_env[*]}" \
	"GLIBC_TUNABLES=glibc.malloc.tcache_count=0:glibc.malloc.mxfast=0"
(ns_exec "$SSHD_DIR/ns" env "${server_env[@]}" "$B/ecs-saml-helper" serve) 2>"$T_WORK/server.err" &
server_pid=$!
t_on_exit "kill $server_pid 2>/dev/null; rm -f $SOCK.aside"
for ((i = 0; i < 200; i++)); do
	[ -S "$SOCK" ] || ! kill -0 $server_pid 2>/dev/null && break
	sleep 0.05
done
t_eq "the helper server listens on $SOCK: a socket of root's, 0600" \
	"$(stat -c %F:%U:%a "$SOCK" 2>&1)" "socket:root:600"
printf '#!/bin/sh\nexit 70\n' >"$T_WORK/no-helper"
chmod 755 "$T_WORK/no-helper"
nsenter -t "$SSHD_PID" -m mount --bind "$T_WORK/no-helper" "$B/ecs-saml-helper"
t_on_exit "nsenter -t $SSHD_PID -m umount $B/ecs-saml-helper 2>/dev/null"
r=$(resp srv1 e2esrv1)
out=$(ssh_login e2esrv1 "$r" "$PROBE")
check_session "through the helper server (sshd cannot start the helper)" e2esrv1 "$out" $?
# Each request reads the configuration afresh: no role allowed, then the file as it was.
nsconf=$SSHD_DIR/ns/security/pam_ecs_saml.conf
cp "$nsconf" "$T_WORK/conf.saved"
sed 's|^allowed_roles = .*|allowed_roles = arn:aws:iam::123456789012:role/NoSuchRole|' \
	"$T_WORK/conf.saved" >"$nsconf"	# rewritten in place: the same file in both namespaces
r=$(resp srv1b e2esrv1b)
out=$(ssh_login e2esrv1b "$r" true)
refused "a configuration changed while the server runs applies to the next request" \
	$? "$out" 'grants no role allowed on this host'
cat "$T_WORK/conf.saved" >"$nsconf"
mv "$SOCK" "$SOCK.aside"
r=$(resp srv2 e2esrv2)
out=$(ssh_login e2esrv2 "$r" true)
refused "... the same login with the server's socket moved aside: sshd cannot start the helper" \
	$? "$out" 'Permission denied'
mv "$SOCK.aside" "$SOCK"

# revoke: the record of a login made through the server names that login's sshd process
r=$(resp srv3 e2esrv3)
ssh_login e2esrv3 "$r" "$PROBE; echo READY; sleep 300" >"$T_WORK/srv3.out" 2>&1 &
held=$!
t_on_exit "kill $held 2>/dev/null"
for ((i = 0; i < 300; i++)); do
	grep -q '^READY' "$T_WORK/srv3.out" || ! kill -0 $held 2>/dev/null && break
	sleep 0.1
done
creds=$(field CREDS "$(cat "$T_WORK/srv3.out")")
t_check "a login through the server holds its credentials" test -n "$creds" -a -e "$creds"
"$B/ecs-saml-helper" revoke --config "$CONF" e2esrv3 >/dev/null 2>"$T_WORK/revoke.err"
t_match "revoke e2esrv3: one live login ended" "$(cat "$T_WORK/revoke.err")" \
	'ended 1 live logins of e2esrv3'
ended=no
for ((i = 0; i < 100; i++)); do kill -0 $held 2>/dev/null || { ended=yes; break; }; sleep 0.1; done
t_eq "... its ssh session ended" "$ended" yes
t_check "... its credentials are gone" gone_soon "$creds"
t_check "... and the helper server lives on" kill -0 "$server_pid"

# The server serves root's processes only: the socket is 0600, and with it opened to all, a
# connection from another user is closed unanswered (no child runs).
chmod 666 "$SOCK"
got=$(setpriv --reuid=65534 --regid=65534 --clear-groups /usr/bin/python3 -c '
import errno, socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
got = b""
try:	# the server may close before we have sent, or with our preamble unread
    s.sendall(b"auth\n")
    s.shutdown(socket.SHUT_WR)
    got = s.recv(4096)
except (BrokenPipeError, ConnectionResetError):
    pass
except OSError as e:
    if e.errno != errno.ENOTCONN:
        raise
print("closed" if not got else "answered %r" % got)' "$SOCK" 2>&1)
chmod 600 "$SOCK"
t_eq "a connection from uid 65534 is closed unanswered" "$got" "closed"
r=$(resp srv4 e2esrv4)
out=$(ssh_login e2esrv4 "$r" true)
t_eq "... and root's next login is served" "$?" 0

kill -TERM "$server_pid"
stopped=no
for ((i = 0; i < 100; i++)); do kill -0 $server_pid 2>/dev/null || { stopped=yes; break; }; sleep 0.1; done
t_eq "the helper server stops at SIGTERM" "$stopped" yes
t_check "... and removes its socket" test ! -e "$SOCK"
nsenter -t "$SSHD_PID" -m umount "$B/ecs-saml-helper"
r=$(resp srv5 e2esrv5)
out=$(ssh_login e2esrv5 "$r" "$PROBE")
check_session "with no server, the module starts the helper itself again" e2esrv5 "$out" $?

# --- the login bench's pieces, small: 3 logins at once through its 25 ms relay ----------------
# (make bench runs them with 100 logins; here only that they work, nothing timed.)
RELAY_PORT=23484
/usr/bin/python3 "$ECS_TOP/tests/bench/delay-relay.py" --listen "$RELAY_PORT" --to "$SSH_PORT" \
	--delay-ms 25 --ready "$T_WORK/relay.ready" 2>"$T_WORK/relay.err" &
relay_pid=$!
t_on_exit "kill $relay_pid 2>/dev/null"
for ((i = 0; i < 100; i++)); do
	[ -e "$T_WORK/relay.ready" ] || ! kill -0 $relay_pid 2>/dev/null && break
	sleep 0.05
done
relay_host=$(sed "s/^\[127.0.0.1\]:$SSH_PORT /[127.0.0.1]:$RELAY_PORT /" "$SSHD_DIR/known_hosts")
echo "$relay_host" >>"$SSHD_DIR/known_hosts"
for i in 1 2 3; do resp "burst$i" "e2eburst$i" >/dev/null; done
mapfile -t burst_opts < <(ssh_opts)
burst=$(/usr/bin/python3 "$ECS_TOP/tests/bench/login-burst.py" 3 "$T_WORK/burst.err" -- \
	"$B/ecs-saml-ssh" --response "$T_WORK/burst{}.b64" "${burst_opts[@]}" -p "$RELAY_PORT" \
	"e2eburst{}@127.0.0.1" true)
t_match "3 logins at once through the bench's relay: the burst driver counts none failed" \
	"$burst" '^[0-9.]+ [0-9.]+ 0$'
t_check "the burst driver sums the clients' CPU" awk -v c="$(cut -d' ' -f2 <<<"$burst")" \
	'BEGIN { exit !(c > 0) }'
kill "$relay_pid"
wait "$relay_pid" 2>/dev/null
t_eq "the relay stops cleanly at SIGTERM" "$?" 0
burst=$(/usr/bin/python3 "$ECS_TOP/tests/bench/login-burst.py" 2 "$T_WORK/burst.err" -- \
	sh -c 'exit $(({} - 1))')
t_match "the burst driver counts a failed command" "$burst" '^[0-9.]+ [0-9.]+ 1$'

# --- the shipped example stack and sshd drop-in, as written -----------------------------------
# pam.d/sshd.example with only the module's path filled in, under a second sshd whose
# configuration starts with the shipped drop-in: Debian's common-account/common-session,
# pam_mkhomedir, pam_limits and pam_env included.
sed "s|pam_ecs_saml\.so|$B/pam_ecs_saml.so|" "$ECS_TOP/pam.d/sshd.example" >"$T_WORK/example-stack"
SSHD_CONFIG_TOP="Include $ECS_TOP/pam.d/sshd_config.d/50-pam_ecs_saml.conf"
if sshd_start "$EXAMPLE_PORT" sshd-ecs-example "$T_WORK/example-stack" nss "$B/libnss_ecs_saml.so.2" \
	conf "$CONF" >>"$T_WORK/setup.log" 2>&1; then
	# shellcheck disable=SC2046
	eff=$( (ns_exec "$SSHD_DIR/ns" env $(asan_env) /usr/sbin/sshd -T -f "$SSHD_DIR/sshd_config" \
		-C user=e2emia,host=localhost,addr=127.0.0.1) 2>&1)
	t_match "sshd drop-in: keyboard-interactive only, grace 90 s, for the ecs-saml group" \
		"$(grep -E '^(authenticationmethods|logingracetime|kbdinteractiveauthentication) ' <<<"$eff" | sort | tr '\n' ' ')" \
		'^authenticationmethods keyboard-interactive kbdinteractiveauthentication yes logingracetime 90 $'
	t_match "sshd drop-in: Match Group ecs-saml applies (no TCP forwarding)" \
		"$(grep -E '^allowtcpforwarding ' <<<"$eff")" '^allowtcpforwarding no$'

	r=$(resp mia-example e2emia)
	# shellcheck disable=SC2046
	out=$("$B/ecs-saml-ssh" --response "$r" $(ssh_opts) -p "$EXAMPLE_PORT" e2emia@127.0.0.1 "$PROBE" 2>&1)
	t_match "pam.d/sshd.example as shipped: login, and STS sees the user's role session" \
		"$(field ARN "$out")" 'assumed-role/BastionOperator/e2emia$'
else
	t_fail "pam.d/sshd.example as shipped" "sshd did not start: $(tail -n 3 "$T_WORK/setup.log")"
fi

# --- the test harness itself: a busy port, the shared runtime directory ----------------------
# sshd_start must not take a listener that is not its sshd for a ready bastion.
/usr/bin/python3 -c 'import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(); time.sleep(60)' "$BUSY_PORT" &
squatter=$!
t_on_exit "kill $squatter 2>/dev/null"
for ((i = 0; i < 100; i++)); do port_free "$BUSY_PORT" || break; sleep 0.05; done
if sshd_start "$BUSY_PORT" sshd-ecs-busy "$T_WORK/stack" >>"$T_WORK/setup.log" 2>&1; then
	t_fail "sshd_start refuses a port something else listens on" "it reported success"
else
	t_match "sshd_start refuses a port something else listens on" \
		"$(tail -n 1 "$T_WORK/setup.log")" "already listens on 127.0.0.1:$BUSY_PORT"
fi
kill "$squatter" 2>/dev/null

# Two runs that start while /run/pam_ecs_saml is absent (a private /run, so nothing real is
# touched), each still running when the other guards: exactly one takes on its removal.
# shellcheck disable=SC2016
guard='. "$ECS_TOP/tests/lib/tap.sh"; t_claim_dir /run/pam_ecs_saml
	echo ${#T_CLEANUP[@]} >"$OUT"; while [ ! -e "$GO" ]; do sleep 0.05; done'
owners=$(unshare -m sh -c 'mount --make-rprivate / && mount -t tmpfs tmpfs /run &&
	for n in 1 2; do
		ECS_TOP=$1 OUT=$2.guard$n GO=$2.go bash -c "$3" &
	done
	i=0
	until [ -s "$2.guard1" ] && [ -s "$2.guard2" ] || [ $((i += 1)) -gt 200 ]; do sleep 0.05; done
	touch "$2.go"; wait; cat "$2.guard1" "$2.guard2"' sh "$ECS_TOP" "$T_WORK/rt" "$guard" 2>&1 |
	sort | tr '\n' ' ')
t_eq "two runs starting together: exactly one owns /run/pam_ecs_saml's removal" "$owners" "0 1 "

trace_check "$(trace_bastion_map)"

t_done
