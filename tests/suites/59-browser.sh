#!/bin/bash
# Suite 59: ecs-saml-ssh --browser with Debian's headless chromium. A fake IdP on loopback
# (tests/lib/fake_idp.py, TLS with the suite's test certificate) plays a sign-in with no
# human: its login page fills in a password and submits on load, and its answer auto-posts a
# signed Response to https://signin.aws.amazon.com/saml, which the browser resolves to an
# "AWS" stand-in on loopback. The client takes the Response out of that POST inside the
# browser: the stand-in must never be reached, and the login to a test bastion (real sshd,
# STS stand-in) succeeds with it. Then each refusal with its message: a page that never posts
# (the time limit), a POST that is not a SAML Response, no browser, a browser that exits, a
# debugging-port argument; and no debugging port opened by the browser.
#
# Ports: sshd 23471, STS stand-in 23472, the fake IdP 23473, the AWS stand-in 23474. The
# browser runs as nobody (tests/lib/browser-as-user) with its sandbox; the test-only browser
# arguments (--headless, --host-resolver-rules, --ignore-certificate-errors-spki-list for the
# test certificate's key) are passed with --browser-arg, never built into the client.
. "$(dirname "$0")/../lib/tap.sh"
. "$ECS_TOP/tests/lib/bastion.sh"

SSH_PORT=23471
STS_PORT=23472
IDP_PORT=23473
AWS_PORT=23474
CLIENT=$B/ecs-saml-ssh
BROWSER=$ECS_TOP/tests/lib/browser-as-user

if [ ! -x /usr/bin/chromium ]; then
	t_fail "Debian's chromium is installed" "no /usr/bin/chromium (tools/install-deps installs it)"
	t_done
fi
if ! bastion_setup "$SSH_PORT" "$STS_PORT" sshd-ecs-browser >"$T_WORK/setup.log" 2>&1; then
	t_fail "bastion setup" "$(tail -n 5 "$T_WORK/setup.log")"
	t_done
fi
t_ok "bastion up: sshd pid $SSHD_PID, STS $STS_URL"

# The fake IdP and the AWS stand-in, on the STS stand-in's certificate (127.0.0.1/localhost:
# the browser trusts it by its key's hash, whatever name it is reached by).
IDP_DIR=$T_WORK/idp-pages
IDP_LOG=$T_WORK/idp.jsonl
mkdir -p "$IDP_DIR"
: >"$IDP_LOG"
/usr/bin/python3 "$ECS_TOP/tests/lib/fake_idp.py" --idp-port "$IDP_PORT" --aws-port "$AWS_PORT" \
	--cert "$STS_DIR/ca/server.pem" --key "$STS_DIR/ca/server.key" --dir "$IDP_DIR" \
	--log "$IDP_LOG" --ready "$T_WORK/idp.ready" 2>"$T_WORK/idp.stderr" &
IDP_PID=$!
t_on_exit "kill $IDP_PID"
for ((i = 0; i < 200; i++)); do
	[ -e "$T_WORK/idp.ready" ] && break
	kill -0 "$IDP_PID" 2>/dev/null || break
	sleep 0.05
done
if [ ! -e "$T_WORK/idp.ready" ]; then
	t_fail "fake IdP up" "$(tail -n 3 "$T_WORK/idp.stderr")"
	t_done
fi
SPKI=$(openssl x509 -in "$STS_DIR/ca/server.pem" -pubkey -noout | openssl pkey -pubin -outform der |
	openssl dgst -sha256 -binary | base64)
IDP=https://idp.example.test/sso

# The throwaway profiles go here, to see that each is removed.
export TMPDIR=$T_WORK/tmp
mkdir -p "$TMPDIR"
chmod 755 "$TMPDIR"
export BROWSER_PIDFILE=$T_WORK/browser.pid BROWSER_STDERR=$T_WORK/browser.stderr

# browse [client options...]: ecs-saml-ssh --browser with the test's browser and arguments.
browse() {
	rm -f "$BROWSER_PIDFILE"
	"$CLIENT" --browser-program "$BROWSER" --browser-arg=--headless \
		--browser-arg="--host-resolver-rules=MAP signin.aws.amazon.com 127.0.0.1:$AWS_PORT, MAP idp.example.test 127.0.0.1:$IDP_PORT" \
		--browser-arg="--ignore-certificate-errors-spki-list=$SPKI" "$@"
}

aws_reached() { grep -c '"server": "aws"' "$IDP_LOG"; }

# After each run: the browser and everything it started are gone, and so is its profile.
left_behind() {	# NAME
	local pgid leftover
	pgid=$(cat "$BROWSER_PIDFILE" 2>/dev/null)
	# killed already; the last of them may take a moment to be reaped
	for ((i = 0; i < 100; i++)); do
		leftover=$( [ -n "$pgid" ] && pgrep -g "$pgid" | tr '\n' ' ')
		[ -z "$leftover" ] && break
		sleep 0.05
	done
	t_eq "$1: no browser process is left" "${pgid:+started }${leftover}" "${pgid:+started }"
	t_eq "$1: the throwaway profile is removed" "$(ls -A "$TMPDIR")" ""
}

ASK=$(aws_in_session)
PROBE="echo ARN=\$($ASK)"

# --- capture only (--print-response), the URL from the configuration file -----------------
mint e2ebob --roles 2 >"$IDP_DIR/bob.b64" || exit 2
mkdir -p "$T_WORK/config/ecs-saml-ssh"
printf '# the IdP link\nbrowser_url = %s\n' "$IDP/bob" >"$T_WORK/config/ecs-saml-ssh/config"
r=$(XDG_CONFIG_HOME=$T_WORK/config browse --browser --print-response 2>"$T_WORK/bob.err")
t_eq "--print-response with browser_url from the configuration file: exit 0" "$?" 0
t_eq "--print-response prints the Response the IdP posted, unchanged" "$r" "$(cat "$IDP_DIR/bob.b64")"
left_behind "--print-response"
out=$(XDG_CONFIG_HOME=$T_WORK/config script -qec "$CLIENT --browser --print-response" /dev/null 2>&1)
t_match "--print-response refuses to print on a terminal, before any browser starts" "$out" \
	'refusing to print the SAML response on a terminal'

# --- the one-command login; the captured Response forwarded on its stdin (the step-up path) --
mint e2ealice >"$IDP_DIR/alice.b64" || exit 2
# shellcheck disable=SC2046
out=$(printf '%s\n' "$r" | browse --browser "$IDP/alice" $(ssh_opts) -p "$SSH_PORT" \
	e2ealice@127.0.0.1 "$PROBE; echo STDIN=\$(sha256sum | cut -c1-64)" 2>&1)
rc=$?
t_eq "--browser: the login succeeds (exit 0)" "$rc" 0
t_match "--browser: the session is e2ealice's role session" "$(field ARN "$out")" \
	'^arn:aws:sts::123456789012:assumed-role/BastionOperator/e2ealice$'
t_eq "--browser: the Response piped to the client reaches the session's command intact" \
	"$(field STDIN "$out")" "$(printf '%s\n' "$r" | sha256sum | cut -c1-64)"
t_check "--browser: the browser was started (its pid recorded)" test -s "$BROWSER_PIDFILE"
t_match "--browser: the IdP saw the sign-in (the password went to the IdP)" "$(cat "$IDP_LOG")" \
	'"method": "POST", "path": "/login/alice"'
t_eq "--browser: the POST to AWS never reached the network" "$(aws_reached)" 0
left_behind "--browser"

# shellcheck disable=SC2046
out=$(printf '%s\n' "$r" | "$CLIENT" --response - --role 2 $(ssh_opts) -p "$SSH_PORT" \
	e2ebob@127.0.0.1 "$PROBE" 2>&1)
t_match "the printed Response logs in through --response - (role 2 of 2 chosen)" \
	"$(field ARN "$out")" '^arn:aws:sts::123456789012:assumed-role/BastionReadOnly/e2ebob$'
unset r

# --- a sign-in that never completes: the time limit, and no debugging port ---------------
browse --browser "$IDP/never" --browser-timeout 8 e2ealice@127.0.0.1 true \
	>"$T_WORK/never.out" 2>&1 &
never=$!
for ((i = 0; i < 300; i++)); do
	grep -q '"path": "/sso/never"' "$IDP_LOG" && break
	sleep 0.05
done
pgid=$(cat "$BROWSER_PIDFILE" 2>/dev/null)
pids=$( [ -n "$pgid" ] && pgrep -g "$pgid" | tr '\n' ' ')
listening=$(ss -ltnpH 2>/dev/null; ss -lunpH 2>/dev/null)
open=
for p in $pids; do
	grep -q "pid=$p," <<<"$listening" && open+=" $p"
done
t_match "the browser is up, showing the page that never posts (pids: $pids)" "$pids" '[0-9]'
t_eq "no TCP or UDP port is open by any browser process (--remote-debugging-pipe only)" "$open" ""
t_match "...and no debugging port in the browser's command line" \
	"$(tr '\0' ' ' <"/proc/$pgid/cmdline" 2>/dev/null)" '--remote-debugging-pipe'
wait "$never"
rc=$?
t_eq "a page that never posts: exit 1 at the time limit" "$rc" 1
t_match "...saying so, and how to change the limit" "$(cat "$T_WORK/never.out")" \
	'no sign-in within 8 seconds: the browser never posted a SAML response to AWS \(--browser-timeout SECONDS'
left_behind "time limit"

# --- a POST to AWS that is not a SAML Response -------------------------------------------
out=$(browse --browser "$IDP/notsaml" e2ealice@127.0.0.1 true 2>&1)
rc=$?
t_eq "a POST without a SAML Response: exit 1" "$rc" 1
t_match "...refused with its message" "$out" \
	'the sign-in posted to AWS, but not a SAML response; it was stopped here, nothing was sent to AWS'
t_eq "...and it did not reach the AWS stand-in" "$(aws_reached)" 0
left_behind "not a SAML Response"

# --- no browser, a browser that exits, a debugging port asked for -------------------------
mkdir -p "$T_WORK/nobin"
out=$(PATH=$T_WORK/nobin "$CLIENT" --browser "$IDP/alice" e2ealice@127.0.0.1 true 2>&1)
rc=$?
t_eq "no browser on PATH: exit 1" "$rc" 1
t_match "...naming the browsers it looked for and --browser-program" "$out" \
	'none is on PATH \(looked for chromium, .*brave-browser\): install one, or name yours with --browser-program PATH'
out=$("$CLIENT" --browser "$IDP/alice" --browser-program "$T_WORK/nobin/chromium" e2ealice@127.0.0.1 true 2>&1)
t_match "a --browser-program that does not exist is named" "$out" \
	"the browser $T_WORK/nobin/chromium is not an executable program"
# browser_ends NAME STATUS WHAT SCRIPT — a "browser" that ends before any sign-in: exit 1
# naming its status, never a signal, and its throwaway profile gone.
browser_ends() {
	local out rc
	printf '%s' "$4" >"$T_WORK/nobin/$1"
	chmod 755 "$T_WORK/nobin/$1"
	out=$("$CLIENT" --browser "$IDP/alice" --browser-program "$T_WORK/nobin/$1" \
		e2ealice@127.0.0.1 true 2>&1)
	rc=$?
	t_eq "$3: exit 1" "$rc" 1
	t_match "...with its exit status" "$out" \
		"the browser .*/$1 ended \\(exit status $2\\) before the sign-in posted to AWS"
	t_eq "...and its throwaway profile is removed" "$(ls -A "$TMPDIR")" ""
}
browser_ends quitter 3 "a browser that exits at once" '#!/bin/sh
exit 3
'
# It closes its command pipe first, then announces a page: the answer must go into a
# closed pipe, every time, and that is "the browser ended", not a death by SIGPIPE.
browser_ends deaf 4 "a browser that stops reading its commands (not a SIGPIPE)" '#!/bin/sh
exec 3<&-
printf '"'"'{"method":"Target.attachedToTarget","params":{"sessionId":"S1","targetInfo":{"type":"page"},"waitingForDebugger":true}}\0'"'"' >&4
exit 4
'
for arg in --remote-debugging-port=9222 --remote-debugging-address=0.0.0.0 --user-data-dir=/tmp/x; do
	out=$(browse --browser "$IDP/alice" --browser-arg="$arg" e2ealice@127.0.0.1 true 2>&1)
	rc=$?
	t_eq "--browser-arg $arg is refused as a usage error (exit 2)" "$rc" 2
	t_match "...saying why" "$out" "refusing --browser-arg $arg: the browser is driven over a private pipe only"
done
out=$(XDG_CONFIG_HOME=$T_WORK/none "$CLIENT" --browser e2ealice@127.0.0.1 true 2>&1)
t_match "--browser without a link names the option and the configuration file" "$out" \
	"give it as --browser URL, or as browser_url = URL in $T_WORK/none/ecs-saml-ssh/config"
out=$("$CLIENT" --browser=http://idp.example.test/ e2ealice@127.0.0.1 true 2>&1)
t_match "a link that is not https:// is refused" "$out" 'the sign-in link must be an https:// URL'
printf 'browser_ulr = %s\n' "$IDP/bob" >"$T_WORK/config/ecs-saml-ssh/config"
out=$(XDG_CONFIG_HOME=$T_WORK/config "$CLIENT" --browser e2ealice@127.0.0.1 true 2>&1)
t_match "a misspelt configuration key is refused with the file and line" "$out" \
	'ecs-saml-ssh/config: line 1: unknown key "browser_ulr"'
t_eq "at the end, no request ever reached the AWS stand-in" "$(aws_reached)" 0
t_done
