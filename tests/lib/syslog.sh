# tests/lib/syslog.sh — capture what the module, the helper and the NSS module log, for the
# suites that assert syslog records. Sourced after tests/lib/tap.sh.
#
#   syslog_start        bind /dev/log (the machine runs no syslog daemon in tests) to
#                       tests/pam/syslog_capture.py; sets SYSLOG (one record per line),
#                       removed at exit. A socket nobody reads (a killed run's) is taken
#                       over; fails, saying why, if a daemon reads it (it would swallow the
#                       records the suite asserts). Run only under the e2e lock (the socket
#                       is the machine's).
#   syslog_wait ERE     until a record matches ERE (5 s); prints it
#   syslog_flush        until every record sent before it is in SYSLOG (a marker of our
#                       own, sent through /dev/log, is queued behind them)
#   syslog_mark         a point in the capture: syslog_since MARK prints what came after it
syslog_start() {
	local i
	SYSLOG=$T_WORK/syslog
	: >"$SYSLOG"
	/usr/bin/python3 "$ECS_TOP/tests/pam/syslog_capture.py" /dev/log "$SYSLOG" \
		"$T_WORK/syslog.ready" &
	SYSLOG_PID=$!
	# waited for as the condition it is: ready, or the capture gone (it said why)
	for ((i = 0; i < 600; i++)); do
		if [ -e "$T_WORK/syslog.ready" ]; then
			t_on_exit "kill $SYSLOG_PID 2>/dev/null; rm -f /dev/log"
			return 0
		fi
		kill -0 "$SYSLOG_PID" 2>/dev/null || return 1
		sleep 0.05
	done
	kill "$SYSLOG_PID" 2>/dev/null
	echo "# syslog_start: the capture was not ready after 30 s" >&2
	return 1
}

syslog_mark() { wc -l <"$SYSLOG"; }
syslog_since() { tail -n +"$(($1 + 1))" "$SYSLOG"; }

# syslog_wait ERE [MARK]: the first record after MARK matching ERE, waiting up to 5 s.
syslog_wait() {
	local i
	for ((i = 0; i < 100; i++)); do
		syslog_since "${2:-0}" | grep -E -m 1 -- "$1" && return 0
		sleep 0.05
	done
	return 1
}

# syslog_flush: datagrams on one socket are read in the order they were sent, so once our
# own marker is captured, everything logged before it is too.
syslog_flush() {
	local mark="ecs-test-flush-$$-$RANDOM"
	/usr/bin/python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.sendto(sys.argv[1].encode(), "/dev/log")' "<15>$mark" || return 1
	syslog_wait "$mark" >/dev/null
}
