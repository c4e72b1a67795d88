#!/bin/bash
# make install into a DESTDIR: every artifact lands under PREFIX, and the installed module runs
# the helper from the installed path, not from the build tree.
. "$(dirname "$0")/../lib/tap.sh"
stage=$T_WORK/stage
make -s -C "$ECS_TOP" BUILD="$ECS_BUILD" DESTDIR="$stage" PREFIX=/usr \
	LIBEXECDIR=/usr/libexec/pam_ecs_saml install >"$T_WORK/install.log" 2>&1
t_eq "make install succeeds" "$?" "0"
for f in usr/libexec/pam_ecs_saml/ecs-saml-helper usr/bin/ecs-saml-ssh usr/bin/ecs-saml-exec \
	usr/share/doc/pam_ecs_saml/pam_ecs_saml.conf.example \
	usr/share/doc/pam_ecs_saml/ecs-exec-session-policy.json \
	usr/share/doc/pam_ecs_saml/sshd_config.d/50-pam_ecs_saml.conf \
	usr/share/doc/pam_ecs_saml/sudoers.d/ecs-operator \
	usr/lib/systemd/system/ecs-saml-gc.timer usr/lib/systemd/system/ecs-saml-helper.socket \
	usr/lib/systemd/system/ecs-saml-helper.service usr/share/man/man5/ecs-saml-usermap.5 \
	usr/share/man/man1/ecs-saml-ssh.1 usr/share/man/man5/pam_ecs_saml.conf.5 \
	usr/share/man/man8/pam_ecs_saml.8 usr/share/man/man8/ecs-saml-helper.8 \
	usr/share/man/man8/nss_ecs_saml.8 usr/share/man/man8/libnss_ecs_saml.so.2.8 \
	usr/share/man/man1/ecs-saml-exec.1; do
	t_check "installed: $f" test -f "$stage/$f"
done
# Every page of man/ is installed, and the NSS module's page is found under its library's name.
for page in "$ECS_TOP"/man/*.[1-8]; do
	name=$(basename "$page")
	t_check "installed: the page $name" cmp -s "$page" "$stage/usr/share/man/man${name##*.}/$name"
done
t_eq "man libnss_ecs_saml.so.2 shows nss_ecs_saml(8)" \
	"$(cd "$stage/usr/share/man" && man -l man8/libnss_ecs_saml.so.2.8 2>&1 | head -n 1 | tr -s ' ')" \
	"NSS_ECS_SAML(8) System Administration NSS_ECS_SAML(8)"
pam=$(find "$stage" -name pam_ecs_saml.so | head -n 1)
nss=$(find "$stage" -name libnss_ecs_saml.so.2 | head -n 1)
t_check "installed: the PAM module" test -f "$pam"
t_check "installed: the NSS module" test -f "$nss"
t_check "the installed module runs the installed helper" \
	grep -qa '/usr/libexec/pam_ecs_saml/ecs-saml-helper' "$pam"
if grep -qa "$ECS_TOP" "$pam"; then
	t_fail "the installed module names no build-tree path" "found $ECS_TOP"
else
	t_ok "the installed module names no build-tree path"
fi
t_eq "the admin link points at the helper" "$(readlink "$stage/usr/sbin/ecs-saml-helper")" \
	"/usr/libexec/pam_ecs_saml/ecs-saml-helper"
t_check "the timer's service runs the installed helper" \
	grep -q '^ExecStart=/usr/libexec/pam_ecs_saml/ecs-saml-helper gc$' \
	"$stage/usr/lib/systemd/system/ecs-saml-gc.service"
t_check "the helper server's service runs the installed helper" \
	grep -q '^ExecStart=/usr/libexec/pam_ecs_saml/ecs-saml-helper serve$' \
	"$stage/usr/lib/systemd/system/ecs-saml-helper.service"
t_eq "the helper server's socket is the one the module asks, root's only" \
	"$(grep -E '^(ListenStream|SocketMode|SocketUser)=' "$stage/usr/lib/systemd/system/ecs-saml-helper.socket" | tr '\n' ' ')" \
	"ListenStream=$(sed -n 's/^#define ECS_HELPER_SOCKET "\(.*\)"$/\1/p' "$ECS_TOP/libecs/ecs_helper_server.h") SocketMode=0600 SocketUser=root "
# The in-tree build has the sandbox's test hooks (helper/privsep_hook.h); the installed one not.
t_check "the in-tree helper has the test hooks" grep -qa ECS_TEST_PRIVSEP "$B/ecs-saml-helper"
if grep -qa ECS_TEST_PRIVSEP "$stage/usr/libexec/pam_ecs_saml/ecs-saml-helper"; then
	t_fail "the installed helper has no test hook" "it reads ECS_TEST_PRIVSEP"
else
	t_ok "the installed helper has no test hook"
fi
t_match "with DESTDIR, install creates no account and says so" "$(cat "$T_WORK/install.log")" \
	'DESTDIR is set: create the account _ecs-saml on the target'

# One version, from VERSION, in every installed program.
version=$(cat "$ECS_TOP/VERSION")
t_eq "the installed helper says its version" \
	"$("$stage/usr/libexec/pam_ecs_saml/ecs-saml-helper" --version)" "ecs-saml-helper $version"
t_eq "the installed client says its version" \
	"$("$stage/usr/bin/ecs-saml-ssh" --version)" "ecs-saml-ssh $version"
module=$(find "$stage" -name pam_ecs_saml.so | head -n 1)
t_check "the installed module carries the version its log records end with" \
	grep -qa "$version" "$module"
if grep -qa ECS_TEST_DOCTOR "$stage/usr/libexec/pam_ecs_saml/ecs-saml-helper"; then
	t_fail "the installed helper's doctor has no test hook" "it reads ECS_TEST_DOCTOR_*"
else
	t_ok "the installed helper's doctor has no test hook"
fi

# README's build dependencies are all among the packages tools/install-deps installs.
for p in $(sed -n 's/^  build-dep: //p' "$ECS_TOP/README"); do
	t_check "README's build dependency $p is installed by tools/install-deps" \
		grep -qw -- "$p" "$ECS_TOP/tools/install-deps"
done

# make uninstall with the same settings removes every file install put, and only those: a
# file of someone else's in a shared folder stays, and so does the state directory.
find "$stage" ! -type d | sort >"$T_WORK/installed.list"
mkdir -p "$stage/usr/bin" && echo other >"$stage/usr/bin/not-ours"
make -s -C "$ECS_TOP" BUILD="$ECS_BUILD" DESTDIR="$stage" PREFIX=/usr \
	LIBEXECDIR=/usr/libexec/pam_ecs_saml uninstall >"$T_WORK/uninstall.log" 2>&1
t_eq "make uninstall succeeds" "$?" "0"
left=$(find "$stage" ! -type d | sort)
t_eq "make uninstall leaves only the file that was not ours" "$left" "$stage/usr/bin/not-ours"
t_eq "make uninstall names each file it removed" \
	"$(grep -c '^removed .*[^/]$' "$T_WORK/uninstall.log")" "$(wc -l <"$T_WORK/installed.list")"
t_check "make uninstall keeps the state directory" test -d "$stage/var/lib/pam_ecs_saml"
for d in usr/libexec/pam_ecs_saml usr/share/doc/pam_ecs_saml; do
	t_check "make uninstall removes our folder $d" test ! -e "$stage/$d"
done
t_check "make uninstall leaves shared folders" test -d "$stage/usr/bin"
t_done
