#!/bin/bash
# tests/run: isolated
# Suite 55: what ecs-saml-ssh does before any network (no servers, no ports). A stand-in `ssh`
# first on PATH records the command line it is given and exits, so the checks see exactly the
# options the client forces, its warning about a Response file others can read, and
# --delete-response.
. "$(dirname "$0")/../lib/tap.sh"

CLIENT=$B/ecs-saml-ssh
keys=$T_WORK/idp
"$ECS_TOP/tests/lib/mint-response" --keys "$keys" --make-keys >/dev/null || exit 2

mkdir -p "$T_WORK/bin"
cat >"$T_WORK/bin/ssh" <<'SH'
#!/bin/sh
printf '%s\n' "$@" >"$SSH_ARGS_LOG"
exit 255
SH
chmod 755 "$T_WORK/bin/ssh"

# client RESPONSE-FILE [client options]: runs the client against the stand-in ssh; prints its
# stderr, leaves ssh's arguments in $T_WORK/ssh.args.
client() {
	local file=$1
	shift
	rm -f "$T_WORK/ssh.args"
	PATH=$T_WORK/bin:$PATH SSH_ARGS_LOG=$T_WORK/ssh.args \
		"$CLIENT" --response "$file" "$@" -o VerifyHostKeyDNS=yes alice@bastion.invalid \
		2>&1 >/dev/null </dev/null
}

resp=$T_WORK/response.b64
"$ECS_TOP/tests/lib/mint-response" --keys "$keys" --user alice >"$resp" || exit 2

chmod 600 "$resp"
out=$(client "$resp")
args=$(tr '\n' ' ' <"$T_WORK/ssh.args" 2>/dev/null)
t_match "ssh is started with VerifyHostKeyDNS=no forced" "$args" '-o VerifyHostKeyDNS=no '
# ssh keeps the first value of an option: ours must come before the user's.
t_match "the forced VerifyHostKeyDNS=no precedes the user's VerifyHostKeyDNS=yes" "$args" \
	'VerifyHostKeyDNS=no .*VerifyHostKeyDNS=yes'
t_match "StrictHostKeyChecking=yes is still forced" "$args" '-o StrictHostKeyChecking=yes '
if grep -q 'readable by other users' <<<"$out"; then
	t_fail "a 0600 Response file draws no warning" "$out"
else
	t_ok "a 0600 Response file draws no warning"
fi
t_check "without --delete-response the file is kept" test -f "$resp"

chmod 644 "$resp"
out=$(client "$resp")
t_match "a Response file others can read is named in a warning with its mode" "$out" \
	"warning: $resp is readable by other users \(mode 0644\)"
chmod 640 "$resp"
t_match "a group-readable Response file is warned about too" "$(client "$resp")" \
	'readable by other users \(mode 0640\)'

chmod 600 "$resp"
out=$(client "$resp" --delete-response)
t_check "--delete-response deletes the file once the Response is read" test ! -e "$resp"
t_check "...and the client still went on to ssh" test -s "$T_WORK/ssh.args"

echo 'not a SAML response' >"$T_WORK/other.txt"
out=$(client "$T_WORK/other.txt" --delete-response)
t_match "a file that holds no Response is refused" "$out" 'not a SAML response'
t_check "...and is not deleted by --delete-response" test -f "$T_WORK/other.txt"

out=$(PATH=$T_WORK/bin:$PATH "$CLIENT" --response - --delete-response alice@bastion.invalid \
	2>&1 </dev/null)
rc=$?
t_eq "--delete-response with stdin is a usage error (exit 2)" "$rc" 2
t_match "...that says it needs a file" "$out" '--delete-response needs a file'
t_done
