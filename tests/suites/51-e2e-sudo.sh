#!/bin/bash
# Suite 51: step-up with a real sudo, in a pty, inside a real SSH session, through the
# shipped pam.d/sudo-ecs-operator.example: the operator logs
# in with one SAML Response, then `sudo` into an operator shell needs a fresh one, handed
# over by ecs-saml-ssh --sudo as SUDO_ASKPASS. That shell's credentials are its own, exist
# inside it and vanish when it exits; the login's Response and another user's are refused
# with their messages.
#
# Ports: sshd 22502, STS stand-in 22544. The operator e2eop is a federated user that exists
# only in the NSS module. sshd — and so the session, sudo and the helper — runs in a private
# mount namespace (tests/lib/nsroot.sh) where /etc/pam.d/sudo-ecs-e2e and
# /etc/sudoers.d/ecs-e2e-sudo are overlays, and /etc/group a copy with the group
# ecs-e2e-operator: the real /etc is never written.
#
# The operator shell is e2eop with the operator group (sudo -g): the module binds the
# Response to PAM_USER, which under sudo is the target user, so the shell stays e2eop, and
# sudo skips authentication altogether when neither the user nor the group changes.
. "$(dirname "$0")/../lib/tap.sh"
. "$ECS_TOP/tests/lib/bastion.sh"
. "$ECS_TOP/tests/mac/trace.sh"

# sudo is set-uid, so the dynamic loader ignores LD_PRELOAD in it: an ASan-built module
# (make asan) cannot get the ASan runtime it needs there and would abort sudo. This suite
# therefore runs in the plain build only, and says so here instead of failing.
if [ -n "$(asan_env)" ]; then
	echo "# ASan build: sudo (set-uid) cannot preload the ASan runtime; run this suite in the plain build"
	t_done
fi

SSH_PORT=22502
STS_PORT=22544
OP=e2eop
SUDO_SERVICE=sudo-ecs-e2e
OPGROUP=ecs-e2e-operator

# The shipped example stack, with only the module's path filled in.
sed "s|pam_ecs_saml\.so|$B/pam_ecs_saml.so|" "$ECS_TOP/pam.d/sudo-ecs-operator.example" \
	>"$T_WORK/sudo-stack"
# sudoers picks the PAM stack, scoped to this one user; (:group) = as themselves, that group.
printf 'Defaults:%s pam_service=%s, pam_login_service=%s, timestamp_timeout=0\n%s ALL=(:%s) ALL\n' \
	"$OP" "$SUDO_SERVICE" "$SUDO_SERVICE" "$OP" "$OPGROUP" >"$T_WORK/sudoers"
trace_start
if ! visudo -cqf "$T_WORK/sudoers" ||
	! bastion_setup "$SSH_PORT" "$STS_PORT" sshd-ecs-e2e-sudo \
		pam "$SUDO_SERVICE" "$T_WORK/sudo-stack" sudoers ecs-e2e-sudo "$T_WORK/sudoers" \
		group "$OPGROUP" 1668399990 \
		>"$T_WORK/setup.log" 2>&1; then
	t_fail "setup" "$(tail -n 5 "$T_WORK/setup.log")"
	t_done
fi
t_ok "setup: sshd pid $SSHD_PID, sudo service $SUDO_SERVICE chosen by sudoers, STS $STS_URL"

# Inside the operator's SSH session: sudo in a pty (script), the probe in the sudo shell
# writing to a file (the pty's own echo stays out of it), then whether the sudo shell's
# credentials outlived it. step-up RESPONSE WORKFILE
cat >"$T_WORK/sudo-probe" <<PROBE
{
echo SUDO_GROUP=\$(id -gn)
echo SUDO_CREDS=\$AWS_SHARED_CREDENTIALS_FILE
test -r "\$AWS_SHARED_CREDENTIALS_FILE" && echo SUDO_READABLE=yes
echo SUDO_ARN=\$($(aws_in_session))
} >"\$1"
PROBE
cat >"$T_WORK/step-up" <<STEPUP
echo LOGIN_CREDS=\$AWS_SHARED_CREDENTIALS_FILE
script -qec "$B/ecs-saml-ssh --sudo --response \$1 -g $OPGROUP bash $T_WORK/sudo-probe \$2.probe" \\
	/dev/null >"\$2.tty" 2>&1
echo SUDO_RC=\$?
tr -d '\r' <"\$2.tty"; echo
[ -f "\$2.probe" ] && cat "\$2.probe"
c=\$(sed -n 's/^SUDO_CREDS=//p' "\$2.probe" 2>/dev/null)
[ -n "\$c" ] && [ ! -e "\$c" ] && echo SUDO_GONE=yes
STEPUP
chmod 644 "$T_WORK/sudo-probe" "$T_WORK/step-up"

step_up() {	# LOGIN_RESPONSE SUDO_RESPONSE TAG
	# shellcheck disable=SC2046
	"$B/ecs-saml-ssh" --response "$1" $(ssh_opts) -p "$SSH_PORT" "$OP@127.0.0.1" \
		"bash $T_WORK/step-up $2 $HOMES/sudo-$3" 2>&1
}

for n in login1 sudo1 login2 login3; do
	mint "$OP" >"$T_WORK/$n.b64" && chmod 644 "$T_WORK/$n.b64"
done
mint e2esomeone >"$T_WORK/other.b64" && chmod 644 "$T_WORK/other.b64"

out=$(step_up "$T_WORK/login1.b64" "$T_WORK/sudo1.b64" a)
login_creds=$(field LOGIN_CREDS "$out")
sudo_creds=$(field SUDO_CREDS "$out")
if [ "$(field SUDO_RC "$out")" = 0 ] && [ "$(field SUDO_READABLE "$out")" = yes ]; then
	t_ok "sudo operator shell: credentials exist inside"
	t_eq "sudo operator shell: runs with the operator group" "$(field SUDO_GROUP "$out")" "$OPGROUP"
else
	t_fail "sudo operator shell: credentials exist inside" "$(tail -n 6 <<<"$out" | tr '\n' ' ')"
fi
t_match "sudo operator shell: STS sees the operator's role session" \
	"$(field SUDO_ARN "$out")" "assumed-role/BastionOperator/$OP\$"
if [ -n "$sudo_creds" ] && [ "$sudo_creds" != "$login_creds" ]; then
	t_ok "sudo operator shell: credentials of its own, not the login's"
else
	t_fail "sudo operator shell: credentials of its own" "login '$login_creds', sudo '$sudo_creds'"
fi
t_eq "sudo operator shell: its credentials vanish when it exits" "$(field SUDO_GONE "$out")" yes

out=$(step_up "$T_WORK/login2.b64" "$T_WORK/login2.b64" b)
if [ "$(field SUDO_RC "$out")" != 0 ] && [ -z "$(field SUDO_ARN "$out")" ]; then
	t_match "sudo: the login's own Response is refused (one-time use)" "$out" \
		'This SAML response was already used: fetch a fresh one\.'
else
	t_fail "sudo: the login's own Response is refused" "sudo ran the shell: $(tail -n 3 <<<"$out")"
fi

out=$(step_up "$T_WORK/login3.b64" "$T_WORK/other.b64" c)
if [ "$(field SUDO_RC "$out")" != 0 ] && [ -z "$(field SUDO_ARN "$out")" ]; then
	t_match "sudo: another user's Response is refused" "$out" 'This SAML response is for another user\.'
else
	t_fail "sudo: another user's Response is refused" "sudo ran the shell: $(tail -n 3 <<<"$out")"
fi

trace_check "$(trace_bastion_map)"

t_done
