# tests/lib/tap.sh — sourced by every suite: result lines, the build tree, cleanup, and the
# key=value helpers of tests/lib/kv.sh (field, conf_write, conf_new).
# Results: "ok - NAME" / "not ok - NAME: WHY" (tests/run counts them).
set -u
ECS_TOP=${ECS_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
. "$ECS_TOP/tests/lib/kv.sh"
ECS_BUILD=${ECS_BUILD:-build}
ECS_SHARED=${ECS_SHARED:-$(cd "$ECS_TOP/.." && pwd)/shared}
B=$ECS_TOP/$ECS_BUILD
CORPUS=$ECS_SHARED/saml-corpus
T_FAILED=0

t_ok() { echo "ok - $1"; }
t_fail() { echo "not ok - $1: ${2:-failed}"; T_FAILED=$((T_FAILED + 1)); }

# t_check NAME CMD...: passes when CMD exits 0.
t_check() {
	local name=$1
	shift
	if "$@"; then t_ok "$name"; else t_fail "$name" "command failed: $*"; fi
}

# t_eq NAME GOT WANT
t_eq() {
	if [ "$2" == "$3" ]; then t_ok "$1"; else t_fail "$1" "got '$2', want '$3'"; fi
}

# t_match NAME TEXT ERE
t_match() {
	if grep -qE -- "$3" <<<"$2"; then t_ok "$1"; else t_fail "$1" "'$(head -c 300 <<<"$2")' does not match /$3/"; fi
}

# A private scratch directory, removed at exit with whatever cleanup hooks were added.
T_WORK=$(mktemp -d /tmp/ecs-test.XXXXXX)
chmod 755 "$T_WORK"
T_CLEANUP=()
t_on_exit() { T_CLEANUP+=("$1"); }
t_cleanup() {
	local i
	for ((i = ${#T_CLEANUP[@]} - 1; i >= 0; i--)); do eval "${T_CLEANUP[$i]}" || true; done
	[ -n "${KEEP_WORK:-}" ] || rm -rf "$T_WORK"
}
trap t_cleanup EXIT

# t_claim_dir DIR: a directory shared by every run on the machine (the helper's spool,
# /run/pam_ecs_saml: suites, the demo, a teammate's run) is removed at exit only if this run
# made it. Judging by "absent now" is not enough, since two runs starting together would
# both see it absent before the helper creates it and both remove it, one under the other's
# feet. mkdir without -p is the atomic test: it succeeds for exactly one run. Root-owned
# 0755, as the helper makes it.
t_claim_dir() {
	if mkdir -m 755 "$1" 2>/dev/null; then
		t_on_exit "rm -rf '$1'"
	fi
	return 0
}

# End of a suite: exit status reflects failures.
t_done() { exit $((T_FAILED > 0)); }
