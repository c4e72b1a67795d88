#!/bin/bash
# Suite 52: every misconfiguration a federated login can meet, diagnosed where the person
# who must fix it looks. Through a real sshd and ecs-saml-ssh over the stock ssh, each row
# breaks one thing on purpose and asserts both ends: the engineer's terminal says what is
# wrong and who can fix it, and the bastion's syslog has a record whose code= names the
# exact cause (never "not a complete SAML response").
#
# Ports: sshd 22521 (and 22522, 22523 for sshd configurations of their own), STS stand-in
# 22561, 22569 kept closed (an unreachable STS). sshd runs
# as PAM service "sshd-ecs-diag" in a private mount namespace (tests/lib/nsroot.sh); a row
# changes the configuration inside that namespace only, and puts it back afterwards.
# /dev/log is this suite's own capture for the run (tests/lib/syslog.sh).
. "$(dirname "$0")/../lib/tap.sh"
. "$ECS_TOP/tests/lib/bastion.sh"
. "$ECS_TOP/tests/lib/syslog.sh"

SSH_PORT=22521
STS_PORT=22561
CLOSED_PORT=22569

if ! syslog_start >"$T_WORK/setup.log" 2>&1 ||
	! bastion_setup "$SSH_PORT" "$STS_PORT" sshd-ecs-diag >>"$T_WORK/setup.log" 2>&1; then
	t_fail "bastion setup" "$(tail -n 5 "$T_WORK/setup.log")"
	t_done
fi

# ours: the records of this suite's logins (service sshd-ecs-diag). /dev/log is the machine's,
# and suites running beside this one (tests/run's second lane) log there too: `verify` in
# suite 21 refuses Responses with the same codes.
ours() { grep -F 'sshd-ecs-diag'; }

resp() {	# resp NAME USER [mint options] — mint into $T_WORK/NAME.b64 (readable by tests)
	local f=$T_WORK/$1.b64 user=$2
	shift 2
	mint "$user" "$@" >"$f" && chmod 600 "$f" && echo "$f"
}

login() {	# login USER RESPONSE_FILE — ecs-saml-ssh over stock ssh; output and status
	# shellcheck disable=SC2046
	"$B/ecs-saml-ssh" --response "$2" $(ssh_opts) -p "$SSH_PORT" "$1@127.0.0.1" \
		'echo LOGGED-IN' 2>&1
}

# conf_set [LINE...] — the bastion's configuration with those "key = value" lines in place
# of the keys' own (tests/lib/kv.sh), installed inside sshd's namespace, where the module,
# the helper and the NSS module read it. conf_set alone puts the original back.
conf_set() {
	local -a CONF_DEFAULTS
	mapfile -t CONF_DEFAULTS <"$CONF"
	conf_write "$T_WORK/conf.now" "$@" &&
		nsenter -t "$SSHD_PID" -m sh -c 'cat >/etc/security/pam_ecs_saml.conf' \
			<"$T_WORK/conf.now"
}

# row NAME USER RESPONSE MESSAGE_ERE CODE — one login that must be refused: the user sees
# MESSAGE_ERE, and a syslog record written during the login carries code="CODE".
row() {
	local name=$1 user=$2 r=$3 msg=$4 code=$5 mark out rc rec
	mark=$(syslog_mark)
	out=$(login "$user" "$r")
	rc=$?
	if [ $rc -eq 0 ] || grep -q '^LOGGED-IN' <<<"$out"; then
		t_fail "$name: refused" "the login succeeded"
		return
	fi
	t_match "$name: the engineer is told what is wrong and who can fix it" "$out" "$msg"
	if grep -q 'not a complete SAML response' <<<"$out"; then
		t_fail "$name: never 'not a complete SAML response'" "$out"
	fi
	rec=$(syslog_wait "code=\"$code\"" "$mark")
	if [ -n "$rec" ]; then
		t_ok "$name: syslog record with code=\"$code\""
	else
		t_fail "$name: syslog record with code=\"$code\"" \
			"records: $(syslog_since "$mark" | cut -c 1-200 | tr '\n' '|')"
	fi
}

out=$(login e2eok "$(resp ok e2eok)")
t_match "the bastion works before anything is broken" "$out" '^LOGGED-IN'

# --- 1: the system does not know the user ------------------------------------------------
# sshd would treat the login as an invalid user's and replace every answer with its own
# stand-in; the module asks the helper why instead of asking for a Response.
NSSWITCH=$SSHD_DIR/ns/nsswitch.conf	# bind-mounted over /etc/nsswitch.conf in the namespace
cp "$NSSWITCH" "$T_WORK/nsswitch.orig"
sed -E 's/^(passwd|group):.*/\1: files/' "$T_WORK/nsswitch.orig" >"$T_WORK/nsswitch.files"
cat "$T_WORK/nsswitch.files" >"$NSSWITCH"	# in place: the bind mount holds the inode
row "nsswitch.conf without ecs_saml" e2enons "$(resp nons e2enons)" \
	"does not look up federated users \\(/etc/nsswitch.conf lacks ecs_saml\\)\\. Ask the bastion's administrator to add ecs_saml to its passwd and group lines \\(code nsswitch in its log\\)" \
	nsswitch
cat "$T_WORK/nsswitch.orig" >"$NSSWITCH"

nsenter -t "$SSHD_PID" -m mv "$NS_LIBDIR/libnss_ecs_saml.so.2" "$NS_LIBDIR/libnss_ecs_saml.so.2.away"
row "NSS module not installed" e2enolib "$(resp nolib e2enolib)" \
	"NSS module for federated users \\(libnss_ecs_saml\\.so\\.2\\) is not installed\\. Ask the bastion's administrator to install it \\(code nss-module-missing in its log\\)" \
	nss-module-missing
nsenter -t "$SSHD_PID" -m mv "$NS_LIBDIR/libnss_ecs_saml.so.2.away" "$NS_LIBDIR/libnss_ecs_saml.so.2"

row "a name neither mapped nor matching nss_first_login" zzalien "$(resp alien zzalien)" \
	"does not know this user name \\(not in its user map, no match for nss_first_login\\)\\. Ask the bastion's administrator to add you \\(code user-unknown in its log\\)" \
	user-unknown
t_match "user unknown: the record names the rule it failed" "$(ours <"$SYSLOG" | grep 'code="user-unknown"' | tail -n 1)" \
	'user="zzalien" .*does not match nss_first_login \^e2e'

# --- 2: no user map (`ecs-saml-helper users init` never ran) -------------------------------
mv "$STATE_DIR/usermap" "$T_WORK/usermap.saved"
row "no user map" e2enomap "$(resp nomap e2enomap)" \
	"has no federated user map yet\\. Ask the bastion's administrator to run .ecs-saml-helper users init. \\(code usermap-missing in its log\\)" \
	usermap-missing
mv "$T_WORK/usermap.saved" "$STATE_DIR/usermap"

# --- 3, 4, 5: the configuration file --------------------------------------------------------
# The PAM module loads it first (so does the NSS module, which then answers nothing): a bad
# file is refused with its cause before any prompt.
CONF_MSG="The bastion's pam_ecs_saml configuration is invalid\\. Ask the bastion's administrator to correct it"
in_ns() { nsenter -t "$SSHD_PID" -m "$@"; }
in_ns chown nobody /etc/security/pam_ecs_saml.conf
row "configuration file owned by a user" e2eowner "$(resp owner e2eowner)" \
	"$CONF_MSG \\(code config-owner in its log\\)" config-owner
in_ns chown root /etc/security/pam_ecs_saml.conf
in_ns chmod 0664 /etc/security/pam_ecs_saml.conf
row "configuration file writable by its group" e2emode "$(resp mode e2emode)" \
	"$CONF_MSG \\(code config-mode in its log\\)" config-mode
t_match "config-mode: the record names the file" "$(ours <"$SYSLOG" | grep 'code="config-mode"' | tail -n 1)" \
	'pam_ecs_saml\(sshd-ecs-diag:auth\): configuration error: code="config-mode" reason="/etc/security/pam_ecs_saml\.conf: '

# 4: only root can read it. sshd and the helper could, but the NSS module inside every
# user's processes could not: `id` and `ls -l` in the session would lose the names without
# a word. Refused everywhere instead, root's lookups included, and the first login says so.
in_ns chmod 0600 /etc/security/pam_ecs_saml.conf
row "configuration file readable by root only" e2eprivate "$(resp private e2eprivate)" \
	"$CONF_MSG \\(code config-unreadable-by-users in its log\\)" config-unreadable-by-users
t_eq "readable by root only: root's own lookups refuse it too (no half-working bastion)" \
	"$(in_ns getent passwd e2eok | cut -d: -f1)" ""
in_ns chmod 0644 /etc/security/pam_ecs_saml.conf
t_eq "readable by everyone again: the lookup answers" "$(in_ns getent passwd e2eok | cut -d: -f1)" \
	e2eok
t_eq "... and so it does for a user's process" \
	"$(in_ns setpriv --reuid=nobody --regid=nogroup --clear-groups getent passwd e2eok | cut -d: -f1)" \
	e2eok

# 5: a key the module does not know (a typo of clock_skew).
conf_set "clok_skew = 300"
row "unknown configuration key" e2ekey "$(resp key e2ekey)" \
	"$CONF_MSG \\(code config-key in its log\\)" config-key
t_match "config-key: the record names the file, the line and the key" \
	"$(ours <"$SYSLOG" | grep 'code="config-key"' | tail -n 1)" \
	"code=\"config-key\" reason=\"/etc/security/pam_ecs_saml\\.conf:[0-9]+: unknown key 'clok_skew'"
conf_set

# --- 9: clock skew beyond clock_skew -------------------------------------------------------
# An IdP 10 minutes ahead of the bastion (or the bastion behind): every time in the Response
# lies in the bastion's future.
row "clock skew (the IdP 600 s ahead, clock_skew 180)" e2eskew "$(resp skew e2eskew --ahead 600)" \
	"dated in the future by the bastion's clock: its clock or the IdP's is wrong\\. Ask the bastion's administrator to check its time synchronisation" \
	clock-skew
out=$(login e2eskewok "$(resp skewok e2eskewok --ahead 120)")
t_match "clock skew within clock_skew (120 s of 180): logs in" "$out" '^LOGGED-IN'

# --- log injection: text from the Response cannot forge a field of the record ------------
# The SignatureMethod Algorithm is read before any signature, so anyone who reaches sshd
# chooses it, and the reject reason quotes it. Here it carries quotes, a backslash and
# non-ASCII text shaped like fields of a successful root login. The record must still parse,
# strictly, into exactly one user= and one code= with the right values, and the hostile
# text must come back, byte for byte, only inside the reason.
# logrec_parse: the last line of stdin, a captured record, as JSON {"event":..,"fields":[..]};
# exit 1 (and why on stderr) unless it is EVENT: key="value" ... with every value escaped as
# libecs/ecs_logrec.h says.
logrec_parse() {
	/usr/bin/python3 -c '
import json, re, sys
line = sys.stdin.read().splitlines()[-1]
m = re.match(r"^(?:<\d+>)?.*?(?:ecs-saml-helper\[\d+\]|pam_ecs_saml\([^)]*\)): (.*)$", line)
if not m:
	sys.exit("no record header: " + line)
rec = m.group(1)
event, sep, rest = rec.partition(": ")
if not sep or not re.fullmatch(r"[A-Za-z][A-Za-z0-9 ,/-]*", event):
	sys.exit("bad event: " + rec)
fields, pos, key = [], 0, re.compile(r"[a-z0-9_]+=\"")
while pos < len(rest):
	k = key.match(rest, pos)
	if not k:
		sys.exit("no key=\" at %d: %s" % (pos, rest[pos:pos + 40]))
	pos, val = k.end(), bytearray()
	while True:
		if pos >= len(rest):
			sys.exit("unterminated value of " + k.group()[:-2])
		c = rest[pos]
		if c == "\"":
			pos += 1
			break
		if c == "\\":
			n = rest[pos + 1:pos + 2]
			if n in ("\"", "\\"):
				val += n.encode()
				pos += 2
			elif n == "x" and re.fullmatch(r"[0-9a-f]{2}", rest[pos + 2:pos + 4]):
				val.append(int(rest[pos + 2:pos + 4], 16))
				pos += 4
			else:
				sys.exit("bad escape at %d" % pos)
		elif " " <= c <= "~":
			val += c.encode()
			pos += 1
		else:
			sys.exit("raw byte %r in a value" % c)
	fields.append([k.group()[:-2], val.decode("utf-8", "strict")])
	if pos < len(rest):
		if rest[pos] != " " or pos + 1 == len(rest):
			sys.exit("fields not separated by one space at %d" % pos)
		pos += 1
print(json.dumps({"event": event, "fields": fields}))
'
}
# Every value is whole, so the parser must take apart what it is given and nothing else.
t_eq "log record parser: a well-formed record" \
	"$(printf '%s\n' '<85>Dec  5 10:00:00 ecs-saml-helper[1]: auth ok: user="a\"b" x="\x41\\"' |
		logrec_parse)" '{"event": "auth ok", "fields": [["user", "a\"b"], ["x", "A\\"]]}'
if printf '%s\n' 'ecs-saml-helper[1]: auth ok: user="a" code="ok" b"' | logrec_parse \
	>/dev/null 2>&1; then
	t_fail "log record parser: text outside a quoted value is refused" "it parsed"
else
	t_ok "log record parser: text outside a quoted value is refused"
fi
INJECT='urn:x" user="root" code="ok" reason="forged\ caf'$'\xc3\xa9'
mark=$(syslog_mark)
row "a hostile SignatureMethod Algorithm (log injection)" e2einject \
	"$(resp inject e2einject --sig-alg "$INJECT")" "SAML response refused" algorithm
rec=$(syslog_since "$mark" | ours | grep 'code="algorithm"' | tail -n 1)
if parsed=$(logrec_parse <<<"$rec" 2>&1); then
	t_ok "log injection: the record parses strictly as EVENT: key=\"value\" ..."
else
	t_fail "log injection: the record parses strictly" "$parsed: $rec"
fi
t_eq "log injection: exactly one user= and one code=, with the true values" \
	"$(/usr/bin/python3 -c 'import json,sys
r = json.loads(sys.argv[1]); f = r["fields"]
print(r["event"], [v for k, v in f if k == "user"], [v for k, v in f if k == "code"])' "$parsed")" \
	"auth refused ['e2einject'] ['algorithm']"
t_eq "log injection: the hostile text comes back whole, inside the reason only" \
	"$(/usr/bin/python3 -c 'import json,sys
f = json.loads(sys.argv[1])["fields"]
print([k for k, v in f if sys.argv[2] in v])' "$parsed" "$INJECT")" "['reason']"
t_eq "log injection: no record of the login says user=\"root\" or code=\"ok\"" \
	"$(syslog_since "$mark" | grep -cE 'user="root"|code="ok"')" 0

# --- 6: unreadable IdP certificate or metadata ---------------------------------------------
conf_set "idp_entity_id = https://idp.example.test/metadata" \
	"idp_cert = $IDP_KEYS/no-such-cert.pem"
row "IdP certificate missing" e2ecert "$(resp cert e2ecert)" \
	"cannot check SAML responses: its IdP certificate or metadata is unusable\\. Ask the bastion's administrator to fix idp_cert or idp_metadata \\(code idp-cert-unreadable in its log\\)" \
	idp-cert-unreadable
# Metadata an unprivileged user could rewrite is not trusted: the helper refuses to read it.
mkdir -m 755 "$T_WORK/md"
printf '<EntityDescriptor/>\n' >"$T_WORK/md/idp.xml"
chown nobody "$T_WORK/md/idp.xml"
conf_set "idp_metadata = $T_WORK/md/idp.xml" "idp_entity_id = https://idp.example.test/metadata" \
	"idp_cert = $IDP_KEYS/idp-rsa2048.crt.pem"
row "IdP metadata not root's" e2emeta "$(resp meta e2emeta)" \
	"its IdP certificate or metadata is unusable\\. Ask the bastion's administrator to fix idp_cert or idp_metadata \\(code idp-metadata-unreadable in its log\\)" \
	idp-metadata-unreadable
conf_set

# --- 8: STS unreachable, TLS failure, wrong CA ---------------------------------------------
# Authentication succeeds; the session's STS call fails, and sshd shows the module's
# message before closing the session.
conf_set "sts_endpoint = https://127.0.0.1:$CLOSED_PORT/" "sts_timeout = 3"
row "STS unreachable (connection refused)" e2estsdown "$(resp stsdown e2estsdown)" \
	"The bastion cannot connect to AWS STS: ask the bastion's administrator to check sts_endpoint" \
	sts-unreachable
# sshd's own port answers with an SSH banner: no TLS server there.
conf_set "sts_endpoint = https://127.0.0.1:$SSH_PORT/" "sts_timeout = 3"
row "STS endpoint not speaking TLS" e2eststls "$(resp ststls e2eststls)" \
	"The TLS handshake with the bastion's STS endpoint failed: ask the bastion's administrator to check that sts_endpoint is an HTTPS STS endpoint" \
	sts-tls
conf_set "sts_ca_file = $STS_DIR/ca/other-ca.pem"
row "STS certificate from another CA than sts_ca_file" e2estsca "$(resp stsca e2estsca)" \
	"The bastion does not trust the TLS certificate of its STS endpoint: ask the bastion's administrator to check sts_ca_file and sts_endpoint" \
	sts-untrusted
t_eq "wrong CA: the STS stand-in never received the assertion" \
	"$(grep -c 'e2estsca' "$STS_LOG")" 0
# sts_ca_file is a trust file: one its group could rewrite is refused by root at session open,
# before anything is sent (the right CA, only its mode is wrong).
install -m 664 "$STS_CA" "$T_WORK/sts-ca-group-writable.pem"
conf_set "sts_ca_file = $T_WORK/sts-ca-group-writable.pem"
row "sts_ca_file writable by its group" e2estsgw "$(resp stsgw e2estsgw)" \
	"cannot check the TLS certificate of its STS endpoint: its sts_ca_file is unusable\\. Ask the bastion's administrator to fix sts_ca_file \\(code sts-ca-file-unsafe in its log\\)" \
	sts-ca-file-unsafe
t_match "sts_ca_file writable by its group: the record names the file and the rule" \
	"$(ours <"$SYSLOG" | grep 'code="sts-ca-file-unsafe"' | tail -n 1)" \
	'session refused: user="e2estsgw" .*reason="sts_ca_file [^"]*sts-ca-group-writable\.pem: .*writable by group or others'
t_eq "sts_ca_file writable by its group: the STS stand-in never received the assertion" \
	"$(grep -c 'e2estsgw' "$STS_LOG")" 0
conf_set

out=$(login e2eafter "$(resp after e2eafter)")
t_match "the bastion works again once the configuration is back" "$out" '^LOGGED-IN'

# --- sshd's own configuration, on sshds of their own ----------------------------------------
MAIN_PID=$SSHD_PID MAIN_DIR=$SSHD_DIR MAIN_PORT=$SSH_PORT

# 1 again: a name sshd itself refuses (DenyUsers here; AllowUsers, AllowGroups, a missing
# shell alike). sshd hands PAM its stand-in answer; the module recognises it.
SSH_PORT=22522
SSHD_CONFIG_TOP="DenyUsers e2edenied"
if sshd_start "$SSH_PORT" sshd-ecs-diag2 "$T_WORK/stack" nss "$B/libnss_ecs_saml.so.2" \
	conf "$CONF" >>"$T_WORK/setup.log" 2>&1; then
	row "sshd refuses the user itself (DenyUsers)" e2edenied "$(resp denied e2edenied)" \
		"The bastion's sshd refuses this user before the SAML response is checked .*ask the bastion's administrator to look at sshd's log \\(code sshd-refused-user\\)" \
		sshd-refused-user
	sshd_stop
else
	t_fail "sshd with DenyUsers" "did not start: $(tail -n 3 "$T_WORK/setup.log")"
fi

# 7: no keyboard-interactive. Nothing of pam_ecs_saml runs for such a login: ecs-saml-ssh
# reads ssh's "Permission denied (...)" to tell the engineer, and the periodic gc reads
# sshd's configuration to tell the log.
SSH_PORT=22523
SSHD_CONFIG_TOP="KbdInteractiveAuthentication no
AuthenticationMethods any
PasswordAuthentication yes"
if sshd_start "$SSH_PORT" sshd-ecs-diag3 "$T_WORK/stack" nss "$B/libnss_ecs_saml.so.2" \
	conf "$CONF" >>"$T_WORK/setup.log" 2>&1; then
	r=$(resp nokbd e2enokbd)
	out=$(login e2enokbd "$r")
	t_match "no keyboard-interactive: ecs-saml-ssh names it and who fixes it" "$out" \
		"the bastion does not offer keyboard-interactive authentication \\(it offers: password\\).*ask the bastion's administrator to set KbdInteractiveAuthentication yes .*\\(code sshd-kbdint in its log\\)"
	t_match "no keyboard-interactive: ssh's own words pass through unchanged" "$out" \
		'e2enokbd@127\.0\.0\.1: Permission denied \(password\)\.'
	mark=$(syslog_mark)
	gc=$(nsenter -t "$SSHD_PID" -m "$B/ecs-saml-helper" gc --sshd-config "$SSHD_DIR/sshd_config" 2>&1)
	t_match "no keyboard-interactive: gc says so" "$gc" 'sshd refuses every federated login: code=sshd-kbdint: KbdInteractiveAuthentication no'
	if syslog_wait 'code="sshd-kbdint" reason="KbdInteractiveAuthentication no \(.*sshd_config:' "$mark" >/dev/null; then
		t_ok "no keyboard-interactive: syslog record with code=sshd-kbdint, naming the file and line"
	else
		t_fail "no keyboard-interactive: syslog record with code=sshd-kbdint" \
			"$(syslog_since "$mark" | tr '\n' '|')"
	fi
	t_eq "no keyboard-interactive: the Response was never sent (the STS stand-in saw no e2enokbd)" \
		"$(grep -c e2enokbd "$STS_LOG")" 0
	sshd_stop
else
	t_fail "sshd without keyboard-interactive" "did not start: $(tail -n 3 "$T_WORK/setup.log")"
fi
unset SSHD_CONFIG_TOP
SSHD_PID=$MAIN_PID SSHD_DIR=$MAIN_DIR SSH_PORT=$MAIN_PORT
gc=$(nsenter -t "$SSHD_PID" -m "$B/ecs-saml-helper" gc --sshd-config "$SSHD_DIR/sshd_config" 2>&1)
t_match "gc on the working bastion: no sshd finding" "$gc" '^gc: removed '
t_eq "gc on the working bastion: nothing about sshd" "$(grep -c 'sshd' <<<"$gc")" 0

# --- the documentation names every CODE an administrator can meet ---------------------------
# Every misconfiguration CODE in the sources has its line in the README's list.
codes=$(cat "$ECS_TOP"/libecs/ecs_misconf.h "$ECS_TOP"/libecs/ecs_conf.h \
	"$ECS_TOP"/helper/saml/saml_reject.h "$ECS_TOP"/helper/sts/sts_errmap.h \
	"$ECS_TOP"/helper/sshd_check.h "$ECS_TOP"/helper/xml/xml_lib.h |
	sed -nE 's/^#define ECS_(MISCONF|CONF_E|TRUST|STS_CAUSE|SSHD|XML_LIB)_[A-Z_]+[[:space:]]+"([a-z-]+)".*/\2/p')
codes="$codes clock-skew sshd-refused-user"
missing=""
for code in $codes; do
	grep -qE "^  $code( |\$)" "$ECS_TOP/README" || missing="$missing $code"
done
t_match "the sources name the codes the README must list" "$(tr '\n' ' ' <<<"$codes")" \
	'usermap-missing.*config-unreadable-by-users.*idp-cert-unreadable.*sts-tls.*sshd-kbdint'
t_eq "README lists every misconfiguration CODE" "${missing:-none}" none

t_done
