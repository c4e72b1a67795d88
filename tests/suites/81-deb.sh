#!/bin/bash
# Suite 81: the Debian packages (`make deb`, debian/). They build, lintian finds nothing
# the overrides do not justify, and on a fresh root in a private namespace
# (tests/deploy/deb-root: this machine's / under an empty overlay, dpkg working on a
# copy-on-write copy of its package database) they install, add the ecs_saml source to
# nsswitch and the sandbox account and touch neither sshd's nor PAM's configuration; once an
# administrator has done README 4.5 and 4.6 with the packaged files, a federated user logs
# in through sshd with the installed module, helper and NSS module and the installed
# ecs-saml-ssh, against the STS stand-in. Then remove (nsswitch as before, conffiles kept),
# install again (the operator's configuration kept), purge: every file the packages or
# their scripts made is gone, nsswitch.conf is byte for byte what it was, and what remains
# is the operator's own files, dpkg's records and the account (Debian keeps system
# accounts). Nothing of the machine changes: the packages are never installed on it.
#
# Ports: sshd 23441, STS stand-in 23443.
. "$(dirname "$0")/../lib/tap.sh"
. "$ECS_TOP/tests/lib/sts.sh"

SSH_PORT=23441
STS_PORT=23443
U=debtest
D=$T_WORK/debroot
R=$D/root
version=$(cat "$ECS_TOP/VERSION")
mkdir -p "$D/out/debs"
chmod 755 "$D" "$D/out"

# --- build ------------------------------------------------------------------------------------
start=$SECONDS
if make -s -C "$ECS_TOP" BUILD="$ECS_BUILD" deb >"$T_WORK/deb.log" 2>&1; then
	t_ok "make deb builds the packages ($((SECONDS - start)) s)"
else
	t_fail "make deb builds the packages" "$(tail -n 8 "$T_WORK/deb.log" | tr '\n' ' ')"
	t_done
fi
debdir=$ECS_BUILD/deb
case $debdir in /*) ;; *) debdir=$ECS_TOP/$debdir ;; esac
arch=$(dpkg --print-architecture)
bastion=$debdir/pam-ecs-saml_${version}_$arch.deb
client=$debdir/ecs-saml-ssh_${version}_$arch.deb
for p in "$bastion" "$client"; do
	t_check "built: $(basename "$p") (the version is VERSION's)" test -f "$p"
	cp "$p" "$D/out/debs/"
done
t_eq "the client's package depends on libc and ssh only" \
	"$(dpkg-deb -f "$client" Depends)" "openssh-client, libc6 (>= 2.34)"
t_eq "... and suggests the browser --browser drives (README 4.1)" \
	"$(dpkg-deb -f "$client" Suggests)" "chromium"
# libcurl4, libxml2 and xmlsec by name: the helper loads them at run time (dlopen), which
# dpkg-shlibdeps cannot see
t_match "the bastion's dependencies: libcurl4, libxml2 and xmlsec by name, the rest from the libraries' shlibs" \
	"$(dpkg-deb -f "$bastion" Depends)" \
	'^adduser, libcurl4 \(>= 7\.85\.0\), libxml2 \(>= 2\.9\.0\), libxmlsec1 \(>= 1\.2\.31\), libxmlsec1-openssl \(>= 1\.2\.31\), libc6 \(>= [0-9.]+\), .*libpam0g \(>= '
t_eq "the configuration and the AppArmor profile are conffiles" \
	"$(dpkg-deb --ctrl-tarfile "$bastion" | tar -xOf - ./conffiles | sort | tr '\n' ' ')" \
	"/etc/apparmor.d/ecs-saml-helper /etc/security/pam_ecs_saml.conf "
contents=$(dpkg-deb -c "$bastion" | awk '{print $6}')
if grep -E '^\./etc/(pam\.d|ssh)/' <<<"$contents"; then
	t_fail "the package ships nothing into /etc/pam.d or /etc/ssh" "$(grep -E '^\./etc/(pam\.d|ssh)/' <<<"$contents" | tr '\n' ' ')"
else
	t_ok "the package ships nothing into /etc/pam.d or /etc/ssh"
fi
t_check "the sshd drop-in is an example under /usr/share/pam_ecs_saml" \
	grep -qx './usr/share/pam_ecs_saml/sshd_config.d/50-pam_ecs_saml.conf' <<<"$contents"
if dpkg-deb --ctrl-tarfile "$bastion" | tar -tf - | grep -q pam-configs ||
	grep -q 'usr/share/pam-configs' <<<"$contents"; then
	t_fail "no pam-auth-update profile" "the package ships one"
else
	t_ok "no pam-auth-update profile"
fi

# One version: a debian/changelog that does not say VERSION's stops make deb before it builds.
mkdir -p "$T_WORK/skew/tools" "$T_WORK/skew/debian"
cp "$ECS_TOP/tools/make-deb" "$T_WORK/skew/tools/"
cp "$ECS_TOP/debian/changelog" "$T_WORK/skew/debian/"
echo "$version.1" >"$T_WORK/skew/VERSION"
out=$("$T_WORK/skew/tools/make-deb" "$T_WORK/skew/out" 2>&1)
rc=$?
t_match "make deb refuses a debian/changelog that is not at VERSION, and says what to do (exit $rc)" \
	"$rc $out" "^1 make deb: debian/changelog's latest entry is $version, VERSION says $version\\.1: add a debian/changelog entry"
t_check "... and builds nothing" test ! -e "$T_WORK/skew/out/src"

# --- lintian ----------------------------------------------------------------------------------
start=$SECONDS
lintian --pedantic --display-info --tag-display-limit 0 "$bastion" "$client" >"$T_WORK/lintian.log" 2>&1
tags=$(grep -E '^[EWIPXC]: ' "$T_WORK/lintian.log")
t_eq "lintian --pedantic, info tags included: nothing but the justified overrides ($((SECONDS - start)) s)" "$tags" ""
# Each override is justified: a comment block stands above every group of override lines.
unjustified=$(awk '/^#/ { c = 1; next } /^[[:space:]]*$/ { c = 0; next } !c { print }' \
	"$ECS_TOP/debian/pam-ecs-saml.lintian-overrides")
t_eq "every lintian override has its reason above it" "$unjustified" ""

# --- the fresh root, and the STS stand-in -----------------------------------------------------
"$ECS_TOP/tests/lib/mint-response" --keys "$T_WORK/idp" --make-keys || t_fail "IdP keys"
sts_start "$STS_PORT" || { t_fail "STS stand-in"; t_done; }
cp "$T_WORK/idp/idp-rsa2048.crt.pem" "$D/out/idp-signing.crt.pem"
cp "$STS_CA" "$D/out/sts-ca.pem"
"$ECS_TOP/tests/deploy/deb-root" "$D" >"$T_WORK/deb-root.log" 2>&1 &
ROOT_PID=$!
t_on_exit "kill $ROOT_PID 2>/dev/null"
for ((i = 0; i < 600; i++)); do
	[ -e "$D/out/ready" ] && break
	kill -0 "$ROOT_PID" 2>/dev/null || break
	sleep 0.1
done
if [ ! -e "$D/out/ready" ]; then
	t_fail "the fresh root is set up" "$(tail -n 5 "$T_WORK/deb-root.log" | tr '\n' ' ')"
	t_done
fi
in_ns() { nsenter --mount --target "$ROOT_PID" "$@"; }
in_root() {
	in_ns chroot "$R" /usr/bin/env -i HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
		PATH=/tmp/shims:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
}
# What the root has written so far: every file, link and whiteout of the overlay's upper
# layer with its content's hash (directories apart: a directory is copied up as soon as
# anything in it changes; /var/log's files by size only: lastlog is a sparse file sized by
# the highest UID that logged in, and federated UIDs are high).
snapshot() {
	in_ns /bin/bash -c 'cd "$1" && find . ! -type d ! -path "./ecs-out/*" -printf "%y %m %U:%G %s %p\n" | sort &&
		find . -type f ! -path "./ecs-out/*" ! -path "./var/log/*" -exec md5sum {} + | sort -k 2' _ "$D/layer/upper"
}
snapshot >"$T_WORK/before.snap"
in_root cat /etc/nsswitch.conf >"$T_WORK/nsswitch.before"
in_root sh -c 'md5sum /etc/pam.d/* /etc/ssh/sshd_config /etc/ssh/sshd_config.d/* 2>/dev/null' \
	>"$T_WORK/pam-ssh.before"
if grep -qE '^(passwd|group):.*ecs_saml' "$T_WORK/nsswitch.before"; then
	t_fail "the fresh root has no ecs_saml source yet" "$(grep -E '^(passwd|group):' "$T_WORK/nsswitch.before" | tr '\n' ' ')"
else
	t_ok "the fresh root has no ecs_saml source yet"
fi

# --- install ----------------------------------------------------------------------------------
if in_root dpkg -i "/ecs-out/debs/$(basename "$bastion")" "/ecs-out/debs/$(basename "$client")" \
	</dev/null >"$T_WORK/install.log" 2>&1; then
	t_ok "dpkg -i installs both packages on the fresh root"
else
	t_fail "dpkg -i installs both packages on the fresh root" "$(tail -n 8 "$T_WORK/install.log" | tr '\n' ' ')"
	t_done
fi
# dpkg's two letters for a package; "un" also for one it no longer knows at all.
status() {
	local s
	s=$(in_root dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | tr -d ' ')
	echo "${s:-un}"
}
t_eq "pam-ecs-saml is installed" "$(status pam-ecs-saml)" ii
t_eq "ecs-saml-ssh is installed" "$(status ecs-saml-ssh)" ii
in_root dpkg -L pam-ecs-saml ecs-saml-ssh | sort -u >"$T_WORK/package.files"
t_eq "nsswitch: ecs_saml at the end of the passwd and group lines, nothing else changed" \
	"$(in_root cat /etc/nsswitch.conf | diff "$T_WORK/nsswitch.before" - | grep '^[<>]' | tr -s ' \t' ' ')" \
	"$(grep -E '^(passwd|group):' "$T_WORK/nsswitch.before" | tr -s ' \t' ' ' | sed 's/^/< /';
	   grep -E '^(passwd|group):' "$T_WORK/nsswitch.before" | tr -s ' \t' ' ' | sed 's/^/> /; s/$/ ecs_saml/')"
t_match "the sandbox account: a system account, no home, no shell" \
	"$(in_root getent passwd _ecs-saml)" '^_ecs-saml:x:[0-9]{1,3}:[0-9]+::/nonexistent:/usr/sbin/nologin$'
t_eq "the sandbox account has its own group" \
	"$(in_root id -gn _ecs-saml)" "_ecs-saml"
for dir in /var/lib/pam_ecs_saml /run/pam_ecs_saml /dev/shm/pam_ecs_saml; do
	t_eq "tmpfiles.d made $dir (root's, 0755)" "$(in_root stat -c '%F %U:%G %a' "$dir" 2>&1)" \
		"directory root:root 755"
done
t_match "the gc timer is enabled" \
	"$(in_root readlink /etc/systemd/system/timers.target.wants/ecs-saml-gc.timer)" \
	'/lib/systemd/system/ecs-saml-gc\.timer$'
t_match "the helper server's socket is enabled" \
	"$(in_root readlink /etc/systemd/system/sockets.target.wants/ecs-saml-helper.socket)" \
	'/lib/systemd/system/ecs-saml-helper\.socket$'
t_check "the helper's AppArmor profile was compiled for loading" \
	grep -qx 'apparmor_parser -r -T /etc/apparmor.d/ecs-saml-helper' "$D/out/shims.log"
t_eq "sshd's and PAM's configuration are untouched" \
	"$(in_root sh -c 'md5sum /etc/pam.d/* /etc/ssh/sshd_config /etc/ssh/sshd_config.d/* 2>/dev/null')" \
	"$(cat "$T_WORK/pam-ssh.before")"
t_eq "the installed helper says VERSION" \
	"$(in_root /usr/sbin/ecs-saml-helper --version)" "ecs-saml-helper $version"
t_eq "the installed client says VERSION" "$(in_root ecs-saml-ssh --version)" "ecs-saml-ssh $version"
t_check "the installed module runs the installed helper" \
	in_root grep -qa /usr/libexec/pam_ecs_saml/ecs-saml-helper /usr/lib/x86_64-linux-gnu/security/pam_ecs_saml.so
if in_root grep -qa ECS_TEST_PRIVSEP /usr/libexec/pam_ecs_saml/ecs-saml-helper; then
	t_fail "the packaged helper has no test hook" "it reads ECS_TEST_PRIVSEP"
else
	t_ok "the packaged helper has no test hook"
fi

# --- what the administrator does (README 4.2-4.7, with the packaged examples) -----------------
cat >"$D/out/site.conf" <<CONF
idp_entity_id = https://idp.example.test/metadata
idp_cert = /etc/security/pam_ecs_saml/idp-signing.crt.pem
region = eu-west-1
allowed_roles = arn:aws:iam::123456789012:role/BastionOperator
session_policy = /etc/security/pam_ecs_saml/ecs-exec-session-policy.json
ecs_clusters = prod-web
nss_first_login = ^[a-z][a-z0-9]*\$
sts_endpoint = $STS_URL
sts_ca_file = /etc/security/pam_ecs_saml/sts-ca.pem
CONF
if in_root /bin/sh -ec '
	D=/usr/share/pam_ecs_saml
	install -d -m 0755 /etc/security/pam_ecs_saml
	install -m 0644 /ecs-out/idp-signing.crt.pem /ecs-out/sts-ca.pem $D/ecs-exec-session-policy.json \
		/etc/security/pam_ecs_saml/
	cat /ecs-out/site.conf >/etc/security/pam_ecs_saml.conf
	install -m 0644 $D/sshd_config.d/50-pam_ecs_saml.conf /etc/ssh/sshd_config.d/
	install -m 0644 $D/sshd.example /etc/pam.d/sshd
	/usr/sbin/sshd -t
	ecs-saml-helper users init' >"$T_WORK/admin.log" 2>&1; then
	t_ok "the administrator's steps with the packaged files"
else
	t_fail "the administrator's steps with the packaged files" "$(tail -n 5 "$T_WORK/admin.log" | tr '\n' ' ')"
fi
in_root cat /etc/security/pam_ecs_saml.conf >"$T_WORK/conf.edited"

# --- a login through the installed packages ---------------------------------------------------
if (exec 3<>"/dev/tcp/127.0.0.1/$SSH_PORT") 2>/dev/null; then
	t_fail "port $SSH_PORT is free" "something listens there"
	t_done
fi
# (exec: SSHD_PID is sshd's own pid, not a subshell's)
(exec nsenter --mount --target "$ROOT_PID" chroot "$R" /usr/sbin/sshd -D -o "Port=$SSH_PORT" \
	-o ListenAddress=127.0.0.1 -o PidFile=none -E /ecs-out/sshd.log) &
SSHD_PID=$!
t_on_exit "kill $SSHD_PID 2>/dev/null"
for ((i = 0; i < 300; i++)); do
	(exec 3<>"/dev/tcp/127.0.0.1/$SSH_PORT") 2>/dev/null && break
	kill -0 "$SSHD_PID" 2>/dev/null || break
	sleep 0.1
done
echo "[127.0.0.1]:$SSH_PORT $(in_root cut -d' ' -f1,2 /etc/ssh/ssh_host_ed25519_key.pub)" >"$D/out/known_hosts"
"$ECS_TOP/tests/lib/mint-response" --keys "$T_WORK/idp" --user "$U" >"$D/out/login.b64"
chmod 0644 "$D/out/login.b64" "$D/out/known_hosts"
SESSION="echo NSS=\$(getent passwd $U); echo CREDS=\$AWS_SHARED_CREDENTIALS_FILE;
echo OWNER=\$(stat -c %U:%a \"\$AWS_SHARED_CREDENTIALS_FILE\");
echo ARN=\$(AWS_CA_BUNDLE=/etc/security/pam_ecs_saml/sts-ca.pem AWS_EC2_METADATA_DISABLED=true AWS_PAGER= \
	/usr/bin/aws --endpoint-url $STS_URL sts get-caller-identity --output text --query Arn);
echo EXEC=\$(ecs-saml-exec --version)"
out=$(in_root /usr/bin/ecs-saml-ssh --response /ecs-out/login.b64 -o StrictHostKeyChecking=yes \
	-o UserKnownHostsFile=/ecs-out/known_hosts -o GlobalKnownHostsFile=/dev/null -o LogLevel=INFO \
	-p "$SSH_PORT" "$U@127.0.0.1" "$SESSION" </dev/null 2>&1)
rc=$?
if [ $rc -eq 0 ] && [ -n "$(field CREDS "$out")" ]; then
	t_ok "a federated user logs in through the installed packages (module, helper, NSS, client)"
else
	t_fail "a federated user logs in through the installed packages (module, helper, NSS, client)" \
		"exit $rc: $(tail -n 5 <<<"$out" | tr '\n' ' ') / sshd: $(tail -n 5 "$D/out/sshd.log" | tr '\n' ' ')"
fi
t_match "the installed NSS module knows the federated user" \
	"$(field NSS "$out")" "^$U:x:[0-9]+:[0-9]+:.*:/home/$U:/bin/bash\$"
t_match "the session's credentials are the user's, 0600" "$(field OWNER "$out")" "^$U:600\$"
t_match "STS sees the user's role session" "$(field ARN "$out")" "assumed-role/BastionOperator/$U\$"
t_eq "the session has the installed ecs-saml-exec" "$(field EXEC "$out")" "ecs-saml-exec $version"
kill "$SSHD_PID" 2>/dev/null
wait "$SSHD_PID" 2>/dev/null

# --- remove: the programs go, nsswitch is as before, the configuration stays -------------------
if in_root dpkg -r pam-ecs-saml ecs-saml-ssh </dev/null >"$T_WORK/remove.log" 2>&1; then
	t_ok "dpkg -r removes both packages"
else
	t_fail "dpkg -r removes both packages" "$(tail -n 5 "$T_WORK/remove.log" | tr '\n' ' ')"
fi
t_eq "after remove, pam-ecs-saml keeps only its configuration" "$(status pam-ecs-saml)" rc
t_check "after remove, nsswitch.conf is byte for byte what it was" \
	cmp -s "$T_WORK/nsswitch.before" <(in_root cat /etc/nsswitch.conf)
t_check "after remove, the operator's configuration stays" \
	cmp -s "$T_WORK/conf.edited" <(in_root cat /etc/security/pam_ecs_saml.conf)
t_check "after remove, the AppArmor profile (a conffile) stays" in_root test -f /etc/apparmor.d/ecs-saml-helper
t_check "after remove, the user map stays" in_root test -f /var/lib/pam_ecs_saml/usermap
left=
for f in /usr/lib/x86_64-linux-gnu/security/pam_ecs_saml.so /usr/lib/x86_64-linux-gnu/libnss_ecs_saml.so.2 \
	/usr/libexec/pam_ecs_saml/ecs-saml-helper /usr/sbin/ecs-saml-helper /usr/bin/ecs-saml-ssh \
	/usr/bin/ecs-saml-exec /usr/share/pam_ecs_saml; do
	in_root test -e "$f" && left+=" $f"
done
t_eq "after remove, no program, module or example is left" "$left" ""
t_check "the AppArmor profile was unloaded on remove" \
	grep -qx 'apparmor_parser -R /etc/apparmor.d/ecs-saml-helper' "$D/out/shims.log"

# --- install again: the source comes back, the operator's configuration is kept ---------------
if in_root dpkg -i "/ecs-out/debs/$(basename "$bastion")" </dev/null >"$T_WORK/reinstall.log" 2>&1; then
	t_ok "dpkg -i installs pam-ecs-saml again over its kept configuration"
else
	t_fail "dpkg -i installs pam-ecs-saml again over its kept configuration" \
		"$(tail -n 5 "$T_WORK/reinstall.log" | tr '\n' ' ')"
fi
t_eq "installed again: ecs_saml is back on the passwd and group lines" \
	"$(in_root grep -cE '^(passwd|group):.* ecs_saml$' /etc/nsswitch.conf)" 2
t_check "installed again: the operator's configuration is kept, without a question" \
	cmp -s "$T_WORK/conf.edited" <(in_root cat /etc/security/pam_ecs_saml.conf)
# An administrator who takes the source out keeps it out across an upgrade.
in_root sed -i -E '/^(passwd|group):/ s/ ecs_saml$//' /etc/nsswitch.conf
in_root dpkg -i "/ecs-out/debs/$(basename "$bastion")" </dev/null >>"$T_WORK/reinstall.log" 2>&1
t_check "an upgrade leaves nsswitch.conf as the administrator has it" \
	cmp -s "$T_WORK/nsswitch.before" <(in_root cat /etc/nsswitch.conf)
in_root sed -i -E 's/^(passwd|group):.*/& ecs_saml/' /etc/nsswitch.conf

# --- purge: nothing of the packages is left ---------------------------------------------------
if in_root dpkg -P pam-ecs-saml </dev/null >"$T_WORK/purge.log" 2>&1 &&
	in_root dpkg -P ecs-saml-ssh </dev/null >>"$T_WORK/purge.log" 2>&1; then
	t_ok "dpkg -P purges both packages"
else
	t_fail "dpkg -P purges both packages" "$(tail -n 5 "$T_WORK/purge.log" | tr '\n' ' ')"
fi
t_eq "after purge, dpkg knows neither package" "$(status pam-ecs-saml)$(status ecs-saml-ssh)" "unun"
t_check "after purge, nsswitch.conf is byte for byte what it was" \
	cmp -s "$T_WORK/nsswitch.before" <(in_root cat /etc/nsswitch.conf)
# Every path the packages held is gone, save the folders the system had already.
left=
while read -r f; do
	[ "$f" = /. ] && continue
	if in_root test -e "$f" -o -L "$f"; then
		in_root test -d "$f" && [ -d "$f" ] && continue
		left+=" $f"
	fi
done <"$T_WORK/package.files"
t_eq "after purge, no path of either package is left (of $(wc -l <"$T_WORK/package.files"))" "$left" ""
left=
for f in /etc/security/pam_ecs_saml.conf /etc/apparmor.d/ecs-saml-helper /var/lib/pam_ecs_saml \
	/run/pam_ecs_saml /dev/shm/pam_ecs_saml /etc/systemd/system/timers.target.wants/ecs-saml-gc.timer \
	/etc/systemd/system/sockets.target.wants/ecs-saml-helper.socket; do
	in_root test -e "$f" && left+=" $f"
done
t_eq "after purge, the conffiles, state, spool, fallback directory, timer and socket links are gone" "$left" ""
# Everything else the root has written since before the install: only dpkg's own records and
# the caches its triggers refresh (ld.so, man-db), logs, the sandbox account, what the
# administrator put in place, and the user's home (pam_mkhomedir).
snapshot >"$T_WORK/after.snap"
changed=$(diff "$T_WORK/before.snap" "$T_WORK/after.snap" | sed -n 's/^[<>] //p' | awk '{print $NF}' | sort -u |
	grep -vE '^\./(var/lib/dpkg/|var/log/|var/cache/(debconf|ldconfig|man)/|etc/ld\.so\.cache$|etc/(passwd|group|shadow|gshadow)-?$|etc/\.pwd\.lock$)' |
	grep -vE '^\./(etc/security/pam_ecs_saml/|etc/ssh/sshd_config\.d/50-pam_ecs_saml\.conf$|etc/pam\.d/sshd$|home/'"$U"'/)')
t_eq "after purge, nothing else the packages made is left on the root" "$changed" ""
t_match "the sandbox account stays, as Debian keeps system accounts" "$(in_root getent passwd _ecs-saml)" '^_ecs-saml:'
t_done
