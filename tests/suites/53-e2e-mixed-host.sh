#!/bin/bash
# Suite 53: a mixed host. One real sshd configured as Debian 12 ships it (publickey and
# password for everyone, keyboard-interactive off) plus this project's files exactly as
# shipped: the drop-in pam.d/sshd_config.d/50-pam_ecs_saml.conf, pam.d/sshd.example as the
# PAM stack (only the module's path filled in), and the operator step-up drop-ins
# pam.d/sudo-ecs-operator.example and pam.d/sudoers.d/ecs-operator. The first-login rule is
# the README's example, so it matches root and every local name here.
#
# On that one daemon: the local admin opsadm logs in with a key and with a password and runs
# sudo with its own rule and /etc/pam.d/sudo, while the federated user fedana logs in with a
# SAML Response; each is offered only its own methods. Then, with the user map unreadable
# and STS gone, the break-glass account still logs in with its key and gets root by sudo.
#
# Ports: sshd 22530, STS stand-in 22570. sshd runs in a private mount namespace
# (tests/lib/nsroot.sh): the PAM files, sudoers drop-ins, the NSS module and
# passwd/group/shadow copies with the local accounts exist only there.
. "$(dirname "$0")/../lib/tap.sh"
. "$ECS_TOP/tests/lib/bastion.sh"

SSH_PORT=22530
STS_PORT=22570
GID=1879048192
PY=/usr/bin/python3
BASTION_USER_RE='^[a-z][a-z0-9]{1,15}$'
FED=fedana
ADMIN=opsadm
BREAK=breakglass

# Debian 12's /etc/ssh/sshd_config, comments dropped; its first line, "Include
# /etc/ssh/sshd_config.d/*.conf", is SSHD_CONFIG_TOP: the shipped drop-in.
cat >"$T_WORK/debian_sshd_config" <<'CONF'
KbdInteractiveAuthentication no
UsePAM yes
X11Forwarding yes
PrintMotd no
AcceptEnv LANG LC_*
Subsystem	sftp	/usr/lib/openssh/sftp-server
CONF
SSHD_HOST_CONFIG=$T_WORK/debian_sshd_config
SSHD_CONFIG_TOP="Include $ECS_TOP/pam.d/sshd_config.d/50-pam_ecs_saml.conf"

# The local accounts: a key each, a password each, homes of their own (sshd's StrictModes
# checks the path up to the home), sudo as the host already allows them.
declare -A PW
for u in "$ADMIN" "$BREAK"; do
	PW[$u]=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')
	mkdir -p "$T_WORK/local/$u/.ssh"
	ssh-keygen -q -t ed25519 -N '' -f "$T_WORK/local/$u.key"
	cp "$T_WORK/local/$u.key.pub" "$T_WORK/local/$u/.ssh/authorized_keys"
done
chmod 755 "$T_WORK/local"
chown -R 1600:1600 "$T_WORK/local/$ADMIN"
chown -R 1601:1601 "$T_WORK/local/$BREAK"
chmod 700 "$T_WORK/local/$ADMIN/.ssh" "$T_WORK/local/$BREAK/.ssh"
# the admin's rule is the host's own; the break-glass rule is the one README gives
echo "$ADMIN ALL=(ALL:ALL) ALL" >"$T_WORK/local-admins"
sed -n '/^a password kept in the safe, and a sudo rule of its own/,/^It depends/p' "$ECS_TOP/README" |
	sed -n 's/^    \(breakglass .*\)/\1/p' >"$T_WORK/breakglass-sudoers"
t_eq "README's break-glass sudo rule is found" "$(cat "$T_WORK/breakglass-sudoers")" \
	"$BREAK ALL=(ALL:ALL) ALL"
# a local user whose home does not exist: a login must not create it (mkhomedir is federated only)
NOHOME_PW=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')
sed "s|pam_ecs_saml\.so|$B/pam_ecs_saml.so|" "$ECS_TOP/pam.d/sshd.example" >"$T_WORK/sshd-stack"
sed "s|pam_ecs_saml\.so|$B/pam_ecs_saml.so|" "$ECS_TOP/pam.d/sudo-ecs-operator.example" \
	>"$T_WORK/sudo-stack"
BASTION_STACK=$T_WORK/sshd-stack
if ! visudo -cqf "$ECS_TOP/pam.d/sudoers.d/ecs-operator" ||
	! bastion_setup "$SSH_PORT" "$STS_PORT" sshd-ecs-mixed \
		user "$ADMIN" 1600 "$(openssl passwd -6 "${PW[$ADMIN]}")" home "$ADMIN" "$T_WORK/local/$ADMIN" \
		user "$BREAK" 1601 "$(openssl passwd -6 "${PW[$BREAK]}")" home "$BREAK" "$T_WORK/local/$BREAK" \
		group ecs-operator 1668399991 \
		pam sudo-ecs-operator "$T_WORK/sudo-stack" \
		sudoers ecs-operator "$ECS_TOP/pam.d/sudoers.d/ecs-operator" \
		sudoers local-admins "$T_WORK/local-admins" \
		sudoers breakglass "$T_WORK/breakglass-sudoers" \
		user svcuser 1602 "$(openssl passwd -6 "$NOHOME_PW")" home svcuser "$T_WORK/local/svcuser-home" \
		>"$T_WORK/setup.log" 2>&1; then
	t_fail "setup" "$(tail -n 5 "$T_WORK/setup.log")"
	t_done
fi
t_ok "mixed host up: sshd pid $SSHD_PID with Debian's sshd_config and the shipped files"

# --- the shipped PAM file: Debian's own stack, plus lines guarded by the ecs-saml group ------
# Debian 12's /etc/pam.d/sshd (openssh-server 1:9.2p1-2), comments dropped.
cat >"$T_WORK/debian-pam-sshd" <<'PAM'
@include common-auth
account required pam_nologin.so
@include common-account
session [success=ok ignore=ignore module_unknown=ignore default=bad] pam_selinux.so close
session required pam_loginuid.so
session optional pam_keyinit.so force revoke
@include common-session
session optional pam_motd.so motd=/run/motd.dynamic
session optional pam_motd.so noupdate
session optional pam_mail.so standard noenv
session required pam_limits.so
session required pam_env.so
session required pam_env.so user_readenv=1 envfile=/etc/default/locale
session [success=ok ignore=ignore module_unknown=ignore default=bad] pam_selinux.so open
@include common-password
PAM
# the federated lines: the group tests, and the one line each of them guards
unguarded=$(grep -v '^#' "$ECS_TOP/pam.d/sshd.example" | grep . | tr -s ' \t' '  ' |
	awk '/pam_succeed_if\.so quiet user (not)?ingroup ecs-saml/ { if ($0 ~ /(default|success)=1/) skip = 1; next }
	     skip { skip = 0; next } { print }')
t_eq "sshd.example without its federated lines is Debian's stock /etc/pam.d/sshd" \
	"$unguarded" "$(cat "$T_WORK/debian-pam-sshd")"
t_eq "sshd.example: every line that names pam_ecs_saml or pam_mkhomedir is guarded by the group" \
	"$(grep -v '^#' "$ECS_TOP/pam.d/sshd.example" | grep -B1 -E 'pam_ecs_saml|pam_mkhomedir' |
		grep -cE 'pam_succeed_if\.so quiet user (not)?ingroup ecs-saml')" "3"

# --- the shipped drop-in: nothing about authentication outside Match Group ecs-saml ---------
DROPIN=$ECS_TOP/pam.d/sshd_config.d/50-pam_ecs_saml.conf
global_kw=$(sed -n '/^Match /q; /^[A-Za-z]/p' "$DROPIN" | awk '{print $1}' | tr '\n' ' ')
t_eq "drop-in: outside Match, only UsePAM, LoginGraceTime and the per-source pre-auth limits" \
	"$global_kw" "UsePAM LoginGraceTime PerSourceMaxStartups PerSourceNetBlockSize "
# each of them must be one sshd refuses inside Match: anything else belongs in the block
in_match=
for kw in $global_kw; do
	{ echo "HostKey $SSHD_DIR/hostkey"; echo "Match Group ecs-saml"; grep "^$kw " "$DROPIN"; } \
		>"$T_WORK/in-match.conf"
	/usr/sbin/sshd -t -f "$T_WORK/in-match.conf" 2>&1 | grep -q "Directive '$kw' is not allowed within a Match block" ||
		in_match+=" $kw"
done
t_eq "drop-in: every keyword outside Match is one sshd refuses inside Match" "${in_match:-none}" none
t_eq "drop-in: one Match block, for the group ecs-saml" "$(grep '^Match' "$DROPIN")" \
	"Match Group ecs-saml"

# effective settings, as sshd -T computes them for each kind of account
eff() {	# eff USER: the authentication keywords sshd applies to USER, sorted, on one line
	# shellcheck disable=SC2046
	(ns_exec "$SSHD_DIR/ns" env $(asan_env) /usr/sbin/sshd -T -f "$SSHD_DIR/sshd_config" \
		-C "user=$1,host=localhost,addr=127.0.0.1") 2>&1 |
		grep -E '^(authenticationmethods|kbdinteractiveauthentication|passwordauthentication|pubkeyauthentication|permitrootlogin|allowtcpforwarding) ' |
		sort | tr '\n' ' '
}
# the per-source pre-auth limits are global: sshd -T on the host's configuration (Debian's,
# with the drop-in included first) shows them whoever connects
# shellcheck disable=SC2046
t_eq "sshd -T: the drop-in's per-source pre-auth limits are in force" \
	"$( (ns_exec "$SSHD_DIR/ns" env $(asan_env) /usr/sbin/sshd -T -f "$SSHD_DIR/sshd_config") 2>&1 |
		grep -E '^persource(maxstartups|netblocksize) ' | sort | tr '\n' ' ')" \
	"persourcemaxstartups 4 persourcenetblocksize 32:64 "
host_eff=$(eff "$ADMIN")
t_eq "sshd -T: the local admin keeps Debian's settings (keys, password, no kbd-interactive)" \
	"$host_eff" "allowtcpforwarding yes authenticationmethods any kbdinteractiveauthentication no passwordauthentication yes permitrootlogin without-password pubkeyauthentication yes "
t_eq "sshd -T: so do root and the break-glass account" "$(eff root)|$(eff "$BREAK")" "$host_eff|$host_eff"
t_eq "sshd -T: a federated user (first login) gets keyboard-interactive only, no forwarding" \
	"$(eff "$FED")" "allowtcpforwarding no authenticationmethods keyboard-interactive kbdinteractiveauthentication yes passwordauthentication no permitrootlogin without-password pubkeyauthentication no "

# what the daemon offers each user: paramiko's "none" authentication gets the method list
offered() {
	$PY - "$SSH_PORT" "$1" <<'EOF' 2>&1
import sys, paramiko
t = paramiko.Transport(("127.0.0.1", int(sys.argv[1])))
t.connect()
try:
    t.auth_none(sys.argv[2])
    print("none accepted")
except paramiko.BadAuthenticationType as e:
    print(",".join(sorted(e.allowed_types)))
t.close()
EOF
}
t_eq "offered to the local admin: publickey,password (no SAML prompt)" "$(offered "$ADMIN")" "password,publickey"
t_eq "offered to root: publickey,password" "$(offered root)" "password,publickey"
t_eq "offered to a federated user: keyboard-interactive only" "$(offered "$FED")" "keyboard-interactive"

# --- the local admin and the federated user, on the same daemon at the same time ----------
# The admin's session waits for the federated session to have run.
RV=$HOMES/rendezvous-$$
key_login() {	# key_login USER CMD: stock ssh, the user's key only
	# shellcheck disable=SC2046
	ssh $(ssh_opts) -o BatchMode=yes -o IdentitiesOnly=yes -o PreferredAuthentications=publickey \
		-i "$T_WORK/local/$1.key" -p "$SSH_PORT" "$1@127.0.0.1" "$2" 2>&1
}
ADMIN_CMD="id; echo AWS_VARS=\$(env | grep -c '^AWS_');
echo SUDO=\$(echo '${PW[$ADMIN]}' | sudo -S -k -p '[sudo-prompt]' id -u 2>&1);
for i in \$(seq 300); do [ -e $RV ] && break; sleep 0.1; done; [ -e $RV ] && echo FED_SEEN=yes"
key_login "$ADMIN" "$ADMIN_CMD" >"$T_WORK/admin.out" &
admin=$!
mint "$FED" >"$T_WORK/fed.b64" && chmod 644 "$T_WORK/fed.b64"
# shellcheck disable=SC2046
fed_out=$("$B/ecs-saml-ssh" --response "$T_WORK/fed.b64" $(ssh_opts) -p "$SSH_PORT" "$FED@127.0.0.1" \
	"id; echo ARN=\$($(aws_in_session)); touch $RV" 2>&1)
wait "$admin"
admin_rc=$?
admin_out=$(cat "$T_WORK/admin.out")
t_eq "local admin: key login succeeds (exit 0)" "$admin_rc" 0
t_match "local admin: its own account and groups, no ecs-saml" "$admin_out" \
	"^uid=1600\\($ADMIN\\) gid=1600\\($ADMIN\\) groups=1600\\($ADMIN\\)\$"
t_eq "local admin: no AWS credentials in its session" "$(field AWS_VARS "$admin_out")" 0
# The password prompt, then root: the operator stack would have asked for a SAML Response.
t_eq "local admin: sudo asks its password (/etc/pam.d/sudo) and gives root, as before" \
	"$(field SUDO "$admin_out")" "[sudo-prompt]0"
t_match "the federated login happened while the admin was logged in" "$admin_out" '^FED_SEEN=yes$'
t_match "federated user: SAML login on the same daemon, STS sees the role session" \
	"$(field ARN "$fed_out")" "assumed-role/BastionOperator/$FED\$"
t_match "federated user: the ecs-saml group, once, and no stray GID" "$fed_out" \
	"^uid=[0-9]+\\($FED\\) gid=$GID\\(ecs-saml\\) groups=$GID\\(ecs-saml\\)\$"
t_match "sshd log: publickey for the admin" "$(cat "$SSHD_LOG")" "Accepted publickey for $ADMIN from"
t_match "sshd log: keyboard-interactive/pam for the federated user" "$(cat "$SSHD_LOG")" \
	"Accepted keyboard-interactive/pam for $FED from"

# --- passwords: the host's own rule for local accounts, never for federated users ----------
pw_login() {	# pw_login USER PASSWORD: paramiko, password authentication only
	$PY - "$SSH_PORT" "$1" "$2" <<'EOF' 2>&1
import sys, paramiko
t = paramiko.Transport(("127.0.0.1", int(sys.argv[1])))
t.connect()
try:
    t.auth_password(sys.argv[2], sys.argv[3])
    ch = t.open_session()
    ch.exec_command("id -un")
    print("logged in as " + ch.makefile().read().decode().strip())
except paramiko.BadAuthenticationType as e:
    print("refused, methods " + ",".join(sorted(e.allowed_types)))
except paramiko.AuthenticationException as e:
    print("refused: " + str(e))
t.close()
EOF
}
t_eq "local admin: password login, as Debian allows it" "$(pw_login "$ADMIN" "${PW[$ADMIN]}")" \
	"logged in as $ADMIN"
t_match "local admin: a wrong password is refused" "$(pw_login "$ADMIN" wrong-password)" '^refused'
t_eq "federated user: no password login at all" "$(pw_login "$FED" anything)" \
	"refused, methods keyboard-interactive"
t_eq "a local user without a home logs in by password" "$(pw_login svcuser "$NOHOME_PW")" \
	"logged in as svcuser"
t_check "and no home was made for it (pam_mkhomedir is for federated users only)" \
	test ! -e "$T_WORK/local/svcuser-home"

# --- break-glass: the IdP path broken, the local account still gets in --------------------
cp -p "$STATE_DIR/usermap" "$T_WORK/usermap.good"
head -c 512 /dev/urandom >"$STATE_DIR/usermap.bad"
chmod 644 "$STATE_DIR/usermap.bad"
mv -f "$STATE_DIR/usermap.bad" "$STATE_DIR/usermap"
kill "$STS_PID" 2>/dev/null
out=$(key_login "$BREAK" "id -un; echo '${PW[$BREAK]}' | sudo -S -k -p '' id -u")
t_eq "break-glass: user map unreadable, STS gone: key login and sudo to root still work" \
	"$(tr -d '\r' <<<"$out" | tr '\n' ' ')" "$BREAK 0 "
t_eq "meanwhile the local admin still logs in by password" "$(pw_login "$ADMIN" "${PW[$ADMIN]}")" \
	"logged in as $ADMIN"
mint "$FED" >"$T_WORK/fed2.b64" && chmod 644 "$T_WORK/fed2.b64"
# shellcheck disable=SC2046
out=$("$B/ecs-saml-ssh" --response "$T_WORK/fed2.b64" $(ssh_opts) -p "$SSH_PORT" "$FED@127.0.0.1" true 2>&1)
t_check "meanwhile the federated user cannot log in (nothing vouches for it)" test $? -ne 0
cp -p "$T_WORK/usermap.good" "$STATE_DIR/usermap.new" && mv -f "$STATE_DIR/usermap.new" "$STATE_DIR/usermap"
t_done
