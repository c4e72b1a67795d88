#!/bin/bash
# Suite 34: reaching STS through an HTTP CONNECT proxy (sts_proxy, sts_proxy_auth_file), by
# AWS's host names (regional, FIPS, VPC interface endpoint, aws-cn, aws-us-gov), and the
# site's lines in the session's AWS config file (aws_config_snippet): logins through PAM
# (tests/pam/pamenv.sh: pamdrive, the module, the helper, the NSS module in a private mount
# namespace), against the STS stand-in behind Debian's tinyproxy.
#
# The whole suite runs in a private network namespace of its own (it re-executes itself under
# `unshare -n`), where an nftables rule resets every TCP connection to the stand-in's port
# that does not come from the proxy's account (nobody): the helper, which calls STS as the
# logging-in user, can reach STS only through the proxy, as on a bastion whose egress
# firewall lets only the proxy out. Nothing of it is the machine's: the namespace, its
# loopback and its rules go with the suite.
# tinyproxy runs from this run's own configuration files, in a mount namespace whose
# /etc/hosts maps AWS's STS host names to 127.0.0.1 (the proxy resolves them, as it does on a
# real network); the stand-in's certificate carries those names (STS_EXTRA_SANS), so the
# helper's host name check and SNI are the real ones.
# Ports (127.0.0.1 in the suite's network namespace): 23431 STS stand-in, 23432 tinyproxy,
# 23433 tinyproxy with Basic authentication, 23434 tinyproxy that allows CONNECT to port 443
# only, 23435 closed (no proxy there).
# Touches /run/pam_ecs_saml and /dev/log (pamenv.sh, syslog.sh): run under the e2e lock.
if [ -z "${ECS_T34_NETNS:-}" ]; then
	exec env ECS_T34_NETNS=1 unshare -n -- bash "$0" "$@"
fi
. "$(dirname "$0")/../lib/tap.sh"
. "$ECS_TOP/tests/lib/sts.sh"
. "$ECS_TOP/tests/lib/syslog.sh"
. "$ECS_TOP/tests/pam/pamenv.sh"

STS_PORT=23431
PROXY_PORT=23432
AUTH_PROXY_PORT=23433
STRICT_PROXY_PORT=23434
CLOSED_PORT=23435
REGIONAL=sts.eu-west-3.amazonaws.com
FIPS=sts-fips.us-east-1.amazonaws.com
VPCE=vpce-0a1b2c3d4e5f67890-abcdefgh.sts.eu-west-3.vpce.amazonaws.com
CHINA=sts.cn-north-1.amazonaws.com.cn
GOV=sts.us-gov-west-1.amazonaws.com
UNLISTED=sts.eu-west-1.amazonaws.com	# resolves, but is not in the stand-in's certificate
NOBODY=$(id -u nobody)

ip link set lo up || { t_fail "loopback up in the suite's network namespace"; t_done; }
for tool in tinyproxy nft; do
	command -v "$tool" >/dev/null || { t_fail "$tool installed (tools/install-deps)"; t_done; }
done

# ---------------------------------------------------------------------------- setup

export STS_EXTRA_SANS="DNS:$REGIONAL,DNS:$FIPS,DNS:$VPCE,DNS:$CHINA,DNS:$GOV"
pamenv_setup "$STS_PORT" '^p34[a-z0-9]{1,8}$' >"$T_WORK/setup.log" 2>&1 ||
	{ t_fail "setup" "$(tail -n 3 "$T_WORK/setup.log")"; t_done; }
syslog_start || { t_fail "syslog capture on /dev/log"; t_done; }

# Only the proxy's account may connect to the stand-in (a reset for anyone else).
nft -f - <<-NFT || { t_fail "nftables rule"; t_done; }
	table inet t34 {
		chain out {
			type filter hook output priority 0;
			tcp dport $STS_PORT meta skuid != $NOBODY reject with tcp reset
		}
	}
NFT

printf '127.0.0.1 localhost %s %s %s %s %s %s\n' "$REGIONAL" "$FIPS" "$VPCE" "$CHINA" "$GOV" \
	"$UNLISTED" >"$T_WORK/hosts"
# proxy PORT NAME [lines...]: a tinyproxy of its own on 127.0.0.1:PORT, stopped at exit; its
# log in $T_WORK/NAME.log.
proxy() {
	local port=$1 name=$2 conf=$T_WORK/$2.conf i
	shift 2
	{
		printf 'User nobody\nGroup nogroup\nPort %s\nListen 127.0.0.1\nTimeout 20\n' "$port"
		printf 'LogLevel Connect\nMaxClients 8\nAllow 127.0.0.1\nDisableViaHeader Yes\n'
		printf '%s\n' "$@"
	} >"$conf"
	: >"$T_WORK/$name.log"
	unshare -m --propagation private sh -c \
		'mount --bind "$1" /etc/hosts && exec tinyproxy -d -c "$2"' sh "$T_WORK/hosts" "$conf" \
		>>"$T_WORK/$name.log" 2>&1 &
	t_on_exit "kill $!"
	for ((i = 0; i < 100; i++)); do
		/usr/bin/python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' \
			"$port" 2>/dev/null && return 0
		sleep 0.05
	done
	t_fail "tinyproxy $name on 127.0.0.1:$port started" "$(tail -n 3 "$T_WORK/$name.log")"
	return 1
}
proxy "$PROXY_PORT" open "ConnectPort $STS_PORT"
proxy "$AUTH_PROXY_PORT" auth "ConnectPort $STS_PORT" "BasicAuth bastion corr3ct-horse"
proxy "$STRICT_PROXY_PORT" strict "ConnectPort 443"

install -m 600 /dev/null "$T_WORK/auth"
echo 'bastion:corr3ct-horse' >"$T_WORK/auth"
install -m 600 /dev/null "$T_WORK/auth-wrong"
echo 'bastion:wrong-horse' >"$T_WORK/auth-wrong"
install -m 644 /dev/null "$T_WORK/auth-open"
echo 'bastion:corr3ct-horse' >"$T_WORK/auth-open"
printf '# the site\ncli_pager =\noutput = json\nretry_mode = standard\n' >"$T_WORK/snippet"
printf 'output = json\nrole_arn = arn:aws:iam::123456789012:role/Other\n' >"$T_WORK/snippet-bad"
chmod 644 "$T_WORK/snippet" "$T_WORK/snippet-bad"

P=sts_proxy=http://127.0.0.1:$PROXY_PORT
PA=sts_proxy=http://127.0.0.1:$AUTH_PROXY_PORT
stack ecs34direct
stack ecs34proxy "$P"
stack ecs34snippet "$P" aws_config_snippet="$T_WORK/snippet"
stack ecs34snipbad "$P" aws_config_snippet="$T_WORK/snippet-bad"
stack ecs34auth "$PA" sts_proxy_auth_file="$T_WORK/auth"
stack ecs34noauth "$PA"
stack ecs34wrong "$PA" sts_proxy_auth_file="$T_WORK/auth-wrong"
stack ecs34open "$PA" sts_proxy_auth_file="$T_WORK/auth-open"
stack ecs34strict sts_proxy=http://127.0.0.1:$STRICT_PROXY_PORT
stack ecs34closed sts_proxy=http://127.0.0.1:$CLOSED_PORT
for n in REGIONAL FIPS VPCE CHINA GOV UNLISTED; do	# PAM service names are lower case
	stack "ecs34${n,,}" "$P" sts_endpoint="https://${!n}:$STS_PORT/"
done

# logout: close the session the last login opened (its files are checked before the next).
LAST_USER=
LAST_TAG=
logout() {
	local out
	[ -n "$LAST_TAG" ] || return 0
	out=$(drive "$LAST_USER" -E "PAM_ECS_SAML_SESSION=$LAST_TAG" close)
	grep -q '^close: 0 ' <<<"$out" || t_fail "session $LAST_TAG of $LAST_USER closes" "$out"
	LAST_TAG=
}
# login SERVICE USER: a fresh Response, auth and session open through SERVICE; pamdrive's
# lines in $OUT, what the helper logged meanwhile in $LOGGED. A session that cannot open is
# PAM_SYSTEM_ERR (4: STS could not be reached) or PAM_PERM_DENIED (6), or PAM_SERVICE_ERR (3)
# when the configuration is at fault.
login() {
	local mark
	logout
	mint "$2" >"$T_WORK/r.b64"
	mark=$(syslog_mark)
	OUT=$(SERVICE=$1 drive "$2" -a "$T_WORK/r.b64" auth open env)
	syslog_wait 'session open|session refused|sts AssumeRoleWithSAML failed|code=' "$mark" \
		>/dev/null
	LOGGED=$(syslog_since "$mark")
	LAST_USER=$2
	LAST_TAG=$(field "env: PAM_ECS_SAML_SESSION" "$OUT")
}
assumes() { grep -c '"action": "AssumeRoleWithSAML"' "$STS_LOG"; }
CONNECTS() { grep -c "Request (file descriptor [0-9]*): CONNECT $1 " "$T_WORK/$2.log"; }

# ---------------------------------------------------------------------------- direct: blocked

t_check "the stand-in is blocked for everyone but the proxy (root's direct connection reset)" \
	bash -c "! curl -s --max-time 5 --cacert '$STS_CA' https://127.0.0.1:$STS_PORT/ -o /dev/null"
t_check "... and reached through the proxy (curl, CONNECT)" \
	curl -s --max-time 5 --cacert "$STS_CA" -p -x "http://127.0.0.1:$PROXY_PORT" \
	-o /dev/null "https://127.0.0.1:$STS_PORT/"

before=$(assumes)
login ecs34direct p34a
t_match "without sts_proxy: the session does not open" "$OUT" '^open: (4|6) '
t_match "... the log says sts-unreachable" "$LOGGED" 'sts AssumeRoleWithSAML failed.*code="?sts-unreachable'
t_match "... the user is told to have the network path checked" "$OUT" \
	"^error: The bastion cannot connect to AWS STS: ask the bastion's administrator"
t_eq "... STS never saw the assertion" "$(assumes)" "$before"

# ---------------------------------------------------------------------------- through the proxy

connects=$(CONNECTS "127.0.0.1:$STS_PORT" open)
login ecs34proxy p34a
t_match "through sts_proxy: the session opens" "$OUT" '^open: 0 '
t_eq "... the stand-in answered one AssumeRoleWithSAML" "$(assumes)" "$((before + 1))"
t_eq "... through one CONNECT to the endpoint" "$(CONNECTS "127.0.0.1:$STS_PORT" open)" \
	"$((connects + 1))"
CFG=$(field "env: AWS_CONFIG_FILE" "$OUT")
t_check "... the session's AWS config file exists" test -f "$CFG"
if grep -q 'aws_config_snippet\|cli_pager' "$CFG"; then
	t_fail "... without aws_config_snippet, nothing of the site's in it" "$(cat "$CFG")"
else
	t_ok "... without aws_config_snippet, nothing of the site's in it"
fi
if grep -q 'corr3ct\|Proxy-Authorization' "$T_WORK/open.log" "$SYSLOG"; then
	t_fail "... no proxy credentials in a log" "found"
else
	t_ok "... no proxy credentials in a log"
fi

login ecs34auth p34b
t_match "a proxy with Basic authentication and sts_proxy_auth_file: the session opens" "$OUT" '^open: 0 '
t_eq "... through one CONNECT" "$(CONNECTS "127.0.0.1:$STS_PORT" auth)" 1

login ecs34noauth p34b
t_match "that proxy without credentials: the session does not open" "$OUT" '^open: (4|6) '
t_match "... the log says sts-proxy-auth" "$LOGGED" 'code="?sts-proxy-auth\b'
t_match "... the user is told to have sts_proxy_auth_file checked" "$OUT" \
	"^error: The bastion's proxy refuses its credentials: ask the bastion's administrator to check sts_proxy_auth_file"

login ecs34wrong p34b
t_match "wrong proxy credentials: the session does not open" "$OUT" '^open: (4|6) '
t_match "... the log says sts-proxy-auth" "$LOGGED" 'code="?sts-proxy-auth\b'
t_match "... the user is told" "$OUT" "^error: The bastion's proxy refuses its credentials"
if grep -q 'wrong-horse' "$SYSLOG"; then t_fail "... the password is not logged" "found"
else t_ok "... the password is not logged"; fi

before=$(assumes)
login ecs34open p34b
t_match "an sts_proxy_auth_file others can read: the session does not open (PAM_SERVICE_ERR)" "$OUT" \
	'^open: 3 '
t_match "... the log says sts-proxy-auth-file, naming the file" "$LOGGED" \
	"code=\"?sts-proxy-auth-file.*$T_WORK/auth-open"
t_match "... the user is told, with the CODE" "$OUT" \
	"^error: The bastion cannot log in to the proxy .*\\(code sts-proxy-auth-file in its log\\)"
t_eq "... no STS call was made" "$(assumes)" "$before"

login ecs34strict p34c
t_match "a proxy refusing CONNECT to the endpoint's port: the session does not open" "$OUT" '^open: (4|6) '
t_match "... the log says sts-proxy" "$LOGGED" 'code="?sts-proxy"?( |$)'
t_match "... the user is told to have sts_proxy and the proxy's rules checked" "$OUT" \
	"^error: The bastion cannot reach AWS STS through its proxy .*sts_proxy"
t_eq "... STS never saw the assertion" "$(assumes)" "$before"

login ecs34closed p34c
t_match "no proxy at sts_proxy: the session does not open" "$OUT" '^open: (4|6) '
t_match "... the log says sts-proxy" "$LOGGED" 'code="?sts-proxy"?( |$)'

# ---------------------------------------------------------------------------- AWS's host names

for n in REGIONAL FIPS VPCE CHINA GOV; do
	host=${!n}
	before=$(assumes)
	connects=$(CONNECTS "$host:$STS_PORT" open)
	login "ecs34${n,,}" p34d
	t_match "sts_endpoint https://$host/ (through the proxy): the session opens" "$OUT" '^open: 0 '
	t_eq "... the proxy was asked for $host by name" "$(CONNECTS "$host:$STS_PORT" open)" \
		"$((connects + 1))"
	t_eq "... and STS answered" "$(assumes)" "$((before + 1))"
done
login ecs34unlisted p34d
t_match "an endpoint whose name the certificate does not carry: refused through the tunnel" "$OUT" '^open: (4|6) '
t_match "... the log says sts-untrusted (TLS checks the endpoint's name, not the proxy's)" "$LOGGED" \
	'code="?sts-untrusted'

# ---------------------------------------------------------------------------- aws_config_snippet

login ecs34snippet p34e
t_match "aws_config_snippet: the session opens" "$OUT" '^open: 0 '
CFG=$(field "env: AWS_CONFIG_FILE" "$OUT")
t_eq "... the session's config file is the module's [default] profile, then the site's lines" \
	"$(grep -v '^# pam_ecs_saml session' "$CFG")" \
	"$(printf '[default]\nregion = eu-west-3\n# the bastion'"'"'s aws_config_snippet\n# the site\ncli_pager =\noutput = json\nretry_mode = standard')"
t_eq "... and it is the user's, mode 0600" "$(stat -c '%u %a' "$CFG")" "$(uid_of p34e) 600"

before=$(assumes)
login ecs34snipbad p34e
t_match "a snippet that would change the role: the session does not open (PAM_SERVICE_ERR)" "$OUT" \
	'^open: 3 '
t_match "... the log says aws-config-snippet and names the line" "$LOGGED" \
	'code="?aws-config-snippet.*line 2: a key that would change'
t_match "... the user is told, with the CODE" "$OUT" \
	"^error: The bastion cannot write this session's AWS config file.*\\(code aws-config-snippet in its log\\)"
t_eq "... before any STS call" "$(assumes)" "$before"

logout
t_done
