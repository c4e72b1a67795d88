#!/bin/bash
# Suite 32: the stand-in AWS (tests/sts/fake_sts.py as STS + ECS + SSM on one port) and the
# stub session-manager-plugin (tests/sts/plugin), checked against Debian's awscli and
# botocore's own SigV4 signer, with credentials the product obtained (tests/sts/sts-probe,
# i.e. the helper's STS client and the shipped session policy):
#   - the verifier and the policy evaluator on their own (tests/sts/test_aws_standin.py:
#     AWS's SigV4 test-suite vectors, every condition operator the template may use);
#   - aws ecs describe-tasks / execute-command reach it and pass signature verification; the
#     stock CLI hands the session token to the plugin in argv, which the stub records and
#     refuses; errors as AWS words them (ClusterNotFound, TargetNotConnected, not enabled);
#   - the product's session policy: a cluster outside ecs_clusters and ssm start-session are
#     denied, the latter by the explicit deny;
#   - tampered, unknown, expired, skewed signatures get AWS's error per protocol;
#   - the stub holds its session until TerminateSession, a kill, or the shell's exit;
#   - 127.0.0.2 plays "elsewhere": a network pin in the role or the session policy denies it;
#   - ecs-saml-exec, run as the session's user with the product's files: signature verified,
#     the stub gets the session from its environment, no process's argv holds the token (a
#     second user scans /proc), the exec session is recorded until it ends; refusals as
#     sentences with their exit codes.
# Ports (127.0.0.1 only): 18340 the stand-in, 18341 its relay whose clients come from 127.0.0.2.
. "$(dirname "$0")/../lib/tap.sh"
. "$ECS_TOP/tests/lib/sts.sh"

PROBE=$B/tests/sts-probe
AWS_PORT=18340
STS_ELSEWHERE_PORT=18341
ROLE=arn:aws:iam::123456789012:role/EcsExec
IDP=arn:aws:iam::123456789012:saml-provider/corp-idp
SAML_SRC=$CORPUS/responses/future/pysaml2/assertion-rsa-sha256-5k.b64
PY=/usr/bin/python3
AWS=/usr/bin/aws
CLIENT="$PY $ECS_TOP/tests/sts/aws_client.py"
UA=42431	# the session's user
ECS=AmazonEC2ContainerServiceV20141113
T1=0123456789abcdef0123456789abcdef	# prod: one container
T2=11111111111111111111111111111111	# prod: two containers
TOFF=22222222222222222222222222222222	# prod: enableExecuteCommand false
TNC=33333333333333333333333333333333	# prod: agent not connected
TS=44444444444444444444444444444444	# staging (not in ecs_clusters)

[ -x "$PROBE" ] || { t_fail "sts-probe built" "missing $PROBE"; t_done; }
[ -r "$SAML_SRC" ] || { t_fail "corpus Response" "missing $SAML_SRC"; t_done; }

# ---- the verifier and the evaluator on their own -------------------------------------------

$PY "$ECS_TOP/tests/sts/test_aws_standin.py"

# ---- fixtures -------------------------------------------------------------------------------

sts_start "$AWS_PORT" ok 2>"$T_WORK/sts.err" ||
	{ t_fail "stand-in started" "$(cat "$T_WORK/sts.err")"; t_done; }
CA=$STS_CA
URL=https://127.0.0.1:$AWS_PORT
ELSEWHERE=https://127.0.0.1:$STS_ELSEWHERE_PORT
tr -d ' \r\n' <"$SAML_SRC" >"$T_WORK/saml.b64"
install -m 644 "$ECS_TOP/pam.d/ecs-exec-session-policy.json" "$T_WORK/policy.json"

# world [ROLE_POLICY_JSON] [EXPIRED_KEYS_JSON]: the stand-in's tasks, and the role's policy
# (default: everything; the session policy is what narrows).
world() {
	local rp=${1:-'{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'}
	cat >"$STS_WORLD.tmp" <<JSON
{"clusters": {
   "prod": {"tags": {"env": "prod"}, "tasks": {
     "$T1": {"containers": [{"name": "app"}]},
     "$T2": {"containers": [{"name": "app"}, {"name": "sidecar", "runtimeId": "$T2-sidecar"}]},
     "$TOFF": {"enableExecuteCommand": false, "containers": [{"name": "app"}]},
     "$TNC": {"agentConnected": false, "containers": [{"name": "app"}]}}},
   "staging": {"tasks": {"$TS": {"containers": [{"name": "app"}]}}}},
 "role_policy": $rp,
 "expired_keys": ${2:-[]}}
JSON
	mv "$STS_WORLD.tmp" "$STS_WORLD"
}
world

CONF_DEFAULTS=("region = eu-west-1" "sts_ca_file = $CA" "session_policy = $T_WORK/policy.json"
	"ecs_clusters = prod" "ecs_clusters = payments-eu"
	"sts_endpoint = $URL/" "sts_timeout = 6")
RUN=$T_WORK/run/user
FB=$T_WORK/run/ecs/users
mkdir -p "$RUN/$UA" && chmod 755 "$T_WORK/run" "$RUN" && chown $UA:$UA "$RUN/$UA" && chmod 700 "$RUN/$UA"

# login NAME: credentials as session open writes them (the product's STS call and session
# policy), in $T_WORK/NAME.credentials / .config, readable by root; the key in $AKID.
login() {
	local out=$T_WORK/probe-$1.out tag
	tag=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
	"$PROBE" assume --config "$(conf_new "$1")" --role "$ROLE" --principal "$IDP" \
		--saml "$T_WORK/saml.b64" --user alice --uid $UA --gid $UA --tag "$tag" \
		--run-user "$RUN" --fallback "$FB" >"$out" 2>"$T_WORK/probe-$1.err"
	AKID=$(field access_key_id <"$out")
	cp "$RUN/$UA/pam_ecs_saml/$tag/credentials" "$T_WORK/$1.credentials"
	cp "$RUN/$UA/pam_ecs_saml/$tag/config" "$T_WORK/$1.config"
	[ -n "$AKID" ]
}
t_check "the product obtains credentials from the stand-in's STS, with its session policy" login alice
ALICE=$AKID
t_check "the stand-in kept the session policy with the key" \
	$PY -c 'import json,sys; e=json.load(open(sys.argv[1]))[sys.argv[2]]; json.loads(e["policy"])' \
	"$STS_STATE" "$ALICE"

# awsx NAME ARGS...: Debian's awscli with NAME's files, the test CA and the stub plugin first
# on PATH; output and errors in $OUT as one line, status in $RC.
PLUGLOG=$T_WORK/plugin.jsonl
awsx() {
	local n=$1
	shift
	OUT=$(env -i PATH="$STS_PLUGIN_DIR:/usr/bin:/bin" HOME="$T_WORK" \
		AWS_SHARED_CREDENTIALS_FILE="$T_WORK/$n.credentials" AWS_CONFIG_FILE="$T_WORK/$n.config" \
		AWS_CA_BUNDLE="$CA" AWS_EC2_METADATA_DISABLED=true AWS_PAGER= STUB_PLUGIN_LOG="$PLUGLOG" \
		$AWS --endpoint-url "$URL" "$@" 2>&1)
	RC=$?
	OUT=$(tr -s '\n' ' ' <<<"$OUT" | sed 's/^ *//; s/ *$//')
}
# last [FILTER]: a Python expression over r, the last request in $STS_LOG (whose action is
# FILTER when given).
last() {
	$PY -c 'import json,sys
rs=[json.loads(l) for l in open(sys.argv[1])]
rs=[r for r in rs if not sys.argv[3] or r.get("action")==sys.argv[3]]
r=rs[-1] if rs else {}
print(eval(sys.argv[2]))' "$STS_LOG" "$1" "${2:-}"
}
# wait_until CMD...: polls CMD (50 ms) for up to 30 s (a loaded machine is slow).
wait_until() {
	local i
	for ((i = 0; i < 600; i++)); do
		"$@" && return 0
		sleep 0.05
	done
	return 1
}
plugin_rec() {	# plugin_rec PID EVENT EXPR
	$PY -c 'import json,sys
rs=[json.loads(l) for l in open(sys.argv[1]) if l.strip()]
rs=[r for r in rs if r["pid"]==int(sys.argv[2]) and r["event"]==sys.argv[3]]
print(eval(sys.argv[4], {"r": rs[-1]}) if rs else "")' "$PLUGLOG" "$@"
}
session_field() {	# session_field ID KEY
	$PY -c 'import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2], {}).get(sys.argv[3]))' \
		"$STS_SESSIONS" "$1" "$2"
}

# ---- awscli against ECS -------------------------------------------------------------------

awsx alice ecs describe-tasks --cluster prod --tasks "$T1" \
	--query 'tasks[0].containers[0].[name,runtimeId,managedAgents[0].lastStatus]' --output text
t_match "aws ecs describe-tasks: the world's task, its runtimeId and agent" "$RC:$OUT" \
	"^0:app[[:space:]]+$T1-[0-9]{10}[[:space:]]+RUNNING\$"
t_eq "describe-tasks: signature verified with the issued secret, allowed" \
	"$(last 'r["sigv4"]+" "+r["decision"]+" "+r["access_key"]+" "+r["source_ip"]' DescribeTasks)" \
	"valid allow $ALICE 127.0.0.1"
awsx alice ecs describe-tasks --cluster prod --tasks 99999999999999999999999999999999 \
	--query 'failures[0].reason' --output text
t_eq "describe-tasks: an unknown task is a failure MISSING" "$RC:$OUT" "0:MISSING"

: >"$PLUGLOG"
awsx alice ecs execute-command --cluster prod --task "$T1" --container app --command /bin/sh --interactive
t_check "aws ecs execute-command: the stub refused its argv, so the CLI failed ($RC)" test "$RC" -ne 0
t_eq "execute-command: ExecuteCommand then DescribeTasks, both verified and allowed" \
	"$(tail -n 2 "$STS_LOG" | $PY -c 'import json,sys; print(" ".join(r["action"]+":"+r["sigv4"]+":"+r["decision"] for r in map(json.loads, sys.stdin)))')" \
	"ExecuteCommand:valid:allow DescribeTasks:valid:allow"
SID=$(last 'r["session_id"]' ExecuteCommand)
t_match "execute-command: an ecs-execute-command-<id> session" "$SID" '^ecs-execute-command-[0-9a-f]{17}$'
STUB=$($PY -c 'import json,sys; print([json.loads(l) for l in open(sys.argv[1])][-1]["pid"])' "$PLUGLOG")
t_eq "the stock CLI puts the session token in the plugin's argv (the stub's record)" \
	"$(plugin_rec "$STUB" start 'r["handover"]+" "+str(r["token_in_argv"])+" "+r["session_id"]')" \
	"argv True $SID"
t_eq "the token in that argv is the one the stand-in issued for the session" \
	"$(plugin_rec "$STUB" start 'r["token_sha256"]')" "$(last 'r["token_sha256"]' ExecuteCommand)"
t_match "the stub found it in argv[1] itself" "$(plugin_rec "$STUB" start 'r["argv"][1]')" '"tokenValue": "'
t_eq "the stub refused to run with it (exit 97)" "$(plugin_rec "$STUB" end 'r["reason"]+" "+r["detail"]')" \
	"refused token in argv"
t_match "the rest of the CLI's command line: region, StartSession, target, the ECS endpoint" \
	"$(plugin_rec "$STUB" start '" ".join(r["argv"][2:4]+[r["target"], r["endpoint"]])')" \
	"^eu-west-1 StartSession ecs:prod_${T1}_$T1-[0-9]{10} $URL\$"
t_check "the stub recorded environment names only, never values" \
	$PY -c 'import json,sys
r=[json.loads(l) for l in open(sys.argv[1])][0]
assert "AWS_SHARED_CREDENTIALS_FILE" in r["env_names"] and all("=" not in n and "/" not in n for n in r["env_names"])' "$PLUGLOG"

awsx alice ecs execute-command --cluster staging --task "$TS" --command /bin/sh --interactive
t_match "a cluster outside ecs_clusters: AccessDenied by the product's session policy" "$RC:$OUT" \
	"^254:.*AccessDeniedException.*is not authorized to perform: ecs:ExecuteCommand on resource: arn:aws:ecs:eu-west-1:123456789012:cluster/staging because no session policy allows the ecs:ExecuteCommand action"
t_eq "... logged as an implicit deny by the session policy" "$(last 'r["decision"]+" "+r["denied_by"]' ExecuteCommand)" \
	"implicit-deny session"
awsx alice ecs execute-command --cluster payments-eu --task "$T1" --command /bin/sh --interactive
t_match "an allowed cluster the account lacks: ClusterNotFoundException" "$RC:$OUT" \
	"^254:.*ClusterNotFoundException.*Cluster not found"
awsx alice ecs execute-command --cluster prod --task "$TNC" --command /bin/sh --interactive
t_match "agent not connected: TargetNotConnectedException" "$RC:$OUT" "^254:.*TargetNotConnectedException"
awsx alice ecs execute-command --cluster prod --task "$TOFF" --command /bin/sh --interactive
t_match "enableExecuteCommand off: InvalidParameterException, AWS's words" "$RC:$OUT" \
	"^254:.*InvalidParameterException.*execute command was not enabled when the task was run"
awsx alice ecs execute-command --cluster prod --task "$T2" --command /bin/sh --interactive
t_match "two containers and none named: InvalidParameterException" "$RC:$OUT" "^254:.*InvalidParameterException.*Container name"

# ---- SSM under the product's session policy ------------------------------------------------

awsx alice ssm start-session --target "ecs:prod_${T1}_$T1-1000000000"
t_match "aws ssm start-session: denied by the explicit deny of the session policy" "$RC:$OUT" \
	"^254:.*AccessDeniedException.*is not authorized to perform: ssm:StartSession on resource: arn:aws:ecs:eu-west-1:123456789012:task/prod/$T1 with an explicit deny in a session policy"
t_eq "... logged as such, with no session opened" \
	"$(last 'r["decision"]+" "+r["denied_by"]+" "+str(r.get("session_id"))' StartSession)" "explicit-deny session None"

# ---- signatures: botocore's signer, then tampering ------------------------------------------

DT='{"cluster":"prod","tasks":["'$T1'"]}'
call() { OUT=$($CLIENT --endpoint "$URL" --ca "$CA" --credentials "$T_WORK/alice.credentials" "$@" 2>&1); }
call "$ECS.DescribeTasks" "$DT"
t_match "botocore's SigV4 signer: accepted" "$OUT" '^200 \{"tasks": \[\{"taskArn"'
call --tamper body "$ECS.DescribeTasks" "$DT"
t_match "body changed after signing: InvalidSignatureException" "$OUT" \
	'^400 \{"__type": "InvalidSignatureException", "message": "The request signature we calculated does not match'
call --tamper signature "$ECS.DescribeTasks" "$DT"
t_match "signature changed: InvalidSignatureException" "$OUT" '^400 \{"__type": "InvalidSignatureException"'
t_eq "... logged as a mismatch, no decision" "$(last 'r["sigv4"]+" "+str(r.get("decision"))')" "mismatch None"
call --access-key ASIAUNKNOWNUNKNOWN12 "$ECS.DescribeTasks" "$DT"
t_match "unknown access key: UnrecognizedClientException" "$OUT" \
	'^400 \{"__type": "UnrecognizedClientException", "message": "The security token included in the request is invalid."\}'
call --access-key ASIAUNKNOWNUNKNOWN12 AmazonSSM.TerminateSession '{"SessionId":"x"}'
t_match "unknown access key, SSM: UnrecognizedClientException with SSM's Message" "$OUT" \
	'^400 \{"__type": "UnrecognizedClientException", "Message": '
call --skew -900 "$ECS.DescribeTasks" "$DT"
t_match "signed 15 minutes ago: InvalidSignatureException, Signature expired" "$OUT" \
	'^400 \{"__type": "InvalidSignatureException", "message": "Signature expired: '
call --service ssm "$ECS.DescribeTasks" "$DT"
t_match "scoped to ssm but sent to ECS: InvalidSignatureException" "$OUT" "scoped to correct service: 'ecs'"
call --source 127.0.0.2 "$ECS.DescribeTasks" "$DT"
t_eq "a client bound to 127.0.0.2 is seen as 127.0.0.2" "${OUT%% *} $(last 'r["source_ip"]')" "200 127.0.0.2"

printf '[default]\naws_access_key_id = ASIAUNKNOWNUNKNOWN12\naws_secret_access_key = x\naws_session_token = y\n' \
	>"$T_WORK/nobody.credentials"
cp "$T_WORK/alice.config" "$T_WORK/nobody.config"
awsx nobody ecs describe-tasks --cluster prod --tasks "$T1"
t_match "aws ecs with an unknown key: UnrecognizedClientException" "$RC:$OUT" "^254:.*UnrecognizedClientException"
awsx nobody sts get-caller-identity
t_match "aws sts with an unknown key: InvalidClientTokenId" "$RC:$OUT" "^254:.*InvalidClientTokenId"

t_check "a second login for the expiry checks" login bob
BOB=$AKID
world "" "[\"$BOB\"]"
awsx bob ecs describe-tasks --cluster prod --tasks "$T1"
t_match "expired credentials, ECS: ExpiredTokenException" "$RC:$OUT" \
	"^254:.*ExpiredTokenException.*The security token included in the request is expired"
awsx bob ssm terminate-session --session-id "$SID"
t_match "expired credentials, SSM: ExpiredTokenException" "$RC:$OUT" "^254:.*ExpiredTokenException"
awsx bob sts get-caller-identity
t_match "expired credentials, STS: ExpiredToken" "$RC:$OUT" "^254:.*ExpiredToken\b"
awsx alice sts get-caller-identity --query Arn --output text
t_eq "another key stays valid (get-caller-identity)" "$RC:$OUT" \
	"0:arn:aws:sts::123456789012:assumed-role/EcsExec/alice@corp.example.test"
world

# ---- the stub plugin holds the session ------------------------------------------------------

# exec_session: ExecuteCommand through botocore's signer; the session JSON in $SESSION, its
# id in $XSID.
exec_session() {
	call "$ECS.ExecuteCommand" '{"cluster":"prod","task":"'$T1'","container":"app","command":"/bin/sh","interactive":true}'
	SESSION=$($PY -c 'import json,sys; print(json.dumps(json.loads(sys.argv[1].split(" ",1)[1])["session"]))' "$OUT")
	XSID=$($PY -c 'import json,sys; print(json.loads(sys.argv[1])["sessionId"])' "$SESSION")
}
# stub: the stub plugin with the session handed over in the environment, as ecs-saml-exec
# does; its pid in $SPID, its stdout in $T_WORK/stub-$XSID.out, stdin from the fifo
# $T_WORK/stub-$XSID.in. STUB_CA: how it learns the CA (default AWS_CA_BUNDLE=$CA).
stub() {
	mkfifo "$T_WORK/stub-$XSID.in"
	env -i PATH=/usr/bin:/bin "${STUB_CA:-AWS_CA_BUNDLE=$CA}" STUB_PLUGIN_LOG="$PLUGLOG" \
		AWS_SSM_START_SESSION_RESPONSE="$SESSION" "$STS_PLUGIN_DIR/session-manager-plugin" \
		AWS_SSM_START_SESSION_RESPONSE eu-west-1 StartSession '' \
		"{\"Target\": \"ecs:prod_${T1}_$T1-1000000000\"}" "$URL" \
		<>"$T_WORK/stub-$XSID.in" >"$T_WORK/stub-$XSID.out" 2>&1 &
	SPID=$!
	t_on_exit "kill $SPID 2>/dev/null"
}
opened() { [ "$(session_field "$1" data_channel_opens)" -ge 1 ] 2>/dev/null; }
gone() { ! kill -0 "$1" 2>/dev/null; }

exec_session
stub
t_check "stub: opens the session's data channel with the token from the environment" wait_until opened "$XSID"
t_eq "stub: recorded the env hand-over, no token in argv" \
	"$(plugin_rec "$SPID" start 'r["handover"]+" "+str(r["token_in_argv"])+" "+r["session_id"]')" "env False $XSID"
t_check "stub: still holding the session" kill -0 "$SPID"
awsx alice ssm terminate-session --session-id "$XSID"
t_match "aws ssm terminate-session of one's exec session: allowed by the product's policy" "$RC:$OUT" "^0:.*\"SessionId\": \"$XSID\""
t_check "stub: ends once the stand-in received TerminateSession" wait_until gone "$SPID"
wait "$SPID"
t_eq "stub: exit 0, recorded as terminated by that key" \
	"$?:$(plugin_rec "$SPID" end 'r["reason"]+" "+r["terminated_by"]')" "0:terminated $ALICE"
t_eq "stand-in: the session is Terminated by that key" \
	"$(session_field "$XSID" status) $(session_field "$XSID" terminated_by)" "Terminated $ALICE"
t_match "stub: says so as the real plugin does" "$(cat "$T_WORK/stub-$XSID.out")" "Exiting session with sessionId: $XSID"
awsx alice ssm resume-session --session-id "$XSID"
t_match "resume-session of a terminated session: DoesNotExistException" "$RC:$OUT" "^254:.*DoesNotExistException"

printf '[default]\nregion = eu-west-1\nca_bundle = %s\n' "$CA" >"$T_WORK/cab.config"
exec_session
STUB_CA=AWS_CONFIG_FILE=$T_WORK/cab.config stub
t_check "a stub without AWS_CA_BUNDLE takes ca_bundle from the AWS config file, as the SDK does" \
	wait_until opened "$XSID"
awsx alice ssm terminate-session --session-id "$XSID"
t_check "... and ends with TerminateSession" wait_until gone "$SPID"

exec_session
stub
t_check "second stub: holding" wait_until opened "$XSID"
kill -TERM "$SPID"
t_check "second stub: gone after SIGTERM" wait_until gone "$SPID"
t_eq "second stub: recorded the signal" "$(plugin_rec "$SPID" end 'r["reason"]+" "+str(r["signal"])')" "signal 15"
t_eq "killing the plugin does not end the session at AWS (it stays Connected)" \
	"$(session_field "$XSID" status)" "Connected"
awsx alice ssm resume-session --session-id "$XSID" --query SessionId --output text
t_eq "resume-session of the live session: allowed, same id" "$RC:$OUT" "0:$XSID"
awsx alice ssm terminate-session --session-id "$XSID"
t_eq "then terminate-session ends it" "$RC:$(session_field "$XSID" status)" "0:Terminated"

exec_session
t_eq "the command is logged as CloudTrail records it, verbatim" "$(last 'r["command"]' ExecuteCommand)" "/bin/sh"
stub
t_check "a stub across a restart of the stand-in: holding" wait_until opened "$XSID"
n=$(session_field "$XSID" data_channel_opens)
sts_restart ok 2>>"$T_WORK/sts.err" || t_fail "stand-in restarted" "$(tail -n 1 "$T_WORK/sts.err")"
reopened() { [ "$(session_field "$XSID" data_channel_opens)" -gt "$n" ]; }
t_check "... the stub reconnects to the restarted stand-in, which kept the session" wait_until reopened
awsx alice ssm terminate-session --session-id "$XSID"
t_check "... and TerminateSession after the restart still ends it" wait_until gone "$SPID"
t_eq "... recorded as terminated" "$(plugin_rec "$SPID" end 'r["reason"]')" "terminated"

exec_session
stub
t_check "third stub: holding" wait_until opened "$XSID"
echo exit >"$T_WORK/stub-$XSID.in"
t_check "third stub: 'exit' typed in the shell ends it" wait_until gone "$SPID"
t_eq "third stub: recorded as the shell's exit; the session Terminated by the agent" \
	"$(plugin_rec "$SPID" end 'r["reason"]') $(session_field "$XSID" terminated_by)" "exit agent:exit"

exec_session
SESSION=$($PY -c 'import json,sys; s=json.loads(sys.argv[1]); t=s["tokenValue"]; s["tokenValue"]=("A" if t[0]!="A" else "B")+t[1:]; print(json.dumps(s))' "$SESSION")
stub
t_check "stub with a wrong token: ends" wait_until gone "$SPID"
t_eq "stub with a wrong token: refused by the data channel" "$(plugin_rec "$SPID" end 'r["detail"]')" "data channel: HTTP 403"

# ---- ecs-saml-exec, the product's launcher ---------------------------------------------------
# As the session's user, with only the files the module wrote and the variables it exports,
# the stub plugin first on PATH: ecs-saml-exec reaches the stand-in with a verified
# signature, the stub gets the session from its environment, no process's argv carries the
# token (scanned as another local user while the session is open), and the exec session is
# recorded in the login's credential directory until it ends.

EXEC=$B/ecs-saml-exec
ADIR=$(dirname "$(grep -l "$ALICE" "$RUN/$UA"/pam_ecs_saml/*/credentials | head -n 1)")
install -m 644 "$CA" "$T_WORK/ca-public.pem"	# the test CA's own file is root's, 0600
XLOG=$T_WORK/xplugin.jsonl
install -m 644 -o "$UA" -g "$UA" /dev/null "$XLOG"
# xexec ARGS...: ecs-saml-exec as the session's user; output in $OUT, status in $RC.
xexec() {
	OUT=$(setpriv --reuid=$UA --regid=$UA --clear-groups env -i PATH="$STS_PLUGIN_DIR:/usr/bin:/bin" \
		HOME="$T_WORK" AWS_SHARED_CREDENTIALS_FILE="$ADIR/credentials" \
		AWS_CONFIG_FILE="$ADIR/config" AWS_CA_BUNDLE="$T_WORK/ca-public.pem" \
		STUB_PLUGIN_LOG="$XLOG" "$EXEC" --endpoint-url "$URL" "$@" 2>&1 </dev/null)
	RC=$?
}
# xexec_bg ARGS...: the same in the background, stdin from the fifo $T_WORK/xexec.in, its
# pid in $XPID, its output in $T_WORK/xexec.out.
xexec_bg() {
	rm -f "$T_WORK/xexec.in"
	mkfifo -m 666 "$T_WORK/xexec.in"
	setpriv --reuid=$UA --regid=$UA --clear-groups env -i PATH="$STS_PLUGIN_DIR:/usr/bin:/bin" \
		HOME="$T_WORK" AWS_SHARED_CREDENTIALS_FILE="$ADIR/credentials" \
		AWS_CONFIG_FILE="$ADIR/config" AWS_CA_BUNDLE="$T_WORK/ca-public.pem" \
		STUB_PLUGIN_LOG="$XLOG" "$EXEC" --endpoint-url "$URL" "$@" \
		<>"$T_WORK/xexec.in" >"$T_WORK/xexec.out" 2>&1 &
	XPID=$!
	t_on_exit "kill $XPID 2>/dev/null"
}
xrec() {	# xrec EVENT EXPR: over the last record of EVENT in the launcher's plugin log
	$PY -c 'import json,sys
rs=[json.loads(l) for l in open(sys.argv[1]) if l.strip()]
rs=[r for r in rs if r["event"]==sys.argv[2]]
print(eval(sys.argv[3], {"r": rs[-1]}) if rs else "")' "$XLOG" "$@"
}
recorded() { [ -n "$(ls "$ADIR" | grep '^exec-')" ]; }
started() { [ -n "$(xrec start 'r["pid"]')" ]; }

n0=$(wc -l <"$STS_LOG")
xexec_bg --cluster prod --task "$T1" --reason "INC-4711 check the queue"
t_check "ecs-saml-exec: the stub plugin starts" wait_until started
XSID=$(last 'r["session_id"]' ExecuteCommand)
t_check "ecs-saml-exec: the stub opens the session's data channel" wait_until opened "$XSID"
t_eq "ecs-saml-exec: DescribeTasks then ExecuteCommand, signed with alice's key, verified, allowed" \
	"$(tail -n +$((n0 + 1)) "$STS_LOG" | $PY -c 'import json,sys
print(" ".join(r["action"]+":"+r["sigv4"]+":"+r["decision"]+":"+r["access_key"] for r in map(json.loads, sys.stdin)))')" \
	"DescribeTasks:valid:allow:$ALICE ExecuteCommand:valid:allow:$ALICE"
t_eq "the session came through the environment, not argv" \
	"$(xrec start 'r["handover"]+" "+str(r["token_in_argv"])+" "+r["session_id"]')" "env False $XSID"
t_eq "the plugin's argv: the variable's name, region, StartSession, empty profile" \
	"$(xrec start '"|".join(r["argv"][1:5])')" "AWS_SSM_START_SESSION_RESPONSE|eu-west-1|StartSession|"
t_match "... then the target with the container's runtime ID, and the endpoint" \
	"$(xrec start 'r["target"]+" "+r["endpoint"]')" "^ecs:prod_${T1}_$T1-[0-9]{10} $URL\$"
t_eq "the plugin got the token the stand-in issued for the session" \
	"$(xrec start 'r["token_sha256"]')" "$(last 'r["token_sha256"]' ExecuteCommand)"
t_eq "the plugin runs as the session's user" "$(xrec start 'r["uid"]')" "$UA"
t_check "a second local user scanning every /proc/*/cmdline sees no token" \
	setpriv --reuid=$((UA + 1)) --regid=$((UA + 1)) --clear-groups $PY -c 'import glob,hashlib,sys
want=sys.argv[1]
for f in glob.glob("/proc/[0-9]*/cmdline"):
    try:
        b=open(f,"rb").read()
    except OSError:
        continue
    assert b"token" b"Value" not in b, f	# spelt apart: the scanner is a process too
    for i in range(max(0,len(b)-199)):
        assert hashlib.sha256(b[i:i+200]).hexdigest()!=want, f' "$(last 'r["token_sha256"]' ExecuteCommand)"
t_check "the exec session is recorded in the login's credential directory" wait_until recorded
REC=$ADIR/exec-$XSID
t_eq "the record: exec-<session id>, the user's, 0600" "$(stat -c '%u %a' "$REC" 2>&1)" "$UA 600"
t_eq "the record names the session, cluster, task, container, region, endpoint, plugin, reason" \
	"$(sed -n 's/^\(session_id\|cluster\|task\|container\|region\|ssm_endpoint\|pid\|uid\|reason\)=//p' "$REC" | tr '\n' '|')" \
	"$XSID|prod|$T1|app|eu-west-1|$URL|$(xrec start 'r["pid"]')|$UA|INC-4711 check the queue|"
echo exit >"$T_WORK/xexec.in"
t_check "'exit' in the remote shell ends ecs-saml-exec" wait_until gone "$XPID"
wait "$XPID"
t_eq "... with status 0, and its record is gone" "$?:$(ls "$ADIR" | grep -c '^exec-')" "0:0"

xexec_bg --cluster prod --task "$T1"
t_check "a second session: recorded" wait_until recorded
XSID=$(last 'r["session_id"]' ExecuteCommand)
t_check "... and held by the plugin" wait_until opened "$XSID"
kill -TERM "$(sed -n 's/^pid=//p' "$ADIR/exec-$XSID")"
t_check "the plugin killed: ecs-saml-exec ends" wait_until gone "$XPID"
wait "$XPID"
t_eq "... with status 5, saying so; the record stays for the teardown at logout" \
	"$?:$(grep -cE 'session-manager-plugin (ended with status 143|was killed by signal 15)' \
		"$T_WORK/xexec.out"):$(ls "$ADIR" | grep -c "^exec-$XSID\$")" "5:1:1"
awsx alice ssm terminate-session --session-id "$XSID"
rm -f "$ADIR/exec-$XSID"

n0=$(wc -l <"$STS_LOG")
xexec --cluster staging --task "$TS"
t_match "ecs-saml-exec, a cluster outside ecs_clusters: exit 1 and the sentence" "$RC:$OUT" \
	"^1:ecs-saml-exec: not allowed: this bastion session may not call ecs:DescribeTasks on cluster staging .*ecs_clusters"
t_eq "... the stand-in denied it by the session policy" "$(last 'r["decision"]+" "+r["denied_by"]')" \
	"implicit-deny session"
xexec --cluster prod --task "$TNC"
t_match "agent not connected: exit 1, TargetNotConnected as a sentence" "$RC:$OUT" \
	"^1:ecs-saml-exec: task $TNC is not connected for exec"
n0=$(wc -l <"$STS_LOG")
xexec --cluster prod --task "$TOFF"
t_match "enableExecuteCommand off: told from DescribeTasks" "$RC:$OUT" \
	"^1:ecs-saml-exec: task $TOFF was started without enableExecuteCommand"
t_eq "... and no ExecuteCommand was sent" "$(tail -n +$((n0 + 1)) "$STS_LOG" | grep -c '"ExecuteCommand"')" "0"
xexec --cluster prod --task "$T2"
t_match "two containers, none named: the names" "$RC:$OUT" \
	"^1:ecs-saml-exec: task $T2 has 2 containers \(app, sidecar\): name one with --container"
xexec --cluster prod --task 99999999999999999999999999999999
t_match "an unknown task: exit 1" "$RC:$OUT" "^1:ecs-saml-exec: task 9+ is not in cluster prod"
xexec --cluster payments-eu --task "$T1"
t_match "an allowed cluster the account lacks: ClusterNotFound as a sentence" "$RC:$OUT" \
	"^1:ecs-saml-exec: cluster payments-eu does not exist in region eu-west-1"
world "" "[\"$ALICE\"]"
xexec --cluster prod --task "$T1"
t_match "expired credentials: exit 4, log in again" "$RC:$OUT" \
	"^4:ecs-saml-exec: this bastion session's AWS credentials have expired: log in to the bastion again"
world
OUT=$(setpriv --reuid=$UA --regid=$UA --clear-groups env -i PATH=/usr/bin:/bin \
	AWS_SHARED_CREDENTIALS_FILE="$ADIR/credentials" AWS_CONFIG_FILE="$ADIR/config" \
	"$EXEC" --endpoint-url "$URL" --cluster prod --task "$T1" 2>&1)
t_match "no session-manager-plugin on PATH: exit 2, before any call" "$?:$OUT" \
	"^2:ecs-saml-exec: session-manager-plugin was not found in PATH"
t_eq "ecs-saml-exec left no record behind" "$(ls "$ADIR" | grep -c '^exec-')" "0"

# ---- 127.0.0.2 plays "elsewhere" -------------------------------------------------------------

PIN='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},
 {"Sid":"OnlyFromTheBastion","Effect":"Deny","Action":"*","Resource":"*","Condition":{
  "NotIpAddressIfExists":{"aws:SourceIp":["127.0.0.1/32"]},
  "BoolIfExists":{"aws:ViaAWSService":"false"}}}]}'
world "$PIN"
awsx alice ecs describe-tasks --cluster prod --tasks "$T1" --query 'tasks[0].lastStatus' --output text
t_eq "role policy pinned by NotIpAddressIfExists: from 127.0.0.1, allowed" "$RC:$OUT" "0:RUNNING"
OUT=$(env -i PATH=/usr/bin:/bin HOME="$T_WORK" AWS_SHARED_CREDENTIALS_FILE="$T_WORK/alice.credentials" \
	AWS_CONFIG_FILE="$T_WORK/alice.config" AWS_CA_BUNDLE="$CA" AWS_EC2_METADATA_DISABLED=true AWS_PAGER= \
	$AWS --endpoint-url "$ELSEWHERE" ecs describe-tasks --cluster prod --tasks "$T1" 2>&1 | tr -s '\n' ' ';
	exit "${PIPESTATUS[0]}")
t_match "the same credentials from 127.0.0.2: denied by the pin's explicit deny" "$?:$OUT" \
	"^254:.*AccessDeniedException.*with an explicit deny in an identity-based policy"
t_eq "... the stand-in saw 127.0.0.2" "$(last 'r["source_ip"]+" "+r["decision"]+" "+r["denied_by"]')" \
	"127.0.0.2 explicit-deny identity"
world

# a session policy with the pin (as the template will carry it), through STS directly
SP='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecs:DescribeTasks","Resource":"*"},
 {"Effect":"Deny","Action":"*","Resource":"*","Condition":{"NotIpAddressIfExists":{"aws:SourceIp":"127.0.0.1"},
  "BoolIfExists":{"aws:ViaAWSService":"false"}}}]}'
cp "$T_WORK/alice.config" "$T_WORK/direct.config"
OUT=$(env -i PATH=/usr/bin:/bin HOME="$T_WORK" AWS_CONFIG_FILE="$T_WORK/alice.config" \
	AWS_SHARED_CREDENTIALS_FILE="$T_WORK/none" AWS_CA_BUNDLE="$CA" AWS_EC2_METADATA_DISABLED=true AWS_PAGER= \
	$AWS sts assume-role-with-saml --endpoint-url "$URL" --role-arn "$ROLE" --principal-arn "$IDP" \
	--saml-assertion "file://$T_WORK/saml.b64" --policy "$SP" --output json 2>&1)
$PY -c 'import json,sys
c=json.loads(sys.argv[1])["Credentials"]
print("[default]\naws_access_key_id = %(AccessKeyId)s\naws_secret_access_key = %(SecretAccessKey)s\naws_session_token = %(SessionToken)s" % c)' \
	"$OUT" >"$T_WORK/direct.credentials"
awsx direct ecs describe-tasks --cluster prod --tasks "$T1" --query 'tasks[0].lastStatus' --output text
t_eq "session policy pinned (awscli's own STS call): from 127.0.0.1, allowed" "$RC:$OUT" "0:RUNNING"
OUT=$($CLIENT --endpoint "$ELSEWHERE" --ca "$CA" --credentials "$T_WORK/direct.credentials" "$ECS.DescribeTasks" "$DT")
t_match "... from 127.0.0.2 (the relay): explicit deny in a session policy" "$OUT" \
	'^400 \{"__type": "AccessDeniedException", "message": "User: arn:aws:sts::123456789012:assumed-role/EcsExec/alice@corp.example.test is not authorized to perform: ecs:DescribeTasks on resource: arn:aws:ecs:eu-west-1:123456789012:task/prod/'"$T1"' with an explicit deny in a session policy"'
awsx direct ecs execute-command --cluster prod --task "$T1" --command /bin/sh --interactive
t_match "... and what it does not allow: no session policy allows it" "$RC:$OUT" \
	"AccessDeniedException.*because no session policy allows the ecs:ExecuteCommand action"

echo '{"clusters": ' >"$STS_WORLD.tmp" && mv "$STS_WORLD.tmp" "$STS_WORLD"
call "$ECS.DescribeTasks" "$DT"
t_match "a broken world file: a 500 InternalFailure naming it, not a dropped connection" "$OUT" \
	'^500 \{"__type": "InternalFailure", "message": "the stand-in.s world file: .*JSONDecodeError'
world

# ---- StartSession where it is allowed; SSM session tags as condition keys -------------------

SP2='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssm:StartSession","ecs:ExecuteCommand"],"Resource":"*"},
 {"Effect":"Allow","Action":"ssm:TerminateSession","Resource":"arn:aws:ssm:*:*:session/*",
  "Condition":{"StringLike":{"ssm:resourceTag/aws:ssmmessages:session-id":"${aws:userid}"}}}]}'
OUT=$(env -i PATH=/usr/bin:/bin HOME="$T_WORK" AWS_CONFIG_FILE="$T_WORK/alice.config" \
	AWS_SHARED_CREDENTIALS_FILE="$T_WORK/none" AWS_CA_BUNDLE="$CA" AWS_EC2_METADATA_DISABLED=true AWS_PAGER= \
	$AWS sts assume-role-with-saml --endpoint-url "$URL" --role-arn "$ROLE" --principal-arn "$IDP" \
	--saml-assertion "file://$T_WORK/saml.b64" --policy "$SP2" --output json 2>&1)
$PY -c 'import json,sys
c=json.loads(sys.argv[1])["Credentials"]
print("[default]\naws_access_key_id = %(AccessKeyId)s\naws_secret_access_key = %(SecretAccessKey)s\naws_session_token = %(SessionToken)s" % c)' \
	"$OUT" >"$T_WORK/open.credentials"
cp "$T_WORK/alice.config" "$T_WORK/open.config"
: >"$PLUGLOG"
awsx open ssm start-session --target "ecs:prod_${T1}_$T1-1000000000"
t_check "aws ssm start-session where allowed: reaches the plugin (which refuses the argv token)" \
	grep -q '"handover": "argv", .*"session_id": "alice@corp.example.test-[0-9a-f]\{17\}"' "$PLUGLOG"
OSID=$(last 'r["session_id"]' StartSession)
awsx open ssm start-session --target "ecs:prod_${T1}_nosuchruntime"
t_match "start-session to an unknown target: TargetNotConnected" "$RC:$OUT" "^254:.*TargetNotConnected.*is not connected"
awsx alice ssm terminate-session --session-id "$OSID"
t_match "terminate-session outside ecs-execute-command-*: the product's policy denies it" "$RC:$OUT" \
	"AccessDeniedException.*because no session policy allows the ssm:TerminateSession action"
exec_session
awsx open ssm terminate-session --session-id "$XSID"
t_match "ssm:resourceTag/aws:ssmmessages:session-id = \${aws:userid}: another's session denied" "$RC:$OUT" \
	"AccessDeniedException.*ssm:TerminateSession on resource: arn:aws:ssm:eu-west-1:123456789012:session/$XSID"
awsx open ssm terminate-session --session-id "$OSID"
t_eq "... one's own session allowed" "$RC:$(session_field "$OSID" status)" "0:Terminated"

# ---- STS: the Policy parameter is checked like AWS does -------------------------------------

OUT=$(env -i PATH=/usr/bin:/bin HOME="$T_WORK" AWS_CONFIG_FILE="$T_WORK/alice.config" \
	AWS_SHARED_CREDENTIALS_FILE="$T_WORK/none" AWS_CA_BUNDLE="$CA" AWS_EC2_METADATA_DISABLED=true AWS_PAGER= \
	$AWS sts assume-role-with-saml --endpoint-url "$URL" --role-arn "$ROLE" --principal-arn "$IDP" \
	--saml-assertion "file://$T_WORK/saml.b64" --policy '{"Statement":[{"Effect":"Allow","Resource":"*"}]}' 2>&1 |
	tr -s '\n' ' '; exit "${PIPESTATUS[0]}")
t_match "a session policy without actions: MalformedPolicyDocument" "$?:$OUT" "^254:.*MalformedPolicyDocument"

t_done
