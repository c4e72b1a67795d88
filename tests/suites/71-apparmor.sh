#!/bin/bash
# Suite 71: the AppArmor profile of ecs-saml-helper (apparmor/ecs-saml-helper; Debian's default
# LSM). This kernel has no AppArmor, so the profile is compiled, not loaded: apparmor_parser
# builds it without touching the kernel (--skip-kernel-load), and tests/mac/apparmor_check.py
# holds it to the helper's access list (tests/mac/helper-access, what the end-to-end suites
# saw the helper do) both ways: every access allowed, every rule needed. No servers, no ports.
. "$(dirname "$0")/../lib/tap.sh"

if ! command -v apparmor_parser >/dev/null; then
	t_fail "apparmor_parser" "the apparmor package is not installed (tools/install-deps)"
	t_done
fi
prof=$ECS_TOP/apparmor/ecs-saml-helper
# -Q: compile, do not load; -K: no cache. The output is the kernel's binary policy.
if out=$(apparmor_parser -Q -K -o "$T_WORK/ecs-saml-helper.bin" "$prof" 2>&1) && [ -s "$T_WORK/ecs-saml-helper.bin" ]; then
	t_ok "apparmor_parser compiles the profile"
else
	t_fail "apparmor_parser compiles the profile" "$(grep -v 'Cache read/write disabled' <<<"$out" | tail -n 3 | tr '\n' ' ')"
fi
t_match "the profile is named ecs-saml-helper and attaches to the helper" \
	"$(apparmor_parser -Q -K -N "$prof" 2>/dev/null)" '^ecs-saml-helper$'

# The profile make install writes, for PREFIX=/usr, compiles too.
sed 's|/usr/{,local/}libexec/pam_ecs_saml|/usr/libexec/pam_ecs_saml|' "$prof" >"$T_WORK/installed"
t_check "the installed form of the profile compiles" \
	apparmor_parser -Q -K -o "$T_WORK/installed.bin" "$T_WORK/installed"

# A profile that denies something the helper does must fail the check, or the check proves
# nothing: drop the rule for the spool.
grep -v '^  /run/pam_ecs_saml/\*\* ' "$prof" >"$T_WORK/broken"
if /usr/bin/python3 "$ECS_TOP/tests/mac/apparmor_check.py" "$T_WORK/broken" \
	"$ECS_TOP/tests/mac/helper-access" >"$T_WORK/broken.out" 2>&1; then
	t_fail "the check refuses a profile without the spool rule" "it passed"
else
	t_match "the check refuses a profile without the spool rule" "$(cat "$T_WORK/broken.out")" \
		'^not ok - AppArmor allows the helper: create /run/pam_ecs_saml/\{tickets,sessions,audit\}/\*'
fi

/usr/bin/python3 "$ECS_TOP/tests/mac/apparmor_check.py" "$prof" "$ECS_TOP/tests/mac/helper-access" ||
	T_FAILED=$((T_FAILED + 1))
t_done
