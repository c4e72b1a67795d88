#!/bin/bash
# tests/run: isolated
# Unit tests: every compiled tests/unit/test_*.c binary, each printing its own result lines.
. "$(dirname "$0")/../lib/tap.sh"
found=0
for t in "$B"/tests/test_*; do
	[ -x "$t" ] || continue
	found=1
	echo "# $(basename "$t")"
	(cd "$T_WORK" && "$t")
	rc=$?
	[ $rc -eq 0 ] || t_fail "$(basename "$t")" "exited $rc"
done
[ $found = 1 ] || t_fail "unit tests" "no unit test binaries in $B/tests"
t_done
