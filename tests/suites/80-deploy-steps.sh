#!/bin/bash
# Suite 80: README's deployment procedure, exactly as written there, on a fresh root — then a
# federated user logs in through the result and steps up with sudo.
#
# The steps are the README's blocks that start with "# deploy-step:" (a block ends at the
# first blank line), run in order as root in the source tree by tests/deploy/fresh-root: in a
# private mount namespace, on this machine's / under an empty overlay (writes go to a tmpfs),
# with nothing of pam_ecs_saml installed, Debian's pristine sshd_config and a fresh /run.
# What an operator brings from outside the README is supplied the way the README asks for
# it: the IdP's certificate in /etc/security/pam_ecs_saml/, and the site's values in the
# configuration (the test IdP's entity ID, and the TLS STS stand-in as sts_endpoint with its
# CA as sts_ca_file). Then sshd, started from that root on 127.0.0.1, takes a login through
# ecs-saml-ssh, and in that session the engineer carries a fresh Response over as the README
# says (folded lines into a file) and steps up with `ecs-saml-ssh --sudo`.
#
# Ports: sshd 22801, STS stand-in 22843. Nothing outside the namespace changes.
. "$(dirname "$0")/../lib/tap.sh"
. "$ECS_TOP/tests/lib/sts.sh"

SSH_PORT=22801
STS_PORT=22843
U=deploytest
D=$T_WORK/fresh
mkdir -p "$D/in" "$D/out/steps"
chmod 755 "$D" "$D/out" "$D/out/steps"

# --- the steps, from the README itself ------------------------------------------------------
awk -v dir="$D/out/steps" '
	/^    # deploy-step:/ { n++; f = sprintf("%s/%02d.sh", dir, n); inblock = 1 }
	inblock && /^$/ { inblock = 0; close(f) }
	inblock { sub(/^    /, ""); print > f }
' "$ECS_TOP/README"
steps=$(ls "$D"/out/steps/*.sh 2>/dev/null | wc -l)
if [ "$steps" -lt 8 ]; then
	t_fail "README holds the deployment steps" "found $steps blocks marked '# deploy-step:'"
	t_done
fi
t_ok "README holds the deployment steps: $steps blocks"
t_match "the steps build and install first" "$(cat "$D/out/steps/01.sh")" '^make install PREFIX=/usr$'

# --- what the operator brings -----------------------------------------------------------------
"$ECS_TOP/tests/lib/mint-response" --keys "$T_WORK/idp" --make-keys || t_fail "IdP keys"
sts_start "$STS_PORT" || { t_fail "STS stand-in"; t_done; }
cp "$T_WORK/idp/idp-rsa2048.crt.pem" "$D/in/idp-signing.crt.pem"
cp "$STS_CA" "$D/in/sts-ca.pem"
cat >"$D/in/site.conf" <<CONF
idp_entity_id = https://idp.example.test/metadata
sts_endpoint = $STS_URL
sts_ca_file = /etc/security/pam_ecs_saml/sts-ca.pem
CONF

if (exec 3<>"/dev/tcp/127.0.0.1/$SSH_PORT") 2>/dev/null; then
	t_fail "port $SSH_PORT is free" "something listens there"
	t_done
fi
"$ECS_TOP/tests/deploy/fresh-root" "$D" "$SSH_PORT" &
ROOT_PID=$!
t_on_exit "kill $ROOT_PID 2>/dev/null"

# Until every step has a verdict and sshd listens, or the runner stops (a step failed).
for ((i = 0; i < 6000; i++)); do
	kill -0 "$ROOT_PID" 2>/dev/null || break
	[ -s "$D/out/hostkey.pub" ] && (exec 3<>"/dev/tcp/127.0.0.1/$SSH_PORT") 2>/dev/null && break
	sleep 0.1
done
for s in "$D"/out/steps/*.sh; do
	n=$(basename "$s" .sh)
	name="README step $n ($(sed -n '1s/^# deploy-step: //p' "$s")) runs as written"
	if [ "$(cat "$D/out/$n.rc" 2>/dev/null)" = 0 ]; then
		t_ok "$name"
	else
		t_fail "$name" "exit $(cat "$D/out/$n.rc" 2>/dev/null || echo '(not run)'): $(tail -n 8 "$D/out/steps.log" | tr '\n' ' ')"
	fi
done
if ! kill -0 "$ROOT_PID" 2>/dev/null; then
	t_fail "sshd of the fresh root is up" "$(tail -n 5 "$D/out/steps.log" | tr '\n' ' ')"
	t_done
fi

# --- what the steps left behind ---------------------------------------------------------------
facts=$(cat "$D/out/facts")
fact() { sed -n "s|^$1 ||p" <<<"$facts" | head -n 1; }
t_eq "state directory: root's, 0755" "$(fact 'stat /var/lib/pam_ecs_saml')" "directory root:root 755"
t_match "the user map exists (users init)" "$(fact 'stat /var/lib/pam_ecs_saml/usermap')" \
	'^regular file root:root 644$'
t_eq "configuration directory: root's, 0755" "$(fact 'stat /etc/security/pam_ecs_saml')" \
	"directory root:root 755"
t_eq "configuration: root's, 0644" "$(fact 'stat /etc/security/pam_ecs_saml.conf')" \
	"regular file root:root 644"
t_eq "the helper: root's, 0755" "$(fact 'stat /usr/libexec/pam_ecs_saml/ecs-saml-helper')" \
	"regular file root:root 755"
for p in /usr/lib/x86_64-linux-gnu/security/pam_ecs_saml.so \
	/usr/lib/x86_64-linux-gnu/libnss_ecs_saml.so.2 /usr/bin/ecs-saml-ssh \
	/etc/apparmor.d/ecs-saml-helper /etc/pam.d/sudo-ecs-operator \
	/etc/ssh/sshd_config.d/50-pam_ecs_saml.conf; do
	t_match "installed: $p" "$(fact "stat $p")" '^regular file root:root (644|755)$'
done
t_eq "sudoers drop-in: root's, 0440" "$(fact 'stat /etc/sudoers.d/ecs-operator')" \
	"regular file root:root 440"
t_eq "the step-up group exists" "$(fact group)" ecs-operator
t_match "the gc timer is enabled" "$(fact timer)" '/lib/systemd/system/ecs-saml-gc\.timer$'
t_check "the gc timer was started" grep -qx 'start ecs-saml-gc.timer' "$D/out/shims.log"
t_match "the helper server's socket is enabled" "$(fact helper-socket)" \
	'/lib/systemd/system/ecs-saml-helper\.socket$'
t_check "the helper server's socket was started" grep -qx 'start ecs-saml-helper.socket' \
	"$D/out/shims.log"
t_check "the AppArmor profile compiled" grep -q '^apparmor_parser -r /etc/apparmor.d/ecs-saml-helper$' \
	"$D/out/shims.log"
t_eq "sshd accepts the configuration" "$(fact sshd-t)" ok
t_match "sshd: keyboard-interactive, through PAM, for the federated user" \
	"$(sed -n 's/^sshd-T //p' <<<"$facts" | sort | tr '\n' ' ')" \
	'^authenticationmethods keyboard-interactive kbdinteractiveauthentication yes usepam yes $'
t_eq "sshd: the drop-in's per-source limits on unauthenticated connections hold for everyone" \
	"$(sed -n 's/^sshd-limits //p' <<<"$facts" | sort | tr '\n' ' ')" \
	"persourcemaxstartups 4 persourcenetblocksize 32:64 "

# --- a login through it, and the step-up the README describes ---------------------------------
echo "[127.0.0.1]:$SSH_PORT $(cut -d' ' -f1,2 "$D/out/hostkey.pub")" >"$T_WORK/known_hosts"
"$ECS_TOP/tests/lib/mint-response" --keys "$T_WORK/idp" --user "$U" >"$T_WORK/login.b64"
"$ECS_TOP/tests/lib/mint-response" --keys "$T_WORK/idp" --user "$U" | fold -w 76 >"$T_WORK/fresh.txt"
# In the session: the credentials, then (README 4.6) the fresh Response carried over into a
# file and the operator shell through sudo, in a pty as a person would have it.
SESSION="echo NSS=\$(getent passwd $U); echo CREDS=\$AWS_SHARED_CREDENTIALS_FILE; echo OWNER=\$(stat -c %U:%a \"\$AWS_SHARED_CREDENTIALS_FILE\");
echo ARN=\$(AWS_CA_BUNDLE=/etc/security/pam_ecs_saml/sts-ca.pem AWS_EC2_METADATA_DISABLED=true AWS_PAGER= \
	/usr/bin/aws --endpoint-url $STS_URL sts get-caller-identity --output text --query Arn);
(umask 077; cat >~/fresh.b64)
script -qec 'ecs-saml-ssh --sudo --response ~/fresh.b64 -g ecs-operator -i id -gn' /dev/null | tr -d '\r' | sed 's/^/SUDO=/'
rm ~/fresh.b64"
out=$("$B/ecs-saml-ssh" --response "$T_WORK/login.b64" -o StrictHostKeyChecking=yes \
	-o UserKnownHostsFile="$T_WORK/known_hosts" -o GlobalKnownHostsFile=/dev/null -o LogLevel=INFO \
	-p "$SSH_PORT" "$U@127.0.0.1" "$SESSION" <"$T_WORK/fresh.txt" 2>&1)
rc=$?
if [ $rc -eq 0 ] && [ -n "$(field CREDS "$out")" ]; then
	t_ok "a federated user logs in through the deployed bastion"
else
	t_fail "a federated user logs in through the deployed bastion" \
		"exit $rc: $(tail -n 5 <<<"$out" | tr '\n' ' ') / sshd: $(tail -n 5 "$D/out/sshd.log" | tr '\n' ' ')"
fi
t_match "NSS knows the federated user (sshd did before the first login, or it could not log in)" \
	"$(field NSS "$out")" "^$U:x:[0-9]+:[0-9]+:.*:/home/$U:/bin/bash\$"
t_match "the session's credentials are the user's, 0600" "$(field OWNER "$out")" "^$U:600\$"
t_match "STS sees the user's role session" "$(field ARN "$out")" "assumed-role/BastionOperator/$U\$"
# (the pty may echo script's end of input as ^@ before the shell's output)
t_match "step-up: the fresh Response, carried over in folded lines, opens the operator shell" \
	"$(fields SUDO "$out" | tail -n 1)" '^(\^@)?ecs-operator$'
t_done
