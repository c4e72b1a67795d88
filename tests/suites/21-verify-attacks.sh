#!/bin/bash
# tests/run: isolated
# Suite 21: `ecs-saml-helper verify` against every row of the SAML attack catalogue
# (shared reference aws-contract-and-attacks.md §2.1) and the valid variants it must accept.
#
# The cases are generated at test time by tests/gen (cases.py lists them, one per row or
# more) with throwaway keys made in $T_WORK; no key material is committed. First the
# generator proves itself: every case that claims an intact signature is verified by the
# independent xmlsec1 CLI with the pinned certificate. Then each case runs through the real
# helper, with a root-only 0600 config and the pinned time --at, and must end exactly as the
# case says: a single "reject: CODE: ..." line with exit 1, or exit 0 with the right fields.
#
# No network, no ports: everything is local files. Set ECS_ONLY=REGEX to run some cases.
. "$(dirname "$0")/../lib/tap.sh"

PY=/usr/bin/python3
export PYTHONDONTWRITEBYTECODE=1	# keep the source tree clean
GEN=$ECS_TOP/tests/gen/run.py
# The helper runs as root here, and as root it validates in a child that becomes the sandbox
# account (helper/privsep.h), refusing without one: it runs in a private mount namespace whose
# /etc/passwd and /etc/group hold that account (tests/lib/nsroot.sh), since a test must not
# add accounts to the host.
. "$ECS_TOP/tests/lib/nsroot.sh"
HELPER=$B/ecs-saml-helper
HELPER=$(ns_account_wrapper "$T_WORK/privsep" "$HELPER")
only=()
[ -n "${ECS_ONLY:-}" ] && only=(--only "$ECS_ONLY")

mkdir -p "$T_WORK/keys" "$T_WORK/work"
t_check "generate throwaway IdP and attacker keys" $PY "$GEN" keys "$T_WORK/keys"

# The generator's own signatures must be sound before any verdict of the helper means anything.
$PY "$GEN" selfcheck --keys "$T_WORK/keys" --work "$T_WORK/work" "${only[@]}" ||
	T_FAILED=$((T_FAILED + 1))

if [ ! -x "$HELPER" ]; then
	t_fail "ecs-saml-helper is built" "$HELPER missing"
	t_done
fi

# Every input is kept next to the logs, so a failing case can be replayed by hand:
#   ecs-saml-helper verify --config ... --at ... < $B/test-logs/21-inputs/CASE.in
mkdir -p "$B/test-logs/21-inputs"
$PY "$GEN" verify --helper "$HELPER" --keys "$T_WORK/keys" --work "$T_WORK/work" \
	--dump "$B/test-logs/21-inputs" "${only[@]}" ||
	T_FAILED=$((T_FAILED + 1))
t_done
