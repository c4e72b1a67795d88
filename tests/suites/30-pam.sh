#!/bin/bash
# Suite 30: the PAM module through the real libpam (pam_start_confdir via tests/pamdrive),
# the real helper, Responses signed at test time by tests/gen, and the TLS STS stand-in:
# the three conversation modes and their failures (the chunk header with inline characters
# too, and the ways such a header can lie), the auth -> session hand-off across a
# fork (as sshd does it), tickets (replay, expiry, another user's, a path in the id), the
# credential files and variables, close, concurrent sessions, gc, and no secret in the
# helper's argv, environment or the logs; and which verbs map libcurl (only those that call
# AWS), and what a session is told without it.
#
# Ports: STS stand-in 23043, and 23044 for one that refuses every call. PAM service "ecs30"
# read from a private directory (nothing under /etc/pam.d). pamdrive, and so the module and
# the helper, run in a private mount namespace (tests/pam/pamenv.sh, tests/lib/nsroot.sh)
# where the configuration and the NSS module are overlays: users p30* exist only in the NSS
# module, and the helper sees them exactly as the application does. The suite binds
# /dev/log for its run to capture the logs (tests/lib/syslog.sh): run under the e2e lock.
. "$(dirname "$0")/../lib/tap.sh"
. "$ECS_TOP/tests/lib/sts.sh"
. "$ECS_TOP/tests/pam/pamenv.sh"
. "$ECS_TOP/tests/lib/syslog.sh"

STS_PORT=23043
DENY_PORT=23044

# chunk_answers B64FILE OUTDIR [inline]: the header and the 1000-character chunks; with
# "inline", the header carries the first characters itself (" inline=K ", as many as keep it
# within ssh's 1023 bytes) and the chunks the rest.
chunk_answers() {
	/usr/bin/python3 - "$1" "$2" "${3:-}" <<-'PY'
		import hashlib, os, sys
		b = b"".join(open(sys.argv[1], "rb").read().split())
		out = sys.argv[2]
		os.makedirs(out, exist_ok=True)
		def header(k):
		    h = "ecs-saml/1 chunks=%d length=%d sha256=%s" % (
		        (len(b) - k + 999) // 1000, len(b), hashlib.sha256(b).hexdigest())
		    return h + (" inline=%d %s" % (k, b[:k].decode()) if k else "")
		k = 0
		if sys.argv[3] == "inline":
		    k = min(len(b), 1023)
		    while len(header(k)) > 1023:
		        k -= 1
		open(os.path.join(out, "00"), "w").write(header(k))
		for i in range((len(b) - k + 999) // 1000):
		    open(os.path.join(out, "%02d" % (i + 1)), "wb").write(b[k + i * 1000:k + (i + 1) * 1000])
	PY
}

chunk_args() {	# chunk_args DIR: -a options for every answer file in DIR, in order
	local f
	for f in "$1"/*; do printf -- '-a\n%s\n' "$f"; done
}

# ---------------------------------------------------------------------------- setup

pamenv_setup "$STS_PORT" '^p30[a-z0-9]{1,8}$' >"$T_WORK/setup.log" 2>&1 ||
	{ t_fail "setup" "$(tail -n 3 "$T_WORK/setup.log")"; t_done; }
stack ecs30slow conv_timeout=5
stack ecs30bad nosuchkey=1
stack ecs30loud ignore_silent

syslog_start 2>"$T_WORK/syslog.err" ||
	{ t_fail "syslog capture on /dev/log" "$(cat "$T_WORK/syslog.err")"; t_done; }

# ---------------------------------------------------------------------------- the shim

syms=$(nm -D --defined-only "$B/pam_ecs_saml.so" | awk '{print $3}' | sort | tr '\n' ' ')
t_eq "module exports exactly the four pam_sm_* functions" "$syms" \
	"pam_sm_authenticate pam_sm_close_session pam_sm_open_session pam_sm_setcred "
t_check "module dlopens with every symbol resolved (RTLD_NOW)" \
	env LD_PRELOAD="$ASAN_RT" ASAN_OPTIONS=detect_leaks=0 /usr/bin/python3 -c \
	"import ctypes, os, sys; l = ctypes.CDLL(sys.argv[1], mode=os.RTLD_NOW); l.pam_sm_authenticate" \
	"$B/pam_ecs_saml.so"
needed=$(readelf -d "$B/pam_ecs_saml.so" | sed -n 's/.*NEEDED.*\[\(.*\)\]/\1/p' |
	grep -v -e '^libasan' -e '^libubsan' | sort | tr '\n' ' ')
t_eq "module links libc and libpam only" "$needed" "libc.so.6 libpam.so.0 "

EXAMPLE=$ECS_TOP/pam.d/pam_ecs_saml.conf.example
missing=""
for key in $(sed -n 's/^\t{ "\([a-z0-9_]*\)", ECS_CT_.*/\1/p' "$ECS_TOP/libecs/ecs_conf.c") \
	conv_timeout ignore_silent require_ticket; do
	grep -qE "^#?$key ?=|^#   $key(=| )" "$EXAMPLE" || missing="$missing $key"
done
t_eq "the example configuration documents every key and module argument" "${missing:-none}" none

# sshd must not cut the conversation before the module's own budget can say "too slow".
grace=$(sed -n 's/^LoginGraceTime \([0-9]*\)$/\1/p' "$ECS_TOP/pam.d/sshd_config.d/50-pam_ecs_saml.conf")
conv=$(sed -n 's/^#define ECS_CONV_TIMEOUT_DEFAULT \([0-9]*\).*/\1/p' "$ECS_TOP/pam_ecs_saml/pam_args.h")
t_check "the shipped LoginGraceTime ($grace) outlasts the default conv_timeout ($conv)" \
	test -n "$conv" -a "${grace:-0}" -gt "${conv:-0}"

# ---------------------------------------------------------------------------- whole answer

mint p30a >"$T_WORK/a1.b64"
out=$(drive p30a -a "$T_WORK/a1.b64" fork-auth env open env)
t_match "whole answer: auth succeeds across a fork" "$out" '^fork-auth: 0 '
t_match "auth leaves a ticket id in the PAM environment" "$out" \
	'^env: PAM_ECS_SAML_TICKET=[0-9a-f]{32}$'
t_match "session opens" "$out" '^open: 0 '
t_eq "session open never prompts" "$(sed -n '/^fork-auth: /,$p' <<<"$out" | grep -c '^prompt: ')" 0
after_open=$(sed -n '/^open: /,$p' <<<"$out")
if grep -q '^env: PAM_ECS_SAML_TICKET' <<<"$after_open"; then
	t_fail "session open removes the ticket id from the environment" "$after_open"
else
	t_ok "session open removes the ticket id from the environment"
fi
CRED=$(field "env: AWS_SHARED_CREDENTIALS_FILE" "$out")
CFG=$(field "env: AWS_CONFIG_FILE" "$out")
TAG1=$(field "env: PAM_ECS_SAML_SESSION" "$out")
UID_A=$(uid_of p30a)
t_match "AWS_SHARED_CREDENTIALS_FILE is the session's own file" "$CRED" \
	"^(/run/user|$FALLBACK)/$UID_A/pam_ecs_saml/$TAG1/credentials\$"
t_eq "AWS_CONFIG_FILE sits next to it" "$CFG" "$(dirname "$CRED")/config"
t_eq "AWS_REGION exported" "$(field "env: AWS_REGION" "$out")" "eu-west-3"
t_match "AWS_CREDENTIAL_EXPIRATION exported" "$(field "env: AWS_CREDENTIAL_EXPIRATION" "$out")" \
	'^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$'
t_eq "credentials file: owner and mode" "$(stat -c '%u %a' "$CRED" 2>&1)" "$UID_A 600"
t_eq "config file: owner and mode" "$(stat -c '%u %a' "$CFG" 2>&1)" "$UID_A 600"
t_eq "session directory: owner and mode" "$(stat -c '%u %a' "$(dirname "$CRED")" 2>&1)" "$UID_A 700"
KEYID=$(sed -n 's/^aws_access_key_id *= *//p' "$CRED")
SECRET=$(sed -n 's/^aws_secret_access_key *= *//p' "$CRED")
t_match "credentials file holds what STS issued" "$KEYID" '^ASIA[A-Z0-9]{12,}$'
t_check "the STS stand-in saw the verified role" grep -q 'BastionOperator' "$STS_LOG"
t_match "config file names the region" "$(cat "$CFG")" 'region *= *eu-west-3'
TK1=$(field "env: PAM_ECS_SAML_TICKET" "$out")
t_check "session open consumed the ticket from the spool" test -n "$TK1" -a ! -e "$SPOOL/tickets/$TK1"
t_check "the session tag is the helper's: it names the record the helper wrote for p30a" \
	grep -qx 'user=p30a' "$SPOOL/sessions/$TAG1"

out=$(drive p30a -E "PAM_ECS_SAML_SESSION=$TAG1" close env)
t_match "close (tag from the environment) succeeds" "$out" '^close: 0 '
t_check "session directory gone after close" test ! -e "$(dirname "$CRED")"
t_check "... and with p30a's last session, its fallback runtime directory" test ! -e "$FALLBACK/$UID_A"
if grep -q '^env: AWS_' <<<"$out"; then t_fail "close removes the AWS_* variables" "$out"
else t_ok "close removes the AWS_* variables"; fi

# A session that did not authenticate through the module (say, a public-key login) is not
# the module's business: PAM_IGNORE, so the rest of the stack decides.
cat >"$PAMDIR/ecs30mixed" <<STACK
session  required pam_permit.so
session  required $B/pam_ecs_saml.so
STACK
out=$(SERVICE=ecs30mixed drive p30a open env close)
t_match "no ticket: open and close are ignored, the stack's other modules decide" \
	"$(grep -E '^(open|close):' <<<"$out" | tr '\n' ' ')" '^open: 0 .*close: 0 '
if grep -q '^env: AWS_' <<<"$out"; then t_fail "no ticket: nothing exported" "$out"
else t_ok "no ticket: nothing exported"; fi

# require_ticket (the shipped sudo and sshd stacks): a session whose transaction authenticated
# no Response -- sudo with its credential cache on skips authentication -- fails closed, with
# a code sudo cannot take for a warning (it runs the command anyway on PAM_SESSION_ERR).
cat >"$PAMDIR/ecs30needs" <<STACK
session  required pam_permit.so
session  required $B/pam_ecs_saml.so require_ticket
STACK
out=$(SERVICE=ecs30needs drive p30a open env)
t_match "require_ticket, no ticket: session open fails closed (PAM_PERM_DENIED)" "$out" '^open: 6 '
t_match "... and the user is told why and who fixes it" "$out" \
	"^error: This session needs a fresh SAML response, and none was asked for .*\\(code no-ticket in its log\\)\\.$"
if grep -q '^env: AWS_' <<<"$out"; then t_fail "require_ticket, no ticket: nothing exported" "$out"
else t_ok "require_ticket, no ticket: nothing exported"; fi
out=$(SERVICE=ecs30needs drive p30a -q open)
t_match "require_ticket under PAM_SILENT: still fails closed" "$out" '^open: 6 '
t_eq "... without a message" "$(grep -c '^error: ' <<<"$out")" 0
stack ecs30req require_ticket
mint p30a >"$T_WORK/req.b64"
out=$(SERVICE=ecs30req drive p30a -a "$T_WORK/req.b64" auth open close)
t_match "require_ticket with this authentication's ticket: auth, open and close succeed" \
	"$(grep -E '^(auth|open|close):' <<<"$out" | tr '\n' ' ')" '^auth: 0 .*open: 0 .*close: 0 '

# ---------------------------------------------------------------------------- other modes

mint p30a >"$T_WORK/a2.b64"
chunk_answers "$T_WORK/a2.b64" "$T_WORK/chunks"
mapfile -t cargs < <(chunk_args "$T_WORK/chunks")
out=$(drive p30a "${cargs[@]}" auth open close)
t_match "chunked: header then chunk prompts" "$out" '^prompt: SAML chunk 2/[0-9]+ \[ecs-saml/1\]: '
t_match "chunked: auth, open and close succeed (pam_set_data path)" "$(grep -E '^(auth|open|close):' <<<"$out" | tr '\n' ' ')" \
	'^auth: 0 .*open: 0 .*close: 0 '

# The header carrying the first characters (" inline=K "): chunk prompts for the rest only,
# and the digest over the whole still checked.
mint p30a >"$T_WORK/a2i.b64"
chunk_answers "$T_WORK/a2i.b64" "$T_WORK/chunks-inline" inline
mapfile -t cargs < <(chunk_args "$T_WORK/chunks-inline")
nchunks=$(($(find "$T_WORK/chunks-inline" -type f | wc -l) - 1))
out=$(drive p30a "${cargs[@]}" auth open close)
t_match "inline: auth, open and close succeed" \
	"$(grep -E '^(auth|open|close):' <<<"$out" | tr '\n' ' ')" '^auth: 0 .*open: 0 .*close: 0 '
t_eq "inline: the header, then chunk prompts 1/$nchunks to $nchunks/$nchunks for the rest only" \
	"$(grep '^prompt: ' <<<"$out" | sed -n 's/.*SAML chunk \([0-9]*\/[0-9]*\) .*/\1/p' | tr '\n' ' ')" \
	"$(for ((i = 1; i <= nchunks; i++)); do printf '%d/%d ' "$i" "$nchunks"; done)"
t_eq "... $((nchunks + 1)) conversation prompts in all" \
	"$(grep -c '^prompt: .*\[ecs-saml/1\]' <<<"$out")" "$((nchunks + 1))"

mint p30a | base64 -d | base64 -w 76 >"$T_WORK/a3.lines"
out=$(drive p30a -L "$T_WORK/a3.lines" -A '' auth open close)
t_match "line by line: line prompts up to the empty line" "$out" \
	'^prompt: SAML response line [0-9]+ \[ecs-saml/1\] \(empty line when done\): '
t_match "line by line: auth and session succeed" "$(grep -E '^(auth|open|close):' <<<"$out" | tr '\n' ' ')" \
	'^auth: 0 .*open: 0 .*close: 0 '

mint p30a --xml | tr -d '\n' >"$T_WORK/a4.xml"
out=$(drive p30a -a "$T_WORK/a4.xml" auth)
t_match "raw XML in one answer is accepted" "$out" '^auth: 0 '

# ---------------------------------------------------------------------------- conversation failures

mint p30a >"$T_WORK/a5.b64"
head -c 1023 "$T_WORK/a5.b64" >"$T_WORK/cut"
out=$(drive p30a -a "$T_WORK/cut" auth)
t_match "an answer cut at 1023 bytes is named as such" "$out" '^error: Your answer was cut at 1023 characters by ssh'
t_match "... and authentication fails" "$out" '^auth: 7 '

cp -r "$T_WORK/chunks" "$T_WORK/chunks-bad"
/usr/bin/python3 - "$T_WORK/chunks-bad/01" <<'PY'
import sys
p = sys.argv[1]; b = bytearray(open(p, "rb").read())
b[10] = ord("A") if b[10] != ord("A") else ord("B")
open(p, "wb").write(bytes(b))
PY
mapfile -t cargs < <(chunk_args "$T_WORK/chunks-bad")
out=$(drive p30a "${cargs[@]}" auth)
t_match "a chunk changed in transit: digest mismatch, not a signature error" "$out" \
	'^error: The SAML response changed in transit \(SHA-256 mismatch\)'

head -c 999 "$T_WORK/chunks/01" >"$T_WORK/chunks-bad/01"
out=$(drive p30a "${cargs[@]}" auth)
t_match "a chunk of the wrong length is refused" "$out" \
	'^error: Chunk 1/[0-9]+ has 999 characters, expected 1000'

printf 'ecs-saml/1 chunks=3 length=100 sha256=%064d' 0 >"$T_WORK/badheader"
out=$(drive p30a -a "$T_WORK/badheader" auth)
t_match "an inconsistent chunk header is refused" "$out" '^error: Malformed chunk header'

# Inline headers that lie or were damaged: refused before any chunk, saying what is wrong.
mint p30a >"$T_WORK/a6.b64"
chunk_answers "$T_WORK/a6.b64" "$T_WORK/ci" inline
hdr=$(cat "$T_WORK/ci/00")
inline_refused() {	# NAME HEADER ERE
	printf '%s' "$2" >"$T_WORK/ci-bad"
	out=$(drive p30a -a "$T_WORK/ci-bad" -a "$T_WORK/ci/01" -a "$T_WORK/ci/02" auth)
	t_match "$1" "$out" "$3"
	t_match "... and authentication fails" "$out" '^auth: 7 '
}
inline_refused "inline: a header claiming the rest is inline (chunks=0)" \
	"$(sed 's/chunks=[0-9]*/chunks=0/' <<<"$hdr")" \
	'^error: Malformed chunk header \(the chunk count does not match the length\)'
inline_refused "inline: fewer characters than K (a header cut short)" "${hdr:0:900}" \
	'^error: Malformed chunk header \(fewer inline characters than the inline count\)'
inline_refused "inline: a character outside base64" "${hdr:0:500}!${hdr:501}" \
	'^error: Malformed chunk header \(an inline character outside base64\)'
inline_refused "inline: K over L" \
	"$(printf 'ecs-saml/1 chunks=0 length=2 sha256=%064d inline=3 abc' 0)" \
	'^error: Malformed chunk header \(more inline characters than the length\)'
c=${hdr: -1}
[ "$c" = A ] && c=B || c=A
cp -r "$T_WORK/ci" "$T_WORK/ci-changed"
printf '%s' "${hdr%?}$c" >"$T_WORK/ci-changed/00"
mapfile -t cargs < <(chunk_args "$T_WORK/ci-changed")
out=$(drive p30a "${cargs[@]}" auth)
t_match "inline: an inline character changed in transit: digest mismatch, not a signature error" \
	"$out" '^error: The SAML response changed in transit \(SHA-256 mismatch\)'

yes QUFB | head -n 1600 >"$T_WORK/many"
out=$(drive p30a -L "$T_WORK/many" auth)
t_match "too many rounds are cut off" "$out" '^error: Too many answers \(more than 1500\)'
t_eq "... after exactly 1500 prompts" "$(grep -c '^prompt: ' <<<"$out")" 1500

head -c 100001 /dev/zero | tr '\0' 'A' >"$T_WORK/huge"
out=$(drive p30a -a "$T_WORK/huge" auth)
t_match "too much input is refused" "$out" '^error: The SAML response is too large'

mint p30a | base64 -d | base64 -w 76 >"$T_WORK/slow.lines"
start=$(date +%s)
out=$(SERVICE=ecs30slow drive p30a -w 2100 -L "$T_WORK/slow.lines" -A '' auth)
t_match "a conversation over its wall-clock budget is ended" "$out" \
	'^error: The SAML response took longer than 5 seconds'
t_eq "... on the answer that crossed the budget (3rd)" "$(grep -c '^prompt: ' <<<"$out")" 3

out=$(drive p30a -A '' auth)
t_match "an empty answer is refused with a message" "$out" '^error: No SAML response was given'
out=$(drive p30a -q -a "$T_WORK/cut" auth)
t_match "PAM_SILENT: a conversation failure still fails" "$out" '^auth: 7 '
t_eq "... and shows the user no message" "$(grep -c '^error: ' <<<"$out")" 0

out=$(SERVICE=ecs30bad drive p30a -a "$T_WORK/a5.b64" auth)
t_match "an unknown module argument fails the module (PAM_SERVICE_ERR)" "$out" '^auth: 3 '

# ---------------------------------------------------------------------------- helper verdicts

out=$(drive p30b -a "$T_WORK/a5.b64" auth)
t_match "a Response for another user is refused" "$out" '^error: This SAML response is for another user'
t_match "... with PAM_AUTH_ERR" "$out" '^auth: 7 '
# Outside sshd the NSS module answers only for names in the user map, so p30b logs in once
# with its own Response: the checks below are about tickets and sessions, not first logins.
mint p30b >"$T_WORK/b1.b64"
out=$(drive p30b -a "$T_WORK/b1.b64" auth open close)
t_match "p30b logs in and out with its own Response (the user map now knows p30b)" "$out" \
	'^close: 0 '

mint p30a --tamper >"$T_WORK/tampered.b64"
out=$(drive p30a -a "$T_WORK/tampered.b64" auth)
t_match "a tampered Response is refused" "$out" '^auth: 7 '

out=$(drive p30a -a "$T_WORK/a1.b64" auth)
t_match "an assertion used once cannot log in again" "$out" '^error: This SAML response was already used'
out=$(drive p30a -q -a "$T_WORK/a1.b64" auth)
t_match "PAM_SILENT: the helper's refusal still refuses" "$out" '^auth: 7 '
t_eq "... and its message is not shown" "$(grep -c '^error: ' <<<"$out")" 0
out=$(SERVICE=ecs30loud drive p30a -q -a "$T_WORK/a1.b64" auth)
t_match "ignore_silent: under PAM_SILENT (as sudo passes) the reason is still shown" "$out" \
	'^error: This SAML response was already used'
t_match "... and it still refuses" "$out" '^auth: 7 '

# A full spool (a small tmpfs over it, filled, in this drive's own namespace only): the
# ticket cannot be written, so auth refuses with the no-space code, and the Response is not
# used up: the replay entry is recorded only after the ticket is stored.
mint p30a >"$T_WORK/nospace.b64"
out=$(in_ns sh -c 'mount -t tmpfs -o size=16k,mode=755 tmpfs "$1" &&
	mkdir -m 700 "$1/tickets" "$1/sessions" &&
	{ dd if=/dev/zero of="$1/fill" bs=4k 2>/dev/null || true; } && shift && exec "$@"' \
	sh "$SPOOL" "$DRIVE" -d "$PAMDIR" -s "$PAMENV_SERVICE" -u p30a -r 192.0.2.30 \
	-a "$T_WORK/nospace.b64" auth 2>&1)
t_match "a full spool: auth is refused, saying so and that the Response was not used" "$out" \
	'^error: The bastion has no room left to record this login; your SAML response was not used\. .*\(code no-space in its log\)\.$'
t_match "... and it refuses" "$out" '^auth: [1-9][0-9]* '
out=$(drive p30a -a "$T_WORK/nospace.b64" auth open close)
t_match "... and once there is room, the same Response logs in" \
	"$(grep -E '^(auth|open|close):' <<<"$out" | tr '\n' ' ')" '^auth: 0 .*open: 0 .*close: 0 '
out=$(drive p30a -a "$T_WORK/nospace.b64" auth)
t_match "... exactly once" "$out" '^error: This SAML response was already used'

mint p30a --roles 3 >"$T_WORK/roles.b64"
out=$(drive p30a -a "$T_WORK/roles.b64" -A 2 auth open close)
t_match "several allowed roles: the user is asked" "$out" \
	'^prompt: Roles: \[\+3 lines\] \.\.\.Role number \[ecs-saml/1 role\]: '
t_match "... and the chosen role reaches STS" "$(tail -n 1 "$STS_LOG")" 'BastionReadOnly'
t_match "... and the session opens and closes" "$(grep -E '^(auth|open|close):' <<<"$out" | tr '\n' ' ')" \
	'^auth: 0 .*open: 0 .*close: 0 '
mint p30a --roles 2 >"$T_WORK/roles2.b64"
out=$(drive p30a -a "$T_WORK/roles2.b64" -A 9 auth)
t_match "a role number out of range is refused" "$out" '^error: Not a role number between 1 and 2'
out=$(drive p30a -a "$T_WORK/roles2.b64" -A 1 auth)
t_match "the same Response still works after a bad choice (nothing consumed)" "$out" '^auth: 0 '

# ---------------------------------------------------------------------------- tickets

ticket_of() { field "env: PAM_ECS_SAML_TICKET" "$1"; }

mint p30a >"$T_WORK/t1.b64"
out=$(drive p30a -a "$T_WORK/t1.b64" fork-auth env)
T1=$(ticket_of "$out")
t_eq "ticket file: root, 0600, in a 0700 root directory" \
	"$(stat -c '%u %a' "$SPOOL/tickets/$T1" "$SPOOL/tickets" 2>&1 | tr '\n' ' ')" "0 600 0 700 "
t_check "the ticket holds the verified Response for STS" grep -qE '^response=[A-Za-z0-9+/]{1000,}=*$' "$SPOOL/tickets/$T1"
out=$(drive p30b -E "PAM_ECS_SAML_TICKET=$T1" open)
t_match "another user's ticket is refused" "$out" '^open: 6 '
t_check "... and stays for its owner" test -e "$SPOOL/tickets/$T1"
out=$(drive p30a -E "PAM_ECS_SAML_TICKET=$T1" open env close)
t_match "its owner opens the session with it" "$out" '^open: 0 '
out=$(drive p30a -E "PAM_ECS_SAML_TICKET=$T1" open)
t_match "a consumed ticket cannot be replayed" "$out" '^open: 6 '
t_match "... and the user is told" "$out" '^error: No valid login ticket for this session'

# The IdP's SessionNotOnOrAfter passing between auth and session open (here: moved into
# the past in the ticket) ends the matter: no STS call, not a 900-second minimum session.
mint p30a >"$T_WORK/t2.b64"
T2=$(ticket_of "$(drive p30a -a "$T_WORK/t2.b64" fork-auth env)")
sed -i "s/^session_end=.*/session_end=$(($(date +%s) - 1))/" "$SPOOL/tickets/$T2"
sts_calls=$(wc -l <"$STS_LOG")
out=$(drive p30a -E "PAM_ECS_SAML_TICKET=$T2" open env)
t_match "a ticket past SessionNotOnOrAfter opens no session" "$out" '^open: 6 '
t_match "... the user is told" "$out" '^error: Your SAML session has already ended'
t_eq "... and STS is not asked" "$(wc -l <"$STS_LOG")" "$sts_calls"

for bad in '../../../etc/shadow' "../tickets/$T1" 'ffffffffffffffffffffffffffffffff' "$(tr a-f A-F <<<"$T1")"; do
	out=$(drive p30a -E "PAM_ECS_SAML_TICKET=$bad" open)
	t_match "ticket id '$bad' refused" "$out" '^open: 6 '
done

mint p30a >"$T_WORK/t2.b64"
T2=$(ticket_of "$(drive p30a -a "$T_WORK/t2.b64" fork-auth env)")
sed -i 's/^expires=.*/expires=1000000000/' "$SPOOL/tickets/$T2"
out=$(drive p30a -E "PAM_ECS_SAML_TICKET=$T2" open)
t_match "an expired ticket is refused" "$out" '^open: 6 '
t_check "... and removed" test ! -e "$SPOOL/tickets/$T2"

# ---------------------------------------------------------------------------- sessions

mint p30a >"$T_WORK/s1.b64"
mint p30a >"$T_WORK/s2.b64"
o1=$(drive p30a -a "$T_WORK/s1.b64" fork-auth open env)
o2=$(drive p30a -a "$T_WORK/s2.b64" fork-auth open env)
C1=$(field "env: AWS_SHARED_CREDENTIALS_FILE" "$o1")
C2=$(field "env: AWS_SHARED_CREDENTIALS_FILE" "$o2")
S1=$(field "env: PAM_ECS_SAML_SESSION" "$o1")
S2=$(field "env: PAM_ECS_SAML_SESSION" "$o2")
t_check "two sessions of one user have their own files" test -n "$C1" -a -n "$C2" -a "$C1" != "$C2" -a -f "$C1" -a -f "$C2"
out=$(drive p30b -E "PAM_ECS_SAML_SESSION=$S1" close)
t_match "another user cannot close the session" "$out" '^close: 14 '
t_check "... whose files stay" test -f "$C1"
drive p30a -E "PAM_ECS_SAML_SESSION=$S1" close >/dev/null
t_check "closing the first session removes its files" test ! -e "$C1"
t_check "... and keeps the second session's" test -f "$C2"

# Both pamdrive processes have exited without closing S2: gc finds it dead. Beside it, a
# corrupt record (dropped: nothing in it can be trusted) and a copy of S2's record that
# cannot be read as it stands (group-writable: refused before it is parsed). The latter
# stays: a record gc could not read may still be the only pointer to live credentials.
BADREC=ffffffffffffffffffffffffffff0001
UNREADREC=ffffffffffffffffffffffffffff0002
printf 'not a session record\n' >"$SPOOL/sessions/$BADREC"
chmod 600 "$SPOOL/sessions/$BADREC"
cp "$SPOOL/sessions/$S2" "$SPOOL/sessions/$UNREADREC"
chmod 620 "$SPOOL/sessions/$UNREADREC"
# traced for its children (not under ASan: LeakSanitizer refuses to run under ptrace)
TRACE=()
[ -n "$ASAN_RT" ] || TRACE=(strace -f -qq -e trace=clone,clone3,fork,vfork -o "$T_WORK/strace-gc")
gc=$(in_ns "${TRACE[@]}" "$HELPER" gc 2>&1)
t_match "gc reports what it swept" "$gc" '^gc: removed [0-9]+ expired tickets, [1-9][0-9]* dead sessions'
# each dead session (S2, and any earlier one whose pamdrive never closed it) ends as at a
# close, in one child as its user: exec teardown and credentials; the corrupt record names
# nobody: nothing to end. Then one child empties each fallback directory that goes (not
# p30a's: below).
n=$(sed -n 's/^gc: removed [0-9]* expired tickets, \([0-9]*\) dead sessions, [0-9]* replay entries, \([0-9]*\) fallback.*/\1 + \2 - 1/p' <<<"$gc")
[ -n "$ASAN_RT" ] || t_eq "... ending each dead session in one child (as its user)" \
	"$(grep -cE '^[0-9]+ +(clone3?|v?fork)\(.*= [1-9][0-9]*$' "$T_WORK/strace-gc")" \
	"$((${n:-0}))"
t_check "gc removed the dead session's files" test ! -e "$C2"
t_check "gc removed the dead session's record" test ! -e "$SPOOL/sessions/$S2"
t_check "gc removed a corrupt session record" test ! -e "$SPOOL/sessions/$BADREC"
t_check "gc kept a session record it could not read" test -e "$SPOOL/sessions/$UNREADREC"
t_check "... and, as that record may be p30a's, p30a's fallback runtime directory" \
	test -d "$FALLBACK/$UID_A"
rm -f "$SPOOL/sessions/$UNREADREC"
gc=$(in_ns "$HELPER" gc 2>&1)
t_match "gc removes the fallback runtime directory of a user without a session" "$gc" \
	'^gc: removed .*, [1-9][0-9]* fallback runtime directories$'
t_check "... p30a's" test ! -e "$FALLBACK/$UID_A"

# ---------------------------------------------------------------------------- a full fallback

# Without /run/user/UID the credentials go to $FALLBACK/UID, which is the user's. Here
# /dev/shm is a 256 KiB tmpfs of this scenario's own namespace: p30fa fills it. That stops
# no login (the spool is another file system), only credentials that need room there; p30fa
# logs out, its directory goes with its last session, and p30fb logs in.
mint p30fa >"$T_WORK/fa.b64"
mint p30fb >"$T_WORK/fb.b64"
mint p30fb >"$T_WORK/fb2.b64"
cat >"$T_WORK/fill.sh" <<'SH'
drive() { u=$1; shift; "$DRIVE" -d "$PAMDIR" -s "$SVC" -u "$u" -r 192.0.2.30 "$@" 2>&1; }
mount -t tmpfs -o size=256k,mode=1777 tmpfs /dev/shm || exit 1
out=$(drive p30fa -a "$FA" fork-auth open env)
echo "A: $(grep -E '^(fork-auth|open):' <<<"$out" | tr '\n' ' ')"
tag=$(sed -n 's/^env: PAM_ECS_SAML_SESSION=//p' <<<"$out")
uid=$(id -u p30fa)
setpriv --reuid="$uid" --regid="$uid" --clear-groups \
	dd if=/dev/zero of="/dev/shm/pam_ecs_saml/$uid/fill" bs=4k 2>/dev/null
echo "filled: $(df --output=avail -k /dev/shm | tail -n 1 | tr -d ' ')"
out=$(drive p30fb -a "$FB2" fork-auth open)
echo "B-full: $(grep -E '^(fork-auth|open|error):' <<<"$out" | tr '\n' ' ')"
out=$(drive p30fa -E "PAM_ECS_SAML_SESSION=$tag" close)
echo "A-close: $(grep -E '^close:' <<<"$out")"
echo "A-dir: $(test -e "/dev/shm/pam_ecs_saml/$uid" && echo present || echo gone)"
out=$(drive p30fb -a "$FB" fork-auth open close)
echo "B: $(grep -E '^(fork-auth|open|close):' <<<"$out" | tr '\n' ' ')"
SH
out=$(in_ns env DRIVE="$DRIVE" PAMDIR="$PAMDIR" SVC="$PAMENV_SERVICE" FA="$T_WORK/fa.b64" \
	FB="$T_WORK/fb.b64" FB2="$T_WORK/fb2.b64" bash "$T_WORK/fill.sh" 2>&1)
t_match "a full fallback: p30fa's session opened" "$out" '^A: fork-auth: 0 .*open: 0 '
t_match "... p30fa filled its runtime directory's file system" "$out" '^filled: 0$'
t_match "... p30fb still authenticates: the spool is on another file system" "$out" \
	'^B-full: fork-auth: 0 '
t_match "... but gets no session, told why with its code" "$out" \
	'^B-full: .*error: The bastion has no room left for this session.s AWS credentials .*\(code runtime-full in its log\)\. open: [1-9][0-9]* '
t_match "... p30fa logs out" "$out" '^A-close: close: 0 '
t_match "... and its fallback directory, and what filled it, went with its last session" "$out" \
	'^A-dir: gone$'
t_match "... then p30fb logs in" "$out" '^B: fork-auth: 0 .*open: 0 .*close: 0 '

# ---------------------------------------------------------------------------- STS refusal

# A second stand-in that refuses every call, reached through a module argument that
# overrides the file's sts_endpoint (so this also shows arguments winning over the file).
sts_extra "$DENY_PORT" AccessDenied "$T_WORK/sts-deny.jsonl"
stack ecs30deny sts_endpoint=https://127.0.0.1:$DENY_PORT/
mint p30a >"$T_WORK/deny.b64"
before=$(find "$FALLBACK/$UID_A" -mindepth 2 -maxdepth 2 2>/dev/null | wc -l)
out=$(SERVICE=ecs30deny drive p30a -a "$T_WORK/deny.b64" fork-auth open env)
t_match "STS refusal: the session does not open" "$out" '^open: 6 '
t_match "... the module argument's endpoint was the one called" "$(cat "$T_WORK/sts-deny.jsonl" 2>&1)" \
	'AssumeRoleWithSAML'
t_match "... the user is told why" "$out" '^error: AWS denied this role to you'
if grep -q '^env: AWS_' <<<"$out"; then t_fail "... no AWS_* variable is exported" "$out"
else t_ok "... no AWS_* variable is exported"; fi
t_eq "... no session directory is left behind" \
	"$(find "$FALLBACK/$UID_A" -mindepth 2 -maxdepth 2 2>/dev/null | wc -l)" "$before"
# every earlier session of p30a was closed or swept: any record of p30a is this one's
t_eq "... nor a session record" "$(grep -l '^user=p30a$' "$SPOOL"/sessions/* 2>/dev/null | wc -l)" 0

# ---------------------------------------------------------------------------- helper boundary

# LeakSanitizer refuses to run under ptrace, so an ASan helper cannot be traced: under
# `make asan` this part is left to the plain build (said so in the output, not counted).
if [ -z "$ASAN_RT" ]; then
	mint p30a >"$T_WORK/x1.b64"
	# fd 50 stands for a descriptor the application left open without close-on-exec
	in_ns strace -f -qq -v -s 8192 -e trace=execve,close_range -o "$T_WORK/strace" \
		"$DRIVE" -d "$PAMDIR" -s ecs30 -u p30a -a "$T_WORK/x1.b64" auth open close \
		>"$T_WORK/x1.out" 2>&1 50</dev/null
	execs=$(grep -F "$HELPER" "$T_WORK/strace")
	t_eq "the helper ran three times (auth, session-open, session-close)" "$(grep -c 'execve(' <<<"$execs")" 3
	t_eq "... each with argv = name + verb and an empty environment" \
		"$(sed -n 's/.*execve("[^"]*", \(\[.*\]\), \(\[.*\]\)) = 0$/\1 \2/p' <<<"$execs" | sort | tr '\n' '|')" \
		'["ecs-saml-helper", "auth"] []|["ecs-saml-helper", "session-close"] []|["ecs-saml-helper", "session-open"] []|'
	# each helper's process closed every descriptor above stderr in one call before its exec
	closed=$(awk -v h="$HELPER" '/close_range\(3, 4294967295, 0\) += 0$/ { c[$1] = 1 }
		$2 ~ /^execve\(/ && index($0, h) && c[$1] { n++ } END { print n + 0 }' "$T_WORK/strace")
	t_eq "... each after one close_range of every descriptor above stderr (none leaks in)" "$closed" 3
	RESP_HEAD=$(head -c 40 "$T_WORK/x1.b64")
	if grep -qF "$RESP_HEAD" "$T_WORK/strace"; then t_fail "no Response in any exec" "found"
	else t_ok "no Response in any exec"; fi
	# session-close's user side (exec teardown, credentials, the fallback directory of the
	# user's last session: p30a has no other one open here) is one child: each fork and
	# privilege drop costs about what the work itself does. Counted from the helper's exec
	# on, in its process and its children's (a split line's pid and result are on its
	# "resumed" half).
	mint p30a >"$T_WORK/x2.b64"
	tag=$(sed -n 's/^env: PAM_ECS_SAML_SESSION=//p' <<<"$(drive p30a -a "$T_WORK/x2.b64" auth open env)")
	in_ns strace -f -qq -e trace=execve,clone,clone3,fork,vfork -o "$T_WORK/strace-close" \
		"$DRIVE" -d "$PAMDIR" -s ecs30 -u p30a -E "PAM_ECS_SAML_SESSION=$tag" close \
		>"$T_WORK/x2.out" 2>&1
	forks=$(awk '$2 ~ /^execve\(/ && /"session-close"/ { tree[$1] = 1 }
		($1 in tree) && ($2 ~ /^(clone3?|v?fork)\(/ || /<\.\.\. (clone3?|v?fork) resumed>/) &&
			$NF ~ /^[0-9]+$/ && $(NF - 1) == "=" { n++; tree[$NF] = 1 }
		END { print n + 0 }' "$T_WORK/strace-close")
	t_match "session-close of p30a's last session succeeds" "$(cat "$T_WORK/x2.out")" '^close: 0 '
	t_eq "... forking one child (as the user) for its whole user side" "$forks" 1
	t_check "... which also emptied the fallback directory, gone with that last session" \
		test ! -e "$FALLBACK/$UID_A"
else
	echo "# ASan build: the exec trace checks run in the plain build only (LSan vs ptrace)"
	: >"$T_WORK/strace"
	: >"$T_WORK/x1.out"
fi

# The helper resolves the user itself and never takes the application's ids on trust: an
# application whose own lookups differ (here nss_wrapper in pamdrive only, as a test wrapper
# or a stale cache would) gets no session, before any ticket is touched.
drive_wrapped() {	# drive_wrapped USER UID [pamdrive args] OPS: pamdrive sees USER as UID:UID
	local user=$1 id=$2
	shift 2
	echo "$user:x:$id:$id::/nonexistent:/bin/sh" >"$T_WORK/wrapped.passwd"
	echo "$user:x:$id:" >"$T_WORK/wrapped.group"
	in_ns env LD_PRELOAD="${ASAN_RT:+$ASAN_RT }/usr/lib/x86_64-linux-gnu/libnss_wrapper.so" \
		NSS_WRAPPER_PASSWD="$T_WORK/wrapped.passwd" NSS_WRAPPER_GROUP="$T_WORK/wrapped.group" \
		"$DRIVE" -d "$PAMDIR" -s ecs30 -u "$user" -r 192.0.2.30 "$@" 2>&1
}
mint p30a >"$T_WORK/w1.b64"
TW=$(ticket_of "$(drive p30a -a "$T_WORK/w1.b64" fork-auth env)")
out=$(drive_wrapped p30a 4243 -E "PAM_ECS_SAML_TICKET=$TW" open env)
t_match "ids the application resolves differently from the helper: no session" "$out" '^open: 4 '
t_check "... refused before the ticket is redeemed (it stays in the spool)" test -e "$SPOOL/tickets/$TW"
out=$(drive_wrapped x30local 4244 -E "PAM_ECS_SAML_TICKET=$TW" open env)
t_match "a user only the application knows (the old test-wrapper case): no session" "$out" '^open: 4 '
t_check "... and no ticket is touched" test -e "$SPOOL/tickets/$TW"
out=$(drive p30a -E "PAM_ECS_SAML_TICKET=$TW" open env close)
t_match "the same ticket opens the session when both agree" "$out" '^open: 0 '

# config= is gone: the helper would read a file the NSS module never sees (another
# state_dir, user map or UID range). Every part reads the one compiled-in path.
stack ecs30conf "config=$CONF"
out=$(SERVICE=ecs30conf drive p30a -a "$T_WORK/a5.b64" auth)
t_match "config= as a module argument fails the module (PAM_SERVICE_ERR)" "$out" '^auth: 3 '
t_eq "... before any prompt" "$(grep -c '^prompt: ' <<<"$out")" 0

out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups "$HELPER" auth </dev/null 2>&1)
t_eq "helper refuses a non-root caller (exit 2)" "$?" 2
"$HELPER" frobnicate </dev/null >/dev/null 2>&1
t_eq "helper refuses an unknown verb (exit 2)" "$?" 2
script -qec "$HELPER auth" /dev/null >/dev/null 2>&1
t_eq "helper refuses a terminal on stdin (exit 2)" "$?" 2
printf 'ECSW\001garbage' | "$HELPER" auth >"$T_WORK/bad.out" 2>&1
rc=$?
t_check "helper refuses bad framing (non-zero exit)" test "$rc" -ne 0
t_eq "... and its reply is an empty message: no ticket" "$(od -An -tx1 "$T_WORK/bad.out" | tr -d ' \n')" \
	"45435357010000000000"

# ---------------------------------------------------------------------------- a helper that stalls

# pam_ecs_saml_fake.so runs $B/tests/fake-helper with a 3-second deadline (tests/pam.mk).
# Whatever the helper does, sshd or sudo get their answer by the deadline and the helper is
# gone: one that closes its end and lingers must not hold the module in waitpid.
FAKE=$B/tests/fake-helper
t_on_exit "rm -f '$FAKE'"
cat >"$PAMDIR/ecs30fake" <<STACK
auth     required $B/tests/pam_ecs_saml_fake.so
STACK
fake_helper() {	# fake_helper SHELL-LINES: the fake helper records its pid, then does them
	printf '#!/bin/sh\necho $$ >%s\n%s\n' "$T_WORK/fake.pid" "$1" >"$FAKE"
	chmod 755 "$FAKE"
	rm -f "$T_WORK/fake.pid"
}
fake_run() {	# auth through the fake stack; a module that hangs is killed after 60 s (137)
	in_ns timeout -s KILL 60 "$DRIVE" -d "$PAMDIR" -s ecs30fake -u p30a -a "$T_WORK/a5.b64" auth 2>&1
}
fake_gone() { local pid; pid=$(cat "$T_WORK/fake.pid" 2>/dev/null) && ! kill -0 "$pid" 2>/dev/null; }

fake_helper 'cat >/dev/null; exec <&- >&- /bin/sleep 600'
out=$(fake_run)
t_eq "helper lingering after EOF: auth returns (not hung)" "$?" 1
t_match "... with PAM_AUTHINFO_UNAVAIL at the deadline" "$out" '^auth: 9 '
t_check "... and the lingering helper is killed" fake_gone

fake_helper 'exec /bin/sleep 600'
out=$(fake_run)
t_eq "helper silent with its end open: auth returns (not hung)" "$?" 1
t_match "... with PAM_AUTHINFO_UNAVAIL at the deadline" "$out" '^auth: 9 '
t_check "... and the silent helper is killed" fake_gone

rm -f "$FAKE"
out=$(fake_run)
t_eq "no helper at its path: auth returns" "$?" 1
t_match "... with PAM_AUTHINFO_UNAVAIL at once" "$out" '^auth: 9 '

# ---------------------------------------------------------------------------- debug

# `debug` as a module argument, then as the file's key (the namespace's copy, for one
# login): LOG_DEBUG records from the module and the helper, checked in the log section.
# Each login keeps its session open long enough to read the secret it must not log.
debug_login() {	# debug_login SERVICE RESPONSE: auth, open, read the secret, close
	local out tag
	out=$(SERVICE=$1 drive p30a -a "$2" fork-auth open env)
	tag=$(field "env: PAM_ECS_SAML_SESSION" "$out")
	sed -n 's/^aws_secret_access_key *= *//p' "$(field "env: AWS_SHARED_CREDENTIALS_FILE" "$out")" \
		>>"$T_WORK/debug.secrets"
	out=$out$'\n'$(SERVICE=$1 drive p30a -E "PAM_ECS_SAML_SESSION=$tag" close)
	echo "$out"
}
stack ecs30debug debug
mint p30a >"$T_WORK/d1.b64"
out=$(debug_login ecs30debug "$T_WORK/d1.b64")
t_match "debug as a module argument: the login works as without it" \
	"$(grep -E '^(fork-auth|open|close):' <<<"$out" | tr '\n' ' ')" '^fork-auth: 0 .*open: 0 .*close: 0 '
stack ecs30fdebug
cp -p "$NSDIR/security/pam_ecs_saml.conf" "$T_WORK/conf.saved"
echo 'debug = yes' >>"$NSDIR/security/pam_ecs_saml.conf"
mint p30a >"$T_WORK/d2.b64"
out=$(debug_login ecs30fdebug "$T_WORK/d2.b64")
cp -p "$T_WORK/conf.saved" "$NSDIR/security/pam_ecs_saml.conf"
t_match "debug in the configuration file: the login works as without it" \
	"$(grep -E '^(fork-auth|open|close):' <<<"$out" | tr '\n' ' ')" '^fork-auth: 0 .*open: 0 .*close: 0 '

# ---------------------------------------------------------------------------- two IdPs

# One user name, one IdP: a second IdP (a lab's, with its own key) beside the first.
IDP_A=https://idp.example.test/metadata
IDP_B=https://lab.example.test/idp
cp -p "$NSDIR/security/pam_ecs_saml.conf" "$T_WORK/conf.saved"
printf 'idp_entity_id = %s\nidp_cert = %s\n' "$IDP_B" "$IDP/idp-ec-p256.crt.pem" \
	>>"$NSDIR/security/pam_ecs_saml.conf"
mint p30idp >"$T_WORK/ia1.b64"
out=$(drive p30idp -a "$T_WORK/ia1.b64" auth open close)
t_match "two IdPs: p30idp from IdP A logs in" \
	"$(grep -E '^(auth|open|close):' <<<"$out" | tr '\n' ' ')" '^auth: 0 .*open: 0 .*close: 0 '
t_eq "... and the map records IdP A as p30idp's" \
	"$(in_ns "$HELPER" users show p30idp | sed -n 's/^issuer: //p')" "$IDP_A"
mint p30idp --issuer "$IDP_B" --key idp-ec-p256 >"$T_WORK/ib1.b64"
out=$(drive p30idp -a "$T_WORK/ib1.b64" auth)
t_match "two IdPs: p30idp from IdP B is refused, with its code" "$out" \
	'^error: This user name belongs to a user of another IdP on this bastion\. .*\(code user-other-idp in its log\)\.$'
t_match "... and it refuses" "$out" '^auth: [1-9][0-9]* '
out=$(in_ns "$HELPER" users move-idp p30idp https://nowhere.example.test/ 2>&1)
t_match "users move-idp refuses an issuer that is no configured IdP" "$?:$out" \
	'^2:users: move-idp: https://nowhere.example.test/ is not a configured IdP'
t_check "the administrator moves p30idp to IdP B" in_ns "$HELPER" users move-idp p30idp "$IDP_B"
t_eq "... which the map now says" \
	"$(in_ns "$HELPER" users show p30idp | sed -n 's/^issuer: //p')" "$IDP_B"
out=$(drive p30idp -a "$T_WORK/ib1.b64" auth open close)
t_match "after the move, p30idp from IdP B logs in (the refused Response was not used up)" \
	"$(grep -E '^(auth|open|close):' <<<"$out" | tr '\n' ' ')" '^auth: 0 .*open: 0 .*close: 0 '
mint p30idp >"$T_WORK/ia2.b64"
out=$(drive p30idp -a "$T_WORK/ia2.b64" auth)
t_match "... and p30idp from IdP A is now refused" "$out" '\(code user-other-idp in its log\)'
cp -p "$T_WORK/conf.saved" "$NSDIR/security/pam_ecs_saml.conf"

# ------------------------------------------------------- libcurl, libxml2 and xmlsec on demand

# The helper maps libcurl (libaws/aws_curl.h) only in a verb that calls AWS: session-open
# (STS), session-close and gc with an exec record to end (SSM), doctor (it probes STS once
# the endpoint resolves). It maps libxml2 and xmlsec (helper/xml/xml_lib.h) only in a verb
# that parses XML: auth and verify (the Response, with both), session-open (STS's answer:
# libxml2 alone), doctor (the IdP trust). Inside the namespace the helper's path is a
# wrapper that runs a copy of it with the dynamic loader's own record of the files it maps
# (LD_DEBUG=files), one file per verb and pid: a library's line appears whether it is
# linked or loaded later. A file libpath-VERB names a directory the wrapper puts first in
# that verb's library path (a library that does not load, below).
LDT=$T_WORK/ldtrace
mkdir -p "$LDT/log" "$LDT/real" "$LDT/seen"
chmod 755 "$LDT" "$LDT/real"
cp "$HELPER" "$LDT/real/ecs-saml-helper"
cat >"$LDT/ecs-saml-helper" <<WRAP
#!/bin/sh
# ecs-saml-helper with the loader's record of what it maps (tests/suites/30-pam.sh)
lp=
[ -f '$LDT/libpath-'"\$1" ] && lp=\$(cat '$LDT/libpath-'"\$1")
exec /usr/bin/env LD_LIBRARY_PATH="\$lp" LD_DEBUG=files LD_DEBUG_OUTPUT='$LDT/log/'"\$1" \
	'$LDT/real/ecs-saml-helper' "\$@"
WRAP
chmod 755 "$LDT/ecs-saml-helper"
cp "$NSDIR/binds" "$T_WORK/binds.saved"
cp -p "$NSDIR/security/pam_ecs_saml.conf" "$T_WORK/conf.saved"
echo "$LDT/ecs-saml-helper:$HELPER" >>"$NSDIR/binds"
echo "ssm_endpoint = $STS_URL" >>"$NSDIR/security/pam_ecs_saml.conf"
# maps VERB: for each start of VERB since the last call, what it mapped of libxml2, xmlsec
# (libxmlsec1 with libxmlsec1-openssl; "xmlsec-partial" for one without the other) and
# libcurl, joined by "+", or "none" ("untraced" when the record does not even show libssl,
# which the helper links: the tracing failed). A library counts once the loader maps it (a
# file that fails to load is named, but gets no link map).
mapped() {
	grep -qE "file=$2 \[[0-9]+\];  generating link map" "$1"
}
maps() {
	local f m
	for f in "$LDT/log/$1".*; do
		[ -e "$f" ] || { echo "no run"; continue; }
		m=
		mapped "$f" 'libxml2\.so\.2' && m+=+libxml2
		if mapped "$f" 'libxmlsec1\.so\.1' && mapped "$f" 'libxmlsec1-openssl\.so\.1'; then
			m+=+xmlsec
		elif mapped "$f" 'libxmlsec1(-openssl)?\.so\.1'; then
			m+=+xmlsec-partial
		fi
		mapped "$f" 'libcurl\.so\.4' && m+=+libcurl
		if ! mapped "$f" 'libssl\.so\.3'; then echo untraced
		else echo "${m:-+none}" | cut -c2-; fi
		mv "$f" "$LDT/seen/"
	done | tr '\n' ' '
}
mint p30lc >"$T_WORK/lc1.b64"
out=$(drive p30lc -a "$T_WORK/lc1.b64" fork-auth open env)
t_match "libcurl on demand: the traced login works" "$(grep -E '^(fork-auth|open):' <<<"$out" | tr '\n' ' ')" \
	'^fork-auth: 0 .*open: 0 '
t_eq "auth maps libxml2 and xmlsec, not libcurl" "$(maps auth)" "libxml2+xmlsec "
t_eq "session-open maps libxml2, not xmlsec, and libcurl (it calls STS)" "$(maps session-open)" \
	"libxml2+libcurl "
tag=$(field "env: PAM_ECS_SAML_SESSION" "$out")
cred=$(dirname "$(field "env: AWS_SHARED_CREDENTIALS_FILE" "$out")")
out=$(drive p30lc -E "PAM_ECS_SAML_SESSION=$tag" close)
t_match "... session-close without an exec record succeeds" "$out" '^close: 0 '
t_eq "... and maps neither libcurl nor libxml2 nor xmlsec" "$(maps session-close)" "none "
# An exec record left by ecs-saml-exec (libecs/ecs_exec_rec.h): close ends it with SSM
# TerminateSession (ssm_endpoint: the stand-in), so it loads libcurl.
mint p30lc >"$T_WORK/lc2.b64"
out=$(drive p30lc -a "$T_WORK/lc2.b64" fork-auth open env)
tag=$(field "env: PAM_ECS_SAML_SESSION" "$out")
cred=$(dirname "$(field "env: AWS_SHARED_CREDENTIALS_FILE" "$out")")
uid=$(uid_of p30lc)
printf '%s\n' "ecs-saml-exec 1" "session_id=ecs-execute-command-0123456789abcdef0" \
	"cluster=prod" "task=0123456789abcdef0123456789abcdef" "container=app" "region=eu-west-3" \
	"ssm_endpoint=$STS_URL" "pid=999999999" "pid_start=1" "uid=$uid" "start=$(date +%s)" \
	"reason=-" >"$T_WORK/exec-rec"
install -o "$uid" -g "$uid" -m 600 "$T_WORK/exec-rec" "$cred/exec-ecs-execute-command-0123456789abcdef0"
maps session-open >/dev/null
out=$(drive p30lc -E "PAM_ECS_SAML_SESSION=$tag" close)
t_match "session-close with an exec record closes" "$out" '^close: 0 '
t_eq "... and maps libcurl (SSM TerminateSession), still no XML library" "$(maps session-close)" \
	"libcurl "
in_ns "$HELPER" users list >/dev/null 2>&1
t_eq "users list maps none of them" "$(maps users)" "none "
in_ns "$HELPER" sessions >/dev/null 2>&1
t_eq "sessions maps none of them" "$(maps sessions)" "none "
in_ns "$HELPER" audit fields >/dev/null 2>&1
t_eq "audit maps none of them" "$(maps audit)" "none "
in_ns "$HELPER" revoke p30nobody >/dev/null 2>&1
t_eq "revoke maps none of them" "$(maps revoke)" "none "
mint p30lc >"$T_WORK/lc3.b64"
in_ns "$HELPER" verify <"$T_WORK/lc3.b64" >"$T_WORK/lc-verify.out" 2>&1
t_match "verify validates a Response" "$(cat "$T_WORK/lc-verify.out")" 'p30lc'
t_eq "... mapping libxml2 and xmlsec, not libcurl" "$(maps verify)" "libxml2+xmlsec "
in_ns "$HELPER" gc >/dev/null 2>&1
t_eq "gc without exec records maps none of them" "$(maps gc)" "none "
in_ns "$HELPER" doctor >"$T_WORK/lc-doctor.out" 2>&1
t_match "doctor probes STS" "$(cat "$T_WORK/lc-doctor.out")" 'answers like STS'
t_eq "... so it maps libcurl, and libxml2 and xmlsec (the IdP trust)" "$(maps doctor)" \
	"libxml2+xmlsec+libcurl "
# without a libcurl that loads (an empty file over it, in the namespace only): STS cannot be
# called, said with its code; auth needs none.
: >"$LDT/empty"
echo "$LDT/empty:$NS_LIBDIR/libcurl.so.4" >>"$NSDIR/binds"
mint p30lc >"$T_WORK/lc4.b64"
out=$(drive p30lc -a "$T_WORK/lc4.b64" fork-auth open)
t_match "without libcurl, auth still succeeds" "$out" '^fork-auth: 0 '
t_match "... but the session does not open, and the user is told to ask for libcurl4" "$out" \
	'^error: The bastion cannot load the HTTPS library it calls AWS with \(libcurl\): .*libcurl4'
t_match "... with the refusal" "$out" '^open: [1-9][0-9]* '
cp "$T_WORK/binds.saved" "$NSDIR/binds"
echo "$LDT/ecs-saml-helper:$HELPER" >>"$NSDIR/binds"
maps auth >/dev/null; maps session-open >/dev/null
# Without an XML library that loads (an empty file first in one verb's library path): a
# session-open without libxml2 is refused before STS is called, with its code; an auth
# without libxmlsec1-openssl refuses the Response unchecked, with the same code.
mkdir -p "$LDT/noxml" "$LDT/noxmlsec"
chmod 755 "$LDT/noxml" "$LDT/noxmlsec"
: >"$LDT/noxml/libxml2.so.2"
: >"$LDT/noxmlsec/libxmlsec1-openssl.so.1"
echo "$LDT/noxml" >"$LDT/libpath-session-open"
mint p30lc >"$T_WORK/lx1.b64"
out=$(drive p30lc -a "$T_WORK/lx1.b64" fork-auth open)
t_match "without libxml2 in session-open, auth still succeeds" "$out" '^fork-auth: 0 '
t_match "... but the session does not open, and the user is told to ask for libxml2" "$out" \
	"^error: The bastion cannot load the XML library it reads AWS STS's answer with \\(libxml2\\): .*libxml2 package"
t_match "... with the refusal" "$out" '^open: [1-9][0-9]* '
t_eq "... and STS was not called: neither library was mapped" "$(maps session-open)" "none "
rm -f "$LDT/libpath-session-open"
echo "$LDT/noxmlsec" >"$LDT/libpath-auth"
mint p30lc >"$T_WORK/lx2.b64"
out=$(drive p30lc -a "$T_WORK/lx2.b64" fork-auth)
t_match "without libxmlsec1-openssl, auth refuses, and the user is told what to install" "$out" \
	'^error: The bastion cannot load the XML libraries it checks SAML responses with\. .*libxmlsec1-openssl packages \(code xml-library in its log\)\.$'
t_match "... with the refusal" "$out" '^fork-auth: [1-9][0-9]* '
rm -f "$LDT/libpath-auth"
maps auth >/dev/null
cp "$T_WORK/binds.saved" "$NSDIR/binds"
cp -p "$T_WORK/conf.saved" "$NSDIR/security/pam_ecs_saml.conf"

# ---------------------------------------------------------------------------- logs

t_check "logs captured: everything logged so far reached the capture" syslog_flush
t_check "logs captured: the helper's audit line" grep -q 'auth ok: user="p30a" service="ecs30" rhost="192.0.2.30"' "$SYSLOG"
t_check "logs captured: the module's refusal line" grep -q 'pam_ecs_saml(ecs30:auth): conversation failed: user="p30a"' "$SYSLOG"
t_check "logs: the other IdP's refusal names the user's IdP and the Response's" \
	grep -q "auth refused: user=\"p30idp\" service=\"ecs30\" rhost=\"192.0.2.30\" code=\"user-other-idp\" reason=\"p30idp belongs to the IdP $IDP_A, this Response is from $IDP_B; " "$SYSLOG"
t_check "logs say why another user's ticket was refused" \
	grep -q 'session refused: user="p30b" service="ecs30" reason="ticket bound to another user' "$SYSLOG"
t_check "logs say why another user's close was refused" \
	grep -q "session close refused: user=\"p30b\" session=\"$S1\" reason=" "$SYSLOG"
t_check "logs say why the helper refused ids it resolves differently" \
	grep -q 'user ids differ between the PAM application and the helper: user="p30a" application_ids="4243:4243" helper_ids=' "$SYSLOG"
t_check "logs say the helper does not know a user only the application knows" \
	grep -q 'user unknown to the system: user="x30local"' "$SYSLOG"
t_check "logs say why require_ticket refused a session, with its code" \
	grep -q 'pam_ecs_saml(ecs30needs:session): session refused: user="p30a" service="ecs30needs" code="no-ticket" reason=' "$SYSLOG"
t_check "logs: a session without libcurl names it, with its code" \
	grep -qE 'code="sts-libcurl".*libcurl\.so\.4: cannot be loaded' "$SYSLOG"
t_check "logs say why the helper could not be started, with its path" \
	grep -qF "cannot start the helper: verb=\"auth\" path=\"$FAKE\" reason=\"No such file or directory\"" "$SYSLOG"
t_check "logs: a session without libxml2 names it and its package, with its code" \
	grep -qE 'code="xml-library".*libxml2\.so\.2: cannot be loaded.*install the distribution.s libxml2 package' "$SYSLOG"
t_check "logs: an auth without libxmlsec1-openssl names it and its package, with its code" \
	grep -qE 'auth refused: user="p30lc".*code="xml-library" reason="libxmlsec1-openssl\.so\.1: cannot be loaded.*install the distribution.s libxmlsec1-openssl package' "$SYSLOG"
t_check "logs say why config= is refused, and what to do instead" \
	grep -qE "pam_ecs_saml\(ecs30conf:auth\): configuration error: code=\"[a-z-]+\" reason=\"module argument 'config' is not supported" "$SYSLOG"
dbg=$(grep '^<87>' "$SYSLOG")	# authpriv.debug
t_match "debug argument: the module's debug records" "$dbg" \
	'pam_ecs_saml\(ecs30debug:auth\): conversation done: user="p30a" response_bytes="[0-9]+"'
t_match "debug argument: the helper's debug records" "$dbg" \
	'ecs-saml-helper\[[0-9]+\]: auth verified: user="p30a" service="ecs30debug" assertion="'
t_match "debug argument: ... down to the part run as the user" "$dbg" \
	'ecs-saml-helper\[[0-9]+\]: running as the user: for="session [0-9a-f]{32} of p30a" uid="[0-9]+" gid='
t_match "debug in the file: the module's debug records" "$dbg" \
	'pam_ecs_saml\(ecs30fdebug:session\): helper done: verb="session-open" result="success" ms="[0-9]+"'
t_match "debug in the file: the helper's debug records" "$dbg" \
	'ecs-saml-helper\[[0-9]+\]: session-open user resolved: user="p30a" service="ecs30fdebug" uid="[0-9]+" gid='
t_eq "without debug: no debug record from the module or the helper" \
	"$(grep -cE 'pam_ecs_saml\(ecs30:|service="ecs30"' <<<"$dbg")" 0
leaked=0
while read -r s; do
	[ -n "$s" ] && grep -qF "$s" "$SYSLOG" && leaked=1
done <"$T_WORK/debug.secrets"
t_eq "debug records hold no secret key" "$leaked$(grep -c . "$T_WORK/debug.secrets")" 02
leaked=0
for f in "$T_WORK"/a1.b64 "$T_WORK"/a5.b64 "$T_WORK"/s1.b64 "$T_WORK"/d1.b64 "$T_WORK"/d2.b64; do
	grep -qF "$(head -c 40 "$f")" "$SYSLOG" && leaked=1
done
t_eq "no Response in the logs" "$leaked" 0
if [ -n "$SECRET" ] && grep -qF "$SECRET" "$SYSLOG" "$T_WORK/x1.out" "$T_WORK/strace"; then
	t_fail "no secret key in the logs, driver output or exec trace" "found"
else
	t_check "no secret key in the logs, driver output or exec trace" test -n "$SECRET"
fi

t_done
