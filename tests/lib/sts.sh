# tests/lib/sts.sh — the TLS STS stand-in (tests/sts/fake_sts.py) for the suites, the demo
# and the benches. Sourced after tests/lib/tap.sh (needs T_WORK, t_on_exit, ECS_TOP).
#
#   sts_start PORT [SCRIPT]
#     Makes a throwaway PKI in STS_DIR/ca (tests/sts/make-test-ca: the CA clients trust,
#     the server's key and certificate, and other-ca.pem, an unrelated CA) and runs the
#     stand-in on https://127.0.0.1:PORT/ answering as SCRIPT says (default ok; see
#     fake_sts.py). Sets STS_DIR, STS_URL, STS_CA, STS_LOG (one JSON line per request),
#     STS_STATE (the credentials it issued, kept across restarts) and STS_PID; stopped at exit.
#   sts_restart SCRIPT
#     Stops that stand-in and starts it again on the same port and PKI with SCRIPT and a
#     fresh, empty STS_LOG: each fault a suite plays gets a log of its own.
#   sts_extra PORT SCRIPT LOG
#     A second stand-in beside the first (same PKI, request log LOG), e.g. one refusing every
#     call behind another endpoint; stopped at exit.
# The stand-in is also ECS and SSM (see fake_sts.py): sts_start and sts_restart give it
# STS_WORLD (the tasks and the role policy; write it any time, it is re-read on change) and
# STS_SESSIONS (the exec sessions it opened, as JSON); with STS_ELSEWHERE_PORT set before
# sts_start, a client of 127.0.0.1:STS_ELSEWHERE_PORT reaches it from 127.0.0.2.
# STS_PLUGIN_DIR holds the stub session-manager-plugin (put it first on PATH).
# Each returns non-zero, with the stand-in's last words on stderr, when it did not come up.

# sts_run PORT SCRIPT LOG [STATE]: one stand-in, its pid in STS_RUN_PID; succeeds once it
# listens.
sts_run() {
	local port=$1 script=$2 log=$3 state=${4:-} ready=$STS_DIR/ready.$1 i
	rm -f "$ready"
	: >"$log"
	/usr/bin/python3 "$ECS_TOP/tests/sts/fake_sts.py" --port "$port" \
		--cert "$STS_DIR/ca/server.pem" --key "$STS_DIR/ca/server.key" --log "$log" \
		--script "$script" ${state:+--state "$state" --world "$STS_WORLD"} \
		${state:+--sessions "$STS_SESSIONS"} \
		${state:+${STS_ELSEWHERE_PORT:+--elsewhere "$STS_ELSEWHERE_PORT"}} --ready "$ready" \
		>>"$STS_DIR/stderr" 2>&1 &
	STS_RUN_PID=$!
	for ((i = 0; i < 200; i++)); do
		[ -e "$ready" ] && return 0
		kill -0 "$STS_RUN_PID" 2>/dev/null || break
		sleep 0.05
	done
	echo "# STS stand-in on 127.0.0.1:$port ($script) did not start: $(tail -n 3 "$STS_DIR/stderr")" >&2
	return 1
}

sts_start() {
	local port=$1 script=${2:-ok}
	STS_DIR=$T_WORK/sts
	STS_CA=$STS_DIR/ca/ca.pem
	STS_STATE=$STS_DIR/issued.json
	STS_WORLD=$STS_DIR/world.json
	STS_SESSIONS=$STS_DIR/sessions.json
	STS_PLUGIN_DIR=$ECS_TOP/tests/sts/plugin
	STS_URL=https://127.0.0.1:$port/
	STS_PORT_RUNNING=$port
	STS_STARTS=1
	STS_LOG=$STS_DIR/requests-1.jsonl
	mkdir -p "$STS_DIR"
	chmod 755 "$STS_DIR"
	"$ECS_TOP/tests/sts/make-test-ca" "$STS_DIR/ca" >/dev/null || return 1
	chmod 755 "$STS_DIR/ca"
	t_on_exit 'sts_stop'
	sts_run "$port" "$script" "$STS_LOG" "$STS_STATE"
	local rc=$?
	STS_PID=$STS_RUN_PID
	return $rc
}

sts_stop() {
	[ -n "${STS_PID:-}" ] || return 0
	kill "$STS_PID" 2>/dev/null
	wait "$STS_PID" 2>/dev/null
	STS_PID=
	return 0
}

sts_restart() {
	sts_stop
	STS_STARTS=$((STS_STARTS + 1))
	STS_LOG=$STS_DIR/requests-$STS_STARTS.jsonl
	sts_run "$STS_PORT_RUNNING" "$1" "$STS_LOG" "$STS_STATE"
	local rc=$?
	STS_PID=$STS_RUN_PID
	return $rc
}

sts_extra() {
	sts_run "$1" "$2" "$3"
	local rc=$?
	t_on_exit "kill $STS_RUN_PID 2>/dev/null"
	return $rc
}
