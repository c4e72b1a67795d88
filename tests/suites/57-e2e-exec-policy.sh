#!/bin/bash
# Suite 57: the shipped session policy, end to end, with ECS Exec. A real sshd with the PAM and
# NSS modules; stock ssh through ecs-saml-ssh; the module's configuration names the shipped
# template, one cluster (prod) and network pinning to the bastion (pin_source_ip =
# 127.0.0.1/32). Inside one SSH session, with only the environment the module exports (plus the
# test CA and the stub session-manager-plugin on PATH), against the stand-in AWS:
#   - ecs-saml-exec into a task of prod: signature verified, allowed, the session handed to the
#     plugin in its environment, ended from the container's side;
#   - a cluster outside ecs_clusters: AccessDenied, shown as ecs-saml-exec's sentence;
#   - /usr/bin/aws ssm start-session: denied by the policy's explicit deny;
#   - pinning: the same credentials through the stand-in's relay (from 127.0.0.2) are denied
#     by the pinning Deny, for awscli and for ecs-saml-exec; from the bastion, allowed;
#   - the stock /usr/bin/aws ecs execute-command reaches the stand-in (signature verified,
#     allowed) and puts the session token in the plugin's argv, where every local user can
#     read it: the reason for ecs-saml-exec.
# Ports (127.0.0.1): sshd 23411, the stand-in 23412, its relay from 127.0.0.2 23413.
# Shares /run/pam_ecs_saml and /dev/shm/pam_ecs_saml with the other bastion suites: run it
# under the e2e lock.
. "$(dirname "$0")/../lib/tap.sh"
. "$ECS_TOP/tests/lib/bastion.sh"

SSH_PORT=23411
STS_PORT=23412
STS_ELSEWHERE_PORT=23413
PY=/usr/bin/python3
T1=0123456789abcdef0123456789abcdef	# prod
TS=44444444444444444444444444444444	# staging: not in ecs_clusters
U=e2eexec

BASTION_CONF_EXTRA=("session_policy = $T_WORK/policy.json" "ecs_clusters = prod"
	"pin_source_ip = 127.0.0.1")
install -m 644 "$ECS_TOP/pam.d/ecs-exec-session-policy.json" "$T_WORK/policy.json"
if ! bastion_setup "$SSH_PORT" "$STS_PORT" sshd-ecs-exec >"$T_WORK/setup.log" 2>&1; then
	t_fail "bastion setup" "$(tail -n 5 "$T_WORK/setup.log")"
	t_done
fi
URL=https://127.0.0.1:$STS_PORT
ELSEWHERE=https://127.0.0.1:$STS_ELSEWHERE_PORT
cat >"$STS_WORLD" <<JSON
{"clusters": {"prod": {"tasks": {"$T1": {"containers": [{"name": "app"}]}}},
              "staging": {"tasks": {"$TS": {"containers": [{"name": "app"}]}}}}}
JSON
t_ok "bastion up: sshd pid $SSHD_PID, the stand-in at $URL, pinned to 127.0.0.1"

# What the session runs: each step's output and status in $O (the session's user writes it).
O=$T_WORK/out
mkdir -m 1777 "$O"
PLUGLOG=$O/plugin.jsonl
cat >"$T_WORK/in-session.sh" <<SH
export AWS_CA_BUNDLE=$STS_CA PATH=$STS_PLUGIN_DIR:/usr/bin:/bin STUB_PLUGIN_LOG=$PLUGLOG
export AWS_EC2_METADATA_DISABLED=true AWS_PAGER=
# a step that should be refused but is not would hold its session: 60 s at most
step() { local n=\$1; shift; timeout 60 "\$@" >$O/\$n.out 2>&1 </dev/null; echo \$? >$O/\$n.rc; }
env | sed -n 's/^\(AWS_[A-Z0-9_]*\)=.*/\1/p' | sort >$O/env.names
echo exit | $B/ecs-saml-exec --endpoint-url $URL --cluster prod --task $T1 >$O/exec.out 2>&1
echo \$? >$O/exec.rc
step outside $B/ecs-saml-exec --endpoint-url $URL --cluster staging --task $TS
step start aws --endpoint-url $URL ssm start-session --target ecs:prod_${T1}_$T1-1000000000
step here aws --endpoint-url $URL ecs describe-tasks --cluster prod --tasks $T1 \
	--query 'tasks[0].lastStatus' --output text
step there aws --endpoint-url $ELSEWHERE ecs describe-tasks --cluster prod --tasks $T1
step exec-there $B/ecs-saml-exec --endpoint-url $ELSEWHERE --cluster prod --task $T1
step stock aws --endpoint-url $URL ecs execute-command --cluster prod --task $T1 \
	--container app --command /bin/sh --interactive
SH
chmod 644 "$T_WORK/in-session.sh"
mint "$U" >"$T_WORK/$U.b64" && chmod 644 "$T_WORK/$U.b64"
# shellcheck disable=SC2046
out=$("$B/ecs-saml-ssh" --response "$T_WORK/$U.b64" $(ssh_opts) -p "$SSH_PORT" "$U@127.0.0.1" \
	"bash $T_WORK/in-session.sh" 2>&1)
t_eq "one SSH session through ecs-saml-ssh runs every step" "$?:$(ls "$O" | grep -c '\.rc$')" "0:7"
[ -s "$O/exec.rc" ] || t_fail "the session's steps" "$(tail -n 5 <<<"$out" | tr '\n' ' ')"
t_match "the session's AWS environment: the module's files, no key in a variable" \
	"$(tr '\n' ' ' <"$O/env.names")" \
	'^(AWS_[A-Z0-9_]+ )*AWS_CONFIG_FILE (AWS_[A-Z0-9_]+ )*AWS_SHARED_CREDENTIALS_FILE ($| )'
t_eq "... and no AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY or AWS_SESSION_TOKEN" \
	"$(grep -cE 'AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN)' "$O/env.names")" 0

# rec ACTION EXPR [N]: EXPR over the Nth-last (default last) request of ACTION in the log.
rec() {
	$PY -c 'import json,sys
rs=[json.loads(l) for l in open(sys.argv[1]) if l.strip()]
rs=[r for r in rs if r.get("action")==sys.argv[2]]
n=int(sys.argv[4]) if len(sys.argv)>4 else 1
print(eval(sys.argv[3], {"r": rs[-n]}) if len(rs)>=n else "")' "$STS_LOG" "$@"
}
# plug N EXPR: EXPR over the Nth start record of the stub plugin.
plug() {
	$PY -c 'import json,sys
rs=[json.loads(l) for l in open(sys.argv[1]) if l.strip()]
rs=[r for r in rs if r["event"]=="start"]
n=int(sys.argv[2])
print(eval(sys.argv[3], {"r": rs[n-1]}) if len(rs)>=n else "")' "$PLUGLOG" "$@"
}
rc() { cat "$O/$1.rc" 2>/dev/null; }
one() { tr -s '\n' ' ' <"$O/$1.out" 2>/dev/null | sed 's/ *$//'; }

AKID=$(rec DescribeTasks 'r["access_key"]' 6)
t_eq "the session's key came with the shipped policy: prod, the StartSession deny, the pin" \
	"$($PY -c 'import json,sys
p=json.loads(json.load(open(sys.argv[1]))[sys.argv[2]]["policy"])
s={x.get("Sid"): x for x in p["Statement"]}
print(s["ExecIntoConfiguredClusters"]["Condition"]["StringLike"]["ecs:cluster"],
      s["OnlyThroughEcsExec"]["Effect"],
      s["OnlyFromTheBastion"]["Condition"]["NotIpAddressIfExists"]["aws:SourceIp"])' \
	"$STS_STATE" "$AKID" 2>&1)" "['*:cluster/prod'] Deny ['127.0.0.1/32']"

# --- ecs-saml-exec into prod ------------------------------------------------------------------
t_eq "ecs-saml-exec into prod: DescribeTasks and ExecuteCommand signed, verified, allowed, from 127.0.0.1" \
	"$(rec DescribeTasks 'r["sigv4"]+" "+r["decision"]+" "+r["source_ip"]' 6) $(rec ExecuteCommand 'r["sigv4"]+" "+r["decision"]+" "+r["source_ip"]' 2)" \
	"valid allow 127.0.0.1 valid allow 127.0.0.1"
XSID=$(rec ExecuteCommand 'r["session_id"]' 2)
t_eq "... the plugin got that session from its environment, not argv" \
	"$(plug 1 'r["handover"]+" "+str(r["token_in_argv"])+" "+r["session_id"]')" "env False $XSID"
t_eq "... and ends with the remote shell's exit (status 0)" "$(rc exec)" 0

# --- a cluster outside ecs_clusters ----------------------------------------------------------
t_match "a cluster outside ecs_clusters: ecs-saml-exec's sentence, exit 1" "$(rc outside):$(one outside)" \
	"^1:ecs-saml-exec: not allowed: this bastion session may not call ecs:DescribeTasks on cluster staging .*ecs_clusters"
t_eq "... the stand-in denied it: no allow in the session policy" \
	"$(rec DescribeTasks 'r["cluster"]+" "+r["decision"]+" "+r["denied_by"]' 5)" "staging implicit-deny session"

# --- aws ssm start-session ---------------------------------------------------------------------
t_match "aws ssm start-session with the session's credentials: the explicit deny" \
	"$(rc start):$(one start)" \
	"^254:.*AccessDeniedException.*ssm:StartSession on resource: arn:aws:ecs:us-east-1:123456789012:task/prod/$T1 with an explicit deny in a session policy"
t_eq "... the stand-in: explicit deny by the session policy, no session opened" \
	"$(rec StartSession 'r["decision"]+" "+r["denied_by"]+" "+str(r.get("session_id"))')" \
	"explicit-deny session None"

# --- network pinning ---------------------------------------------------------------------------
t_eq "pinned: from the bastion (127.0.0.1), allowed" "$(rc here):$(one here)" "0:RUNNING"
t_match "pinned: the same credentials from 127.0.0.2, denied by the pinning Deny" \
	"$(rc there):$(one there)" \
	"^254:.*AccessDeniedException.*ecs:DescribeTasks .*with an explicit deny in a session policy"
t_eq "... the stand-in saw 127.0.0.2 and the session policy's explicit deny" \
	"$(rec DescribeTasks 'r["source_ip"]+" "+r["decision"]+" "+r["denied_by"]' 3)" \
	"127.0.0.2 explicit-deny session"
t_match "pinned: ecs-saml-exec from 127.0.0.2 is refused with its sentence" \
	"$(rc exec-there):$(one exec-there)" "^1:ecs-saml-exec: not allowed: "
t_eq "... by the pinning Deny" "$(rec DescribeTasks 'r["source_ip"]+" "+r["decision"]' 2)" \
	"127.0.0.2 explicit-deny"

# --- the stock aws ecs execute-command ---------------------------------------------------------
SSID=$(rec ExecuteCommand 'r["session_id"]')
t_eq "stock aws ecs execute-command: ExecuteCommand signed, verified, allowed" \
	"$(rec ExecuteCommand 'r["sigv4"]+" "+r["decision"]+" "+r["access_key"]')" "valid allow $AKID"
t_eq "... it starts the plugin with the session in argv" \
	"$(plug 2 'r["handover"]+" "+str(r["token_in_argv"])+" "+r["session_id"]')" "argv True $SSID"
t_eq "... argv[1] holds the very token the stand-in issued (readable in /proc/PID/cmdline)" \
	"$(plug 2 '__import__("hashlib").sha256(__import__("json").loads(r["argv"][1])["tokenValue"].encode()).hexdigest()')" \
	"$(rec ExecuteCommand 'r["token_sha256"]')"
t_done
