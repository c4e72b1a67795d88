#!/bin/bash
# Suite 07: every path of a deployed bastion agrees across the code (state_dir's default, the
# spool, the credential directories, the configuration path), README, the example
# configuration, the SELinux file contexts, the AppArmor profile, tmpfiles.d and what
# `make install` really installs (into a DESTDIR, PREFIX=/usr, as suite 08). No servers.
. "$(dirname "$0")/../lib/tap.sh"
stage=$T_WORK/stage
if ! make -s -C "$ECS_TOP" BUILD="$ECS_BUILD" DESTDIR="$stage" PREFIX=/usr install \
	>"$T_WORK/install.log" 2>&1; then
	t_fail "make install into a DESTDIR" "$(tail -n 5 "$T_WORK/install.log" | tr '\n' ' ')"
	t_done
fi
t_ok "make install into a DESTDIR"
# The Makefile's LIBEXECDIR when no PREFIX is given (what the SELinux file contexts and the
# profile's source must cover as well).
libexec=$(make -s -C "$ECS_TOP" -f Makefile -f - print-libexec <<<'print-libexec: ; @echo $(LIBEXECDIR)')
/usr/bin/python3 "$ECS_TOP/tests/deploy/paths_check.py" "$ECS_TOP" "$stage" "$libexec" ||
	T_FAILED=$((T_FAILED + 1))
t_done
