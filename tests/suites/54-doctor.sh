#!/bin/bash
# Suite 54: `ecs-saml-helper doctor` on a bastion set up as README says, in a private mount
# namespace (tests/lib/nsroot.sh: the shipped PAM stacks, the NSS module and nsswitch lines,
# the configuration at its compiled-in path), with the TLS STS stand-in. The clean host
# gets only ok and info findings and exit 0; then each row breaks one thing on purpose and
# asserts the finding's ID, its severity and doctor's exit status (1: the worst is a
# warning, 4: something failed), each through --json (parsed with Python's json).
#
# Ports: STS stand-in 23421; 23422 kept closed (an unreachable STS); 23423 a listener
# standing in for the instance metadata service; 23424 kept closed (metadata service
# blocked). Two facts of the host no test may change are set through the helper's test
# hooks (helper/doctor/doc_hook.h): the kernel's clock state and the metadata service's
# address. Everything written is in this suite's scratch directory.
. "$(dirname "$0")/../lib/tap.sh"
. "$ECS_TOP/tests/lib/nsroot.sh"
. "$ECS_TOP/tests/lib/sts.sh"

STS_PORT=23421
CLOSED_PORT=23422
IMDS_PORT=23423
IMDS_CLOSED_PORT=23424
NS=$T_WORK/ns
IDP=$T_WORK/idp
STATE=$T_WORK/state
FEDUSER=e2edoc
FEDUID=1879113800
SEEN=	# every "ID SEVERITY" line of every run

# mkcert NAME DAYS_FROM DAYS_TO [BITS]: an IdP signing certificate valid between those days
# from now (negative: the past), in $IDP/NAME.pem.
mkcert() {
	/usr/bin/python3 - "$IDP/$1.pem" "$2" "$3" "${4:-2048}" <<'PY'
import datetime, sys
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
path, start, end, bits = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
now = datetime.datetime.now(datetime.timezone.utc)
name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "idp.example.test")])
cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now + datetime.timedelta(days=start))
        .not_valid_after(now + datetime.timedelta(days=end))
        .sign(key, hashes.SHA256()))
open(path, "wb").write(cert.public_bytes(serialization.Encoding.PEM))
PY
}

setup() {
	mkdir -p "$IDP" "$STATE" && chmod 755 "$IDP" "$STATE" || return 1
	mkcert long -1 400 && mkcert soon -1 10 && mkcert expired -400 -1 && mkcert weak -1 400 1024 ||
		return 1
	sts_start "$STS_PORT" || return 1
	CONF_DEFAULTS=(
		"idp_entity_id = https://idp.example.test/metadata"
		"idp_cert = $IDP/long.pem"
		"region = us-east-1"
		"sts_endpoint = $STS_URL"
		"sts_ca_file = $STS_CA"
		"state_dir = $STATE"
		"session_policy = $ECS_TOP/pam.d/ecs-exec-session-policy.json"
		"ecs_clusters = prod"
	)
	conf_write "$T_WORK/pam_ecs_saml.conf" || return 1
	"$B/ecs-saml-helper" users --config "$T_WORK/pam_ecs_saml.conf" init &&
		"$B/ecs-saml-helper" users --config "$T_WORK/pam_ecs_saml.conf" pin "$FEDUSER" \
			"$FEDUID" || return 1
	ns_prepare "$NS" pam sshd "$ECS_TOP/pam.d/sshd.example" \
		pam sudo-ecs-operator "$ECS_TOP/pam.d/sudo-ecs-operator.example" \
		nss "$B/libnss_ecs_saml.so.2" conf "$T_WORK/pam_ecs_saml.conf" \
		module "$B/pam_ecs_saml.so" || return 1
	cp "$NS/nsswitch.conf" "$T_WORK/nsswitch.good"
	cp "$NS/pam.d/sshd" "$T_WORK/pam-sshd.good"
	ssh-keygen -q -t ed25519 -N '' -f "$T_WORK/hostkey" || return 1
	sshd_conf good "UsePAM yes" "Include $ECS_TOP/pam.d/sshd_config.d/50-pam_ecs_saml.conf"
	# a stand-in for the metadata service: accepts connections, answers nothing
	/usr/bin/python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(16)
open(sys.argv[2], "w").close()
while True:
    c, _ = s.accept(); c.close()' "$IMDS_PORT" "$T_WORK/imds.ready" 2>>"$T_WORK/imds.err" &
	IMDS_PID=$!
	t_on_exit "kill $IMDS_PID 2>/dev/null"
	for ((i = 0; i < 200; i++)); do
		[ -e "$T_WORK/imds.ready" ] && return 0
		sleep 0.05
	done
	return 1
}

# sshd_conf NAME LINE...: an sshd configuration of those lines and the test's host key.
sshd_conf() {
	local name=$1
	shift
	{ echo "HostKey $T_WORK/hostkey"; printf '%s\n' "$@"; } >"$T_WORK/sshd-$name.conf"
}

# conf [LINE...]: the bastion's configuration with those lines in place of their keys'
conf() {
	conf_write "$NS/security/pam_ecs_saml.conf" "$@"
}

# doctor [VAR=VALUE...] [-- ARG...]: run doctor --json in the bastion's namespace as root,
# with /proc mounted hidepid=invisible there (HIDEPID=0: as the host has it), the stub
# session-manager-plugin on PATH, a synchronised clock and the metadata service blocked,
# unless a VAR says otherwise. Sets RC, OUT and FOUND ("ID SEVERITY" lines).
doctor() {
	local -a envs=() args=()
	local hidepid=1 server=
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		case $1 in
		HIDEPID=0) hidepid=0 ;;
		SERVER=*) server=${1#SERVER=} ;;
		*) envs+=("$1") ;;
		esac
		shift
	done
	[ "${1:-}" = "--" ] && shift
	args=("$@")
	# The spool is a tmpfs of the namespace's own over /run/pam_ecs_saml, root's and empty:
	# /run is emptied at boot and the helper makes the spool at the first login, so the
	# host's own would make the findings depend on what ran there since it booted.
	# SERVER=root|nobody|stale: a stand-in helper server (tests/lib/fake_helper_server.py)
	# on the helper's socket in it.
	OUT=$( (ns_exec "$NS" sh -c '
		[ "$1" = 1 ] && { mount -t proc -o hidepid=invisible proc /proc || exit 99; }
		srv=$2 fake=$3
		shift 3
		mkdir -p /run/pam_ecs_saml && mount -t tmpfs -o mode=755 spool /run/pam_ecs_saml || exit 98
		[ -n "$srv" ] || exec env "$@"
		/usr/bin/python3 "$fake" "$srv" /run/pam_ecs_saml/helper.sock /run/pam_ecs_saml/ready &
		i=0
		while [ ! -s /run/pam_ecs_saml/ready ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
		env "$@"
		rc=$?
		kill $! 2>/dev/null
		exit $rc' sh "$hidepid" "$server" "$ECS_TOP/tests/lib/fake_helper_server.py" \
		PATH="$STS_PLUGIN_DIR:/usr/bin:/bin" \
		ECS_TEST_DOCTOR_ADJTIME="synced 20000" \
		ECS_TEST_DOCTOR_IMDS="127.0.0.1:$IMDS_CLOSED_PORT" "${envs[@]}" \
		"$B/ecs-saml-helper" doctor --json --sshd-config "$SSHD_CONF" "${args[@]}") \
		2>"$T_WORK/doctor.err")
	RC=$?
	FOUND=$(/usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["version"] and d["config"] and d["worst"] in ("ok", "info", "warn", "fail")
for f in d["findings"]:
    assert f["check"] and f["message"], f
    # every warning and failure says what to do
    print(f["id"], f["severity"], "fix" if f["fix"] or f["severity"] in ("ok", "info") else "NOFIX")
' <<<"$OUT" 2>>"$T_WORK/doctor.err") || FOUND="JSON-INVALID"
	SEEN+=$'\n'"$FOUND"
	grep -q ' NOFIX$' <<<"$FOUND" && t_fail "every warning and failure has a fix" \
		"$(grep ' NOFIX$' <<<"$FOUND" | tr '\n' ' ')"
	return 0
}

# row NAME ID SEVERITY STATUS: the last run found ID with SEVERITY, and exited STATUS.
row() {
	if grep -q "^$2 $3 " <<<"$FOUND" && [ "$RC" = "$4" ]; then
		t_ok "$1: $2 ($3), exit $4"
	else
		t_fail "$1: $2 ($3), exit $4" "exit $RC, found: $(tr '\n' ' ' <<<"$FOUND") $(head -c 300 "$T_WORK/doctor.err")"
	fi
}

if ! setup >"$T_WORK/setup.log" 2>&1; then
	t_fail "doctor's bastion setup" "$(tail -n 5 "$T_WORK/setup.log")"
	t_done
fi
SSHD_CONF=$T_WORK/sshd-good.conf

# --- the clean bastion ----------------------------------------------------------------------
doctor
bad=$(grep -Ev ' (ok|info) ' <<<"$FOUND")
if [ "$RC" = 0 ] && [ -z "$bad" ] && [ -n "$FOUND" ]; then
	t_ok "a bastion set up as README says: every finding ok or info, exit 0"
else
	t_fail "a bastion set up as README says: every finding ok or info, exit 0" \
		"exit $RC: $(tr '\n' ' ' <<<"${bad:-$FOUND}") $(head -c 300 "$T_WORK/doctor.err")"
fi
for id in config idp-cert state-dir spool usermap nsswitch-passwd nsswitch-group pam-sshd \
	pam-sshd-order pam-sudo sshd-use-pam sshd-kbdint sshd-auth-methods sshd-login-grace clock \
	sts-dns sts policy plugin proc-hidepid imds; do
	grep -q "^$id ok " <<<"$FOUND" || t_fail "clean bastion: $id ok" "$(tr '\n' ' ' <<<"$FOUND")"
done
t_ok "clean bastion: each check reported ok by its ID"
t_match "clean bastion: the mandatory access control state is reported" "$FOUND" \
	'^(selinux|selinux-off) info .*'
text=$( (ns_exec "$NS" env PATH="$STS_PLUGIN_DIR:/usr/bin:/bin" ECS_TEST_DOCTOR_ADJTIME="synced 1" \
	ECS_TEST_DOCTOR_IMDS="127.0.0.1:$IMDS_CLOSED_PORT" "$B/ecs-saml-helper" doctor \
	--sshd-config "$SSHD_CONF") 2>&1)
t_match "without --json: one line per finding" "$text" \
	'^ok   sts: https://127\.0\.0\.1:23421/ answers like STS'
t_match "without --json: a warning with what to do" "$text" '^     fix: mount /proc with hidepid'
t_match "without --json: the count at the end" "$(tail -n 1 <<<"$text")" \
	'^doctor: [0-9]+ ok, [0-9]+ info, 1 warn, 0 fail$'

# The probe: one unsigned AssumeRoleWithSAML, no credential, an assertion that is no SAML,
# answered with STS's error document.
probe=$(/usr/bin/python3 -c '
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
p = [r for r in recs if r.get("action") == "AssumeRoleWithSAML"][-1]
print(p["authorization"], p["role_arn"], p["principal_arn"], p["saml_len"],
      p["content_type"].split(";")[0])
' "$STS_LOG")
t_eq "the STS probe is unsigned, for a role that cannot exist, with no SAML in it" "$probe" \
	"False arn:aws:iam::000000000000:role/ecs-saml-doctor-probe arn:aws:iam::000000000000:saml-provider/ecs-saml-doctor-probe 48 application/x-www-form-urlencoded"
t_match "the probe's answer is STS's InvalidIdentityToken" "$OUT" \
	'answers like STS: HTTP 400 InvalidIdentityToken'

# --- the configuration: the loader's CODE is the finding's ID ---------------------------------
chmod 666 "$NS/security/pam_ecs_saml.conf"
doctor
row "a world-writable configuration" config-mode fail 4
row "checks that need the configuration are skipped, and say so" skipped info 4
chmod 644 "$NS/security/pam_ecs_saml.conf"
chown nobody "$NS/security/pam_ecs_saml.conf"
doctor
row "a configuration that is not root's" config-owner fail 4
chown root "$NS/security/pam_ecs_saml.conf"
conf "colour = blue"
doctor
row "an unknown key" config-key fail 4
conf "clock_skew = 99999"
doctor
row "a value out of range" config-value fail 4
mv "$NS/security/pam_ecs_saml.conf" "$T_WORK/conf.away"
doctor
row "no configuration file" config-missing fail 4
mv "$T_WORK/conf.away" "$NS/security/pam_ecs_saml.conf"

# --- IdP certificates -------------------------------------------------------------------------
IDP_ID="idp_entity_id = https://idp.example.test/metadata"	# idp_cert lines follow it
conf "$IDP_ID" "idp_cert = $IDP/soon.pem"
doctor
row "the only signing certificate expires in 10 days" idp-cert-expiring warn 1
conf "$IDP_ID" "idp_cert = $IDP/soon.pem" "idp_cert = $IDP/long.pem"
doctor
row "a rotation: the old certificate expires soon, the new one lasts" idp-cert ok 0
conf "$IDP_ID" "idp_cert = $IDP/expired.pem" "idp_cert = $IDP/long.pem"
doctor
row "one expired certificate beside a valid one" idp-cert-expired warn 1
conf "$IDP_ID" "idp_cert = $IDP/expired.pem"
doctor
row "every signing certificate expired" idp-cert-expired fail 4
conf "$IDP_ID" "idp_cert = $IDP/weak.pem"
doctor
row "an RSA key of 1024 bits" idp-key-weak fail 4
conf

# --- state, user map, nsswitch ----------------------------------------------------------------
chmod 777 "$STATE"
doctor
row "a state directory writable by everyone" state-dir-unsafe fail 4
chmod 755 "$STATE"
mv "$STATE/usermap" "$T_WORK/usermap.away"
doctor
row "users init never ran" usermap-missing fail 4
row "without a federated user, sshd's Match Group is not checked" sshd-match-unchecked warn 4
mv "$T_WORK/usermap.away" "$STATE/usermap"
sed -E 's/^(group:.*) ecs_saml/\1/' "$T_WORK/nsswitch.good" >"$NS/nsswitch.conf"
doctor
row "nsswitch's group line without ecs_saml" nsswitch-group fail 4
cp "$T_WORK/nsswitch.good" "$NS/nsswitch.conf"

# --- sshd -T ----------------------------------------------------------------------------------
sshd_conf nopam "UsePAM no" "Include $ECS_TOP/pam.d/sshd_config.d/50-pam_ecs_saml.conf"
SSHD_CONF=$T_WORK/sshd-nopam.conf doctor
row "UsePAM no before the drop-in" sshd-no-pam fail 4
sshd_conf nokbd "UsePAM yes" "KbdInteractiveAuthentication no"
SSHD_CONF=$T_WORK/sshd-nokbd.conf doctor
row "keyboard-interactive off, no Match turns it on" sshd-kbdint fail 4
sshd_conf methods "UsePAM yes" "Match Group ecs-saml" "AuthenticationMethods publickey"
SSHD_CONF=$T_WORK/sshd-methods.conf doctor
row "Match Group ecs-saml with publickey only" sshd-auth-methods fail 4
sshd_conf any "UsePAM yes"
SSHD_CONF=$T_WORK/sshd-any.conf doctor
row "no AuthenticationMethods for federated users" sshd-auth-methods warn 1
sshd_conf grace "UsePAM yes" "LoginGraceTime 45" \
	"Include $ECS_TOP/pam.d/sshd_config.d/50-pam_ecs_saml.conf"
SSHD_CONF=$T_WORK/sshd-grace.conf doctor
row "LoginGraceTime 45 s under the module's 60 s budget" sshd-login-grace fail 4

# --- PAM stacks -------------------------------------------------------------------------------
{ grep -v 'pam_ecs_saml.so require_ticket' "$T_WORK/pam-sshd.good" |
	sed 's/^@include common-session$/session required pam_ecs_saml.so require_ticket\n&/'; } \
	>"$NS/pam.d/sshd"
doctor
row "the module's session line before pam_systemd" pam-sshd-order fail 4
grep -v 'pam_ecs_saml' "$T_WORK/pam-sshd.good" >"$NS/pam.d/sshd"
doctor
row "an sshd stack without the module" pam-sshd fail 4
cp "$T_WORK/pam-sshd.good" "$NS/pam.d/sshd"
grep -v '^auth.*pam_ecs_saml' "$ECS_TOP/pam.d/sudo-ecs-operator.example" >"$NS/pam.d/sudo-ecs-operator"
doctor
row "a sudo step-up stack without the module's auth line" pam-sudo fail 4
cp "$ECS_TOP/pam.d/sudo-ecs-operator.example" "$NS/pam.d/sudo-ecs-operator"

# --- clock, STS, policy -----------------------------------------------------------------------
doctor ECS_TEST_DOCTOR_ADJTIME=unsynced
row "an unsynchronised clock" clock-unsynced warn 1
conf "sts_ca_file = $STS_DIR/ca/other-ca.pem"
doctor
row "sts_ca_file of another CA" sts-untrusted fail 4
conf "sts_endpoint = https://127.0.0.1:$CLOSED_PORT/"
doctor
row "nothing listens at sts_endpoint" sts-unreachable fail 4
conf "sts_endpoint = https://sts.doctor-test.invalid/"
doctor
row "sts_endpoint's host does not resolve" sts-dns fail 4
conf
sts_restart malformed
doctor
row "an endpoint that does not answer like STS" sts-bad-reply fail 4
sts_restart ok
long=$(printf 'c%.0s' {1..200})
mapfile -t lines < <(for i in $(seq 10 25); do echo "ecs_clusters = $long$i"; done)
conf "${lines[@]}"
doctor
row "16 clusters of 202 characters" policy-too-large fail 4
printf '{"Version": "2012-10-17", "Statement": ${bogus}}\n' >"$T_WORK/bad-policy.json"
conf "session_policy = $T_WORK/bad-policy.json"
doctor
row "a template with an unknown variable" policy-invalid fail 4
conf

# --- the host ---------------------------------------------------------------------------------
doctor SERVER=root
row "a helper server of root's on its socket" server ok 0
doctor SERVER=stale
row "the helper server's socket, nobody answering" server-stale warn 1
doctor SERVER=nobody
row "a process of uid 65534 on the helper server's socket" server-not-root fail 4
t_match "... named with its uid" "$OUT" 'is not root.s \(uid 65534\)'
doctor PATH=/usr/bin:/bin
row "no session-manager-plugin on PATH" plugin-missing warn 1
doctor HIDEPID=0
row "/proc without hidepid" proc-hidepid warn 1
doctor ECS_TEST_DOCTOR_IMDS="127.0.0.1:$IMDS_PORT"
row "a federated uid reaches the metadata service" imds-reachable fail 4
t_match "the metadata finding names the federated uid it tried" "$OUT" \
	"a federated uid \\($FEDUID\\) connects"

# --- the manual ------------------------------------------------------------------------------
# Every finding ID the checks write literally, or through a CODE macro, is in
# ecs-saml-helper(8); so is every ID this suite met.
ids=$(/usr/bin/python3 - "$ECS_TOP" <<'PY'
import glob, re, sys
top = sys.argv[1]
macros = {}
for h in glob.glob(top + "/helper/**/*.h", recursive=True) + glob.glob(top + "/libecs/*.h"):
    for m in re.finditer(r'#define (ECS_[A-Z_]+)\s+"([a-z-]+)"', open(h).read()):
        macros[m.group(1)] = m.group(2)
ids = set()
for c in glob.glob(top + "/helper/doctor/*.c"):
    for m in re.finditer(r'ecs_doc_add\(\s*d,\s*[^,]+,\s*("([a-z-]+)"|(ECS_[A-Z_]+))', open(c).read()):
        ids.add(m.group(2) or macros[m.group(3)])
print(" ".join(sorted(ids)))
PY
)
t_match "the doctor's sources yield their finding IDs" "$ids" 'config .*idp-cert-expired .*imds-reachable'
page=$(sed 's/\\-/-/g' "$ECS_TOP/man/ecs-saml-helper.8")
missing=
for id in $ids $(cut -d' ' -f1 <<<"$SEEN" | sort -u); do
	grep -qw -- "$id" <<<"$page" || missing+=" $id"
done
t_eq "ecs-saml-helper(8) names every finding ID" "${missing# }" ""

# --- usage ------------------------------------------------------------------------------------
"$B/ecs-saml-helper" doctor --bogus >/dev/null 2>&1
t_eq "an unknown option is a usage error" "$?" 2
t_done
