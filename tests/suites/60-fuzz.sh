#!/bin/bash
# tests/run: isolated
# Suite 60: fuzz targets (no servers, no ports). For every tests/fuzz/fuzz_<name>.c:
#   - its seed corpus tests/fuzz/corpus/<name>/ replays cleanly through replay_<name>, the
#     build made with the project's compiler and flags (ASan+UBSan under `make asan`);
#   - the libFuzzer build runs for FUZZ_SECONDS (5 here; `make fuzz-run` defaults to 60).
. "$(dirname "$0")/../lib/tap.sh"

n=0
for src in "$ECS_TOP"/tests/fuzz/fuzz_*.c; do
	[ -f "$src" ] || continue
	n=$((n + 1))
	name=$(basename "$src" .c)
	name=${name#fuzz_}
	replay=$B/fuzz/replay_$name
	seeds=$ECS_TOP/tests/fuzz/corpus/$name
	[ -x "$B/fuzz/fuzz_$name" ] || t_fail "fuzz $name built" "no $B/fuzz/fuzz_$name"
	if [ ! -x "$replay" ]; then
		t_fail "replay $name" "no $replay"
		continue
	fi
	files=("$seeds"/*)
	if [ ! -e "${files[0]}" ]; then
		t_fail "replay $name" "no seed corpus in tests/fuzz/corpus/$name"
		continue
	fi
	if out=$("$replay" "${files[@]}" 2>&1); then
		t_ok "replay $name (${#files[@]} seeds)"
	else
		t_fail "replay $name" "exit $?: $(tail -n 3 <<<"$out" | tr '\n' ' ')"
	fi
done
[ $n -gt 0 ] || t_fail "fuzz targets" "none in tests/fuzz"

FUZZ_SECONDS=${FUZZ_SECONDS:-5} "$ECS_TOP/tests/fuzz/run-fuzz" || T_FAILED=$((T_FAILED + 1))
t_done
