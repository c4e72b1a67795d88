# tests/redis/redis.sh — a private redis-server on 127.0.0.1 for the replay cache's tests
# (suite 33, bench-replay). Sourced after tests/lib/tap.sh.
#
#   redis_setup TCP_PORT TLS_PORT
#       writes a private configuration and directory under $T_WORK/redis: TCP on TCP_PORT,
#       TLS on TLS_PORT with a server certificate of the test CA (tests/sts/make-test-ca;
#       no client certificates asked), a unix socket, no persistence; two ACL users:
#       "admin" (everything, for the test's own redis-cli) and "bastion" (SET and SELECT on
#       the replay keys only, what the helper needs); the default user needs a password.
#       Sets REDIS_DIR, REDIS_SOCK, REDIS_CA, REDIS_OTHER_CA, REDIS_PW (the bastion's
#       password file, root 0600), REDIS_BAD_PW (a wrong one).
#   redis_start / redis_stop   start it and wait for PONG on the socket / stop it by PID
#   rcli ARGS...               redis-cli as admin on the socket
#   fake_redis_start PORT MODE a listener that is no Redis (tests/redis/fake_redis.py)

redis_setup() {
	local tcp=$1 tls=$2
	REDIS_DIR=$T_WORK/redis
	REDIS_SOCK=$REDIS_DIR/redis.sock
	mkdir -p "$REDIS_DIR" "$T_WORK/secret"
	chmod 700 "$REDIS_DIR"
	chmod 755 "$T_WORK/secret"
	"$ECS_TOP/tests/sts/make-test-ca" "$REDIS_DIR/ca" >/dev/null || return 1
	chmod 755 "$REDIS_DIR/ca"
	REDIS_CA=$REDIS_DIR/ca/ca.pem
	REDIS_OTHER_CA=$REDIS_DIR/ca/other-ca.pem
	REDIS_ADMIN_PASS=$(openssl rand -hex 16)
	REDIS_PW=$T_WORK/secret/bastion.pw
	REDIS_BAD_PW=$T_WORK/secret/wrong.pw
	(umask 077 && openssl rand -hex 24 >"$REDIS_PW" && echo not-the-password >"$REDIS_BAD_PW")
	cat >"$REDIS_DIR/redis.conf" <<-CONF
		bind 127.0.0.1
		port $tcp
		unixsocket $REDIS_SOCK
		unixsocketperm 700
		tls-port $tls
		tls-cert-file $REDIS_DIR/ca/server.pem
		tls-key-file $REDIS_DIR/ca/server.key
		tls-ca-cert-file $REDIS_CA
		tls-auth-clients no
		save ""
		appendonly no
		dir $REDIS_DIR
		daemonize no
		logfile $REDIS_DIR/redis.log
		maxclients 1000
		user default on >$REDIS_ADMIN_PASS ~* &* +@all
		user admin on >$REDIS_ADMIN_PASS ~* &* +@all
		user bastion on >$(cat "$REDIS_PW") ~pam_ecs_saml:replay:* resetchannels -@all +set +select +ping +exists
	CONF
	chmod 600 "$REDIS_DIR/redis.conf"
	t_on_exit redis_stop
}

rcli() {
	REDISCLI_AUTH=$REDIS_ADMIN_PASS redis-cli --user admin -s "$REDIS_SOCK" "$@" 2>/dev/null
}

redis_start() {
	local i
	redis-server "$REDIS_DIR/redis.conf" >"$REDIS_DIR/stdout" 2>&1 &
	REDIS_PID=$!
	for ((i = 0; i < 200; i++)); do
		[ "$(rcli ping)" = PONG ] && return 0
		kill -0 "$REDIS_PID" 2>/dev/null || break
		sleep 0.05
	done
	echo "# redis-server did not start: $(tail -n 3 "$REDIS_DIR/redis.log" 2>/dev/null)" >&2
	return 1
}

redis_stop() {
	[ -n "${REDIS_PID:-}" ] || return 0
	kill "$REDIS_PID" 2>/dev/null
	wait "$REDIS_PID" 2>/dev/null
	REDIS_PID=
}

fake_redis_start() {
	local port=$1 mode=$2 ready=$T_WORK/fake-redis.$1.ready pid i
	/usr/bin/python3 "$ECS_TOP/tests/redis/fake_redis.py" --port "$port" --mode "$mode" "$ready" &
	pid=$!
	t_on_exit "kill $pid"
	for ((i = 0; i < 200; i++)); do
		[ -e "$ready" ] && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	return 1
}
