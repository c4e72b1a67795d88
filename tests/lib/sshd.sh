# tests/lib/sshd.sh — a throwaway sshd on 127.0.0.1 for the end-to-end suites, the demo and
# the login bench. Sourced after tests/lib/tap.sh (or anything defining t_on_exit, T_WORK).
#
#   sshd_start PORT SERVICE STACK_FILE [NS_ITEM...]
#     Runs /usr/sbin/sshd through a symlink named SERVICE, so its PAM service is SERVICE
#     (sshd uses basename(argv[0])). sshd runs in a private mount namespace (nsroot.sh)
#     where /etc/pam.d/SERVICE is STACK_FILE, plus the NS_ITEMs of ns_prepare (the NSS
#     module, its configuration, more PAM services, sudoers); nothing on the real system
#     changes. Sets SSHD_PID, SSHD_LOG, SSHD_DIR. The system's sshd configuration and host
#     keys are never read.
#     SSHD_LOGLEVEL (default VERBOSE) sets sshd's LogLevel, e.g. DEBUG3 when debugging;
#     SSHD_CONFIG_TOP is put first in the configuration (sshd keeps the first value of a
#     keyword), e.g. an Include of the shipped drop-in.
#     SSHD_HOST_CONFIG names a file that stands for the host's own sshd_config (e.g.
#     Debian's stock one): it replaces the test's authentication settings (keyboard-
#     interactive only, no keys, no root), so the daemon behaves as that host would; only
#     the port, address, host key, pid file, log level and the ASan environment are added.
#     Fails when anything already listens on PORT, and succeeds only once this sshd is
#     alive and listening (see sshd_ready): a stale listener must not pass for ours.
#   sshd_stop            stop the listener (open sessions carry on, as with the real one)
#   port_free PORT       nothing listens on 127.0.0.1:PORT
#   wait_port PORT       until something listens on 127.0.0.1:PORT (5 s)
#   asan_env             env assignments that preload the ASan runtime in an ASan build
#   ssh_opts             the client options every test login uses: the host key of this
#                        sshd pinned (a known_hosts file of its own), and LogLevel INFO,
#                        the level at which ssh shows the module's messages

. "$ECS_TOP/tests/lib/nsroot.sh"

wait_port() {
	local i
	for ((i = 0; i < 100; i++)); do
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

port_free() {
	! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# sshd_ready PORT — until the sshd just started (SSHD_PID) listens. Something listening on
# the port proves nothing by itself; sshd writes its PidFile only once its sockets are
# bound, so the file naming SSHD_PID, with SSHD_PID alive, says the listener is this one.
sshd_ready() {
	local i
	for ((i = 0; i < 100; i++)); do
		kill -0 "$SSHD_PID" 2>/dev/null || break
		if [ "$(cat "$SSHD_DIR/sshd.pid" 2>/dev/null)" = "$SSHD_PID" ]; then
			wait_port "$1" && kill -0 "$SSHD_PID" 2>/dev/null && return 0
			break
		fi
		sleep 0.05
	done
	echo "# sshd on 127.0.0.1:$1 did not come up: $(tail -n 3 "$SSHD_DIR/sshd.stderr" "$SSHD_LOG" 2>/dev/null | tr '\n' ' ')" >&2
	return 1
}

ssh_opts() {
	printf '%s\n' -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$SSHD_DIR/known_hosts" \
		-o GlobalKnownHostsFile=/dev/null -o LogLevel=INFO -o ConnectTimeout=10
}

# With an ASan build (make asan) the PAM and NSS modules must find the ASan runtime already
# loaded in the program that loads them (sshd, or a tool resolving a federated name): the
# environment that preloads it, or nothing for a plain build. Leak reports of those
# uninstrumented programs at exit are not ours.
asan_env() {
	local rt
	rt=$(asan_runtime "$B/ecs-saml-helper")
	[ -z "$rt" ] || printf '%s\n' "LD_PRELOAD=$rt" ASAN_OPTIONS=detect_leaks=0
}

sshd_start() {
	local port=$1 service=$2 stack=$3
	shift 3
	SSHD_DIR=$T_WORK/sshd-$service
	SSHD_LOG=$SSHD_DIR/sshd.log
	mkdir -p "$SSHD_DIR"
	chmod 755 "$SSHD_DIR"
	ns_prepare "$SSHD_DIR/ns" pam "$service" "$stack" "$@" || return 1
	[ -d /run/sshd ] || { mkdir -p /run/sshd && chmod 755 /run/sshd; }
	ssh-keygen -q -t ed25519 -N '' -f "$SSHD_DIR/hostkey" || return 1
	echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$SSHD_DIR/hostkey.pub")" >"$SSHD_DIR/known_hosts"
	chmod 644 "$SSHD_DIR/known_hosts"
	# ASan build: the user's processes get the runtime from the namespace's ld.so.preload
	# (nsroot.sh); leak reports of uninstrumented programs such as the shell are not ours.
	local asan_setenv=
	[ -z "$(asan_env)" ] || asan_setenv="SetEnv ASAN_OPTIONS=detect_leaks=0"
	# The authentication settings (the host's own file, or the test's: keyboard-interactive
	# only) come last: a host's file may end inside a Match block.
	{
		cat <<-CONF
			${SSHD_CONFIG_TOP:-}
			$asan_setenv
			Port $port
			ListenAddress 127.0.0.1
			HostKey $SSHD_DIR/hostkey
			PidFile $SSHD_DIR/sshd.pid
			LogLevel ${SSHD_LOGLEVEL:-VERBOSE}
		CONF
		if [ -n "${SSHD_HOST_CONFIG:-}" ]; then
			cat "$SSHD_HOST_CONFIG"
		else
			cat <<-CONF
				UsePAM yes
				KbdInteractiveAuthentication yes
				PasswordAuthentication no
				PubkeyAuthentication no
				AuthenticationMethods keyboard-interactive
				PermitRootLogin no
				AuthorizedKeysFile none
				StrictModes no
				PrintMotd no
				PrintLastLog no
				LoginGraceTime 60
				MaxStartups 100:30:200
				MaxSessions 100
				PerSourceMaxStartups none
			CONF
		fi
	} >"$SSHD_DIR/sshd_config"
	ln -sf /usr/sbin/sshd "$SSHD_DIR/$service"
	/usr/sbin/sshd -t -f "$SSHD_DIR/sshd_config" || return 1
	if ! port_free "$port"; then
		echo "# sshd_start: something already listens on 127.0.0.1:$port" >&2
		return 1
	fi
	# shellcheck disable=SC2046
	(ns_exec "$SSHD_DIR/ns" env $(asan_env) \
		"$SSHD_DIR/$service" -D -f "$SSHD_DIR/sshd_config" -E "$SSHD_LOG") \
		2>>"$SSHD_DIR/sshd.stderr" &
	SSHD_PID=$!
	t_on_exit "kill $SSHD_PID 2>/dev/null"
	sshd_ready "$port"
}

sshd_stop() {
	kill "$SSHD_PID" 2>/dev/null
	wait "$SSHD_PID" 2>/dev/null
	return 0
}
