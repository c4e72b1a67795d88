# tests/mac/trace.sh — record what ecs-saml-helper really does during an end-to-end suite, for
# the mandatory-access-control checks (the access list tests/mac/helper-access explains them). Sourced after tests/lib/tap.sh.
#
#   trace_start
#     From now on every sshd started by sshd_start (tests/lib/sshd.sh) runs the helper under
#     strace: inside sshd's private mount namespace the helper's path is a wrapper (bind
#     mount) that records the helper's file, socket, process and credential system calls with
#     the paths of their descriptors (strace -f -yy: its children too), never the data
#     (-s 0), and which capabilities the kernel granted it (tests/mac/ftrace-caps). Nothing
#     outside the namespace changes.
#     Sets TRACE_DIR. In an ASan build it says so and traces nothing (the sanitizer runtime
#     reads /proc and maps shadow memory: that is not the helper's behaviour); a failure to
#     set up the tracer is a failed check.
#   trace_run CMD...     run CMD (e.g. the helper's gc verb) in a fresh private namespace whose
#                        helper is the tracing wrapper and whose configuration is CONF
#   trace_check PATHMAP  (nothing without trace_start) stop recording and check every recorded action against the helper's
#                        access list (tests/mac/helper-access), mapping this run's directories
#                        to the deployed ones with PATHMAP ("TEST_PREFIX DEPLOYED_PREFIX" lines);
#                        with TRACE_REDIS_PORT set, connections to it are the list's Redis;
#                        TRACE_USER_PIDS (pids, comma-separated) are the logged-in users'
#                        processes the helper acts on, e.g. an exec session's plugin: their
#                        /proc entries are the list's /proc/USER-PROC (any other process's
#                        are the PAM application's, /proc/PAM-APP)
#
# The helper's pids are the ones strace saw; capability checks of any other process (strace
# itself, the wrapper) are dropped.

trace_start() {
	local d=$T_WORK/helper-trace
	if ldd "$B/ecs-saml-helper" 2>/dev/null | grep -q libasan; then
		echo "# ASan build: the helper's system calls are not recorded (tests/mac/trace.sh)"
		return 0
	fi
	TRACE_FT=ecs-helper-$$
	mkdir -p "$d/log" "$d/real"
	chmod 755 "$d" "$d/real"
	cp "$B/ecs-saml-helper" "$d/real/ecs-saml-helper"
	if ! "$ECS_TOP/tests/mac/ftrace-caps" start "$TRACE_FT"; then
		t_fail "helper trace: set up" "tests/mac/ftrace-caps start failed"
		return 1
	fi
	t_on_exit "'$ECS_TOP/tests/mac/ftrace-caps' stop '$TRACE_FT'"
	TRACE_DIR=$d
	# The module runs the helper with an empty environment: every path is absolute. strace
	# attaches from outside (a grandchild of the wrapper, reparented away at once), so the
	# helper keeps its pid and its parent, the PAM application, whose pid it records; only
	# once strace is attached does the wrapper have the kernel record its capability checks
	# and those of what it starts, which strace no longer is.
	cat >"$TRACE_DIR/ecs-saml-helper" <<-WRAP
		#!/bin/sh
		# ecs-saml-helper under strace (tests/mac/trace.sh)
		me=\$\$
		log='$TRACE_DIR/log/'\$me
		printf '%s %s %s\n' "\$me" "\$(/bin/cat /proc/\$PPID/comm)" "\$*" >"\$log.meta"
		( /usr/bin/strace -f -qq -yy -s 0 -o "\$log.strace" -p "\$me" \\
			-e trace=%file,%network,%process,%creds,%signal,fchmod,fchown,ftruncate,flock,fcntl,getdents64,read,write,ioctl,mmap,prlimit64,setrlimit,prctl,capset \\
			</dev/null >/dev/null 2>"\$log.stderr" & )
		i=0
		until /bin/grep -q '^TracerPid:[[:space:]]*[1-9]' /proc/\$me/status; do
			i=\$((i + 1))
			[ \$i -lt 500 ] || exit 70
			/bin/sleep 0.01
		done
		'$ECS_TOP/tests/mac/ftrace-caps' add '$TRACE_FT' \$me || exit 70
		exec '$TRACE_DIR/real/ecs-saml-helper' "\$@"
	WRAP
	chmod 755 "$TRACE_DIR/ecs-saml-helper"
	NS_BIND="$TRACE_DIR/ecs-saml-helper:$B/ecs-saml-helper"
}

trace_run() {
	local d=$T_WORK/trace-run-ns
	rm -rf "$d"
	mkdir -p "$d"
	ns_prepare "$d" conf "$CONF" && (ns_exec "$d" "$@")
}

trace_check() {
	local map=$1 port
	[ -n "${TRACE_DIR:-}" ] || return 0
	printf '%s\n' "$map" >"$TRACE_DIR/map"
	port=$(sed -nE 's|^https://[^/]*:([0-9]+)/?$|\1|p' <<<"${STS_URL:-}")
	"$ECS_TOP/tests/mac/ftrace-caps" dump "$TRACE_FT" >"$TRACE_DIR/caps" ||
		t_fail "helper trace: capability record complete" "ftrace-caps dump exited $?"
	/usr/bin/python3 "$ECS_TOP/tests/mac/trace_check.py" --map "$TRACE_DIR/map" \
		--caps "$TRACE_DIR/caps" ${port:+--sts-port "$port"} \
		${TRACE_REDIS_PORT:+--redis-port "$TRACE_REDIS_PORT"} \
		${TRACE_USER_PIDS:+--user-pids "$TRACE_USER_PIDS"} \
		"$ECS_TOP/tests/mac/helper-access" "$TRACE_DIR/log" || T_FAILED=$((T_FAILED + 1))
}

# The directories of a bastion of tests/lib/bastion.sh, and where a real bastion keeps them.
trace_bastion_map() {
	printf '%s %s\n' "$TRACE_DIR/real" /usr/libexec/pam_ecs_saml \
		"$STATE_DIR" /var/lib/pam_ecs_saml \
		"$IDP_KEYS" /etc/security/pam_ecs_saml \
		"$STS_CA" /etc/ssl/certs/ca-certificates.crt \
		"$HOMES" /home
}
