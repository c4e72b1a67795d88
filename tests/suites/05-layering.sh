#!/bin/bash
# tests/run: isolated
# Suite 05: layering (no servers, no ports). The sources obey tools/lint-layering, the lint
# catches a planted violation, and the built PAM and NSS modules and the client load no XML,
# crypto or HTTP library (dynamic NEEDED entries and undefined dynamic symbols). And the test
# kit's bookkeeping, checked here because every landing runs this suite: tests/README and
# README list the ports the test scripts use (tools/lint-test-ports), and tests/README says
# what every suite proves.
. "$(dirname "$0")/../lib/tap.sh"

if out=$("$ECS_TOP/tools/lint-layering" 2>&1); then
	t_ok "sources respect the layering"
else
	t_fail "sources respect the layering" "$(tr '\n' ' ' <<<"$out")"
fi

# The lint must be able to fail: a copy of the tree with one forbidden include per rule.
copy=$T_WORK/tree
mkdir -p "$copy"
cp -r "$ECS_TOP/libecs" "$ECS_TOP/pam_ecs_saml" "$ECS_TOP/nss_ecs_saml" "$ECS_TOP/helper" \
	"$ECS_TOP/client" "$ECS_TOP/exec" "$ECS_TOP/libaws" "$copy/"
echo '#include <openssl/evp.h>' >>"$copy/libecs/ecs_b64.c"
out=$("$ECS_TOP/tools/lint-layering" "$copy" 2>&1)
rc=$?
t_check "lint refuses OpenSSL in libecs" \
	test $rc -ne 0 -a -n "$(grep -F 'ecs_b64.c' <<<"$out")"
cp "$ECS_TOP/libecs/ecs_b64.c" "$copy/libecs/ecs_b64.c"
core_file=$(ls "$copy"/helper/saml/*.c 2>/dev/null | head -n 1)
if [ -n "$core_file" ]; then
	echo '# include <security/pam_modules.h>' >>"$core_file"
	out=$("$ECS_TOP/tools/lint-layering" "$copy" 2>&1)
	rc=$?
	t_check "lint refuses PAM headers in the helper" \
		test $rc -ne 0 -a -n "$(grep -F "$(basename "$core_file")" <<<"$out")"
	cp "$ECS_TOP/helper/saml/$(basename "$core_file")" "$core_file"
else
	t_fail "lint refuses PAM headers in the helper" "no helper/saml/*.c to plant it in"
fi

# JSON is exec/'s and the helper's audit readers' alone: Jansson planted elsewhere in the
# helper is refused.
echo '#include <jansson.h>' >>"$copy/helper/sts/sts_reply.c"
out=$("$ECS_TOP/tools/lint-layering" "$copy" 2>&1)
rc=$?
t_check "lint refuses Jansson outside exec/ and the audit readers" \
	test $rc -ne 0 -a -n "$(grep -F 'helper/sts/sts_reply.c' <<<"$out")"
cp "$ECS_TOP/helper/sts/sts_reply.c" "$copy/helper/sts/sts_reply.c"
# The SigV4 signer (libaws/) is for ecs-saml-exec and the helper: planted in the client, refused.
echo '#include "aws_sigv4.h"' >>"$copy/client/$(basename "$(ls "$ECS_TOP"/client/*.c | head -n 1)")"
out=$("$ECS_TOP/tools/lint-layering" "$copy" 2>&1)
t_check "lint refuses libaws/ in the client" \
	test $? -ne 0 -a -n "$(grep -F 'libaws/' <<<"$out")"
cp "$ECS_TOP"/client/*.c "$copy/client/"
# libsystemd: nowhere in the product, the PAM module and the journal sink included.
pamsrc=$(cd "$copy" && ls pam_ecs_saml/*.c | head -n 1)
echo '#include <systemd/sd-journal.h>' >>"$copy/$pamsrc"
echo '#include <systemd/sd-journal.h>' >>"$copy/helper/audit/audit_journal.c"
out=$("$ECS_TOP/tools/lint-layering" "$copy" 2>&1)
rc=$?
t_check "lint refuses libsystemd in the PAM module and in the helper's journal sink" \
	test $rc -ne 0 -a -n "$(grep -F "$pamsrc" <<<"$out")" \
	-a -n "$(grep -F 'helper/audit/audit_journal.c' <<<"$out")"
cp "$ECS_TOP/$pamsrc" "$copy/$pamsrc"
cp "$ECS_TOP/helper/audit/audit_journal.c" "$copy/helper/audit/audit_journal.c"
# libseccomp: only the build-time compiler of the validator child's filter
# (helper/gen/privsep_filter_gen.c) may use it.
echo '#include <seccomp.h>' >>"$copy/helper/saml/saml_verify.c"
out=$("$ECS_TOP/tools/lint-layering" "$copy" 2>&1)
t_check "lint refuses libseccomp outside helper/gen/privsep_filter_gen.c" \
	test $? -ne 0 -a -n "$(grep -F 'helper/saml/saml_verify.c' <<<"$out")"
cp "$ECS_TOP/helper/saml/saml_verify.c" "$copy/helper/saml/saml_verify.c"

# An include cycle between two units: ecs_b64.c includes ecs_sha256.h, which includes
# ecs_b64.h back. No file includes itself, so only the unit rule (a .c with its .h) sees it.
sed -i 's/^#include "ecs_b64.h"$/&\n#include "ecs_sha256.h"/' "$copy/libecs/ecs_b64.c"
sed -i 's/^#include <stdint.h>$/&\n#include "ecs_b64.h"/' "$copy/libecs/ecs_sha256.h"
out=$("$ECS_TOP/tools/lint-layering" "$copy" 2>&1)
rc=$?
t_check "lint refuses an include cycle between product files" \
	test $rc -ne 0 -a -n "$(grep -E 'cycle: .*libecs/ecs_(b64|sha256) -> libecs/ecs_(sha256|b64)' <<<"$out")"
t_match "the cycle report names the include that closes it" "$out" \
	'libecs/ecs_sha256\.h:[0-9]+: libecs/ecs_sha256 -> libecs/ecs_b64'
cp "$ECS_TOP/libecs/ecs_b64.c" "$copy/libecs/ecs_b64.c"
cp "$ECS_TOP/libecs/ecs_sha256.h" "$copy/libecs/ecs_sha256.h"

# A second XML parser: a direct libxml2 parse outside helper/xml/.
echo 'static void *raw(const char *p, int n) { return xmlReadMemory(p, n, 0, 0, 0); }' \
	>>"$copy/helper/sts/sts_reply.c"
out=$("$ECS_TOP/tools/lint-layering" "$copy" 2>&1)
rc=$?
t_check "lint refuses a libxml2 parse outside helper/xml/" \
	test $rc -ne 0 -a -n "$(grep -F 'helper/sts/sts_reply.c' <<<"$out")"
cp "$ECS_TOP/helper/sts/sts_reply.c" "$copy/helper/sts/sts_reply.c"
# A record written past the one writer: its values would go unescaped.
echo 'static void raw(const char *u) { syslog(5, "user=%s", u); }' >>"$copy/helper/verb_auth.c"
out=$("$ECS_TOP/tools/lint-layering" "$copy" 2>&1)
rc=$?
t_check "lint refuses a syslog call outside the record writer" \
	test $rc -ne 0 -a -n "$(grep -F 'helper/verb_auth.c' <<<"$out")"
cp "$ECS_TOP/helper/verb_auth.c" "$copy/helper/verb_auth.c"
# ...and, the plants undone, the copy is clean again (the check sees the plant, not noise).
out=$("$ECS_TOP/tools/lint-layering" "$copy" 2>&1)
t_eq "the unplanted copy passes the lint" "$?" 0

# heavy_deps FILE: prints the XML, HTTP, crypto, seccomp or zlib libraries FILE needs and the
# symbols from them it leaves undefined; prints nothing for a libc-level object.
heavy_deps() {
	readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' |
		grep -E 'libxml2|libxmlsec|libcurl|libssl|libcrypto|libseccomp|libz\.so'
	nm -D --undefined-only "$1" | grep -E ' (xml|xmlSec|curl_|SSL_|EVP_|OPENSSL_|seccomp_|inflate|deflate)' |
		head -n 5
}

# The check must be able to fail: a small library that does link OpenSSL.
printf '#include <openssl/evp.h>\nvoid *f(void) { return EVP_MD_CTX_new(); }\n' >"$T_WORK/bad.c"
if cc -shared -fPIC -o "$T_WORK/bad.so" "$T_WORK/bad.c" -lcrypto; then
	t_check "link check sees libcrypto in a planted library" test -n "$(heavy_deps "$T_WORK/bad.so")"
else
	t_fail "link check sees libcrypto in a planted library" "could not build the planted library"
fi

for so in pam_ecs_saml.so libnss_ecs_saml.so.2 ecs-saml-ssh; do
	f=$B/$so
	if [ ! -f "$f" ]; then
		echo "# note: $so is not built in $B; its link check is skipped"
		continue
	fi
	t_eq "$so needs no XML, HTTP, crypto or seccomp library" "$(heavy_deps "$f" | tr '\n' ' ')" ""
done
# The modules and the client link no JSON, journal or zlib library either (the helper's audit
# sinks and readers are the helper's own: tools/lint-layering keeps them to their files).
for so in pam_ecs_saml.so libnss_ecs_saml.so.2 ecs-saml-ssh; do
	[ -f "$B/$so" ] || continue
	t_eq "$so needs no Jansson, libsystemd or zlib" \
		"$(readelf -d "$B/$so" | grep -E 'NEEDED.*(libjansson|libsystemd|libz\.)' | tr '\n' ' ')" ""
done
# Nor does the helper load libsystemd: every start (auth, session close) would pay its tree.
[ -f "$B/ecs-saml-helper" ] && t_eq "the helper needs no libsystemd" \
	"$(readelf -d "$B/ecs-saml-helper" | grep -E 'NEEDED.*libsystemd' | tr '\n' ' ')" ""
# ecs-saml-exec links no XML library and no libssl (libcrypto only).
if [ -f "$B/ecs-saml-exec" ]; then
	t_eq "ecs-saml-exec needs no XML library and no libssl of its own" \
		"$(readelf -d "$B/ecs-saml-exec" | grep -E 'NEEDED.*(libxml2|libxmlsec|libssl)' |
			tr '\n' ' ')" ""
fi
# libcurl is not linked: the helper loads it in the verbs that call AWS (libaws/aws_curl.h;
# suite 30 checks which verbs map it).
t_eq "ecs-saml-helper does not link libcurl" \
	"$(readelf -d "$B/ecs-saml-helper" | grep -E 'NEEDED.*libcurl' | tr '\n' ' ')" ""
# Nor libxml2 or xmlsec: the verbs that parse XML load them (helper/xml/xml_lib.h; suite 30
# checks which verbs map them), so no start of the helper maps them, their libxslt or ICU
# through a dependency, and no call binds to them at link time.
t_eq "ecs-saml-helper does not link libxml2, xmlsec, libxslt or ICU" \
	"$(readelf -d "$B/ecs-saml-helper" | grep -E 'NEEDED.*(libxml2|libxmlsec|libxslt|libicu)' |
		tr '\n' ' ')" ""
t_eq "... nor maps them through another library at start" \
	"$(ldd "$B/ecs-saml-helper" | grep -E 'libxml2|libxmlsec|libxslt|libicu' | tr '\n' ' ')" ""
t_eq "... and leaves no libxml2 or xmlsec symbol to the dynamic linker" \
	"$(nm -D --undefined-only "$B/ecs-saml-helper" | grep -E ' (xml|xmlSec)[A-Z]' | head -n 5 |
		tr '\n' ' ')" ""
# Nor libseccomp: the validator child's filter is compiled at build time into a header
# (helper/gen/), which the helper's sandbox includes.
t_eq "ecs-saml-helper does not link libseccomp" \
	"$(readelf -d "$B/ecs-saml-helper" | grep -E 'NEEDED.*libseccomp' | tr '\n' ' ')" ""
t_match "... its sandbox's filter was compiled by libseccomp at build time" \
	"$(head -n 3 "$B/gen/ecs_privsep_filter.h" 2>&1)" \
	'generated at build time by helper/gen/privsep_filter_gen.c from libseccomp [0-9]'


# --- the test kit's bookkeeping (here, so that every landing runs it) ----------------------
# tests/README's port table and README's "Ports:" paragraph list exactly the ports the test
# scripts use (tools/lint-test-ports), and tests/README says what every suite proves. Both
# must be able to fail: in scratch copies, a port added to a suite, a port dropped from each
# list, a listed port no script uses any more. (The planted ports are computed, so that this
# file itself names none.)
cd "$ECS_TOP" || exit 2
if out=$(tools/lint-test-ports 2>&1); then
	t_ok "tests/README and README list every port the test scripts use, and no other"
else
	t_fail "tests/README and README list every port the test scripts use, and no other" \
		"$(tr '\n' ' ' <<<"$out")"
fi
ports_copy() {	# ports_copy NAME: a scratch copy of what the lint reads
	rm -rf "$T_WORK/$1"
	mkdir -p "$T_WORK/$1/tests"
	cp README "$T_WORK/$1/"
	cp -r tests/README tests/suites tests/demo tests/bench tests/lib tests/pam "$T_WORK/$1/tests/"
}
ports_copy added
sed -i "/^STS_PORT=/a AUDIT_PORT=$((23040 + 5))" "$T_WORK/added/tests/suites/30-pam.sh"
out=$(tools/lint-test-ports "$T_WORK/added" 2>&1 | tr "\n" " ")
t_match "a port added to a suite but listed nowhere is caught" "$out" \
	"30-pam.sh uses port 23045: tests/README.*23045.*README's 'Ports:' paragraph does not name it"
ports_copy unlisted
sed -i '/^  22504  /d' "$T_WORK/unlisted/tests/README"
sed -i 's/22504/22599/' "$T_WORK/unlisted/README"
out=$(tools/lint-test-ports "$T_WORK/unlisted" 2>&1 | tr "\n" " ")
t_match "a port dropped from both lists is caught" "$out" \
	"uses port 22504: tests/README.*uses port 22504: README.*names 22599, which no test uses"
ports_copy stale
sed -i "s/^CLOSED_PORT=.*/CLOSED_PORT=$((18300 + 99))/" "$T_WORK/stale/tests/suites/31-sts.sh"
out=$(tools/lint-test-ports "$T_WORK/stale" 2>&1 | tr "\n" " ")
t_match "a listed port its suite no longer uses is caught" "$out" \
	"tests/README lists port 18311 for 31-sts, which does not use it.*README's 'Ports:' paragraph names 18311, which no test uses"

# Every suite has its paragraph in tests/README's "What each suite proves".
proves=$(sed -n '/^What each suite proves/,/^Ports/p' tests/README)
undescribed=
for s in tests/suites/[0-9][0-9]-*.sh; do
	grep -qE "^  $(basename "$s" .sh) " <<<"$proves" || undescribed+=" $(basename "$s" .sh)"
done
t_eq "tests/README says what every suite proves" "$undescribed" ""
t_done
