#!/bin/bash
# Suite 35: the audit trail (issue 12). Real logins through libpam (tests/pam/pamenv.sh, as
# suite 30) with the real helper and the STS stand-in produce the audit records; the suite
# reads them from all three sinks: the JSON-lines audit_log file, the journal (a stand-in
# journald bound over /run/systemd in the private namespace receives the helper's datagrams
# in the native protocol, which test_audit_journal holds to libsystemd's own), and syslog. It checks each record's
# fields against what the login really was (the Response's assertion ID, the AccessKeyId in
# the credentials file, STS's expiry), the exec_terminated record root writes when a login's
# exec session ends at its close and in gc (what the helper's TerminateSession got, against
# the stand-in's log; the user's record labelled as the user's claim), that no secret is in
# any of them, that concurrent
# sessions never interleave a line, that a symlinked or foreign audit_log is refused without
# costing the login, that a journald that is absent or does not read never holds a login up,
# that README's field lists are the records' (and `audit fields`), and then the operator's
# verbs: `audit sessions` and its filters, and `audit exec` joining CloudTrail fixtures (gzip,
# plain, a directory tree in S3's layout; a key no bastion issued; StartSession; a refused
# exec) with the logins.
#
# Ports: STS stand-in 23451. Touches /run/pam_ecs_saml and /dev/shm/pam_ecs_saml (as suite
# 30) and binds /dev/log to capture the logs (tests/lib/syslog.sh): run under the e2e lock.
. "$(dirname "$0")/../lib/tap.sh"
. "$ECS_TOP/tests/lib/sts.sh"
. "$ECS_TOP/tests/pam/pamenv.sh"
. "$ECS_TOP/tests/lib/syslog.sh"

STS_PORT=23451
SYSD=$T_WORK/sysd	# /run/systemd inside the namespace
JOURNAL=$T_WORK/journal.jsonl
AUDIT_DIR=$T_WORK/audit
AUDIT=$AUDIT_DIR/audit.jsonl
PAMENV_SERVICE=ecs35
CHECK=$T_WORK/check.py

RESP=$T_WORK/resp	# the Responses, minted in one go: USER.b64
mkdir -p "$SYSD/journal" "$AUDIT_DIR" "$RESP"
chmod 755 "$SYSD" "$SYSD/journal" "$T_WORK"
chmod 700 "$AUDIT_DIR"
NS_BIND="$SYSD:/run/systemd"
pamenv_setup "$STS_PORT" '^p35[a-z0-9]{1,8}$' >"$T_WORK/setup.log" 2>&1 ||
	{ t_fail "setup" "$(tail -n 3 "$T_WORK/setup.log")"; t_done; }
NSCONF=$NSDIR/security/pam_ecs_saml.conf
# SSM for the exec teardown is the stand-in too
printf 'audit_log = %s\nssm_endpoint = %s\n' "$AUDIT" "$STS_URL" >>"$NSCONF"
N=4	# concurrent logins
USERS="p35a p35e p35g p35j p35s p35f $(seq -s ' ' -f 'p35c%g' 1 $N)"
"$ECS_TOP/tests/lib/mint-response" --keys "$IDP" --user p35a --tamper >"$T_WORK/junk" &
MINT_PID=$!
"$ECS_TOP/tests/lib/mint-response" --keys "$IDP" --out "$RESP" --user ${USERS// / --user } &&
	wait "$MINT_PID" || { t_fail "setup: mint" "mint-response failed"; t_done; }
# audit VERB ARGS: the operator's verb on the namespace's configuration, from outside it
# (cheaper than a namespace per call; the first of each verb runs in it, by the default path)
audit() { "$HELPER" audit "$1" --config "$NSCONF" "${@:2}"; }

# wait_for FILE WHAT: the file a background helper makes when it is ready (30 s at most, so
# a loaded machine is waited for; a stand-in that never comes up is a failure, not a hang)
wait_for() {
	local i
	for ((i = 0; i < 600; i++)); do [ -e "$1" ] && return 0; sleep 0.05; done
	t_fail "setup: $2" "not ready after 30 s"
	t_done
}

syslog_start 2>"$T_WORK/syslog.err" ||
	{ t_fail "setup: syslog capture on /dev/log" "$(cat "$T_WORK/syslog.err")"; t_done; }

# journald_start [--stuck]: the stand-in journald on the namespace's journal socket.
JPID=
journald_start() {
	journald_stop
	rm -f "$T_WORK/j.ready"
	/usr/bin/python3 "$ECS_TOP/tests/audit/fake-journald.py" "$SYSD/journal/socket" \
		"$JOURNAL" "$T_WORK/j.ready" "$@" &
	JPID=$!
	wait_for "$T_WORK/j.ready" "the stand-in journald"
}
journald_stop() {
	[ -n "$JPID" ] && kill "$JPID" 2>/dev/null && wait "$JPID" 2>/dev/null
	JPID=
	rm -f "$SYSD/journal/socket"
}
t_on_exit "journald_stop"
journald_start

# login USER [pamdrive ops]: USER's Response, then auth + open + OPS (default close).
login() {
	local user=$1
	shift
	drive "$user" -a "$RESP/$user.b64" fork-auth open env "${@:-close}"
}
ops() { grep -E '^(fork-auth|auth|open|close):' <<<"$1" | cut -d' ' -f1,2 | tr '\n' ' '; }

# py SCRIPT ARGS...: the suite's checks on JSON, in Python (stdout: "ok"/reasons)
py() { /usr/bin/python3 - "$@" 2>&1; }

# ---------------------------------------------------------------------------- one login

out=$(drive p35a -a "$RESP/p35a.b64" fork-auth open env)
t_eq "a login: auth and open succeed" "$(ops "$out")" "fork-auth: 0 open: 0 "
CRED=$(field "env: AWS_SHARED_CREDENTIALS_FILE" "$out")
TAG=$(field "env: PAM_ECS_SAML_SESSION" "$out")
EXP=$(field "env: AWS_CREDENTIAL_EXPIRATION" "$out")
KEYID=$(sed -n 's/^aws_access_key_id *= *//p' "$CRED")
SECRET=$(sed -n 's/^aws_secret_access_key *= *//p' "$CRED")
TOKEN=$(sed -n 's/^aws_session_token *= *//p' "$CRED")
out=$(drive p35a -E "PAM_ECS_SAML_SESSION=$TAG" close)
t_match "... and close" "$out" '^close: 0 '
ASSERTION=$(base64 -d "$RESP/p35a.b64" | grep -o '<saml:Assertion[^>]* ID="[^"]*"' | sed 's/.* ID="//; s/"$//')
t_match "the minted Response's assertion ID is known to the suite" "$ASSERTION" '^[_A-Za-z]'

t_eq "the audit file is root's, mode 0600" "$(stat -c '%u %a' "$AUDIT" 2>&1)" "0 600"
res=$(py "$AUDIT" "$TAG" "$KEYID" "$ASSERTION" "$EXP" <<'PY'
import json, sys
path, tag, key, assertion, exp = sys.argv[1:6]
recs = [json.loads(l) for l in open(path)]
mine = [r for r in recs if r.get("user") == "p35a"]
ev = [r["event"] for r in mine]
bad = []
if ev[-3:] != ["auth_accepted", "session_open", "session_close"]:
    bad.append("events %s" % ev)
acc, op, cl = mine[-3:]
want = [
    (op, "session", tag), (op, "access_key_id", key), (op, "assertion", assertion),
    (op, "expiration", exp), (op, "service", "ecs35"), (op, "rhost", "192.0.2.30"),
    (op, "issuer", "https://idp.example.test/metadata"), (acc, "assertion", assertion),
    (cl, "session", tag), (cl, "access_key_id", key), (cl, "closed_by", "pam"),
    (cl, "opened", op["time"]), (cl, "service", "ecs35"),
]
for r, k, v in want:
    if r.get(k) != v:
        bad.append("%s.%s=%r, expected %r" % (r["event"], k, r.get(k), v))
for r, k in [(op, "nameid"), (op, "role"), (op, "session_name"), (op, "request_id"),
             (op, "pid"), (acc, "nameid"), (acc, "role")]:
    if not r.get(k):
        bad.append("%s.%s is empty" % (r["event"], k))
if not str(cl.get("duration", "")).isdigit():
    bad.append("duration %r" % cl.get("duration"))
if not op["role"].startswith("arn:aws:iam::123456789012:role/Bastion"):
    bad.append("role %r" % op["role"])
print("; ".join(bad) or "ok")
PY
)
t_eq "auth_accepted, session_open, session_close carry what the login was (assertion ID, AccessKeyId in the credentials file, STS's expiry, tag, duration)" "$res" ok
for s in "$SECRET" "$TOKEN" "$(head -c 200 "$RESP/p35a.b64")"; do
	[ -n "$s" ] || continue
	if grep -qF -- "$s" "$AUDIT" "$JOURNAL" "$SYSLOG"; then
		t_fail "no secret key, token or Response in the audit file, the journal or syslog" \
			"found ${s:0:12}..."
	else
		t_ok "no secret key, token or Response in the audit file, the journal or syslog (${s:0:6}...)"
	fi
done
t_match "syslog carries the session_open record, AccessKeyId and all" "$(syslog_flush; grep -F 'session open: ' "$SYSLOG")" \
	"user=\"p35a\".*access_key_id=\"$KEYID\""

# ---------------------------------------------------------------------------- refusals

# both at once (each refusal costs PAM's fail delay), in one namespace (see the concurrent
# logins below); the tampered one was edited after signing
in_ns bash -c 'for f in "$4/p35a.b64" "$5/junk"; do
	"$1" -d "$2" -s "$3" -u p35a -r 192.0.2.30 -a "$f" auth >"$f.out" 2>&1 &
done
wait' sh "$DRIVE" "$PAMDIR" "$PAMENV_SERVICE" "$RESP" "$T_WORK"
t_match "the same Response again is refused" "$(cat "$RESP/p35a.b64.out")" '^auth: 7 '
t_match "a tampered Response is refused" "$(cat "$T_WORK/junk.out")" '^auth: 7 '
res=$(py "$AUDIT" "$ASSERTION" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
ref = [r for r in recs if r["event"] == "auth_refused" and r["user"] == "p35a"]
bad = []
rp = [r for r in ref if r["code"] == "replay"]
junk = [r for r in ref if r["code"] != "replay"]
if len(rp) != 1 or len(junk) != 1:
    bad.append("%d auth_refused records: %r" % (len(ref), [r["code"] for r in ref]))
else:
    rp, junk = rp[0], junk[0]
    if rp["code"] != "replay" or rp["issuer"] != "https://idp.example.test/metadata" or not rp["nameid"]:
        bad.append("replay record %r" % rp)
    if not junk["code"] or junk["issuer"] is not None or junk["nameid"] is not None:
        bad.append("tampered record %r" % junk)
    if not all(r["reason"] and r["service"] == "ecs35" and r["pid"] for r in ref):
        bad.append("reason/service/pid missing")
print("; ".join(bad) or "ok")
PY
)
t_eq "auth_refused: the replay's with its CODE and the verified Issuer and NameID, the tampered one's with its CODE and no Issuer (never verified)" "$res" ok

# ---------------------------------------------------------------------------- exec sessions

# exec_rec CREDFILE SID: the record ecs-saml-exec leaves in the login's credential directory
# for an exec session still open (libecs/ecs_exec_rec.h), the user's own file; its plugin a
# process that has ended.
sleep 0 &
DEADPID=$!
wait "$DEADPID"
exec_rec() {
	local dir owner f
	dir=$(dirname "$1")
	owner=$(stat -c %u:%g "$dir")
	f=$dir/exec-$2
	printf '%s\n' "ecs-saml-exec 1" "session_id=$2" "cluster=prod" \
		"task=0123456789abcdef0123456789abcdef" "container=app" "region=eu-west-3" \
		"ssm_endpoint=$STS_URL" "pid=$DEADPID" "pid_start=1" "uid=${owner%:*}" \
		"start=$(date +%s)" "reason=INC-35 audit" >"$f"
	chown "$owner" "$f"
	chmod 600 "$f"
}

# exec_check USER TAG KEY SID ENDED_BY: the one exec_terminated record of USER's login: root's
# facts (user, tag, AccessKeyId, who ended it, what SSM answered the helper: the stand-in's
# logged RequestId and verdict), the user's record as the user's claim, before the close.
exec_check() {
	cat "$STS_DIR"/requests-*.jsonl >"$T_WORK/ssm.jsonl"
	py "$AUDIT" "$T_WORK/ssm.jsonl" "$@" <<'PY'
import json, sys
path, ssm, user, tag, key, sid, by = sys.argv[1:8]
recs = [json.loads(l) for l in open(path)]
mine = [r for r in recs if r.get("user") == user]
ev = [r["event"] for r in mine]
bad = []
if ev != ["auth_accepted", "session_open", "exec_terminated", "session_close"]:
    bad.append("events %s" % ev)
ex = [r for r in mine if r["event"] == "exec_terminated"]
calls = [r for r in map(json.loads, open(ssm)) if r.get("action") == "TerminateSession"
         and r.get("session_id") == sid]
if len(ex) != 1 or len(calls) != 1:
    print("%d records, %d TerminateSession calls" % (len(ex), len(calls)))
    sys.exit()
e, c = ex[0], calls[0]
ok = "error" not in c
want = {"session": tag, "access_key_id": key, "ended_by": by, "claim": "user",
        "exec_session_id": sid, "cluster": "prod", "task": "0123456789abcdef0123456789abcdef",
        "container": "app", "region": "eu-west-3", "exec_reason": "INC-35 audit",
        "plugin": "gone", "ssm_request_id": c["request_id"],
        "result": "terminated" if ok else "not-terminated",
        "code": None if ok else "exec-terminate-refused"}
for k, v in want.items():
    if e.get(k) != v:
        bad.append("%s=%r, expected %r" % (k, e.get(k), v))
if c.get("access_key") != key:
    bad.append("TerminateSession signed with %r" % c.get("access_key"))
if not e.get("exec_pid", "").isdigit() or not e.get("exec_started", "").startswith("20"):
    bad.append("exec_pid/exec_started %r %r" % (e.get("exec_pid"), e.get("exec_started")))
print("; ".join(bad) or "ok")
PY
}

SID_E=ecs-execute-command-035e0000000000e01
out=$(drive p35e -a "$RESP/p35e.b64" fork-auth open env)
t_eq "exec at close: the login opens" "$(ops "$out")" "fork-auth: 0 open: 0 "
CRED_E=$(field "env: AWS_SHARED_CREDENTIALS_FILE" "$out")
TAG_E=$(field "env: PAM_ECS_SAML_SESSION" "$out")
KEY_E=$(sed -n 's/^aws_access_key_id *= *//p' "$CRED_E")
exec_rec "$CRED_E" "$SID_E"
out=$(drive p35e -E "PAM_ECS_SAML_SESSION=$TAG_E" close)
t_match "... and closes, its exec session recorded by ecs-saml-exec" "$out" '^close: 0 '
t_eq "exec_terminated at close: root's facts (tag, AccessKeyId, ended_by, SSM's answer to the helper's TerminateSession as the stand-in logged it), the record's fields as the user's claim" \
	"$(exec_check p35e "$TAG_E" "$KEY_E" "$SID_E" session-close)" ok

# ---------------------------------------------------------------------------- journal

in_ns "$HELPER" audit fields >"$T_WORK/fields"
res=$(py "$AUDIT" "$JOURNAL" "$T_WORK/fields" <<'PY'
import json, sys
ids = {l.split()[0]: l.split()[1] for l in open(sys.argv[3])}
recs = [json.loads(l) for l in open(sys.argv[1])]
ents = [json.loads(l) for l in open(sys.argv[2])]
bad = []
for r in recs:
    m = [e for e in ents if e.get("ECS_EVENT") == r["event"] and e.get("ECS_USER") == r.get("user")
         and e.get("ECS_SESSION", e.get("ECS_CODE")) == r.get("session", r.get("code"))]
    if not m:
        bad.append("no journal entry for %s" % r["event"])
        continue
    e = m[-1]
    if e.get("MESSAGE_ID") != ids[r["event"]] or r["message_id"] != ids[r["event"]]:
        bad.append("MESSAGE_ID of %s" % r["event"])
    if e.get("SYSLOG_IDENTIFIER") != "ecs-saml-helper" or e.get("SYSLOG_FACILITY") != "10":
        bad.append("identifier/facility of %s" % r["event"])
    for k, v in r.items():
        if k in ("time", "host", "event", "message_id"):
            continue
        if (v is None and "ECS_" + k.upper() in e) or (v is not None and e.get("ECS_" + k.upper()) != v):
            bad.append("%s: ECS_%s=%r, file %r" % (r["event"], k.upper(), e.get("ECS_" + k.upper()), v))
    if not e.get("MESSAGE", "").startswith(r["event"].replace("_accepted", " ok").replace("_", " ") + ": "):
        bad.append("MESSAGE of %s: %r" % (r["event"], e.get("MESSAGE")))
print("; ".join(bad[:4]) or "ok")
PY
)
t_eq "the journal got every record: its type's MESSAGE_ID, ECS_* fields equal to the file's, MESSAGE the syslog line" "$res" ok

# ---------------------------------------------------------------------------- concurrency

# all in one namespace: namespaces made at the same moment race for the overlays' work
# directories; this shell's wait has only the logins to wait for
in_ns bash -c 'for i in $(seq 1 "$1"); do
	"$2" -d "$3" -s "$4" -u "p35c$i" -r 192.0.2.30 -a "$5/p35c$i.b64" fork-auth open env close \
		>"$6/c$i.out" 2>&1 &
done
wait' sh "$N" "$DRIVE" "$PAMDIR" "$PAMENV_SERVICE" "$RESP" "$T_WORK"
bad=
for i in $(seq 1 $N); do
	[ "$(ops "$(cat "$T_WORK/c$i.out")")" = "fork-auth: 0 open: 0 close: 0 " ] ||
		bad+="p35c$i: $(tr '\n' ' ' <"$T_WORK/c$i.out" | tail -c 400) log: $(grep -F "\"p35c$i\"" "$SYSLOG" | grep -iE 'refused|fail|not ' | tail -n 3 | tr '\n' ' ') "
done
t_eq "$N concurrent logins all open and close" "$bad" ""
res=$(py "$AUDIT" "$N" <<'PY'
import json, sys
n = int(sys.argv[2])
lines = open(sys.argv[1], "rb").read().split(b"\n")
bad = [l for l in lines[:-1] if not l.startswith(b'{"time":')]
recs = [json.loads(l) for l in lines[:-1]]
mine = [r for r in recs if r.get("user", "").startswith("p35c")]
per = {}
for r in mine:
    per.setdefault(r["user"], []).append(r["event"])
ok = all(v == ["auth_accepted", "session_open", "session_close"] for v in per.values())
print("ok" if not bad and len(per) == n and ok and lines[-1] == b"" else
      "bad lines %d, users %d, %r" % (len(bad), len(per), per))
PY
)
t_eq "every line of the file is one whole record; each concurrent login has its three, in order" "$res" ok

# ---------------------------------------------------------------------------- journald down

journald_start --stuck
/usr/bin/python3 - "$SYSD/journal/socket" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.setblocking(False)
n = 0
try:
    while n < 100000:
        s.sendto(b"MESSAGE=filler\n", sys.argv[1]); n += 1
except BlockingIOError:
    pass
PY
before=$(wc -l <"$AUDIT")
start=$(date +%s)
out=$(login p35j)
took=$(($(date +%s) - start))
t_eq "a journald that does not read: the login still opens and closes" "$(ops "$out")" \
	"fork-auth: 0 open: 0 close: 0 "
t_check "... within its one second per record (took ${took}s)" test "$took" -lt 20
t_eq "... and the file has its three records" "$(($(wc -l <"$AUDIT") - before))" 3
t_match "... and syslog says the journal did not take them" "$(syslog_flush; cat "$SYSLOG")" \
	'audit record not sent to the journal: event="session_open"'
journald_stop
# no journald at all, and a login that ends without a close: gc ends its exec session
SID_G=ecs-execute-command-035g0000000000g01
out=$(drive p35g -a "$RESP/p35g.b64" fork-auth open env)
t_eq "no journald at all: the login opens (and its application goes without a close)" \
	"$(ops "$out")" "fork-auth: 0 open: 0 "
CRED_G=$(field "env: AWS_SHARED_CREDENTIALS_FILE" "$out")
TAG_G=$(field "env: PAM_ECS_SAML_SESSION" "$out")
KEY_G=$(sed -n 's/^aws_access_key_id *= *//p' "$CRED_G")
exec_rec "$CRED_G" "$SID_G"
out=$(in_ns "$HELPER" gc 2>&1)
t_match "gc reaps the dead login" "$out" 'removed [0-9]+ expired tickets, 1 dead sessions'
t_eq "exec_terminated in gc: ended_by gc, root's facts and SSM's answer, the user's claim labelled; the file has the login's four records" \
	"$(exec_check p35g "$TAG_G" "$KEY_G" "$SID_G" gc)" ok

# ---------------------------------------------------------------------------- a refused file

TARGET=$AUDIT_DIR/target.jsonl
install -m 600 /dev/null "$TARGET"
ln -s "$TARGET" "$AUDIT_DIR/link.jsonl"
sed -i "s|^audit_log = .*|audit_log = $AUDIT_DIR/link.jsonl|" "$NSCONF"
out=$(login p35s)
t_eq "audit_log a symlink: the login still opens and closes" "$(ops "$out")" \
	"fork-auth: 0 open: 0 close: 0 "
t_eq "... nothing written through the link" "$(stat -c %s "$TARGET")" 0
t_match "... and syslog says why, with its code" "$(syslog_flush; cat "$SYSLOG")" \
	"audit record not written: code=\"audit-log\" audit_log=\"$AUDIT_DIR/link.jsonl\" event=\"session_open\" reason=\"it is a symbolic link\""
install -m 600 -o 1 /dev/null "$AUDIT_DIR/foreign.jsonl"
sed -i "s|^audit_log = .*|audit_log = $AUDIT_DIR/foreign.jsonl|" "$NSCONF"
out=$(login p35f)
t_eq "audit_log owned by another user: refused, login unharmed" \
	"$(ops "$out") $(stat -c %s "$AUDIT_DIR/foreign.jsonl")" "fork-auth: 0 open: 0 close: 0  0"
sed -i "s|^audit_log = .*|audit_log = $AUDIT|" "$NSCONF"

# ---------------------------------------------------------------------------- README

res=$(py "$ECS_TOP/README" "$AUDIT" "$T_WORK/fields" <<'PY'
import json, re, sys
schema = {l.split()[0]: (l.split()[1], l.split()[2:]) for l in open(sys.argv[3])}
doc = {}
for m in re.finditer(r"^    ([a-z_]+) \(MESSAGE_ID ([0-9a-f]{32})\):\n((?:      .*\n)+)",
                     open(sys.argv[1]).read(), re.M):
    doc[m.group(1)] = (m.group(2), m.group(3).replace(",", " ").split())
bad = []
if doc != schema:
    bad.append("README %s != audit fields %s" % (sorted(doc.items()), sorted(schema.items())))
seen = set()
for l in open(sys.argv[2]):
    r = json.loads(l)
    seen.add(r["event"])
    keys = [k for k in r if k not in ("time", "host", "event", "message_id", "cut")]
    if keys != schema[r["event"]][1]:
        bad.append("%s record has %s" % (r["event"], keys))
        break
if seen != set(schema):
    bad.append("no record of %s produced" % sorted(set(schema) - seen))
print("; ".join(bad) or "ok")
PY
)
t_eq "README's record lists are \`audit fields\`, and every record produced has exactly its list's fields (exec_terminated too: teardown at close and in gc)" "$res" ok

# ---------------------------------------------------------------------------- audit sessions

out=$(in_ns "$HELPER" audit sessions)
t_match "audit sessions lists the logins, with open and close" "$out" \
	"^20[0-9-]{8}T[0-9:]{8}Z 20[0-9-]{8}T[0-9:]{8}Z +[0-9]+ p35a +192\.0\.2\.30 +ecs35 +$KEYID "
t_match "... and a count (the logins whose records the refused files lost are not there)" "$out" "^$((N + 4)) logins$"
audit sessions --user p35a --json >"$T_WORK/sessions.jsonl"
res=$(py "$KEYID" "$T_WORK/sessions.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[2])]
ok = len(rows) == 1 and rows[0]["access_key_id"] == sys.argv[1] and rows[0]["closed"] and \
     rows[0]["user"] == "p35a" and rows[0]["closed_by"] == "pam"
print("ok" if ok else rows)
PY
)
t_eq "--user p35a --json: one login, with its key and close" "$res" ok
t_eq "--since tomorrow: none" "$(audit sessions --since "$(date -u -d tomorrow +%F)" | tail -n 1)" "0 logins"
t_eq "--until yesterday: none" "$(audit sessions --until "$(date -u -d yesterday +%F)" | tail -n 1)" "0 logins"
t_eq "--since yesterday --until tomorrow: all" \
	"$(audit sessions --since "$(date -u -d yesterday +%F)" --until "$(date -u -d tomorrow +%F)" | tail -n 1)" \
	"$((N + 4)) logins"
out=$(audit sessions --since yesterday 2>&1)
t_match "a bad time is a usage error that says which" "$out" 'bad or unknown argument.*--since'

# ---------------------------------------------------------------------------- audit exec

py "$AUDIT" >"$T_WORK/logins.json" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
out = [{"access_key_id": r["access_key_id"], "source_identity": r["source_identity"] or r["session_name"],
        "assertion": r["assertion"], "session_name": r["session_name"], "time": r["time"]}
       for r in recs if r["event"] == "session_open" and r["user"] in ("p35a", "p35c1", "p35c2")]
json.dump(out, sys.stdout)
PY
CT=$T_WORK/ct
/usr/bin/python3 "$ECS_TOP/tests/audit/cloudtrail.py" fixture "$CT" "$T_WORK/logins.json"
t_check "fixtures: a gzip file, a plain file, a tree" test -f "$CT/plain.json" -a -d "$CT/tree" \
	-a -n "$(find "$CT/s3" -name '*.json.gz')"
in_ns "$HELPER" audit exec --cloudtrail "$CT/s3" "$CT/plain.json" "$CT/tree" --json \
	>"$T_WORK/exec.jsonl" 2>"$T_WORK/exec.err"
t_eq "audit exec succeeds" "$?" 0
res=$(py "$T_WORK/exec.jsonl" "$T_WORK/logins.json" <<'PY'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
logins = json.load(open(sys.argv[2]))
keys = {l["access_key_id"] for l in logins}
bad = []
ex = [e for e in ev if e["event"] == "ExecuteCommand"]
ar = [e for e in ev if e["event"] == "AssumeRoleWithSAML"]
ss = [e for e in ev if e["event"] == "StartSession"]
if len(ex) != len(logins) + 2 or len(ar) != len(logins) or len(ss) != 1:
    bad.append("counts %d %d %d" % (len(ex), len(ar), len(ss)))
for e in ex:
    if e["access_key_id"] in keys:
        g = e["login"]
        if not g or g["access_key_id"] != e["access_key_id"] or e["matched_on"] != "access_key_id" \
           or not g["user"].startswith("p35") or g["rhost"] != "192.0.2.30" or not g["nameid"] \
           or not g["closed"] or not g["opened"]:
            bad.append("exec not joined: %r" % e)
        if e["error_code"] is None and not (e["cluster"].endswith(":cluster/prod") and e["task"]
                and e["container"] == "app" and e["command"].startswith("/bin/sh -c")
                and e["ecs_session_id"].startswith("ecs-execute-command-")):
            bad.append("exec fields: %r" % e)
    elif e["access_key_id"] == "ASIAOUTSIDER00000001":
        if e["login"] is not None or e["matched_on"] is not None:
            bad.append("outsider joined: %r" % e)
    else:
        bad.append("unknown exec %r" % e)
if not any(e["error_code"] == "AccessDeniedException" and e["login"] for e in ex):
    bad.append("the refused exec is missing")
for e in ar:
    a = [l for l in logins if l["access_key_id"] == e["access_key_id"]]
    if not e["login"] or not a or e["assertion"] != a[0]["assertion"] or e["login"]["assertion"] != e["assertion"]:
        bad.append("AssumeRoleWithSAML not joined: %r" % e)
if ss and not (ss[0]["policy_should_deny"] is True and ss[0]["login"] and ss[0]["target"].startswith("ecs:prod_")):
    bad.append("StartSession: %r" % ss[0])
print("; ".join(bad[:3]) or "ok")
PY
)
t_eq "every ExecuteCommand (gzip, plain, tree) with its cluster, task, container, command, session ID and the login it came from; AssumeRoleWithSAML by key and assertion; the outsider's with no login; StartSession flagged" "$res" ok
t_match "a file in the tree that is no log file is reported, not fatal" "$(cat "$T_WORK/exec.err")" \
	'garbage\.json: not a CloudTrail log file: skipped'
t_match "... and the summary counts" "$(cat "$T_WORK/exec.err")" \
	'audit exec: 4 files \(1 skipped\), .* 1 StartSession; [0-9]+ with a bastion login, 1 without'
out=$(audit exec --cloudtrail "$CT" 2>/dev/null)
t_match "text: the outsider's exec says NO BASTION LOGIN" "$out" \
	'ExecuteCommand .*key=ASIAOUTSIDER00000001 .*<- NO BASTION LOGIN$'
t_match "text: a joined exec names the Unix user, rhost and login" "$out" \
	"ExecuteCommand .*command=\"/bin/sh -c 'echo login 0'\".* <- p35[a-z0-9]+ from 192\\.0\\.2\\.30, login 20"
t_eq "--since after every event: nothing" \
	"$(audit exec --cloudtrail "$CT" --since "$(date -u -d tomorrow +%F)" 2>/dev/null | wc -l)" 0
out=$(audit exec --cloudtrail "$T_WORK/nonexistent" 2>&1)
t_match "a path that does not exist is an error that names it" "$out" "nonexistent: No such file"

t_done
