#!/bin/bash
# Suite 31: STS AssumeRoleWithSAML and the credential files, through the real helper-core code
# (tests/sts/sts-probe links libecs_helper.a) against real TLS peers:
#   - the stand-in tests/sts/fake_sts.py (checked first with Debian's awscli), in every fault
#     mode: unreachable, slow past the budget, 500 then success, throttling, expired token,
#     access denied, duration over the role maximum, malformed XML, a 10 MB reply, a redirect,
#     an untrusted CA, plain http;
#   - moto_server as an independent STS, behind a TLS front (tests/sts/tls_front.py);
#   - awscli reading the dropped files, as the user, SigV4-verified by the stand-in;
#   - the files themselves: owner, modes, content, symlinks, foreign directories, a full
#     tmpfs, concurrent sessions, removal of exactly one session.
# Ports (127.0.0.1 only): 18310 stand-in, 18311 always closed, 18312 moto, 18313 TLS front.
. "$(dirname "$0")/../lib/tap.sh"
. "$ECS_TOP/tests/lib/sts.sh"

PROBE=$B/tests/sts-probe
STS_PORT=18310
CLOSED_PORT=18311
MOTO_PORT=18312
FRONT_PORT=18313
ROLE=arn:aws:iam::123456789012:role/EcsExec
IDP=arn:aws:iam::123456789012:saml-provider/corp-idp
SAML_SRC=$CORPUS/responses/future/pysaml2/assertion-rsa-sha256-5k.b64
SESSION_NAME=alice@corp.example.test
UA=42421	# the session's user (no passwd entry needed: files and dirs are by number)
UV=42422	# another user, the victim of planted links
UF=42423	# a user whose runtime dir is a tiny tmpfs
PY=/usr/bin/python3
AWS=/usr/bin/aws

[ -x "$PROBE" ] || { t_fail "sts-probe built" "missing $PROBE"; t_done; }
[ -r "$SAML_SRC" ] || { t_fail "corpus Response" "missing $SAML_SRC"; t_done; }

# ---- fixtures --------------------------------------------------------------------------

# The stand-in (tests/lib/sts.sh) and its PKI: STS_CA, and STS_DIR/ca/other-ca.pem.
sts_start "$STS_PORT" ok 2>"$T_WORK/sts.err" ||
	{ t_fail "STS stand-in started" "$(cat "$T_WORK/sts.err")"; t_done; }
CA=$STS_CA
tr -d ' \r\n' <"$SAML_SRC" >"$T_WORK/saml.b64"
SAML_SHA=$(sha256sum <"$T_WORK/saml.b64" | cut -d' ' -f1)
t_check "the assertion contains '+' (so form encoding matters)" grep -q '+' "$T_WORK/saml.b64"
install -m 644 "$ECS_TOP/pam.d/ecs-exec-session-policy.json" "$T_WORK/policy.json"

# conf_new NAME [lines...] (tests/lib/kv.sh): a root-owned 0644 configuration file for the
# probe; each default line is left out when a line sets the same key.
CONF_DEFAULTS=("region = eu-west-1" "sts_ca_file = $CA" "session_policy = $T_WORK/policy.json"
	"ecs_clusters = prod" "ecs_clusters = payments-eu"
	"sts_endpoint = https://127.0.0.1:$STS_PORT/" "sts_timeout = 6")

# fake SCRIPT: the stand-in again, playing SCRIPT, with a fresh request log in $STS_LOG.
fake() {
	sts_restart "$1" 2>>"$T_WORK/sts.err" ||
		t_fail "stand-in started ($1)" "$(tail -n 1 "$T_WORK/sts.err")"
}

# probe CONF [args...]: the STS call as session open does it; output in $OUT/$ERR. With
# PROBE_IN set (to in_store), it runs under that command.
PROBE_IN=
OUT=$T_WORK/probe.out
ERR=$T_WORK/probe.err
probe() {
	local c=$1
	shift
	$PROBE_IN "$PROBE" assume --config "$c" --role "$ROLE" --principal "$IDP" \
		--saml "$T_WORK/saml.b64" --user alice "$@" >"$OUT" 2>"$ERR"
	RC=$?
}
assumes() { grep -c '"action": "AssumeRoleWithSAML"' "$STS_LOG"; }
# jlast EXPR: a Python expression over r, the last AssumeRoleWithSAML request in $STS_LOG.
jlast() {
	$PY -c 'import json,sys
rs=[json.loads(l) for l in open(sys.argv[1]) if "AssumeRoleWithSAML" in l]
r=rs[-1] if rs else {}
print(eval(sys.argv[2]))' "$STS_LOG" "$1"
}
# as_user UID CMD...: run with that uid/gid, no groups, a clean environment.
as_user() {
	local u=$1
	shift
	mkdir -p "$T_WORK/home-$u" && chown "$u:$u" "$T_WORK/home-$u"
	setpriv --reuid="$u" --regid="$u" --clear-groups env -i HOME="$T_WORK/home-$u" \
		PATH=/usr/bin:/bin AWS_EC2_METADATA_DISABLED=true AWS_PAGER= "$@"
}
RUN=$T_WORK/run/user
FB=$T_WORK/run/ecs/users
mkdir -p "$RUN" && chmod 755 "$T_WORK/run" "$RUN"
mkuserrun() { mkdir -p "$RUN/$1" && chown "$1:$1" "$RUN/$1" && chmod 700 "$RUN/$1"; }
newtag() { od -An -tx1 -N16 /dev/urandom | tr -d ' \n'; }

# ---- the stand-in follows AWS's wire format: awscli against it --------------------------

C_OK=$(conf_new ok)
fake ok
mkdir -p "$T_WORK/awscfg" && printf '[default]\nregion = eu-west-1\n' >"$T_WORK/awscfg/config"
aws_out=$(env -i PATH=/usr/bin:/bin HOME="$T_WORK" AWS_CONFIG_FILE="$T_WORK/awscfg/config" \
	AWS_SHARED_CREDENTIALS_FILE="$T_WORK/awscfg/none" AWS_EC2_METADATA_DISABLED=true AWS_PAGER= \
	$AWS sts assume-role-with-saml --endpoint-url "https://127.0.0.1:$STS_PORT" --ca-bundle "$CA" \
	--role-arn "$ROLE" --principal-arn "$IDP" --saml-assertion "$(cat "$T_WORK/saml.b64")" \
	--query '[Credentials.AccessKeyId, AssumedRoleUser.Arn]' --output text 2>&1)
t_match "awscli assume-role-with-saml against the stand-in" "$aws_out" \
	"^ASIA[A-Z0-9]{16}[[:space:]]+arn:aws:sts::123456789012:assumed-role/EcsExec/$SESSION_NAME\$"
t_eq "awscli's request reached the stand-in unsigned" "$(jlast 'r["authorization"]')" "False"
t_eq "awscli and our client send the same parameter names" \
	"$(jlast '",".join(r["keys"])')" "Action,Version,RoleArn,PrincipalArn,SAMLAssertion"

# ---- success end to end: STS, files as the user, awscli with the files ------------------

fake ok
mkuserrun $UA
TAG=$(newtag)
probe "$C_OK" --uid $UA --gid $UA --tag "$TAG" --run-user "$RUN" --fallback "$FB"
t_eq "session open succeeds" "$RC:$(field result <"$OUT")" "0:ok"
AKID=$(field access_key_id <"$OUT")
DIR=$RUN/$UA/pam_ecs_saml/$TAG
t_eq "credentials path under /run/user/UID/pam_ecs_saml/TAG" "$(field credentials <"$OUT")" "$DIR/credentials"
t_eq "config path" "$(field config <"$OUT")" "$DIR/config"
t_eq "assumed-role ARN ends in the RoleSessionName" "$(field arn <"$OUT")" \
	"arn:aws:sts::123456789012:assumed-role/EcsExec/$SESSION_NAME"
t_eq "STS saw one request" "$(assumes)" 1
t_eq "request: role and principal" "$(jlast 'r["role_arn"]+" "+r["principal_arn"]')" "$ROLE $IDP"
t_eq "request: the assertion arrived byte for byte ('+' percent-encoded)" \
	"$(jlast 'r["saml_sha256"]+" "+str(r["body_has_plus"])')" "$SAML_SHA False"
t_eq "request: DurationSeconds" "$(jlast 'r["duration"]')" 3600
t_eq "request: exact parameter order" "$(jlast '",".join(r["keys"])')" \
	"Action,Version,RoleArn,PrincipalArn,SAMLAssertion,DurationSeconds,Policy"
t_eq "request: Version and Content-Type" "$(jlast 'r["version"]+"|"+r["content_type"]')" \
	"2011-06-15|application/x-www-form-urlencoded; charset=utf-8"
t_eq "request: unsigned" "$(jlast 'r["authorization"]')" "False"
plen=$(jlast 'r["policy_len"]')
t_check "request: policy at most 2048 characters ($plen)" test "$plen" -le 2048
t_eq "request: the policy is valid JSON scoped to the configured clusters" \
	"$(jlast 'json.loads(r["policy"])["Statement"][0]["Resource"][1]+" "+json.loads(r["policy"])["Statement"][0]["Condition"]["StringLike"]["ecs:cluster"][1]')" \
	"arn:aws:ecs:eu-west-1:123456789012:task/* *:cluster/payments-eu"
t_eq "request: the policy denies ssm:StartSession" \
	"$(jlast '[s["Effect"] for s in json.loads(r["policy"])["Statement"] if s["Action"]=="ssm:StartSession"][0]')" \
	"Deny"

t_eq "session dir: owner and mode" "$(stat -c '%u:%g %a' "$DIR")" "$UA:$UA 700"
t_eq "pam_ecs_saml dir: owner and mode" "$(stat -c '%u:%g %a' "$RUN/$UA/pam_ecs_saml")" "$UA:$UA 700"
t_eq "credentials file: owner, mode, regular" "$(stat -c '%u:%g %a %F' "$DIR/credentials")" \
	"$UA:$UA 600 regular file"
t_eq "config file: owner, mode" "$(stat -c '%u:%g %a' "$DIR/config")" "$UA:$UA 600"
t_eq "nothing else in the session dir (no temporaries)" "$(ls -A "$DIR" | tr '\n' ' ')" "config credentials "
t_match "credentials: [default] with the issued key id" "$(cat "$DIR/credentials")" \
	"^\[default\]\$"
t_eq "credentials: aws_access_key_id" "$(sed -n 's/^aws_access_key_id = //p' "$DIR/credentials")" "$AKID"
SECRET=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]]["secret"])' \
	"$STS_STATE" "$AKID")
TOKEN=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]]["token"])' \
	"$STS_STATE" "$AKID")
t_eq "credentials: the secret key STS issued" \
	"$(sed -n 's/^aws_secret_access_key = //p' "$DIR/credentials")" "$SECRET"
t_eq "credentials: the session token STS issued" \
	"$(sed -n 's/^aws_session_token = //p' "$DIR/credentials")" "$TOKEN"
t_eq "config: region" "$(sed -n 's/^region = //p' "$DIR/config")" "eu-west-1"
t_match "config: expiry as a comment" "$(head -n 1 "$DIR/config")" \
	"^# .*expire at [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z"
t_check "no secret key, token or assertion in the probe's output or log lines" \
	bash -c '! grep -qF -e "$1" -e "$2" -e "$(head -c 200 "$3")" "$4" "$5"' _ \
	"$SECRET" "$TOKEN" "$T_WORK/saml.b64" "$OUT" "$ERR"
t_match "log line: outcome, AccessKeyId and RequestId" "$(cat "$ERR")" \
	"sts AssumeRoleWithSAML ok: role=\"$ROLE\" .*access_key_id=\"$AKID\" request_id=\"[0-9a-f-]{36}\" "
t_eq "log line carries the RequestId STS sent" "$(sed -n 's/.*request_id="\([0-9a-f-]*\)" .*/\1/p' "$ERR")" \
	"$(jlast 'r["request_id"]')"

gci=$(as_user $UA env AWS_SHARED_CREDENTIALS_FILE="$DIR/credentials" AWS_CONFIG_FILE="$DIR/config" \
	$AWS sts get-caller-identity --endpoint-url "https://127.0.0.1:$STS_PORT" --ca-bundle "$CA" \
	--query Arn --output text 2>&1)
t_eq "aws sts get-caller-identity, as the user, with the dropped files" "$gci" \
	"arn:aws:sts::123456789012:assumed-role/EcsExec/$SESSION_NAME"
t_eq "the stand-in verified awscli's SigV4 signature with the issued secret" \
	"$(grep GetCallerIdentity "$STS_LOG" | tail -n 1 | $PY -c 'import json,sys; print(json.load(sys.stdin)["sigv4"])')" \
	"valid"

# ---- managed policy ARNs and a duration bounded by the assertion ----------------------

fake ok
C_ARNS=$(conf_new arns "policy_arns = arn:aws:iam::123456789012:policy/EcsExecBoundary" \
	"policy_arns = arn:aws:iam::aws:policy/ReadOnlyAccess")
probe "$C_ARNS" --not-after "$(date -u -d '+1200 seconds' +%Y-%m-%dT%H:%M:%SZ)"
t_eq "policy ARNs sent as PolicyArns.member.N.arn, in order" \
	"$RC:$(jlast '" ".join(r["policy_arns"])')" \
	"0:arn:aws:iam::123456789012:policy/EcsExecBoundary arn:aws:iam::aws:policy/ReadOnlyAccess"
d=$(jlast 'r["duration"]')
t_check "DurationSeconds shortened to SessionNotOnOrAfter (about 1200 s: $d)" \
	test "$d" -le 1200 -a "$d" -ge 1190
probe "$C_OK" --session-duration 1000
t_eq "DurationSeconds shortened to the SessionDuration attribute" "$(jlast 'r["duration"]')" 1000

# ---- faults --------------------------------------------------------------------------

# snap, then unchanged: the user's session directories are exactly as before.
snap() { BEFORE=$(ls -A "$RUN/$UA/pam_ecs_saml" | sort | tr '\n' ' '); }
unchanged() { [ "$(ls -A "$RUN/$UA/pam_ecs_saml" | sort | tr '\n' ' ')" == "$BEFORE" ]; }

C_CLOSED=$(conf_new closed "sts_endpoint = https://127.0.0.1:$CLOSED_PORT/")
snap
probe "$C_CLOSED" --uid $UA --gid $UA --tag "$(newtag)" --run-user "$RUN" --fallback "$FB"
t_eq "unreachable: refused after retries" "$RC:$(field error <"$OUT"):$(field attempts <"$OUT")" \
	"1:Connection refused:4"
t_match "unreachable: user message" "$(field user_msg <"$OUT")" "cannot connect to AWS STS: ask the bastion's administrator"
t_eq "unreachable: cause sts-unreachable, logged as the code" "$(field cause <"$OUT")" sts-unreachable
t_match "unreachable: the log line's code names it" "$(cat "$ERR")" "failed: role=\"$ROLE\" code=\"sts-unreachable\" http=\"0\""
t_check "unreachable: nothing written" unchanged

fake "slow=8"
C_FAST=$(conf_new fast "sts_timeout = 2")
start=$(date +%s%N)
snap
probe "$C_FAST" --uid $UA --gid $UA --tag "$(newtag)" --run-user "$RUN" --fallback "$FB"
ms=$((($(date +%s%N) - start) / 1000000))
t_eq "slow past the budget: timed out" "$RC:$(field error <"$OUT")" "1:Connection timed out"
t_check "slow past the budget: the 2 s budget held, not the 8 s reply (${ms} ms)" test "$ms" -lt 6000
t_match "slow: user message" "$(field user_msg <"$OUT")" "did not answer the bastion in time"
t_eq "slow: cause sts-timeout" "$(field cause <"$OUT")" sts-timeout
t_check "slow: nothing written" unchanged

fake "http500,ok"
probe "$C_OK"
t_eq "500 then success: retried once" "$RC:$(field result <"$OUT"):$(field attempts <"$OUT"):$(assumes)" "0:ok:2:2"
t_match "500 then success: the retry is logged" "$(cat "$ERR")" "attempt failed, retrying: role=\"$ROLE\" code=\"InternalFailure\" http=\"500\" request_id=\"[^\"]*\" attempts=\"1\""

fake "Throttling,Throttling,ok"
probe "$C_OK"
t_eq "throttling twice then success" "$RC:$(field result <"$OUT"):$(field attempts <"$OUT"):$(assumes)" "0:ok:3:3"

fake "Throttling"
probe "$C_OK"
t_eq "throttling forever: gives up after 4 attempts" "$RC:$(field code <"$OUT"):$(field attempts <"$OUT")" "1:Throttling:4"
t_match "throttling: user message" "$(field user_msg <"$OUT")" "try again"

fake "ExpiredTokenException"
snap
probe "$C_OK" --uid $UA --gid $UA --tag "$(newtag)" --run-user "$RUN" --fallback "$FB"
t_eq "expired token: not retried" "$RC:$(field code <"$OUT"):$(field http <"$OUT"):$(field attempts <"$OUT")" \
	"1:ExpiredTokenException:400:1"
t_match "expired token: tells the user to fetch a fresh Response" "$(field user_msg <"$OUT")" "fresh SAML response"
t_match "expired token: logged with the RequestId and STS's message" "$(cat "$ERR")" \
	"failed: role=\"$ROLE\" code=\"ExpiredTokenException\" http=\"400\" request_id=\"$(jlast 'r["request_id"]')\" .*reason=\"[^\"]*Token must be redeemed"
t_check "expired token: nothing written" unchanged

fake "AccessDenied"
probe "$C_OK"
t_eq "access denied: final" "$RC:$(field code <"$OUT"):$(field http <"$OUT"):$(field attempts <"$OUT")" "1:AccessDenied:403:1"
t_match "access denied: user message" "$(field user_msg <"$OUT")" "denied"

fake "maxdur=3600"
C_LONG=$(conf_new long "duration_seconds = 43200")
probe "$C_LONG" --uid $UA --gid $UA --tag "$(newtag)" --run-user "$RUN" --fallback "$FB"
t_eq "duration over the role maximum: retried with 3600" \
	"$RC:$(field result <"$OUT"):$(field duration <"$OUT"):$(field duration_shortened <"$OUT"):$(field attempts <"$OUT")" "0:ok:3600:1:2"
t_eq "duration retry: STS saw 43200 then 3600" \
	"$($PY -c 'import json,sys; print(",".join(json.loads(l)["duration"] for l in open(sys.argv[1])))' "$STS_LOG")" \
	"43200,3600"
t_match "duration retry: logged" "$(cat "$ERR")" \
	"DurationSeconds exceeds the role's MaxSessionDuration, retrying once: role=\"$ROLE\" duration=\"43200\" .*retry_duration=\"3600\""

fake "maxdur=900"
probe "$C_LONG"
t_eq "duration still too long after the retry: stops (no third try)" \
	"$RC:$(field code <"$OUT"):$(field attempts <"$OUT"):$(field retried_duration <"$OUT")" "1:ValidationError:2:3600"

fake "malformed"
snap
probe "$C_OK" --uid $UA --gid $UA --tag "$(newtag)" --run-user "$RUN" --fallback "$FB"
t_eq "malformed XML: refused, not retried" "$RC:$(field error <"$OUT"):$(field attempts <"$OUT")" "1:Bad message:1"
t_match "malformed XML: user message" "$(field user_msg <"$OUT")" "unreadable reply"
t_eq "malformed XML: cause sts-bad-reply" "$(field cause <"$OUT")" sts-bad-reply
t_check "malformed XML: nothing written" unchanged

fake "huge"
probe "$C_OK"
t_eq "10 MB reply: refused at the cap" "$RC:$(field error <"$OUT"):$(field attempts <"$OUT")" "1:File too large:1"
t_match "10 MB reply: logged as over the cap" "$(cat "$ERR")" "reply larger than the cap"

fake "redirect"
probe "$C_OK"
t_eq "redirect to plain http: not followed" "$RC:$(field result <"$OUT"):$(assumes)" "1:error:1"

fake ok
C_OTHER=$(conf_new otherca "sts_ca_file = $STS_DIR/ca/other-ca.pem")
probe "$C_OTHER"
t_eq "untrusted CA: TLS refused, not retried" "$RC:$(field error <"$OUT"):$(field attempts <"$OUT")" \
	"1:Operation not permitted:1"
t_match "untrusted CA: user message" "$(field user_msg <"$OUT")" "does not trust the TLS certificate"
t_eq "untrusted CA: cause sts-untrusted" "$(field cause <"$OUT")" sts-untrusted
t_eq "untrusted CA: the stand-in never saw the assertion" "$(assumes)" 0

# ---- sts_ca_file is the only trust, read safely by root; public-key pins ---------------

# in_store CMD...: CMD in a private mount namespace whose system trust store (/etc/ssl/certs,
# which /usr/lib/ssl/certs and OpenSSL's cert.pem point into) is the stand-in's CA alone, as
# if a CA that can issue for the STS name sat in Debian's bundle.
in_store() {
	unshare -m --propagation private sh -c '
		mount -t tmpfs -o mode=755 ecs-store /etc/ssl/certs &&
		cp "$1" /etc/ssl/certs/ca-certificates.crt &&
		ln -s ca-certificates.crt "/etc/ssl/certs/$(openssl x509 -hash -noout -in "$1").0" &&
		shift && exec "$@"' in_store "$CA" "$@"
}
# pin_of PEM: the sha256// pin of the public key in certificate PEM (curl's format).
pin_of() {
	printf 'sha256//%s' "$(openssl x509 -in "$1" -pubkey -noout |
		openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64)"
}

fake ok
C_SYS=$(conf_new sysstore "sts_ca_file = $CA")
sed -i '/^sts_ca_file/d' "$C_SYS"	# the system store
PROBE_IN=in_store probe "$C_SYS"
t_eq "the namespace's system store trusts the stand-in (without sts_ca_file: connects)" \
	"$RC:$(field result <"$OUT")" "0:ok"
probe "$C_SYS"
t_eq "... and the host's store does not (so the namespace is what made it trusted)" \
	"$RC:$(field cause <"$OUT")" "1:sts-untrusted"
fake ok
PROBE_IN=in_store probe "$C_OTHER"
t_eq "sts_ca_file names another CA: refused, though the system store trusts the stand-in" \
	"$RC:$(field cause <"$OUT"):$(field attempts <"$OUT")" "1:sts-untrusted:1"
t_eq "... and the stand-in never saw the assertion" "$(assumes)" 0
C_RIGHT=$(conf_new rightca "sts_ca_file = $CA")
PROBE_IN=in_store probe "$C_RIGHT"
t_eq "sts_ca_file names the stand-in's CA: connects" "$RC:$(field result <"$OUT")" "0:ok"

PIN_OK=$(pin_of "$STS_DIR/ca/server.pem")
PIN_OTHER=$(pin_of "$STS_DIR/ca/other-ca.pem")
fake ok
probe "$(conf_new pinok "sts_pin_sha256 = $PIN_OK")"
t_eq "the right public-key pin: connects" "$RC:$(field result <"$OUT")" "0:ok"
probe "$(conf_new pintwo "sts_pin_sha256 = $PIN_OTHER;$PIN_OK")"
t_eq "a pin list holding the right pin: connects" "$RC:$(field result <"$OUT")" "0:ok"
fake ok
probe "$(conf_new pinbad "sts_pin_sha256 = $PIN_OTHER")"
t_eq "a wrong pin: refused, not retried" "$RC:$(field error <"$OUT"):$(field attempts <"$OUT")" \
	"1:Operation not permitted:1"
t_eq "a wrong pin: cause sts-pin-mismatch" "$(field cause <"$OUT")" sts-pin-mismatch
t_match "a wrong pin: user message" "$(field user_msg <"$OUT")" "check sts_pin_sha256"
t_eq "a wrong pin: the stand-in never saw the assertion" "$(assumes)" 0
fake ok
PROBE_IN=in_store probe "$(conf_new pinstore "sts_pin_sha256 = $PIN_OTHER")"
t_eq "a wrong pin: refused even when the system store trusts the peer" \
	"$RC:$(field cause <"$OUT")" "1:sts-pin-mismatch"
probe "$(conf_new pinsyntax "sts_pin_sha256 = sha256//not-a-digest")"
t_eq "a malformed pin: a configuration error at load, nothing sent" \
	"$RC:$(field stage <"$OUT"):$(assumes)" "1:config:0"
t_match "a malformed pin: the reason names the key" "$(field reason <"$OUT")" \
	"'sts_pin_sha256': not sha256//BASE64"

# ca_case NAME FILE CODE: sts_ca_file = FILE is refused by root before anything is sent,
# with CODE.
ca_case() {
	probe "$(conf_new "ca-$1" "sts_ca_file = $2")"
	t_eq "sts_ca_file $1: a configuration error with its code, nothing sent" \
		"$RC:$(field stage <"$OUT"):$(field error <"$OUT"):$(field cause <"$OUT"):$(assumes)" \
		"1:trust:configuration error:$3:0"
}
mkdir -m 755 "$T_WORK/cas"
install -m 664 "$CA" "$T_WORK/cas/group-writable.pem"
ca_case "group-writable" "$T_WORK/cas/group-writable.pem" sts-ca-file-unsafe
t_match "sts_ca_file group-writable: the reason names the file and the rule" \
	"$(field reason <"$OUT")" "sts_ca_file $T_WORK/cas/group-writable.pem: .*writable by group or others"
install -m 644 -o nobody "$CA" "$T_WORK/cas/users.pem"
ca_case "owned by a user" "$T_WORK/cas/users.pem" sts-ca-file-unsafe
ln -s "$CA" "$T_WORK/cas/link.pem"
ca_case "a symlink" "$T_WORK/cas/link.pem" sts-ca-file-unsafe
mkdir -m 775 "$T_WORK/cas/gw"
install -m 644 "$CA" "$T_WORK/cas/gw/ca.pem"
ca_case "in a group-writable directory" "$T_WORK/cas/gw/ca.pem" sts-ca-file-unsafe
ca_case "missing" "$STS_DIR/ca/missing.pem" sts-ca-file-missing
install -m 644 "$STS_DIR/ca/server.key" "$T_WORK/cas/key-only.pem"
ca_case "with a key and no certificate" "$T_WORK/cas/key-only.pem" sts-ca-file-invalid
install -m 644 /dev/null "$T_WORK/cas/empty.pem"
ca_case "empty" "$T_WORK/cas/empty.pem" sts-ca-file-invalid
printf -- '-----BEGIN CERTIFICATE-----\n' >"$T_WORK/cas/unended.pem"
chmod 644 "$T_WORK/cas/unended.pem"
ca_case "with a BEGIN line and no END" "$T_WORK/cas/unended.pem" sts-ca-file-invalid
# The armour is all the load checks; a block that is not a certificate inside is refused
# where libcurl parses the certificates, before anything is sent.
printf -- '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n' \
	>"$T_WORK/cas/garbled.pem"
chmod 644 "$T_WORK/cas/garbled.pem"
probe "$(conf_new ca-garbled "sts_ca_file = $T_WORK/cas/garbled.pem")"
t_eq "sts_ca_file with a garbled certificate block: refused, nothing reaches STS" \
	"$RC:$(field stage <"$OUT"):$(assumes)" "1:sts:0"
t_eq "... as a configuration error naming sts_ca_file" \
	"$(field error <"$OUT"):$(field cause <"$OUT")" "configuration error:sts-ca-file"
t_match "... and the user is told the bastion's administrator must fix it" "$(field user_msg <"$OUT")" \
	"cannot use its sts_ca_file: ask the bastion's administrator"

C_HTTP=$(conf_new http "sts_endpoint = http://127.0.0.1:$STS_PORT/")
probe "$C_HTTP"
t_eq "plain http in the configuration: refused at load" "$RC:$(field stage <"$OUT")" "1:config"
probe "$C_OK" --raw-endpoint "http://127.0.0.1:$STS_PORT/"
t_eq "plain http forced past the configuration: the client itself refuses" \
	"$RC:$(field error <"$OUT"):$(field attempts <"$OUT"):$(assumes)" "1:Operation not permitted:0:0"

big=()
for i in $(seq -w 1 32); do big+=("ecs_clusters = a-rather-long-cluster-name-for-the-limit-test-$i"); done
C_BIG=$(conf_new big "${big[@]}")
probe "$C_BIG"
t_eq "policy over 2048 characters: refused before any request" "$RC:$(field stage <"$OUT"):$(assumes)" "1:policy:0"
t_match "policy over 2048: the reason" "$(field reason <"$OUT")" "characters once filled in; STS takes 1..2048"

# ---- moto as an independent STS, behind a TLS front ----------------------------------

if command -v moto_server >/dev/null; then
	# the recorder writes to the working directory unless told otherwise
	MOTO_RECORDER_FILEPATH=$T_WORK/moto.recording moto_server -H 127.0.0.1 -p $MOTO_PORT \
		>"$T_WORK/moto.log" 2>&1 &
	MOTO_PID=$!
	t_on_exit "kill $MOTO_PID 2>/dev/null"
	$PY "$ECS_TOP/tests/sts/tls_front.py" --port $FRONT_PORT --to $MOTO_PORT \
		--cert "$STS_DIR/ca/server.pem" --key "$STS_DIR/ca/server.key" --ready "$T_WORK/front.ready" 2>"$T_WORK/front.err" &
	FRONT_PID=$!
	t_on_exit "kill $FRONT_PID 2>/dev/null"
	for ((i = 0; i < 100; i++)); do
		curl -s -o /dev/null "http://127.0.0.1:$MOTO_PORT/moto-api/" && [ -e "$T_WORK/front.ready" ] && break
		sleep 0.1
	done
	curl -s -X POST "http://127.0.0.1:$MOTO_PORT/moto-api/recorder/start-recording" >/dev/null
	C_MOTO=$(conf_new moto "sts_endpoint = https://127.0.0.1:$FRONT_PORT/")
	mkuserrun $UV
	MTAG=$(newtag)
	probe "$C_MOTO" --uid $UV --gid $UV --tag "$MTAG" --run-user "$RUN" --fallback "$FB"
	t_eq "moto: AssumeRoleWithSAML through our client" "$RC:$(field result <"$OUT")" "0:ok"
	t_eq "moto: assumed-role ARN ends in the RoleSessionName" "$(field arn <"$OUT")" \
		"arn:aws:sts::123456789012:assumed-role/EcsExec/$SESSION_NAME"
	curl -s "http://127.0.0.1:$MOTO_PORT/moto-api/recorder/download-recording" >"$T_WORK/moto-rec.jsonl"
	t_eq "moto: the request it received" "$($PY -c '
import base64, json, sys, urllib.parse
for line in open(sys.argv[1]):
    r = json.loads(line)
    body = base64.b64decode(r["body"]).decode() if r.get("body") else ""
    p = dict(urllib.parse.parse_qsl(body))
    if p.get("Action") == "AssumeRoleWithSAML":
        print(r["headers"]["Content-Type"], p["RoleArn"], p["PrincipalArn"], p["DurationSeconds"],
              p["SAMLAssertion"] == open(sys.argv[2]).read().strip(), len(p["Policy"]) <= 2048,
              json.loads(p["Policy"])["Statement"][0]["Action"])
' "$T_WORK/moto-rec.jsonl" "$T_WORK/saml.b64")" \
		"application/x-www-form-urlencoded; charset=utf-8 $ROLE $IDP 3600 True True ['ecs:ExecuteCommand', 'ecs:DescribeTasks']"
	MDIR=$RUN/$UV/pam_ecs_saml/$MTAG
	gci=$(as_user $UV env AWS_SHARED_CREDENTIALS_FILE="$MDIR/credentials" AWS_CONFIG_FILE="$MDIR/config" \
		$AWS sts get-caller-identity --endpoint-url "https://127.0.0.1:$FRONT_PORT" --ca-bundle "$CA" \
		--query Arn --output text 2>&1)
	t_eq "moto: get-caller-identity with the dropped files" "$gci" \
		"arn:aws:sts::123456789012:assumed-role/EcsExec/$SESSION_NAME"
else
	t_fail "moto_server on PATH" "not found (the image's pyenv provides it)"
fi

# ---- the credential files on their own -------------------------------------------------

# cw VERB UID TAG [args]: the probe's credfile verbs, credentials from stdin.
CW_OUT=$T_WORK/cw.out
cw() {
	local verb=$1 u=$2 tag=$3
	shift 3
	printf 'ASIAEXAMPLE%09d\nsecret/with+chars=\ntoken/with+chars==\n' "$u" |
		"$PROBE" creds "$verb" --uid "$u" --gid "$u" --tag "$tag" --run-user "$RUN" \
			--fallback "$FB" --region eu-west-1 "$@" >"$CW_OUT" 2>&1
	RC=$?
	CW=$(field error <"$CW_OUT")
}

# fallback runtime: no /run/user/UID
U2=42424
t_check "fallback: prepare as root" cw prepare $U2 "$(newtag)"
t_eq "fallback: <fallback>/UID made for the user, 0700" "$(stat -c '%u:%g %a' "$FB/$U2")" "$U2:$U2 700"
t_eq "fallback: root-made parents 0755" "$(stat -c '%u %a' "$FB" "$T_WORK/run/ecs" | tr '\n' ' ')" "0 755 0 755 "
FT=$(newtag)
cw write $U2 "$FT"
t_eq "fallback: written there as the user" "$RC:$(field credentials <"$CW_OUT")" \
	"0:$FB/$U2/pam_ecs_saml/$FT/credentials"
t_eq "fallback: credentials content" "$(sed -n 's/^aws_session_token = //p' "$FB/$U2/pam_ecs_saml/$FT/credentials")" \
	"token/with+chars=="

# concurrent sessions of one user, then removal of exactly one
T1=$(newtag)
T2=$(newtag)
cw write $UA "$T1" & p1=$!
printf 'ASIAEXAMPLE000000002\ns2\nt2\n' | "$PROBE" creds write --uid $UA --gid $UA --tag "$T2" \
	--run-user "$RUN" --fallback "$FB" --region eu-west-1 >"$T_WORK/cw2.out" 2>&1 & p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
t_eq "two concurrent sessions of one user both written" "$r1:$r2" "0:0"
t_eq "each session has its own credentials" \
	"$(sed -n 's/^aws_access_key_id = //p' "$RUN/$UA/pam_ecs_saml/$T1/credentials" "$RUN/$UA/pam_ecs_saml/$T2/credentials" | tr '\n' ' ')" \
	"ASIAEXAMPLE000042421 ASIAEXAMPLE000000002 "
cw remove $UA "$T1"
t_eq "close of session 1 removes its directory" "$RC:$([ -e "$RUN/$UA/pam_ecs_saml/$T1" ] && echo present || echo gone)" "0:gone"
t_check "session 2 is untouched" test -s "$RUN/$UA/pam_ecs_saml/$T2/credentials"
t_check "the first session of the suite is untouched too" test -s "$DIR/credentials"
cw remove $UA "$T1"
t_eq "closing an already closed session is fine" "$RC" 0
cw write $UA "$T2"
t_eq "a tag is used once: an existing session dir is refused" "$RC:$CW" "1:File exists"
t_eq "the refused rewrite left session 2 intact" \
	"$(sed -n 's/^aws_access_key_id = //p' "$RUN/$UA/pam_ecs_saml/$T2/credentials")" "ASIAEXAMPLE000000002"
cw write $UA "../../../etc"
t_eq "a tag that is not 32 hex characters is refused" "$RC:$CW" "1:Invalid argument"

# planted symlink: /run/user/UID/pam_ecs_saml -> the victim's directory
U3=42425
mkuserrun $U3
mkdir -p "$RUN/$UV/pam_ecs_saml" && chown $UV:$UV "$RUN/$UV/pam_ecs_saml" && chmod 700 "$RUN/$UV/pam_ecs_saml"
before=$(find "$RUN/$UV" | sort | md5sum)
ln -s "$RUN/$UV/pam_ecs_saml" "$RUN/$U3/pam_ecs_saml"
chown -h $U3:$U3 "$RUN/$U3/pam_ecs_saml"
cw write $U3 "$(newtag)"
t_eq "a planted symlink for pam_ecs_saml is refused" "$RC:$CW" "1:Too many levels of symbolic links"
t_eq "the symlink's target (another user's tree) is untouched" "$(find "$RUN/$UV" | sort | md5sum)" "$before"
rm -f "$RUN/$U3/pam_ecs_saml"

# pam_ecs_saml owned by another user (made by root here: a user cannot plant it)
mkdir "$RUN/$U3/pam_ecs_saml" && chown $UV:$UV "$RUN/$U3/pam_ecs_saml" && chmod 777 "$RUN/$U3/pam_ecs_saml"
cw write $U3 "$(newtag)"
t_eq "a foreign-owned pam_ecs_saml dir is refused" "$RC:$CW" "1:Operation not permitted"
t_eq "nothing was written into it" "$(ls -A "$RUN/$U3/pam_ecs_saml" | wc -l)" 0
t_eq "and it was not 'fixed'" "$(stat -c '%u %a' "$RUN/$U3/pam_ecs_saml")" "$UV 777"
rm -rf "$RUN/$U3/pam_ecs_saml"

# /run/user/UID itself wrong: another owner, or a symlink
U4=42426
mkdir "$RUN/$U4" && chown $UV:$UV "$RUN/$U4" && chmod 700 "$RUN/$U4"
cw write $U4 "$(newtag)"
t_eq "/run/user/UID owned by someone else: refused" "$RC:$CW" "1:Operation not permitted"
cw prepare $U4 "$(newtag)"
t_eq "prepare refuses it too (no fallback around a bad runtime dir)" "$RC" 1
t_check "and made no fallback dir" test ! -e "$FB/$U4"
rm -rf "${RUN:?}/$U4"
ln -s "$RUN/$UV" "$RUN/$U4"
cw write $U4 "$(newtag)"
t_eq "/run/user/UID as a symlink: refused" "$RC:$CW" "1:Too many levels of symbolic links"
rm -f "$RUN/$U4"

# a full tmpfs: nothing half-written left behind
mkdir -p "$RUN/$UF"
if mount -t tmpfs -o size=16k,mode=0700 ecs-test-full "$RUN/$UF"; then
	t_on_exit "umount '$RUN/$UF'"
	chown $UF:$UF "$RUN/$UF"
	mkdir "$RUN/$UF/pam_ecs_saml" && chown $UF:$UF "$RUN/$UF/pam_ecs_saml" && chmod 700 "$RUN/$UF/pam_ecs_saml"
	head -c 12288 /dev/zero >"$RUN/$UF/filler" 2>/dev/null
	chown $UF:$UF "$RUN/$UF/filler"
	cw write $UF "$(newtag)"
	t_eq "a full tmpfs: clear error" "$RC:$CW" "1:No space left on device"
	t_eq "a full tmpfs: no session dir, no temporary left" "$(find "$RUN/$UF/pam_ecs_saml" -mindepth 1 | wc -l)" 0
	rm -f "$RUN/$UF/filler"
	cw write $UF "$(newtag)"
	t_eq "the same tmpfs with room again: written" "$RC" 0
else
	t_fail "mount a 16k tmpfs" "mount failed (the suite runs as root)"
fi

t_done
