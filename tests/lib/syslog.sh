# tests/lib/syslog.sh — capture what the module, the helper and the NSS module log, for the
# suites that assert syslog records. Sourced after tests/lib/tap.sh.
#
#   syslog_start        bind /dev/log (the machine runs no syslog daemon in tests) to
#                       tests/pam/syslog_capture.py; sets SYSLOG (one record per line),
#                       removed at exit. Fails if /dev/log is taken: a daemon would swallow
#                       the records the suite asserts. Run only under the e2e lock (the
#                       socket is the machine's).
#   syslog_wait ERE     until a record matches ERE (5 s); prints it
#   syslog_mark         a point in the capture: syslog_since MARK prints what came after it
syslog_start() {
	local i
	SYSLOG=$T_WORK/syslog
	: >"$SYSLOG"
	if [ -e /dev/log ]; then
		echo "# syslog_start: /dev/log exists (a syslog daemon?): cannot capture" >&2
		return 1
	fi
	/usr/bin/python3 "$ECS_TOP/tests/pam/syslog_capture.py" /dev/log "$SYSLOG" \
		"$T_WORK/syslog.ready" &
	SYSLOG_PID=$!
	t_on_exit "kill $SYSLOG_PID 2>/dev/null; rm -f /dev/log"
	for ((i = 0; i < 100; i++)); do
		[ -e "$T_WORK/syslog.ready" ] && return 0
		sleep 0.05
	done
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
