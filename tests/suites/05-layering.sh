#!/bin/bash
# Suite 05: layering (no servers, no ports). The sources obey tools/lint-layering, the lint
# catches a planted violation, and the built PAM and NSS modules and the client load no XML,
# crypto or HTTP library (dynamic NEEDED entries and undefined dynamic symbols).
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
	"$ECS_TOP/client" "$copy/"
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
# ...and, the plants undone, the copy is clean again (the check sees the plant, not noise).
out=$("$ECS_TOP/tools/lint-layering" "$copy" 2>&1)
t_eq "the unplanted copy passes the lint" "$?" 0

# heavy_deps FILE: prints the XML, HTTP or crypto libraries FILE needs and the symbols from
# them it leaves undefined; prints nothing for a libc-level object.
heavy_deps() {
	readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' |
		grep -E 'libxml2|libxmlsec|libcurl|libssl|libcrypto'
	nm -D --undefined-only "$1" | grep -E ' (xml|xmlSec|curl_|SSL_|EVP_|OPENSSL_)' | head -n 5
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
	t_eq "$so needs no XML, HTTP or crypto library" "$(heavy_deps "$f" | tr '\n' ' ')" ""
done
t_done
