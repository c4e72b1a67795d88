#!/bin/bash
# tests/run: isolated
# Suite 20: `ecs-saml-helper verify` over every Response of the shared SAML corpus, plus the
# trust, algorithm, replay, user-binding and input-form options around it.
# No network ports: verify never talks to anything.
#
# Time: the corpus Responses were issued at 2025-01-15T12:00:00Z. The IssueInstant-age rule
# (max_assertion_age, 300 s: STS redeems a Response only within 5 minutes of issue) makes
# every one of them `stale` at the real "now", so each run pins --at: the manifest's
# pin_time when it has one, else 2025-01-15T12:02:30Z (150 s after issue). Negatives whose
# own times matter (expired, not-yet-valid) are far enough from that instant to fail on
# their own terms.
. "$(dirname "$0")/../lib/tap.sh"

# The helper runs as root here, and as root it validates in a child that becomes the sandbox
# account (helper/privsep.h), refusing without one: it runs in a private mount namespace whose
# /etc/passwd and /etc/group hold that account (tests/lib/nsroot.sh), since a test must not
# add accounts to the host.
. "$ECS_TOP/tests/lib/nsroot.sh"
H=$B/ecs-saml-helper
H=$(ns_account_wrapper "$T_WORK/privsep" "$H")
PIN=2025-01-15T12:02:30Z
if [ ! -x "$H" ]; then
	t_fail "helper built" "$H is missing"
	t_done
fi

# Trust anchors are read as root-owned files in safe directories: copy them into $T_WORK.
mkdir -p "$T_WORK/trust"
cp "$CORPUS"/keys/*.crt.pem "$CORPUS"/metadata/*.xml "$T_WORK/trust/"
chmod 644 "$T_WORK"/trust/*

# conf_new NAME LINE... (tests/lib/kv.sh): a root-owned 0600 config trusting what the lines
# say; the replay cache goes to $T_WORK/state unless a line sets state_dir.
CONF_MODE=600
CONF_DEFAULTS=("user_strip_suffix = @corp.example.test" "state_dir = $T_WORK/state")

# verify CONF INPUTFILE ARGS... : sets out, err and rc.
verify() {
	local conf=$1 in=$2
	shift 2
	out=$("$H" verify --config "$conf" "$@" <"$in" 2>"$T_WORK/stderr")
	rc=$?
	err=$(cat "$T_WORK/stderr")
}

# reject_code: the CODE of "reject: CODE: why" on stderr.
reject_code() { sed -n 's/^reject: \([a-z-]*\): .*/\1/p' <<<"$err" | head -1; }

# Role pairs as AWS documents them, role first: what verify prints whatever the order sent.
role_first() {
	local a b
	while IFS= read -r pair; do
		[ -n "$pair" ] || continue
		a=${pair%%,*}
		b=${pair#*,}
		if [[ $a == *:saml-provider/* ]]; then echo "$b,$a"; else echo "$a,$b"; fi
	done
}

# Reject code expected for each negative of the corpus.
declare -A NEG_CODE=(
	[negative-attacker-signed]=signature
	[negative-unsigned]=signature
	[negative-wrong-audience]=audience
	[negative-wrong-recipient]=recipient
	[negative-wrong-destination]=destination
	[negative-wrong-issuer]=issuer
	[negative-not-yet-valid]=clock-skew
	[negative-expired]=expired
	[negative-tampered-nameid]=signature
	[negative-xsw-evil-first]=wrapping
	[negative-xsw-duplicate-id]=wrapping
	[negative-xsw-signed-in-extensions]=wrapping
)

# One line per corpus file: id b64 xml expected pin metadata sha1 size nameid roles(;-joined)
/usr/bin/python3 - "$CORPUS/manifest.json" >"$T_WORK/files.tsv" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
for f in m["files"]:
    print("\t".join([
        f["id"], f["b64"], f["xml"], f["expected"], f.get("pin_time") or "-",
        f["trust"]["metadata"].split("/")[-1],
        "sha1" if "sha1" in f.get("alg", "") else "-",
        f.get("size") or "-",
        f.get("expected_nameid") or f.get("nameid") or "-",
        ";".join(f.get("roles") or []) or "-",
    ]))
EOF
nfiles=$(wc -l <"$T_WORK/files.tsv")
t_check "manifest lists the corpus ($nfiles files)" test "$nfiles" -ge 80

# --- every corpus file, as base64 and as raw XML ------------------------------------------
while IFS=$'\t' read -r id b64 xml expected pin md sha1 size nameid roles; do
	at=$PIN
	[ "$pin" != - ] && at=$pin
	extra=()
	[ "$sha1" = sha1 ] && extra=("allow_sha1 = yes")
	conf=$(conf_new "m-$md-$sha1" "idp_metadata = $T_WORK/trust/$md" "${extra[@]}")
	for form in b64 xml; do
		if [ $form = b64 ]; then in=$CORPUS/$b64; else in=$CORPUS/$xml; fi
		verify "$conf" "$in" --at "$at"
		name="$id ($form)"
		if [ "$expected" = invalid ]; then
			want=${NEG_CODE[$id]:-}
			if [ -z "$want" ]; then
				t_fail "$name" "no expected reject code in this suite for a new negative"
			elif [ $rc -eq 1 ] && [ "$(reject_code)" = "$want" ]; then
				t_ok "$name rejected: $want"
			else
				t_fail "$name" "rc=$rc, want 1 with code $want; stderr: $err"
			fi
			continue
		fi
		if [ "$size" = 100k ]; then
			# ~98-100 KB of XML is ~131,000 base64 characters: over the STS limit of
			# 100,000, so AWS would refuse it and so do we, before any parsing.
			if [ $rc -eq 1 ] && [ "$(reject_code)" = size ]; then
				t_ok "$name rejected: size (over the STS limit)"
			else
				t_fail "$name" "rc=$rc, want size reject; stderr: $err"
			fi
			continue
		fi
		if [ $rc -ne 0 ]; then
			t_fail "$name" "rc=$rc; stderr: $err"
			continue
		fi
		got_roles=$(fields role "$out")
		want_roles=$(tr ';' '\n' <<<"$roles" | role_first)
		if [ "$(field nameid "$out")" != "$nameid" ]; then
			t_fail "$name" "nameid '$(field nameid "$out")', want '$nameid'"
		elif [ "$got_roles" != "$want_roles" ]; then
			t_fail "$name" "roles '$got_roles', want '$want_roles'"
		elif [ "$(field user "$out")" != alice ]; then
			t_fail "$name" "user '$(field user "$out")', want alice"
		elif [ -z "$(field assertion_id "$out")" ] || [ "$(field issuer "$out")" != https://idp.example.test/metadata ]; then
			t_fail "$name" "assertion_id/issuer missing: $out"
		else
			t_ok "$name accepted: nameid, roles (role first) and user"
		fi
	done
done <"$T_WORK/files.tsv"

MAIN_B64=$CORPUS/responses/future/xmlsec1/assertion-rsa-sha256-5k.b64
MAIN_XML=$CORPUS/responses/future/xmlsec1/assertion-rsa-sha256-5k.xml
EC_B64=$CORPUS/responses/future/xmlsec1/assertion-ecdsa-sha256-5k.b64
MD=$(conf_new md "idp_metadata = $T_WORK/trust/idp-metadata.xml")

# --- trust: certificate instead of metadata; key rollover -------------------------------
CERT=$(conf_new cert "idp_entity_id = https://idp.example.test/metadata" \
	"idp_cert = $T_WORK/trust/idp-rsa2048.crt.pem")
verify "$CERT" "$MAIN_B64" --at $PIN
t_eq "cert trust (idp_entity_id + idp_cert) accepts" "$rc $(field user "$out")" "0 alice"
verify "$CERT" "$EC_B64" --at $PIN
t_eq "cert trust: the EC-signed Response is refused with only the RSA cert pinned" \
	"$rc $(reject_code)" "1 signature"
WRONG_ENTITY=$(conf_new wrong-entity "idp_entity_id = https://other.example.test/idp" \
	"idp_cert = $T_WORK/trust/idp-rsa2048.crt.pem")
verify "$WRONG_ENTITY" "$MAIN_B64" --at $PIN
t_eq "right key, other entity ID configured: issuer" "$rc $(reject_code)" "1 issuer"
ROLL=$(conf_new roll "idp_metadata = $T_WORK/trust/idp-metadata-rsa+ec.xml")
verify "$ROLL" "$MAIN_B64" --at $PIN
t_eq "rollover metadata (RSA + EC keys): RSA-signed accepted" "$rc" 0
verify "$ROLL" "$EC_B64" --at $PIN
t_eq "rollover metadata (RSA + EC keys): EC-signed accepted" "$rc" 0
ATT=$(conf_new att "idp_metadata = $T_WORK/trust/attacker-idp-metadata.xml")
verify "$ATT" "$MAIN_B64" --at $PIN
t_eq "trusting only the attacker metadata: the real IdP's Response is refused" "$rc" 1

# --- SHA-1 behind allow_sha1 ------------------------------------------------------------
nsha=0
bad=
while IFS=$'\t' read -r id b64 xml expected pin md sha1 rest; do
	[ "$sha1" = sha1 ] || continue
	nsha=$((nsha + 1))
	verify "$MD" "$CORPUS/$b64" --at "$([ "$pin" != - ] && echo "$pin" || echo $PIN)"
	[ $rc -eq 1 ] && [ "$(reject_code)" = algorithm ] || bad="$bad $id(rc=$rc,$(reject_code))"
done <"$T_WORK/files.tsv"
if [ $nsha -gt 0 ] && [ -z "$bad" ]; then
	t_ok "allow_sha1 = no (default): all $nsha SHA-1 files rejected: algorithm"
else
	t_fail "allow_sha1 = no rejects SHA-1" "count=$nsha, wrong:$bad"
fi

# --- real clock: the corpus is stale ----------------------------------------------------
verify "$MD" "$MAIN_B64"
t_eq "without --at the 2025 Response is stale" "$rc $(reject_code)" "1 stale"

# --- user binding ----------------------------------------------------------------------
verify "$MD" "$MAIN_B64" --at $PIN --user alice
t_eq "--user alice matches" "$rc" 0
verify "$MD" "$MAIN_B64" --at $PIN --user bob
t_eq "--user bob: user-mismatch" "$rc $(reject_code)" "1 user-mismatch"
NAMEID=$(conf_new nameid "idp_metadata = $T_WORK/trust/idp-metadata.xml" "user_source = nameid")
verify "$NAMEID" "$MAIN_B64" --at $PIN
t_eq "user_source = nameid with the suffix stripped" "$rc $(field user "$out")" "0 alice"
verify "$NAMEID" "$CORPUS/responses/future/xmlsec1/assertion-rsa-sha256-minimal.b64" --at $PIN
t_eq "user_source = nameid, NameID without the configured suffix: user" \
	"$rc $(reject_code)" "1 user"
NOSTRIP=$(CONF_DEFAULTS=() && conf_new nostrip "idp_metadata = $T_WORK/trust/idp-metadata.xml")
verify "$NOSTRIP" "$MAIN_B64" --at $PIN
t_eq "no suffix strip: alice@corp.example.test is not a Unix name: user" \
	"$rc $(reject_code)" "1 user"

# --- allowed_roles ---------------------------------------------------------------------
ROLES3=$CORPUS/responses/future/xmlsec1/assertion-rsa-sha256-roles3-mixed.b64
GLOB=$(conf_new glob "idp_metadata = $T_WORK/trust/idp-metadata.xml" \
	"allowed_roles = arn:aws:iam::*:role/Bastion*")
verify "$GLOB" "$ROLES3" --at $PIN
t_eq "allowed_roles glob keeps the two Bastion roles, role first, in document order" \
	"$(grep '^role=' <<<"$out" | tr '\n' ' ')" \
	"role=arn:aws:iam::123456789012:role/BastionOperator,arn:aws:iam::123456789012:saml-provider/ExampleCorpIdP role=arn:aws:iam::210987654321:role/BastionReadOnly,arn:aws:iam::210987654321:saml-provider/ExampleCorpIdP "
NONE=$(conf_new none "idp_metadata = $T_WORK/trust/idp-metadata.xml" \
	"allowed_roles = arn:aws:iam::999999999999:role/*")
verify "$NONE" "$ROLES3" --at $PIN
t_eq "allowed_roles matching nothing: role" "$rc $(reject_code)" "1 role"

# --- input forms ----------------------------------------------------------------------
{ printf '  \r\n'; fold -w 76 "$MAIN_B64" | sed 's/$/\r/'; printf '\r\n  '; } >"$T_WORK/crlf.b64"
verify "$MD" "$T_WORK/crlf.b64" --at $PIN
t_eq "CRLF-wrapped base64 with surrounding blanks accepted" "$rc $(field user "$out")" "0 alice"
verify "$MD" "$MAIN_XML" --at $PIN
t_eq "raw XML input accepted" "$rc $(field user "$out")" "0 alice"
printf '!!!! not base64 !!!!' >"$T_WORK/garbage"
verify "$MD" "$T_WORK/garbage" --at $PIN
t_eq "neither base64 nor XML: encoding" "$rc $(reject_code)" "1 encoding"
printf '\xff\xfe<\x00' >"$T_WORK/utf16"
verify "$MD" "$T_WORK/utf16" --at $PIN
t_eq "UTF-16 bytes: encoding" "$rc $(reject_code)" "1 encoding"
printf '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">' >"$T_WORK/open"
verify "$MD" "$T_WORK/open" --at $PIN
t_eq "unterminated XML: xml" "$rc $(reject_code)" "1 xml"
printf '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">\n<!-- SECRET-MARKER\n' \
	>"$T_WORK/comment"
verify "$MD" "$T_WORK/comment" --at $PIN
t_eq "unterminated comment: xml" "$rc $(reject_code)" "1 xml"
t_eq "the xml reject is one line that quotes none of the document" \
	"$(wc -l <<<"$err") $(grep -c SECRET-MARKER <<<"$err")" "1 0"
{ printf '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x "y">]>\n'; tail -n +2 "$MAIN_XML"; } >"$T_WORK/dtd.xml"
verify "$MD" "$T_WORK/dtd.xml" --at $PIN
t_eq "DOCTYPE in front of a signed Response: dtd" "$rc $(reject_code)" "1 dtd"
head -c 100001 /dev/zero | tr '\0' 'A' >"$T_WORK/big.b64"
verify "$MD" "$T_WORK/big.b64" --at $PIN
t_eq "100,001 base64 characters: size" "$rc $(reject_code)" "1 size"
head -c 400001 /dev/zero | tr '\0' '\n' >"$T_WORK/blank-flood"
verify "$MD" "$T_WORK/blank-flood" --at $PIN
t_eq "more than 400,000 bytes on stdin (even blanks): size" "$rc $(reject_code)" "1 size"
: >"$T_WORK/empty"
verify "$MD" "$T_WORK/empty" --at $PIN
t_eq "empty input: encoding" "$rc $(reject_code)" "1 encoding"

# --- --repeat --------------------------------------------------------------------------
verify "$MD" "$MAIN_B64" --at $PIN --repeat 5
t_match "--repeat 5 reports the median time" "$err" '^verify_us=[0-9]+$'
t_eq "--repeat 5 still prints the result" "$rc $(field user "$out")" "0 alice"

# --- one-time use --------------------------------------------------------------------
verify "$MD" "$MAIN_B64" --at $PIN --consume
t_eq "first --consume accepted" "$rc" 0
aid=$(field assertion_id "$out")
iss=$(field issuer "$out")
verify "$MD" "$MAIN_B64" --at $PIN --consume
t_eq "second --consume: replay" "$rc $(reject_code)" "1 replay"
verify "$MD" "$MAIN_XML" --at $PIN --consume
t_eq "the same assertion sent as raw XML: replay" "$rc $(reject_code)" "1 replay"
verify "$MD" "$MAIN_B64" --at $PIN
t_eq "a dry run does not consult the cache" "$rc" 0
t_eq "replay directory is 0700 root" "$(stat -c '%a %U' "$T_WORK/state/replay")" "700 root"
# IDs are unique per issuer only: the key is "issuer NUL ID", so one IdP cannot burn another's.
entry=$({ printf '%s\0' "$iss"; printf '%s' "$aid"; } | sha256sum | cut -d' ' -f1)
t_check "entry named by the SHA-256 of issuer NUL assertion ID" \
	test -f "$T_WORK/state/replay/$entry"
t_eq "entry is 0600" "$(stat -c '%a' "$T_WORK/state/replay/$entry")" 600
# NotOnOrAfter is 2099 here, but the assertion is stale after IssueInstant (12:00:00) +
# max_assertion_age (300 s): the entry lives until then plus the skew (180 s), not forever.
t_eq "entry expires at IssueInstant + max_assertion_age + skew, not at NotOnOrAfter" \
	"$(cat "$T_WORK/state/replay/$entry")" "expires=$(date -u -d 2025-01-15T12:08:00Z +%s)"
verify "$MD" "$CORPUS/responses/past/xmlsec1/assertion-rsa-sha256-5k.b64" \
	--at 2025-01-15T12:02:30Z --consume
t_eq "past-set Response consumed at its pin time" "$rc" 0
verify "$MD" "$CORPUS/responses/past/xmlsec1/assertion-rsa-sha256-5k.b64" \
	--at 2025-01-15T12:04:00Z --consume
t_eq "past-set Response again before its expiry: replay" "$rc $(reject_code)" "1 replay"

# 20 helpers race to consume the same Response: exactly one wins.
RACE=$(conf_new race "state_dir = $T_WORK/race" "idp_metadata = $T_WORK/trust/idp-metadata.xml")
pids=()
for i in $(seq 1 20); do
	"$H" verify --config "$RACE" --at $PIN --consume <"$MAIN_B64" >/dev/null \
		2>"$T_WORK/race.$i" &
	pids+=($!)
done
wins=0
replays=0
for i in "${!pids[@]}"; do
	if wait "${pids[$i]}"; then
		wins=$((wins + 1))
	elif grep -q '^reject: replay: ' "$T_WORK/race.$((i + 1))"; then
		replays=$((replays + 1))
	fi
done
t_eq "20 concurrent --consume: exactly one accepted, 19 replays" "$wins $replays" "1 19"

# --- misuse and configuration errors -----------------------------------------------------
"$H" >/dev/null 2>&1
t_eq "no verb: exit 2" "$?" 2
"$H" frobnicate </dev/null >/dev/null 2>&1
t_eq "unknown verb: exit 2" "$?" 2
verify "$MD" "$MAIN_B64" --at yesterday
t_eq "bad --at: exit 2" "$rc" 2
verify "$MD" "$MAIN_B64" --consume --repeat 2
t_eq "--consume with --repeat: exit 2" "$rc" 2
verify "$T_WORK/missing.conf" "$MAIN_B64" --at $PIN
t_eq "missing config: exit 2" "$rc" 2
t_match "missing config: config: message" "$err" '^config: '
cp "$MD" "$T_WORK/loose.conf"
chmod 666 "$T_WORK/loose.conf"
verify "$T_WORK/loose.conf" "$MAIN_B64" --at $PIN
t_eq "world-writable config: exit 2" "$rc" 2
openssl req -x509 -newkey rsa:1024 -nodes -keyout "$T_WORK/weak.key" -out "$T_WORK/trust/weak.pem" \
	-subj /CN=weak -days 2 >/dev/null 2>&1
WEAK=$(conf_new weak "idp_entity_id = https://idp.example.test/metadata" \
	"idp_cert = $T_WORK/trust/weak.pem")
verify "$WEAK" "$MAIN_B64" --at $PIN
t_eq "RSA-1024 pinned key: configuration error, exit 2" "$rc" 2
t_match "RSA-1024 pinned key: says why" "$err" '^config: .*2048'
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:secp224r1 -nodes \
	-keyout "$T_WORK/weak-ec.key" -out "$T_WORK/trust/weak-ec.pem" -subj /CN=weak -days 2 \
	>/dev/null 2>&1
WEAKEC=$(conf_new weakec "idp_entity_id = https://idp.example.test/metadata" \
	"idp_cert = $T_WORK/trust/weak-ec.pem")
verify "$WEAKEC" "$MAIN_B64" --at $PIN
t_eq "EC P-224 pinned key: configuration error, exit 2" "$rc" 2

t_done
