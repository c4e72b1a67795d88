#!/bin/bash
# Suite 51: step-up with a real sudo, in a pty, inside a real SSH session, through the shipped
# files exactly as shipped: pam.d/sudo-ecs-operator.example as /etc/pam.d/sudo-ecs-operator
# and pam.d/sudoers.d/ecs-operator as /etc/sudoers.d/ecs-operator (README 4.6), the group
# ecs-operator. The operator logs in with one SAML Response, then `sudo` into an operator
# shell needs a fresh one, handed over by ecs-saml-ssh --sudo as SUDO_ASKPASS. That shell's
# credentials are its own, exist inside it and vanish when it exits; the login's Response and
# another user's are refused with their messages. Every step-up needs a Response of its own:
# a second sudo right after the first, or after `sudo -v`, in the same terminal, gets no
# operator shell without one (the shipped sudoers turns sudo's credential cache off); where
# a site turns the cache back on, the stack's require_ticket still refuses the cached sudo,
# which without require_ticket would be granted with no Response (shown, as the attack).
#
# Ports: sshd 22502, STS stand-in 22544. The operators e2eop, e2ecache and e2eopen are
# federated users that exist only in the NSS module. sshd — and so the session, sudo and the
# helper — runs in a private mount namespace (tests/lib/nsroot.sh) where the PAM file, the
# sudoers drop-ins and the module (in the PAM module directory, so the stack names it as
# shipped) are overlays, and /etc/group a copy with the group ecs-operator: the real /etc is
# never written.
#
# The operator shell is the engineer with the operator group (sudo -g): the module binds the
# Response to PAM_USER, which under sudo is the target user, so the shell stays the engineer,
# and sudo skips authentication altogether when neither the user nor the group changes.
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
OPGROUP=ecs-operator	# the shipped sudoers' group

# The site that turned sudo's credential cache back on for e2ecache (a later drop-in wins),
# and, for e2eopen, also a session line without require_ticket: the attack, reproduced.
sed 's/ require_ticket//' "$ECS_TOP/pam.d/sudo-ecs-operator.example" >"$T_WORK/noreq-stack"
cat >"$T_WORK/cache-on" <<'SUDOERS'
Defaults:e2ecache timestamp_timeout=15
Defaults:e2eopen timestamp_timeout=15, pam_service=sudo-e2e-noreq, pam_login_service=sudo-e2e-noreq
SUDOERS
trace_start
if ! visudo -cqf "$ECS_TOP/pam.d/sudoers.d/ecs-operator" || ! visudo -cqf "$T_WORK/cache-on" ||
	! bastion_setup "$SSH_PORT" "$STS_PORT" sshd-ecs-e2e-sudo module "$B/pam_ecs_saml.so" \
		pam sudo-ecs-operator "$ECS_TOP/pam.d/sudo-ecs-operator.example" \
		sudoers ecs-operator "$ECS_TOP/pam.d/sudoers.d/ecs-operator" \
		pam sudo-e2e-noreq "$T_WORK/noreq-stack" sudoers zz-e2e-cache-on "$T_WORK/cache-on" \
		group "$OPGROUP" 1668399990 \
		>"$T_WORK/setup.log" 2>&1; then
	t_fail "setup" "$(tail -n 5 "$T_WORK/setup.log")"
	t_done
fi
t_ok "setup: sshd pid $SSHD_PID, the shipped sudo stack and sudoers drop-in, STS $STS_URL"

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
# One terminal (sudo's credential cache is per terminal), four sudo runs: the step-up with a
# Response, right after it one with none (its askpass answers an empty line, as a user
# pressing Enter), `sudo -v` with a fresh Response, then again one with none. Each run's
# terminal output follows its "== NAME" line; a probe that ran leaves WORKFILE.NAME.
# again RESPONSE_FIRST RESPONSE_VALIDATE WORKFILE
cat >"$T_WORK/again" <<AGAIN
run() { n=\$1; shift; echo "== \$n"; "\$@"; echo "rc=\$?"; }
run first $B/ecs-saml-ssh --sudo --response \$1 -g $OPGROUP bash $T_WORK/sudo-probe \$3.first
run second env SUDO_ASKPASS=$T_WORK/empty-askpass sudo -A -g $OPGROUP bash $T_WORK/sudo-probe \$3.second
run validate $B/ecs-saml-ssh --sudo --response \$2 -v
run third env SUDO_ASKPASS=$T_WORK/empty-askpass sudo -A -g $OPGROUP bash $T_WORK/sudo-probe \$3.third
echo "== end"
AGAIN
cat >"$T_WORK/again-session" <<SESSION
script -qec "bash $T_WORK/again \$1 \$2 \$3" /dev/null >"\$3.tty" 2>&1
tr -d '\r' <"\$3.tty"
for n in first second third; do [ -f "\$3.\$n" ] && sed "s/^/\$n./" "\$3.\$n"; done
SESSION
printf '#!/bin/sh\necho\n' >"$T_WORK/empty-askpass"
chmod 755 "$T_WORK/empty-askpass"
chmod 644 "$T_WORK/sudo-probe" "$T_WORK/step-up" "$T_WORK/again" "$T_WORK/again-session"

step_up() {	# LOGIN_RESPONSE SUDO_RESPONSE TAG
	# shellcheck disable=SC2046
	"$B/ecs-saml-ssh" --response "$1" $(ssh_opts) -p "$SSH_PORT" "$OP@127.0.0.1" \
		"bash $T_WORK/step-up $2 $HOMES/sudo-$3" 2>&1
}

# again_as USER: log USER in and run the four sudo runs in one terminal
again_as() {
	local u=$1 n
	for n in login first validate; do
		mint "$u" >"$T_WORK/$u-$n.b64" && chmod 644 "$T_WORK/$u-$n.b64"
	done
	# shellcheck disable=SC2046
	"$B/ecs-saml-ssh" --response "$T_WORK/$u-login.b64" $(ssh_opts) -p "$SSH_PORT" "$u@127.0.0.1" \
		"bash $T_WORK/again-session $T_WORK/$u-first.b64 $T_WORK/$u-validate.b64 $HOMES/again-$u" 2>&1
}

# section NAME OUTPUT: what one sudo run of again printed, its rc= line included
section() { awk -v s="== $1" '$0 == s { on = 1; next } /^== / { on = 0 } on' <<<"$2"; }

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

# --- every step-up needs a Response of its own ---------------------------------------------
# sudo keeps its timestamp records in /run/sudo/ts (outside the namespace): this run's
# federated users' records go with it.
t_on_exit "rm -f /run/sudo/ts/$OP /run/sudo/ts/e2ecache /run/sudo/ts/e2eopen"

refused() {	# refused NAME OUTPUT RUN ERE: RUN of again opened no shell, failed, and printed ERE
	local sec
	sec=$(section "$3" "$2")
	if [ -z "$(field "$3.SUDO_GROUP" "$2")" ] && grep -qE '^rc=[1-9]' <<<"$sec"; then
		t_match "$1" "$sec" "$4"
	else
		t_fail "$1" "sudo ran the shell: $(tr '\n' ' ' <<<"$sec")"
	fi
}

out=$(again_as "$OP")
t_eq "shipped files: the first sudo -g with a Response opens the operator shell, with credentials" \
	"$(field first.SUDO_GROUP "$out") $(field first.SUDO_READABLE "$out")" "$OPGROUP yes"
refused "shipped files: a second sudo -g right after, with no Response, is refused and says why" \
	"$out" second 'No SAML response was given\.'
t_eq "shipped files: sudo -v asks for and takes a fresh Response" \
	"$(section validate "$out" | grep '^rc=')" rc=0
refused "shipped files: sudo -v, then sudo -g with no Response: refused, and says why" \
	"$out" third 'No SAML response was given\.'

# A site that turns sudo's credential cache back on: the second sudo does not authenticate,
# and the session line's require_ticket refuses it, saying why.
out=$(again_as e2ecache)
t_eq "cache turned back on: the first sudo -g with a Response opens the operator shell" \
	"$(field first.SUDO_GROUP "$out")" "$OPGROUP"
refused "cache turned back on: a cached sudo -g is refused by require_ticket, and says why" \
	"$out" second 'This session needs a fresh SAML response, and none was asked for .*code no-ticket'
refused "... sudo ends (pam_open_session fails: not PAM_SESSION_ERR, which sudo would ignore)" \
	"$out" second 'pam_open_session: Permission denied'
refused "cache turned back on: sudo -v, then a cached sudo -g: refused too" \
	"$out" third 'code no-ticket'

# The attack, reproduced: the cache on and the session line without require_ticket.
out=$(again_as e2eopen)
t_eq "without require_ticket (the attack): a cached sudo -g opens the operator shell with no Response and no credentials" \
	"$(field second.SUDO_GROUP "$out")|$(field second.SUDO_CREDS "$out")" "$OPGROUP|"

trace_check "$(trace_bastion_map)"

t_done
