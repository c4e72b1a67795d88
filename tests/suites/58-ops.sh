#!/bin/bash
# Suite 58: the operator verbs on live logins through real sshds — `sessions` lists them
# with their fields (and --json parses), `revoke USER` ends USER's logins on this host (the
# ssh session ends; its ECS Exec session ends as at a logout: TerminateSession signed with
# the login's key at the stand-in, the plugin stopped; the credentials go, the log has
# code=revoked) and not another user's,
# prints an IAM deny that is valid JSON with USER's SourceIdentity and aws:TokenIssueTime;
# with Redis, a revocation on bastion A refuses USER's next auth on bastion B, and B's gc
# ends USER's live login there.
#
# Two bastions share one redis-server started here and the STS stand-in: A is sshd on
# 23461 with the host's spool (/run/pam_ecs_saml) and fallback runtime directory; B is sshd
# on 23462 whose namespace binds a spool and fallback directory of its own over those
# (NS_BIND, tests/lib/nsroot.sh), so its logins are its own; the helper is run for B in a
# namespace with the same binds. The helper that sshd runs is traced and held to the access
# list (tests/mac/trace.sh), its connections to Redis included. Ports: sshd 23461, 23462;
# Redis 23463 (TLS 23464, unused); STS stand-in 23465. Runs under the e2e lock:
# /run/pam_ecs_saml and /dev/log (syslog capture) are the machine's.
. "$(dirname "$0")/../lib/tap.sh"
. "$ECS_TOP/tests/lib/bastion.sh"
. "$ECS_TOP/tests/lib/syslog.sh"
. "$ECS_TOP/tests/redis/redis.sh"
. "$ECS_TOP/tests/lib/exec.sh"
. "$ECS_TOP/tests/mac/trace.sh"

SSH_A_PORT=23461
SSH_B_PORT=23462
REDIS_PORT=23463
REDIS_TLS_PORT=23464
STS_PORT=23465

command -v redis-server >/dev/null || { t_fail "redis-server installed" "run tools/install-deps"; t_done; }
syslog_start || { t_fail "syslog capture on /dev/log"; t_done; }
redis_setup "$REDIS_PORT" "$REDIS_TLS_PORT" && redis_start || { t_fail "redis-server starts"; t_done; }
# Both sshds run the helper under the tracer: what it does with Redis is held to the access list.
trace_start
TRACE_REDIS_PORT=$REDIS_PORT
BASTION_CONF_EXTRA=("replay_cache = redis://127.0.0.1:$REDIS_PORT" "redis_user = bastion"
	"redis_password_file = $REDIS_PW" "ssm_endpoint = https://127.0.0.1:$STS_PORT/")
if ! bastion_setup "$SSH_A_PORT" "$STS_PORT" sshd-ecs58a >"$T_WORK/setup.log" 2>&1; then
	t_fail "bastion A setup" "$(tail -n 5 "$T_WORK/setup.log")"
	t_done
fi
CONF_A=$CONF
exec_kit "https://127.0.0.1:$STS_PORT" || { t_fail "exec kit" "$W"; t_done; }
STACK=$T_WORK/stack

# Bastion B: its own state_dir, spool and fallback runtime directory, one Redis with A.
STATE_B=$T_WORK/state-b
SPOOL_B=$T_WORK/spool-b
FB_B=$T_WORK/fallback-b
CONF_B=$T_WORK/pam_ecs_saml-b.conf
mkdir -m 755 "$STATE_B" "$SPOOL_B" "$FB_B"
sed "s|^state_dir = .*|state_dir = $STATE_B|" "$CONF_A" >"$CONF_B"
chmod 644 "$CONF_B"
B_BINDS="$SPOOL_B:/run/pam_ecs_saml $FB_B:/dev/shm/pam_ecs_saml"
if ! { "$B/ecs-saml-helper" users --config "$CONF_B" init &&
	NS_BIND="${NS_BIND:-} $B_BINDS" sshd_start "$SSH_B_PORT" sshd-ecs58b "$STACK" nss "$B/libnss_ecs_saml.so.2" \
		conf "$CONF_B"; } >>"$T_WORK/setup.log" 2>&1; then
	t_fail "bastion B setup" "$(tail -n 5 "$T_WORK/setup.log")"
	t_done
fi
t_ok "two bastions up (sshd $SSH_A_PORT and $SSH_B_PORT), one Redis, STS $STS_URL"

on_b() {	# on_b CMD...: run CMD (the helper) as bastion B sees the host
	unshare -m sh -c 'set -e; mount --make-rprivate /; mount --bind "$1" /run/pam_ecs_saml
		mount --bind "$2" /dev/shm/pam_ecs_saml; shift 2; exec "$@"' sh "$SPOOL_B" "$FB_B" "$@"
}

n=0
# hold PORT USER CMD: a login kept open running CMD, then "echo READY; sleep 300"; sets
# HELD (the client's pid) and OUT (its output file); waits for READY.
hold() {
	local port=$1 user=$2 cmd=$3 r i
	n=$((n + 1))
	r=$T_WORK/r$n.b64
	mint "$user" >"$r" || return 1
	OUT=$T_WORK/held$n.out
	/usr/bin/python3 "$ECS_TOP/tests/lib/kbd_login.py" --port "$port" --user "$user" \
		--response "$r" --cmd "$cmd echo CREDS=\$AWS_SHARED_CREDENTIALS_FILE; echo READY; sleep 300" \
		>"$OUT" 2>&1 &
	HELD=$!
	t_on_exit "kill $HELD 2>/dev/null"
	for ((i = 0; i < 300; i++)); do
		grep -q '^READY' "$OUT" && return 0
		kill -0 "$HELD" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}
ended_soon() {	# ended_soon PID: the process exits within 10 s
	local i
	for ((i = 0; i < 100; i++)); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
	return 1
}
login_once() {	# login_once PORT USER: a fresh Response, one command; output and status
	n=$((n + 1))
	mint "$2" >"$T_WORK/r$n.b64" &&
		/usr/bin/python3 "$ECS_TOP/tests/lib/kbd_login.py" --port "$1" --user "$2" \
			--response "$T_WORK/r$n.b64" --cmd "echo IN" 2>&1
}

# --- sessions: two live logins -------------------------------------------------------------
# e2eann's login on A has an ECS Exec session open (tests/lib/exec.sh), for revoke to end
hold "$SSH_A_PORT" e2eann "bash $W/exec-bg ann;" ||
	{ t_fail "e2eann logs in to A" "$(tail -n 3 "$OUT" | tr '\n' ' ')"; t_done; }
ANN_A=$HELD ANN_A_CREDS=$(field CREDS <"$OUT") ANN_A_OUT=$OUT
EXEC_ID=$(exec_sid "$OUT")
plugin_started "$EXEC_ID"
TRACE_USER_PIDS=$(ppid_of "$EXEC_ID")	# session-close's teardown reads its /proc entries
t_match "e2eann's exec session is open" "$EXEC_ID $(status_of "$EXEC_ID")" '^ecs-execute-command-[0-9a-f]+ Connected None$'
hold "$SSH_A_PORT" e2ebea "" || { t_fail "e2ebea logs in to A" "$(tail -n 3 "$OUT" | tr '\n' ' ')"; t_done; }
BEA_A=$HELD BEA_A_CREDS=$(field CREDS <"$OUT")
t_ok "e2eann and e2ebea hold logins on A"

out=$("$B/ecs-saml-helper" sessions 2>&1)
t_match "sessions: a header" "$(head -n 1 <<<"$out")" '^USER SESSION SERVICE RHOST ROLE ACCESS_KEY_ID'
ann=$(grep '^e2eann ' <<<"$out")
t_match "sessions: e2eann's login: tag, service, rhost, role, key, SourceIdentity, expiry, live pid, one exec session" \
	"$ann" "^e2eann +[0-9a-f]{32} sshd-ecs58a +127\.0\.0\.1 +arn:aws:iam::123456789012:role/BastionOperator ASIA[A-Z0-9]{12,} e2eann 20[0-9-]{8}T[0-9:]{8}Z [0-9]+ yes +1 $EXEC_ID\$"
t_match "sessions: e2ebea's login, no exec session" "$(grep '^e2ebea ' <<<"$out")" \
	"^e2ebea +[0-9a-f]{32} sshd-ecs58a .* yes +0\$"

"$B/ecs-saml-helper" sessions --json >"$T_WORK/sessions.json" 2>"$T_WORK/sessions.err"
t_eq "sessions --json: exit 0" "$?" 0
check=$(/usr/bin/python3 - "$T_WORK/sessions.json" "$EXEC_ID" <<'PY'
import json, re, sys
doc = json.load(open(sys.argv[1]))
by = {s["user"]: s for s in doc["sessions"]}
ann, bea = by["e2eann"], by["e2ebea"]
ok = (len(doc["sessions"]) == 2 and re.fullmatch(r"[0-9a-f]{32}", ann["session"])
      and ann["service"] == "sshd-ecs58a" and ann["rhost"] == "127.0.0.1"
      and ann["role"] == "arn:aws:iam::123456789012:role/BastionOperator"
      and ann["access_key_id"].startswith("ASIA") and ann["source_identity"] == "e2eann"
      and re.fullmatch(r"20\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ", ann["expiration"])
      and re.fullmatch(r"20\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ", ann["opened"])
      and ann["pid"] > 1 and ann["pid_alive"] is True and ann["exec_sessions"] == [sys.argv[2]]
      and bea["exec_sessions"] == [] and bea["access_key_id"] != ann["access_key_id"])
print("ok" if ok else json.dumps(doc))
PY
)
t_eq "sessions --json: both logins with the right fields" "$check" ok
BEA_TAG=$(/usr/bin/python3 -c 'import json,sys; print([s["session"] for s in json.load(open(sys.argv[1]))["sessions"] if s["user"] == "e2ebea"][0])' "$T_WORK/sessions.json")

# --- e2eann on B too, then revoked on A ------------------------------------------------------
hold "$SSH_B_PORT" e2eann "" || { t_fail "e2eann logs in to B" "$(tail -n 3 "$OUT" | tr '\n' ' ')"; t_done; }
ANN_B=$HELD ANN_B_CREDS=$FB_B$(field CREDS <"$OUT" | sed "s|^/dev/shm/pam_ecs_saml||")
t_check "e2eann's login on B has its credentials in B's own fallback directory" test -e "$ANN_B_CREDS"
t_eq "sessions on B: B's login only" \
	"$(on_b "$B/ecs-saml-helper" sessions | tail -n +2 | awk '{ print $1, $3 }')" "e2eann sshd-ecs58b"

mark=$(syslog_mark)
"$B/ecs-saml-helper" revoke --config "$CONF_A" e2eann >"$T_WORK/deny.json" 2>"$T_WORK/revoke.err"
t_eq "revoke e2eann on A: exit 0" "$?" 0
t_match "revoke: says the fleet refuses e2eann" "$(cat "$T_WORK/revoke.err")" \
	'^revoke: e2eann is refused on every bastion of this Redis until 20'
t_match "revoke: says what ended here" "$(cat "$T_WORK/revoke.err")" \
	'^revoke: ended 1 live logins of e2eann on this host$'
if ended_soon "$ANN_A"; then t_ok "revoke: e2eann's ssh session on A ended"; else t_fail "revoke: e2eann's ssh session on A ended" "client still connected"; fi
t_check "revoke: e2eann's credentials on A are gone" test ! -e "$ANN_A_CREDS"
exec_ended "$ANN_A_OUT" "revoke: e2eann's exec session on A"
t_check "revoke: the log has the ended login with code=revoked" \
	syslog_wait 'revoked login ended: code="revoked" by="revoke" user="e2eann"' "$mark"
t_check "revoke: the log has the revocation" \
	syslog_wait 'user revoked: code="revoked" user="e2eann" scope="fleet" logins_ended="1"' "$mark"
t_check "revoke: e2ebea's login on A goes on" kill -0 "$BEA_A"
t_check "revoke: e2ebea's credentials stay" test -e "$BEA_A_CREDS"
t_match "sessions after revoke: e2ebea's login only" "$("$B/ecs-saml-helper" sessions | tail -n +2)" \
	"^e2ebea +$BEA_TAG "

check=$(/usr/bin/python3 - "$T_WORK/deny.json" <<'PY'
import datetime, json, sys
p = json.load(open(sys.argv[1]))
st = p["Statement"]
c = st[0]["Condition"]
t = datetime.datetime.strptime(c["DateLessThan"]["aws:TokenIssueTime"], "%Y-%m-%dT%H:%M:%SZ")
now = datetime.datetime.utcnow()
ok = (p["Version"] == "2012-10-17" and len(st) == 1 and st[0]["Effect"] == "Deny"
      and st[0]["Action"] == "*" and st[0]["Resource"] == "*" and st[0]["Sid"].isalnum()
      and c["StringEquals"] == {"aws:SourceIdentity": "e2eann"} and set(c) == {"StringEquals", "DateLessThan"}
      and abs((now - t).total_seconds()) < 120)
print("ok" if ok else json.dumps(p))
PY
)
t_eq "revoke: stdout is an IAM deny of everything for e2eann's SourceIdentity, tokens issued before now" "$check" ok
ttl=$(rcli TTL pam_ecs_saml:replay:revoked:e2eann)
if [ "${ttl:-0}" -ge 43200 ] 2>/dev/null; then t_ok "the fleet-wide entry lives at least the longest credentials (${ttl}s)"; else t_fail "the fleet-wide entry's TTL" "'$ttl'"; fi

# --- bastion B: the next auth refused, the live login ended at gc ---------------------------
out=$(login_once "$SSH_B_PORT" e2eann)
rc=$?
if [ "$rc" -ne 0 ]; then
	t_match "B refuses e2eann's next auth with the revocation's sentence" "$out" \
		'Your access was revoked by an administrator'
else
	t_fail "B refuses e2eann's next auth" "login succeeded"
fi
t_check "B's refusal is logged with code=revoked" \
	syslog_wait 'auth refused: user="e2eann" service="sshd-ecs58b" .*code="revoked"' "$mark"
out=$(login_once "$SSH_B_PORT" e2ebea)
t_match "B still lets e2ebea in" "$out" '^IN'
t_check "before B's gc, e2eann's login on B is live" kill -0 "$ANN_B"
out=$(on_b "$B/ecs-saml-helper" gc --config "$CONF_B" 2>&1)
t_match "B's gc ends the revoked login" "$out" 'gc: ended 1 revoked logins'
if ended_soon "$ANN_B"; then t_ok "B's gc: e2eann's ssh session on B ended"; else t_fail "B's gc: e2eann's ssh session on B ended" "client still connected"; fi
t_check "B's gc: e2eann's credentials on B are gone" test ! -e "$ANN_B_CREDS"
t_check "B's gc: logged with code=revoked" \
	syslog_wait 'revoked login ended: code="revoked" by="gc" user="e2eann"' "$mark"

# --- without a SourceIdentity known, no deny; a usage error is one ----------------------------
"$B/ecs-saml-helper" revoke --config "$CONF_A" e2enobody >"$T_WORK/none.out" 2>"$T_WORK/none.err"
t_eq "revoke of a user with no login here: exit 0, nothing on stdout" "$?:$(wc -c <"$T_WORK/none.out")" "0:0"
t_match "... and says how to get the deny" "$(cat "$T_WORK/none.err")" 'give --source-identity'
"$B/ecs-saml-helper" revoke --config "$CONF_A" --source-identity e2enobody@corp e2enobody >"$T_WORK/given.json" 2>/dev/null
t_eq "revoke --source-identity: the deny names it" \
	"$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["Statement"][0]["Condition"]["StringEquals"]["aws:SourceIdentity"])' "$T_WORK/given.json")" \
	e2enobody@corp
"$B/ecs-saml-helper" revoke --config "$CONF_A" ../etc 2>/dev/null
t_eq "revoke with a name that is no user name: usage error" "$?" 2

kill "$BEA_A" 2>/dev/null
ended_soon "$BEA_A" || t_fail "e2ebea's client ends"
trace_check "$(trace_bastion_map)
$STATE_B /var/lib/pam_ecs_saml
$T_WORK/secret /etc/security/pam_ecs_saml"
t_done
