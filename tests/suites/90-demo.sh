#!/bin/bash
# Suite 90: `make demo`'s script, run as CI runs it, must succeed and leave nothing behind,
# also on a host where the module is already installed and configured; and the tooling it
# runs first (tools/install-deps) leaves no policy-rc.d behind.
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
	t_match "demo run $run: ecs-saml-exec's calls were signed and allowed by the session policy" \
		"$out" 'ExecuteCommand +signature valid, policy allow, from 127\.0\.0\.1'
	t_match "demo run $run: the plugin got the exec session from its environment, not argv" "$out" \
		'session-manager-plugin: session ecs-execute-command-[0-9a-f]+ handed over in its environment, token in argv: no'
	t_match "demo run $run: the exec session left open ended at logout" "$out" \
		'exec session ecs-execute-command-[0-9a-f]+: Terminated'
	t_match "demo run $run: logout sent TerminateSession with the login's own key" "$out" \
		"at logout: TerminateSession received, signed with the login's own key: yes"
	t_match "demo run $run: logout stopped the plugin" "$out" \
		'session-manager-plugin \(pid [0-9]+\): gone'
done

# --- make demo on a host where pam_ecs_saml is already installed and configured -------------
# A private mount namespace (tests/lib/nsroot.sh) shows the host as README's deployment
# leaves it: the NSS module in the library directory, "passwd/group: files ecs_saml", the
# configuration README gives (whose first-login rule matches ecsdemo) with a user map, and
# the shipped pam.d/sshd.example as /etc/pam.d/sshd. The demo runs in there.
. "$ECS_TOP/tests/lib/nsroot.sh"
inst=$T_WORK/installed
mkdir -m 755 -p "$inst/state"
mapfile -t readme_conf < <(sed -n '/^    cat >\/etc\/security\/pam_ecs_saml.conf <<.EOF.$/,/^    EOF$/p' \
	"$ECS_TOP/README" | sed '1d; $d; s/^    //')
t_match "README's configuration, as deployed, sets the first-login rule" \
	"$(printf '%s\n' "${readme_conf[@]}")" '^nss_first_login = '
conf_write "$inst/pam_ecs_saml.conf" "${readme_conf[@]}" "state_dir = $inst/state"
"$B/ecs-saml-helper" users --config "$inst/pam_ecs_saml.conf" init
ns_prepare "$inst/ns" nss "$B/libnss_ecs_saml.so.2" conf "$inst/pam_ecs_saml.conf" \
	pam sshd "$ECS_TOP/pam.d/sshd.example"
out=$( (ns_exec "$inst/ns" getent passwd ecsdemo) 2>&1)
t_eq "installed host: ecsdemo does not exist there before a login (getent exit 2)" "$?:$out" "2:"
out=$( (ns_exec "$inst/ns" "$ECS_TOP/tests/demo/run-demo") 2>&1)
rc=$?
if [ $rc -eq 0 ]; then
	t_ok "demo on a host where the module is installed and configured"
else
	t_fail "demo on a host where the module is installed and configured" \
		"exit $rc: $(grep -a 'FAILED' <<<"$out")"
	echo "$out" | sed 's/^/# demo: /' | tail -n 40
fi
t_match "installed host: STS saw the demo user's role session" "$out" \
	'assumed-role/BastionOperator/ecsdemo'

# --- tools/install-deps (make demo's first step) leaves no policy-rc.d behind ---------------------
# Run in a private mount namespace where /usr/sbin is an overlay (the real one is never
# written, and its own policy-rc.d, if any, is hidden or kept as each case needs), with
# stand-ins first on PATH: dpkg-query reporting one package missing, apt-get recording
# whether the policy file existed while it "installed", and then succeeding, failing, or
# having install-deps killed.
fake=$T_WORK/fakebin
mkdir -p "$fake"
cat >"$fake/dpkg-query" <<'EOF'
#!/bin/sh
case "$*" in *' awscli') exit 1 ;; esac
echo 'install ok installed'
EOF
cat >"$fake/apt-get" <<'EOF'
#!/bin/sh
case "$*" in *' install '*) ;; *) exit 0 ;; esac
if [ -e /usr/sbin/policy-rc.d ]; then echo "during=$(tail -n 1 /usr/sbin/policy-rc.d)"; else echo during=none; fi >"$DEPS_LOG"
case $FAKE_APT in
fail) exit 100 ;;
kill) kill -TERM "$PPID"; exit 0 ;;
esac
exit 0
EOF
chmod 755 "$fake/dpkg-query" "$fake/apt-get"
# deps_run CASE BEFORE: BEFORE is "none" (no policy-rc.d) or a line to put in one
deps_run() {
	local d=$T_WORK/deps-$1
	mkdir -p "$d/up" "$d/work"
	FAKE_APT=$1 DEPS_LOG=$d/apt.log unshare -m sh -c '
		set -e
		mount --make-rprivate /
		mount -t overlay overlay -o "lowerdir=/usr/sbin,upperdir=$1/up,workdir=$1/work" /usr/sbin
		grep -q "^overlay /usr/sbin overlay " /proc/self/mounts
		rm -f /usr/sbin/policy-rc.d
		[ "$2" = none ] || printf "#!/bin/sh\n%s\n" "$2" >/usr/sbin/policy-rc.d
		set +e
		PATH=$3:$PATH "$4/tools/install-deps" >/dev/null 2>&1
		echo "rc=$?"
		cat "$1/apt.log"
		if [ -e /usr/sbin/policy-rc.d ]; then echo "after=$(tail -n 1 /usr/sbin/policy-rc.d)"; else echo after=none; fi
	' sh "$d" "$2" "$fake" "$ECS_TOP" 2>&1 | tr '\n' ' '
}
host_policy=$(sha256sum /usr/sbin/policy-rc.d 2>/dev/null)
t_eq "install-deps: apt runs with services held back, and the policy file goes with the run" \
	"$(deps_run ok none)" "rc=0 during=exit 101 after=none "
t_eq "install-deps: removed also when apt fails" "$(deps_run fail none)" \
	"rc=100 during=exit 101 after=none "
t_match "install-deps: removed also when the run is killed" "$(deps_run kill none)" \
	'^rc=(130|143) during=exit 101 after=none $'
t_eq "install-deps: an administrator's own policy-rc.d is used and left as it was" \
	"$(deps_run ok 'exit 0 # site policy')" "rc=0 during=exit 0 # site policy after=exit 0 # site policy "
t_eq "install-deps: the real /usr/sbin/policy-rc.d is as it was" \
	"$(sha256sum /usr/sbin/policy-rc.d 2>/dev/null)" "$host_policy"

# --- and all of it left the host as it found it ----------------------------------------------
t_eq "the demo runs leave no PAM service file" "$(ls /etc/pam.d/sshd-ecs-demo 2>/dev/null)" ""
t_eq "the demo runs leave /etc, /etc/pam.d and /etc/security as it found them" \
	"$(ls -la --time-style=+%s /etc /etc/pam.d /etc/security | sha256sum)" "$etc_before"
t_eq "the demo runs leave /run/pam_ecs_saml as it found it" \
	"$( [ -e /run/pam_ecs_saml ] && echo present || echo absent)" "$run_before"
listening=$( (exec 3<>/dev/tcp/127.0.0.1/22601) 2>/dev/null && echo yes || echo no)
t_eq "the demos' sshd is gone" "$listening" no
t_done
