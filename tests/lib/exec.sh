# tests/lib/exec.sh — ECS Exec sessions opened inside a test login, and what the stand-in AWS
# and the stub plugin saw of them (suites 56 and 58). Sourced after tests/lib/bastion.sh;
# call exec_kit once sts_start has run.
#
#   exec_kit URL      sets W (a scratch directory the sessions' users write), PLOG (the stub
#                     plugin's log), CAPUB (the test CA, readable by them) and writes
#                     $W/exec-bg: `bash $W/exec-bg NAME` inside a login opens an exec session
#                     (ecs-saml-exec at URL into EXEC_TASK, the stub session-manager-plugin)
#                     in a session of its own, and prints REC=<its record's name> once the
#                     record is next to the login's credentials. Also writes the world.
#   world [POLICY]    the stand-in's world: cluster prod with task EXEC_TASK (container app);
#                     the role allows everything unless POLICY (JSON) narrows it.
#   reqs ACTION SID   "sigv4:decision:access_key" of each ACTION request for SID, one a line,
#                     over every request log of the stand-in
#   terminations SID, akid_of SID (the key its ExecuteCommand was signed with),
#   status_of SID ("STATUS TERMINATED_BY" at the stand-in), prec SID EVENT EXPR (over the
#   plugin log's last EVENT record of SID), ppid_of SID (the plugin's pid),
#   plugin_started SID (waits until the plugin logged its start; no SID: none).
#   exec_sid OUT      the exec session ID of the REC= line in a login's output OUT
#   exec_ended OUT CASE  checks (t_*) that the helper ended the exec session of the login
#                     whose output is OUT (its REC= and CREDS= lines): exactly one
#                     TerminateSession for its ID, signed with the login's own key, verified,
#                     allowed; the session Terminated by that key; the plugin gone; the
#                     credential directory gone; the log's record (syslog.sh).
#   alive PID, gone PID, no_file PATH, wait_until CMD... (true within 10 s)

EXEC_TASK=0123456789abcdef0123456789abcdef

world() {
	local rp=${1:-'{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'}
	cat >"$STS_WORLD.tmp" <<JSON
{"clusters": {"prod": {"tasks": {"$EXEC_TASK": {"containers": [{"name": "app"}]}}}},
 "role_policy": $rp}
JSON
	mv "$STS_WORLD.tmp" "$STS_WORLD"
}

exec_kit() {
	local url=$1
	W=$T_WORK/work
	mkdir -p "$W" && chmod 1777 "$W" || return 1
	PLOG=$W/plugin.jsonl
	install -m 666 /dev/null "$PLOG" || return 1
	CAPUB=$W/ca.pem
	install -m 644 "$STS_CA" "$CAPUB" || return 1
	# stdin a FIFO held open by ecs-saml-exec itself; setsid: no hangup reaches it when a
	# terminal closes
	cat >"$W/exec-bg" <<EOF
n=\$1
d=\$(dirname "\$AWS_SHARED_CREDENTIALS_FILE")
rm -f "$W/\$n.fifo"; mkfifo -m 600 "$W/\$n.fifo"
before=\$(ls "\$d" | grep '^exec-' | sort)
PATH=$STS_PLUGIN_DIR:\$PATH AWS_CA_BUNDLE=$CAPUB STUB_PLUGIN_LOG=$PLOG setsid -f \\
	$B/ecs-saml-exec --endpoint-url $url --cluster prod --task $EXEC_TASK --container app \\
	<>"$W/\$n.fifo" >"$W/\$n.exec" 2>&1
for i in \$(seq 150); do
	rec=\$(ls "\$d" | grep '^exec-' | sort | comm -13 <(echo "\$before") - | head -n 1)
	[ -n "\$rec" ] && break
	sleep 0.1
done
echo "REC=\$rec"
EOF
	chmod 644 "$W/exec-bg"
	world
}

reqs() {
	cat "$STS_DIR"/requests-*.jsonl | /usr/bin/python3 -c 'import json,sys
for l in sys.stdin:
    r=json.loads(l)
    if r.get("action")==sys.argv[1] and r.get("session_id")==sys.argv[2]:
        print("%s:%s:%s" % (r.get("sigv4"), r.get("decision"), r.get("access_key")))' "$1" "$2"
}
terminations() { reqs TerminateSession "$1" | wc -l; }
akid_of() { reqs ExecuteCommand "$1" | head -n 1 | cut -d: -f3; }
status_of() {
	/usr/bin/python3 -c 'import json,sys; s=json.load(open(sys.argv[1])).get(sys.argv[2], {})
print(s.get("status"), s.get("terminated_by"))' "$STS_SESSIONS" "$1"
}
prec() {
	/usr/bin/python3 -c 'import json,sys
rs=[json.loads(l) for l in open(sys.argv[1]) if l.strip()]
rs=[r for r in rs if r.get("session_id")==sys.argv[2] and r["event"]==sys.argv[3]]
print(eval(sys.argv[4], {"r": rs[-1]}) if rs else "")' "$PLOG" "$@"
}
ppid_of() { prec "$1" start 'r["pid"]'; }
plugin_started() {
	local i
	[ -n "$1" ] || return 0
	for ((i = 0; i < 150; i++)); do [ -n "$(ppid_of "$1")" ] && return 0; sleep 0.1; done
}
alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }
gone() { ! alive "$1"; }
wait_until() {
	local i
	for ((i = 0; i < 100; i++)); do "$@" && return 0; sleep 0.1; done
	return 1
}
no_file() { [ -n "$1" ] && [ ! -e "$1" ]; }

exec_sid() { sed -n 's/^REC=exec-//p' "$1" | head -n 1; }
exec_ended() {
	local out=$1 what=$2 sid akid pid creds
	sid=$(exec_sid "$out")
	akid=$(akid_of "$sid")
	pid=$(ppid_of "$sid")
	creds=$(sed -n 's/^CREDS=//p' "$out")
	t_check "$what: the credential directory is gone" wait_until no_file "$(dirname "$creds")"
	t_eq "$what: the stand-in got TerminateSession for exactly that session, signed with the login's key" \
		"$(reqs TerminateSession "$sid" | sort -u | tr '\n' ' ')" "valid:allow:$akid "
	t_eq "... once, and the session is Terminated by that key" \
		"$(terminations "$sid") $(status_of "$sid")" "1 Terminated $akid"
	t_check "$what: the stub plugin is gone" wait_until gone "$pid"
	t_check "$what: logged: exec session ended, terminate ok" \
		syslog_wait "exec session ended: .*exec_session=\"$sid\".*terminate=\"ok\""
}
