#!/bin/bash
# tests/run: isolated
# Suite 22: `ecs-saml-helper verify` over the shared interop corpus: SAML Responses written by
# real IdP products (Okta, AD FS, OneLogin, Google, Entra ID, PingFederate, Auth0, Oracle
# Access Manager, SimpleSAMLphp), and AWS-shaped ones crafted after the documented output of
# each product's AWS application and signed with the corpus's test key. Its manifest.json
# gives, per case, the trust, the configuration, the instant to judge at, and the verdict a
# strict AWS-bound validator must reach, with the reason.
#
# Every case must end exactly as the manifest says: accept (exit 0, and the user, Issuer
# and roles read from the document), reject (exit 1) with the CODE that names the real
# cause, or config (exit 2: the trust anchor itself is refused). An expected refusal
# without a CODE is a fault of the manifest: this suite insists on the cause.
# No network ports: verify never talks to anything.
. "$(dirname "$0")/../lib/tap.sh"

# The helper runs as root here, and as root it validates in a child that becomes the sandbox
# account (helper/privsep.h), refusing without one: it runs in a private mount namespace whose
# /etc/passwd and /etc/group hold that account (tests/lib/nsroot.sh), since a test must not
# add accounts to the host.
. "$ECS_TOP/tests/lib/nsroot.sh"
H=$B/ecs-saml-helper
H=$(ns_account_wrapper "$T_WORK/privsep" "$H")
IC=$ECS_SHARED/interop-corpus
if [ ! -x "$H" ]; then
	t_fail "helper built" "$H is missing"
	t_done
fi
if [ ! -f "$IC/manifest.json" ]; then
	t_fail "interop corpus present" "$IC/manifest.json is missing (set ECS_SHARED)"
	t_done
fi

# Trust anchors are read as root-owned files in safe directories: each case's are copied into
# $T_WORK/trust (named by case number, as one file name recurs across IdPs). Configurations
# are root-owned 0600 files (conf_new, tests/lib/kv.sh).
mkdir -p "$T_WORK/trust"
CONF_MODE=600
CONF_DEFAULTS=("state_dir = $T_WORK/state")

# One line per case, tab-separated: id, idp, fixture, at, want (accept | reject:CODE |
# config), issuer, user and roles (;-joined, role first) an accept must print ("-" if
# none), then the configuration lines, each after a US (0x1f) separator.
/usr/bin/python3 - "$IC" "$T_WORK/trust" >"$T_WORK/cases.tsv" <<'EOF'
import base64, json, os, shutil, sys
import xml.etree.ElementTree as ET

ic, trust = sys.argv[1], sys.argv[2]
m = json.load(open(os.path.join(ic, "manifest.json")))
A = "{urn:oasis:names:tc:SAML:2.0:assertion}"
ATTR = "https://aws.amazon.com/SAML/Attributes/"

def document(path):
    raw = open(path, "rb").read().strip()
    return raw if raw.startswith(b"<") else base64.b64decode(raw)

def values(root, name):
    return [(v.text or "") for a in root.iter(A + "Attribute") if a.get("Name") == ATTR + name
            for v in a.iter(A + "AttributeValue")]

def role_first(pair):
    a, b = pair.split(",", 1)
    return b + "," + a if ":saml-provider/" in a else pair

def expected_user(root, cf):
    if cf["user_source"] == "role_session_name":
        v = values(root, "RoleSessionName")[0]
    elif cf["user_source"] == "nameid":
        v = next(root.iter(A + "NameID")).text
    else:
        return "-"
    sfx = cf.get("user_strip_suffix")
    return v[:-len(sfx)] if sfx and v.endswith(sfx) else v

for i, c in enumerate(m["cases"]):
    tr, cf, e = c["trust"], c["config"], c["expected"]
    def place(rel):
        dst = os.path.join(trust, "%d-%s" % (i, os.path.basename(rel)))
        shutil.copyfile(os.path.join(ic, rel), dst)
        os.chmod(dst, 0o644)
        return dst
    lines = []
    if "metadata" in tr:
        lines.append("idp_metadata = " + place(tr["metadata"]))
    else:
        lines.append("idp_entity_id = " + tr["entity_id"])
        lines += ["idp_cert = " + place(p) for p in tr["certs"]]
    # an empty list means no line: the helper's default applies
    lines += ["audience = " + a for a in cf["audience"]]
    lines += ["recipient = " + r for r in cf["recipient"]]
    lines.append("max_assertion_age = %d" % cf["max_assertion_age"])
    lines.append("allow_sha1 = " + ("yes" if cf["allow_sha1"] else "no"))
    lines.append("user_source = " + cf["user_source"])
    if cf.get("user_strip_suffix"):
        lines.append("user_strip_suffix = " + cf["user_strip_suffix"])
    want = e["verdict"] + (":" + e["code"] if e.get("code") else "")
    issuer = user = roles = "-"
    if e["verdict"] == "accept":
        root = ET.fromstring(document(os.path.join(ic, c["fixture"])))
        issuer = c["issuer"]
        user = expected_user(root, cf)
        roles = ";".join(role_first(p) for p in values(root, "Role")) or "-"
    print("\t".join([c["id"], c["idp"], os.path.join(ic, c["fixture"]), c["at"], want,
                     issuer, user, roles] + ["\x1f".join(lines)]))
EOF
t_eq "manifest read" "$?" 0
ncases=$(wc -l <"$T_WORK/cases.tsv")
t_check "manifest lists the interop corpus ($ncases cases)" test "$ncases" -ge 37
t_eq "case ids are unique" "$(cut -f1 "$T_WORK/cases.tsv" | sort | uniq -d)" ""
# The products the corpus is meant to cover are all in it, so a manifest that lost one
# shows here rather than as fewer passing lines.
for idp in Okta "AD FS" OneLogin Google "Entra ID" PingFederate Auth0 "Oracle Access Manager" \
	SimpleSAMLphp; do
	t_match "the corpus has Responses from $idp" "$(cut -f2 "$T_WORK/cases.tsv")" "$idp"
done

# verify CONF INPUTFILE AT : sets out, err and rc.
verify() {
	out=$("$H" verify --config "$1" --at "$3" <"$2" 2>"$T_WORK/stderr")
	rc=$?
	err=$(cat "$T_WORK/stderr")
}

n=0
while IFS=$'\t' read -r id idp fixture at want issuer user roles conf; do
	n=$((n + 1))
	IFS=$'\x1f' read -r -a lines <<<"$conf"
	cf=$(conf_new "case-$n" "${lines[@]}")
	verify "$cf" "$fixture" "$at"
	name="$id ($idp)"
	case $want in
	accept)
		got_roles=$(fields role "$out" | paste -sd ';')
		if [ $rc -ne 0 ]; then
			t_fail "$name accepted" "rc=$rc; stderr: $err"
		elif [ "$(field user "$out")" != "$user" ] ||
		     [ "$(field issuer "$out")" != "$issuer" ]; then
			t_fail "$name accepted" "user '$(field user "$out")', issuer\
 '$(field issuer "$out")'; want '$user', '$issuer'"
		elif [ "$got_roles" != "$roles" ] || [ -z "$(field assertion_id "$out")" ]; then
			t_fail "$name accepted" "roles '$got_roles', want '$roles'; out: $out"
		else
			t_ok "$name accepted: user $user, its Issuer and roles (role first)"
		fi
		;;
	reject:?*)
		code=${want#reject:}
		if [ $rc -eq 1 ] && [ "$(wc -l <<<"$err")" = 1 ] &&
		   [[ $err == "reject: $code: "* ]]; then
			t_ok "$name rejected: $code"
		else
			t_fail "$name rejected: $code" "rc=$rc; stderr: $err"
		fi
		;;
	config)
		if [ $rc -eq 2 ] && [[ $err == "config: "* ]]; then
			t_ok "$name: configuration refused (${err#config: $T_WORK/trust/})"
		else
			t_fail "$name: configuration refused" "rc=$rc; stderr: $err"
		fi
		;;
	*)
		t_fail "$name" "the manifest expects '$want': a refusal must name its code"
		;;
	esac
done <"$T_WORK/cases.tsv"
t_eq "every case ran" "$n" "$ncases"

# --- the default audience list, around the manifest's Entra cases -------------------------
# Entra's stock AWS app sends https://signin.aws.amazon.com/saml, accepted by default (above).
# An audience line replaces the default: a site that narrows it to AWS's entity ID refuses
# that Response. Entra names a further AWS app in the tenant ...saml#2, which is not in the
# default (README tells the operator to add it): the corpus's own template re-signed with
# that Audience by its test key, as its craft.sh does.
ENTRA=$IC/crafted/entra-assertion-signed.xml
AT=2026-12-01T10:00:30Z
entra_conf() {
	conf_new "$1" "idp_entity_id = https://sts.windows.net/0b3c0e7c-1b2a-4c5d-9e8f-0123456789ab/" \
		"idp_cert = $T_WORK/trust/crafted-idp.crt.pem" "max_assertion_age = 86400" \
		"user_strip_suffix = @contoso.example" "${@:2}"
}
install -m 644 "$IC/crafted/crafted-idp-rsa2048.crt.pem" "$T_WORK/trust/crafted-idp.crt.pem"
verify "$(entra_conf narrowed "audience = urn:amazon:webservices")" "$ENTRA" $AT
t_eq "audience narrowed to urn:amazon:webservices: Entra's gallery Audience refused" \
	"$rc $err" "1 reject: audience: audience is https://signin.aws.amazon.com/saml, expected one of urn:amazon:webservices"
sed 's|<Audience>https://signin.aws.amazon.com/saml</Audience>|<Audience>https://signin.aws.amazon.com/saml#2</Audience>|' \
	"$IC/crafted/entra-assertion-signed.tmpl.xml" >"$T_WORK/entra2.tmpl.xml"
t_check "Entra's second AWS app (Audience ...saml#2) re-signed with the corpus test key" \
	xmlsec1 --sign --privkey-pem "$IC/crafted/crafted-idp-rsa2048.key.pem" \
	--id-attr:ID urn:oasis:names:tc:SAML:2.0:assertion:Assertion \
	--node-xpath "/*[local-name()='Response']/*[local-name()='Assertion']/*[local-name()='Signature']" \
	--output "$T_WORK/entra2.xml" "$T_WORK/entra2.tmpl.xml"
verify "$(entra_conf default2)" "$T_WORK/entra2.xml" $AT
t_eq "default audience: Entra's second AWS app refused, and the message names the value" \
	"$rc $err" "1 reject: audience: audience is https://signin.aws.amazon.com/saml#2, expected one of urn:amazon:webservices, https://signin.aws.amazon.com/saml"
verify "$(entra_conf app2 "audience = https://signin.aws.amazon.com/saml#2")" "$T_WORK/entra2.xml" $AT
t_eq "audience = https://signin.aws.amazon.com/saml#2: Entra's second AWS app accepted" \
	"$rc $(field user "$out")" "0 jdoe"

t_done
