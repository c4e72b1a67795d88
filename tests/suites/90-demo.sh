#!/bin/bash
# Suite 90: `make demo`'s script, run as CI runs it, must succeed and leave nothing behind.
# Ports: the demo's own (sshd 22601, STS 22643).
. "$(dirname "$0")/../lib/tap.sh"

etc_before=$(ls -la --time-style=+%s /etc /etc/pam.d /etc/security | sha256sum)
run_before=$( [ -e /run/pam_ecs_saml ] && echo present || echo absent)

for run in 1 2; do
	out=$("$ECS_TOP/tests/demo/run-demo" 2>&1)
	rc=$?
	echo "$out" | sed 's/^/# demo: /' | tail -n 40 >"$T_WORK/demo$run.log"
	if [ $rc -eq 0 ]; then
		t_ok "demo run $run succeeds"
	else
		t_fail "demo run $run succeeds" "exit $rc: $(grep -a 'FAILED' <<<"$out")"
		cat "$T_WORK/demo$run.log"
	fi
	t_match "demo run $run: STS saw the user's role session" "$out" 'assumed-role/BastionOperator/ecsdemo'
	t_match "demo run $run: replay refused" "$out" '== 7\. Replay'
done

t_eq "demo leaves no PAM service file" "$(ls /etc/pam.d/sshd-ecs-demo 2>/dev/null)" ""
t_eq "demo leaves /etc, /etc/pam.d and /etc/security as it found them" \
	"$(ls -la --time-style=+%s /etc /etc/pam.d /etc/security | sha256sum)" "$etc_before"
t_eq "demo leaves /run/pam_ecs_saml as it found it" \
	"$( [ -e /run/pam_ecs_saml ] && echo present || echo absent)" "$run_before"
listening=$( (exec 3<>/dev/tcp/127.0.0.1/22601) 2>/dev/null && echo yes || echo no)
t_eq "demo's sshd is gone" "$listening" no
t_done
