# tests/lib/sts.sh — the TLS STS stand-in (tests/sts/fake_sts.py) for the end-to-end suites
# and the demo. Sourced after tests/lib/tap.sh (needs T_WORK, t_on_exit, ECS_TOP).
#
#   sts_start PORT [SCRIPT]
#     Makes a throwaway CA (tests/sts/make-test-ca) and runs the stand-in on
#     https://127.0.0.1:PORT/. Sets STS_URL, STS_CA (the CA file clients must trust),
#     STS_LOG (one JSON line per request) and STS_PID; stopped at exit.

sts_start() {
	local port=$1 script=${2:-ok} i
	STS_DIR=$T_WORK/sts
	STS_CA=$STS_DIR/ca/ca.pem
	STS_LOG=$STS_DIR/requests.jsonl
	STS_URL=https://127.0.0.1:$port/
	mkdir -p "$STS_DIR"
	chmod 755 "$STS_DIR"
	"$ECS_TOP/tests/sts/make-test-ca" "$STS_DIR/ca" || return 1
	chmod 755 "$STS_DIR/ca"
	/usr/bin/python3 "$ECS_TOP/tests/sts/fake_sts.py" --port "$port" \
		--cert "$STS_DIR/ca/server.pem" --key "$STS_DIR/ca/server.key" --log "$STS_LOG" \
		--script "$script" --ready "$STS_DIR/ready" >>"$STS_DIR/stderr" 2>&1 &
	STS_PID=$!
	t_on_exit "kill $STS_PID 2>/dev/null"
	for ((i = 0; i < 100; i++)); do
		[ -e "$STS_DIR/ready" ] && return 0
		kill -0 "$STS_PID" 2>/dev/null || break
		sleep 0.05
	done
	echo "# STS stand-in did not start: $(tail -n 3 "$STS_DIR/stderr")" >&2
	return 1
}
