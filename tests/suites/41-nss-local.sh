#!/bin/bash
# Suite 41: the NSS module never speaks for a local account, through real glibc NSS.
#
# A host whose first-login rule (the README's example, ^[a-z][a-z0-9]{1,15}$) matches root,
# a local admin and every name useradd could pick: root, the local admin opsadm, the federated
# user fedy (in the map), a name nobody has yet, a name given to a local account with
# useradd, and a local account created later under a name of the map. For each: `id`,
# `getent initgroups`, getpwnam, the ecs-saml group's member list, as every program sees
# them and as the SSH daemon sees them (a process named sshd-*, the only one for which the
# first-login rule applies); they must agree.
#
# No ports. Everything runs in a private mount namespace (tests/lib/nsroot.sh, "etc": /etc
# is an overlay, so useradd can replace /etc/passwd) where nsswitch.conf says
# "files ecs_saml", the library directory holds the module and /etc/security its
# configuration; the real /etc is never written.
. "$(dirname "$0")/../lib/tap.sh"
. "$ECS_TOP/tests/lib/nsroot.sh"

NS=$T_WORK/ns
CONF=$T_WORK/pam_ecs_saml.conf
STATE=$T_WORK/state
GID=1879048192
RULE='^[a-z][a-z0-9]{1,15}$'
DRIVE=$B/tests/nss/usermap-drive
for f in "$B/libnss_ecs_saml.so.2" "$DRIVE" "$B/tests/nss/nss-query"; do
	[ -e "$f" ] || { t_fail "build" "missing $f (make check-bins)"; t_done; }
done
if readelf -d "$B/libnss_ecs_saml.so.2" | grep -q libasan; then
	# every process that resolves a name loads the module: the namespace's ld.so.preload
	# gives them the runtime (nsroot.sh); leak reports of id or getent are not ours
	export ASAN_OPTIONS=detect_leaks=0
fi

mkdir -m 755 "$STATE"
conf_write "$CONF" "state_dir = $STATE" "nss_first_login = $RULE" "nss_home = /home/%u"
"$B/ecs-saml-helper" users --config "$CONF" init || { t_fail "users init" "exit $?"; t_done; }
ns_prepare "$NS" nss "$B/libnss_ecs_saml.so.2" conf "$CONF" \
	user opsadm 1600 '!' etc || { t_fail "namespace" "ns_prepare failed"; t_done; }
# The views: as any program (ns), and as the SSH daemon (sshd_view: getent run under the
# name sshd-getent, which the module takes for sshd, as the kernel names a process after
# the file it executed).
ln -s /usr/bin/getent "$T_WORK/sshd-getent"
ns() { (ns_exec "$NS" "$@") 2>&1; }
sshd_view() { (ns_exec "$NS" "$T_WORK/sshd-getent" "$@") 2>&1; }
# groups NAME: the GIDs initgroups gives NAME, as getent prints them (none: empty)
groups_of() { ns getent initgroups "$1" | sed -E 's/^[^ ]+ *//'; }
members() { ns getent group ecs-saml | cut -d: -f4; }

t_eq "the namespace resolves through files, then ecs_saml" \
	"$(ns grep -E '^(passwd|group):' /etc/nsswitch.conf | tr -s ' ' | tr '\n' ' ')" \
	"passwd: files ecs_saml group: files ecs_saml "
t_check "the first-login rule matches root and opsadm (this suite tests something)" \
	sh -c "echo root; echo opsadm" | grep -cE "$RULE" | grep -qx 2
FED_UID=$(ns "$DRIVE" record "$CONF" fedy "Fed Y" && ns getent passwd fedy | cut -d: -f3)
t_match "fedy is recorded in the map, as a login does" "$FED_UID" '^[0-9]+$'

# --- root and a local admin whose name matches the rule --------------------------------------
t_eq "id root: no federated group" "$(ns id root)" "uid=0(root) gid=0(root) groups=0(root)"
t_eq "getent initgroups root: nothing from the module" "$(groups_of root)" ""
t_eq "id opsadm (local, name matches nss_first_login): its own groups only" "$(ns id opsadm)" \
	"uid=1600(opsadm) gid=1600(opsadm) groups=1600(opsadm)"
t_eq "getent initgroups opsadm: nothing from the module" "$(groups_of opsadm)" ""
t_eq "as sshd sees it: initgroups root and opsadm, nothing from the module" \
	"$(sshd_view initgroups root opsadm | tr -s ' \n' '  ')" "root opsadm "
t_eq "as sshd sees it: opsadm is the local account" "$(sshd_view passwd opsadm)" \
	"opsadm:x:1600:1600::/:/bin/sh"
# the module itself, called directly by a process named sshd-*, says NOTFOUND for them
ln -s "$B/tests/nss/nss-query" "$T_WORK/sshd-query"
for n in root opsadm; do
	t_match "module, inside sshd: getpwnam $n is NOTFOUND (files has it)" \
		"$(ns "$T_WORK/sshd-query" "$B/libnss_ecs_saml.so.2" pwnam "$n")" '^status=0 errno=2'
	t_match "module, inside sshd: initgroups $n is NOTFOUND" \
		"$(ns "$T_WORK/sshd-query" "$B/libnss_ecs_saml.so.2" initgroups "$n")" '^status=0 errno=2'
done

# --- a federated user --------------------------------------------------------------------------
t_eq "id fedy: the federated group, once, and no stray GID (4294967295)" "$(ns id fedy)" \
	"uid=$FED_UID(fedy) gid=$GID(ecs-saml) groups=$GID(ecs-saml)"
t_eq "getent initgroups fedy: the federated group" "$(groups_of fedy)" "$GID"
t_eq "the group's members: fedy only" "$(members)" "fedy"

# --- a name nobody has yet --------------------------------------------------------------------
out=$(ns getent passwd fednew)
t_eq "a first-login name is unknown to every program but sshd (getent exit 2)" "$?:$out" "2:"
t_eq "id fednew: no such user (no half-known user, no stray GID)" "$(ns id fednew)" \
	"id: ‘fednew’: no such user"
t_match "as sshd sees it: fednew resolves by the first-login rule" "$(sshd_view passwd fednew)" \
	"^fednew:x:[0-9]+:$GID::/home/fednew:/bin/bash\$"
t_eq "as sshd sees it: initgroups fednew is the federated group" \
	"$(sshd_view initgroups fednew | tr -s ' ')" "fednew $GID"

# --- useradd of a name the rule matches ---------------------------------------------------------
# -l: no lastlog/faillog records (those live in /var/log, outside the namespace's overlays)
out=$(ns useradd -l -M newlocal)
t_eq "useradd newlocal (matches nss_first_login) succeeds" "$?:$out" "0:"
NL=$(ns getent passwd newlocal)
t_match "newlocal is a local account (files)" "$(ns grep '^newlocal:' /etc/passwd)" "^newlocal:x:"
t_eq "id newlocal: its own group only" "$(ns id newlocal)" \
	"uid=$(cut -d: -f3 <<<"$NL")(newlocal) gid=$(cut -d: -f4 <<<"$NL")(newlocal) groups=$(cut -d: -f4 <<<"$NL")(newlocal)"
t_eq "as sshd sees it: newlocal is the local account" "$(sshd_view passwd newlocal)" "$NL"
t_eq "as sshd sees it: initgroups newlocal, nothing from the module" \
	"$(sshd_view initgroups newlocal | tr -s ' ')" "newlocal "
out=$(ns useradd -l -M fedy)
t_match "useradd of a federated user's name is refused: that account exists" "$?:$out" \
	"^9:useradd: user 'fedy' already exists"
# the README's way to give a recorded name to a local account
ns "$DRIVE" record "$CONF" fedw >/dev/null
ns "$B/ecs-saml-helper" users --config "$CONF" remove fedw >/dev/null
out=$(ns useradd -l -M fedw)
t_eq "after users remove, useradd of that name succeeds" "$?:$out" "0:"
t_match "and the name is the local account, not a member" "$(ns id fedw)" \
	'^uid=([0-9]+)\(fedw\) gid=([0-9]+)\(fedw\) groups=[0-9]+\(fedw\)$'

# --- a local account made later under a name of the map -----------------------------------------
ns "$DRIVE" record "$CONF" fedz >/dev/null
ns sh -c 'echo "fedz:x:1700:1700::/:/bin/sh" >>/etc/passwd; echo "fedz:x:1700:" >>/etc/group'
t_eq "a map name given to a local account: id shows the local account only" "$(ns id fedz)" \
	"uid=1700(fedz) gid=1700(fedz) groups=1700(fedz)"
t_eq "getent initgroups fedz: nothing from the module" "$(groups_of fedz)" ""
t_eq "the group's members leave the local fedz out" "$(members)" "fedy"
out=$(ns "$DRIVE" record "$CONF" fedz 2>&1)
t_match "and fedz's next federated login is refused, with the reason" "$out" \
	"the name fedz already belongs to an account with UID 1700"

# --- one answer: membership, getpwnam, the member list, initgroups ---------------------------
disagree=
for n in root opsadm fedy newlocal fedz fedw; do
	pw_gid=$(ns getent passwd "$n" | cut -d: -f4)
	by_pw=$([ "$pw_gid" = "$GID" ] && echo in || echo out)
	by_mem=$(tr ',' '\n' <<<"$(members)" | grep -qx "$n" && echo in || echo out)
	by_init=$(groups_of "$n" | tr ' ' '\n' | grep -qx "$GID" && echo in || echo out)
	by_id=$(ns id -G "$n" | tr ' ' '\n' | grep -qx "$GID" && echo in || echo out)
	[ "$by_pw$by_mem$by_init$by_id" = "inininin" ] || [ "$by_pw$by_mem$by_init$by_id" = "outoutoutout" ] ||
		disagree+=" $n(passwd:$by_pw members:$by_mem initgroups:$by_init id:$by_id)"
	[ "$n" = fedy ] && [ "$by_pw" != in ] && disagree+=" fedy-not-federated"
done
t_eq "getpwnam, the member list, initgroups and id agree for every account" "$disagree" ""

# --- a directory service listed after ecs_saml ------------------------------------------------
# "passwd: files ecs_saml ecsdir": ecsdir (tests/nss/nss_directory.c) stands in for sss or
# ldap behind the module and knows dirana, a name the first-login rule matches. Inside sshd
# the module must not answer for it with a first-login entry: every other source is asked,
# the ones after it too.
NS2=$T_WORK/ns-dir
ns_prepare "$NS2" nss "$B/libnss_ecs_saml.so.2" conf "$CONF" etc ||
	{ t_fail "namespace with a directory source" "ns_prepare failed"; t_done; }
install -m 755 "$B/tests/nss/libnss_ecsdir.so.2" "$NS2/lib/"
sed -i -E 's/^passwd:.*/passwd: files ecs_saml ecsdir/' "$NS2/etc/nsswitch.conf"
ns2() { (ns_exec "$NS2" "$@") 2>&1; }
DIRANA="dirana:x:5100:5100:directory stand-in:/home/dirana:/bin/sh"
t_eq "directory namespace: passwd is files, ecs_saml, then the directory" \
	"$(ns2 grep -E '^passwd:' /etc/nsswitch.conf | tr -s ' ')" "passwd: files ecs_saml ecsdir"
t_match "control: where no source knows dirana, the module inside sshd takes it for a first login" \
	"$(ns "$T_WORK/sshd-query" "$B/libnss_ecs_saml.so.2" pwnam dirana)" '^status=1 errno=0'
t_eq "every program sees the directory's dirana" "$(ns2 getent passwd dirana)" "$DIRANA"
t_eq "as sshd sees it: dirana is the directory's account, not a first-login entry" \
	"$(ns2 "$T_WORK/sshd-getent" passwd dirana)" "$DIRANA"
t_match "module, inside sshd: getpwnam dirana is NOTFOUND (a source after it has the name)" \
	"$(ns2 "$T_WORK/sshd-query" "$B/libnss_ecs_saml.so.2" pwnam dirana)" '^status=0 errno=2'
t_match "module, inside sshd: initgroups dirana is NOTFOUND" \
	"$(ns2 "$T_WORK/sshd-query" "$B/libnss_ecs_saml.so.2" initgroups dirana)" '^status=0 errno=2'
t_eq "as sshd sees it: dirana is not in the ecs-saml group" \
	"$(ns2 "$T_WORK/sshd-getent" initgroups dirana | tr ' ' '\n' | grep -cx "$GID")" 0
t_match "as sshd sees it there, a name no source knows is still a first login" \
	"$(ns2 "$T_WORK/sshd-getent" passwd fednew)" "^fednew:x:[0-9]+:$GID::/home/fednew:/bin/bash\$"

t_eq "the real /etc/passwd has none of these accounts" \
	"$(grep -cE '^(opsadm|newlocal|fedz):' /etc/passwd)" "0"
t_done
