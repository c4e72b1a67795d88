# tests/lib/sshd.sh — a throwaway sshd on 127.0.0.1 for the end-to-end suites and the demo.
# Sourced after tests/lib/tap.sh (or anything that defines t_on_exit and T_WORK).
#
#   sshd_start PORT SERVICE STACK_FILE [NSS_SO]
#     Runs /usr/sbin/sshd through a symlink named SERVICE, so its PAM service is SERVICE
#     (sshd uses basename(argv[0])); STACK_FILE is installed as the NEW file
#     /etc/pam.d/SERVICE and removed at exit. With NSS_SO, nss_wrapper is preloaded into
#     sshd and sends lookups of names missing from a copy of /etc/passwd to that module
#     (prefix ecs_saml), so federated users resolve without touching /etc/nsswitch.conf.
#     Sets SSHD_PID, SSHD_LOG (sshd's log), SSHD_DIR. The system's sshd config, host keys
#     and /etc/pam.d/sshd are never read or written.
#   sshd_stop            stop the listener (open sessions carry on, as with the real one)
#   wait_port PORT       until something listens on 127.0.0.1:PORT (5 s)
#   ssh_opts             the client options every test login uses (no known_hosts, quiet)

NSS_WRAPPER_SO=/usr/lib/x86_64-linux-gnu/libnss_wrapper.so

wait_port() {
	local i
	for ((i = 0; i < 100; i++)); do
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

ssh_opts() {
	printf '%s\n' -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
		-o LogLevel=ERROR -o ConnectTimeout=10
}

sshd_start() {
	local port=$1 service=$2 stack=$3 nss_so=${4:-}
	SSHD_DIR=$T_WORK/sshd-$service
	SSHD_LOG=$SSHD_DIR/sshd.log
	mkdir -p "$SSHD_DIR"
	chmod 755 "$SSHD_DIR"
	if [ -e "/etc/pam.d/$service" ]; then
		echo "# /etc/pam.d/$service already exists: refusing to overwrite it" >&2
		return 1
	fi
	# Created only by us, so removing it at exit can never delete a system file.
	install -m 644 "$stack" "/etc/pam.d/$service" || return 1
	t_on_exit "rm -f /etc/pam.d/$service"
	[ -d /run/sshd ] || { mkdir -p /run/sshd && chmod 755 /run/sshd; }
	ssh-keygen -q -t ed25519 -N '' -f "$SSHD_DIR/hostkey" || return 1
	cat >"$SSHD_DIR/sshd_config" <<-CONF
		Port $port
		ListenAddress 127.0.0.1
		HostKey $SSHD_DIR/hostkey
		PidFile $SSHD_DIR/sshd.pid
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
		LogLevel VERBOSE
		${SSHD_EXTRA_CONFIG:-}
	CONF
	ln -sf /usr/sbin/sshd "$SSHD_DIR/$service"
	/usr/sbin/sshd -t -f "$SSHD_DIR/sshd_config" || return 1
	if [ -n "$nss_so" ]; then
		cp /etc/passwd "$SSHD_DIR/passwd"
		cp /etc/group "$SSHD_DIR/group"
		env LD_PRELOAD="$NSS_WRAPPER_SO" \
			NSS_WRAPPER_PASSWD="$SSHD_DIR/passwd" NSS_WRAPPER_GROUP="$SSHD_DIR/group" \
			NSS_WRAPPER_MODULE_SO_PATH="$nss_so" NSS_WRAPPER_MODULE_FN_PREFIX=ecs_saml \
			"$SSHD_DIR/$service" -D -f "$SSHD_DIR/sshd_config" -E "$SSHD_LOG" \
			2>>"$SSHD_DIR/sshd.stderr" &
	else
		"$SSHD_DIR/$service" -D -f "$SSHD_DIR/sshd_config" -E "$SSHD_LOG" \
			2>>"$SSHD_DIR/sshd.stderr" &
	fi
	SSHD_PID=$!
	t_on_exit "kill $SSHD_PID 2>/dev/null"
	wait_port "$port"
}

sshd_stop() {
	kill "$SSHD_PID" 2>/dev/null
	wait "$SSHD_PID" 2>/dev/null
	return 0
}
