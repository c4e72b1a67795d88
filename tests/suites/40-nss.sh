#!/bin/bash
# 40-nss — libnss_ecs_saml.so.2 and the user map, through glibc (getent -s), direct calls
# (nss-query tells NOTFOUND from UNAVAIL and shows ERANGE), a multi-threaded hammer against
# a map being rewritten, and a real sshd login of a user known only to this module.
#
# Port: 2240 (sshd). Nothing is written under /etc: the module under test is a second link
# whose config path is $B/tests/nss/ecs_saml.conf (tests/nss.mk); sshd runs in a private
# mount namespace (tests/lib/sshd.sh) that shows it that module. The map writer is
# usermap-drive: the helper's `users` verb code plus ecs_usermap_record, the function the
# auth path calls.
. "$(dirname "$0")/../lib/tap.sh"
. "$ECS_TOP/tests/lib/sshd.sh"

SO_REAL=$B/libnss_ecs_saml.so.2
NT=$B/tests/nss
SO=$NT/libnss_ecs_saml.so.2
CONF=$NT/ecs_saml.conf
DRIVE=$NT/usermap-drive
PY=/usr/bin/python3
STATE=$T_WORK/state
LIBDIR=$NS_LIBDIR
SSH_PORT=2240

for f in "$SO_REAL" "$SO" "$DRIVE" "$NT/nss-query" "$NT/nss-hammer" "$NT/pw-fail.so"; do
	[ -x "$f" ] || [ -f "$f" ] || { t_fail "build" "missing $f (make check-bins)"; t_done; }
done
t_on_exit "rm -f '$CONF'"

q() { "$NT/nss-query" "$SO" "$@"; }
ge() { LD_LIBRARY_PATH=$NT getent -s ecs_saml "$@"; }
# The first-login rule applies inside the SSH daemon only (a process named sshd or sshd-*,
# see nss_others.h): sq and sge are q and ge run under such a name, as the kernel names a
# process after the file it executed.
ln -s "$NT/nss-query" "$T_WORK/sshd-query"
ln -s "$(command -v getent)" "$T_WORK/sshd-getent"
sq() { "$T_WORK/sshd-query" "$SO" "$@"; }
sge() { LD_LIBRARY_PATH=$NT "$T_WORK/sshd-getent" -s ecs_saml "$@"; }
drive() { "$DRIVE" "$@"; }
users() { "$DRIVE" users --config "$CONF" "$@"; }
record() { "$DRIVE" record "$CONF" "$@"; }
# derive NAME [MIN MAX]: the v1 UID, computed independently of the C code
derive() {
	$PY -c 'import hashlib,sys
n,lo,hi=sys.argv[1],int(sys.argv[2]),int(sys.argv[3])
h=hashlib.sha256(b"ecs-saml-uid-v1\0"+n.encode()).digest()
print(lo+int.from_bytes(h[:8],"big")%(hi-lo+1))' "$1" "${2:-1879113728}" "${3:-2147352575}"
}
# conf_write "$CONF" [lines] (tests/lib/kv.sh) replaces the module's configuration by
# rename, as an admin's editor would; these defaults hold unless a line sets the key.
CONF_DEFAULTS=("state_dir = $STATE" "nss_first_login = dev-[a-z]+" "nss_home = $T_WORK/home/%u")
mkdir -m 755 "$STATE" "$T_WORK/home"
conf_write "$CONF"
# `make asan`: the module carries ASan/UBSan; every process that loads it (getent, the test
# programs, python's sshd client does not) needs the ASan runtime first.
ASAN_RT=
if readelf -d "$SO_REAL" | grep -q 'libasan'; then
	ASAN_RT=$(gcc -print-file-name=libasan.so)
	export LD_PRELOAD=$ASAN_RT ASAN_OPTIONS=detect_leaks=0
fi

# --- the shared object itself -------------------------------------------------------------
want=$(grep -oE '_nss_ecs_saml_[a-z_]+' "$ECS_TOP/nss_ecs_saml/nss_ecs_saml.map" | sort | tr '\n' ' ')
for so in "$SO_REAL" "$SO"; do
	got=$(nm -D --defined-only "$so" | awk '{print $3}' | sort | tr '\n' ' ')
	t_eq "exports of $(basename "$(dirname "$so")")/$(basename "$so") are exactly the version script's" "$got" "$want"
done
deps=$(readelf -d "$SO_REAL" | grep NEEDED | grep -oE '\[[^]]+\]' | grep -vE 'lib(a|ub)san' | tr '\n' ' ')
t_eq "module links libc only" "$deps" "[libc.so.6] "
t_match "module soname is libnss_ecs_saml.so.2" "$(readelf -d "$SO_REAL" | grep SONAME)" 'libnss_ecs_saml\.so\.2'

# --- no map yet: UNAVAIL, never a guess ---------------------------------------------------
t_match "no map: UNAVAIL (not NOTFOUND)" "$(q pwnam dev-anna)" '^status=-1 '
users init
t_check "users init creates the map" test -f "$STATE/usermap"
t_eq "map is root-owned 0644" "$(stat -c '%U %a' "$STATE/usermap")" "root 644"
t_match "empty map: unknown name is NOTFOUND" "$(q pwnam nobody-here)" '^status=0 errno=2'

# --- a map from before issuers were recorded ----------------------------------------------
# Written byte for byte as the previous format has it (no ISSUER field): it still loads, the
# module resolves it, and the next login records the IdP it came from.
L_UID=$(derive dev-legacy)
printf 'ecs-saml-usermap 1 1 0\ni %010d:dev-legacy:a\nu dev-legacy:%d:1879048192:Legacy:%s:/bin/bash:d:1700000000:1700000100\nend\n' \
	"$L_UID" "$L_UID" "$T_WORK/home/dev-legacy" >"$STATE/usermap"
t_eq "a map without issuers: getent passwd resolves its user" "$(ge passwd dev-legacy)" \
	"dev-legacy:x:$L_UID:1879048192:Legacy:$T_WORK/home/dev-legacy:/bin/bash"
t_eq "... by UID too" "$(ge passwd "$L_UID" | cut -d: -f1)" "dev-legacy"
t_match "... and users show says it has no issuer yet" "$(users show dev-legacy)" \
	'issuer: none \(the next login.s\)'
USERMAP_ISSUER=https://idp-a.example.test/metadata record dev-legacy
t_match "the next login records its IdP, encoded, as the last field" \
	"$(grep '^u dev-legacy:' "$STATE/usermap")" ':1700000000:[0-9]+:https%3A//idp-a\.example\.test/metadata$'
t_eq "... and the module still resolves the user" "$(ge passwd dev-legacy | cut -d: -f1,3)" \
	"dev-legacy:$L_UID"
out=$(USERMAP_ISSUER=https://idp-b.example.test/metadata record dev-legacy 2>&1)
t_match "the same name from another IdP is refused (exit 1), naming both" "$?:$out" \
	'^1:record: dev-legacy belongs to the IdP https://idp-a\.example\.test/metadata, this Response is from https://idp-b\.example\.test/metadata; an administrator can move the user: ecs-saml-helper users move-idp dev-legacy https://idp-b\.example\.test/metadata$'
rm "$STATE/usermap"
users init

# --- recording and lookups ---------------------------------------------------------------
A_UID=$(derive alice)
record alice "Alice Example"
t_eq "record alice: getent passwd by name" "$(ge passwd alice)" \
	"alice:x:$A_UID:1879048192:Alice Example:$T_WORK/home/alice:/bin/bash"
t_eq "getent passwd by UID" "$(ge passwd "$A_UID" | cut -d: -f1)" "alice"
record bob
record alice "Alice Q. Example"
t_eq "a second login updates GECOS, keeps the UID" "$(ge passwd alice | cut -d: -f3,5)" "$A_UID:Alice Q. Example"
t_eq "group by name lists the members" "$(ge group ecs-saml)" "ecs-saml:x:1879048192:alice,bob"
t_eq "group by GID" "$(ge group 1879048192 | cut -d: -f1)" "ecs-saml"
t_eq "passwd enumeration" "$(ge passwd | cut -d: -f1 | tr '\n' ' ')" "alice bob "
t_eq "group enumeration" "$(ge group | cut -d: -f1,4)" "ecs-saml:alice,bob"
walked=$(q pwent 4)
t_match "enumeration from a 4-byte buffer: ERANGE retries, no entry skipped" "$walked" \
	'^alice bob $'
t_match "enumeration ends with NOTFOUND after growing the buffer" "$walked" 'status=0 errno=[0-9]+ erange_retries=[1-9]'

t_match "initgroups_dyn adds the federated group" "$(q initgroups bob)" 'status=1 errno=0 groups=0,1879048192$'
t_match "unknown UID is NOTFOUND" "$(q pwuid 1879113729)" '^status=0 errno=2'
t_match "other group is NOTFOUND" "$(q grnam root)" '^status=0 errno=2'

# --- ERANGE with the caller's buffer ------------------------------------------------------
need=$(ge passwd alice | awk -F: '{print length($1)+1+2+length($5)+1+length($6)+1+length($7)+1}')
t_match "buffer one byte short: TRYAGAIN + ERANGE" "$(q pwnam alice $((need - 1)))" '^status=-2 errno=34'
t_match "buffer exactly big enough: SUCCESS" "$(q pwnam alice "$need")" '^status=1 '
t_match "group in a tiny buffer: TRYAGAIN + ERANGE" "$(q grgid 1879048192 16)" '^status=-2 errno=34'

# --- first login: the rule, anchored, with the derived UID --------------------------------
C_UID=$(derive dev-carol)
t_eq "first-login rule synthesizes dev-carol before any login, for sshd" "$(sge passwd dev-carol)" \
	"dev-carol:x:$C_UID:1879048192::$T_WORK/home/dev-carol:/bin/bash"
t_eq "sshd-session (OpenSSH 9.8+) is sshd too" \
	"$(ln -s "$NT/nss-query" "$T_WORK/sshd-session" && "$T_WORK/sshd-session" "$SO" pwnam dev-carol | head -n 1)" \
	"status=1 errno=0"
t_match "any other program: dev-carol does not exist before the first login" \
	"$(q pwnam dev-carol)" '^status=0 errno=2'
t_match "nor for a program whose name only begins with sshd" \
	"$(ln -s "$NT/nss-query" "$T_WORK/sshdx" && "$T_WORK/sshdx" "$SO" pwnam dev-carol)" '^status=0 errno=2'
t_match "initgroups outside sshd: dev-carol is nobody" "$(q initgroups dev-carol)" '^status=0 errno=2'
t_match "initgroups inside sshd: dev-carol has the federated group" "$(sq initgroups dev-carol)" \
	'^status=1 errno=0 groups=0,1879048192$'
t_match "rule is anchored: xdev-carol is unknown" "$(sq pwnam xdev-carol)" '^status=0 errno=2'
t_match "rule is anchored: dev-carol1 is unknown" "$(sq pwnam dev-carol1)" '^status=0 errno=2'
# glibc reads an unmatched ')' as a literal: wrapped as ^(ERE)$ in text this rule became
# ^(e2e[a-z]+)|(x))$, a prefix match for e2ebob_admin
conf_write "$CONF" 'nss_first_login = e2e[a-z]+)|(x)'
t_match "rule with a stray ')' still matches whole names only: e2ebob_admin is unknown" \
	"$(sq pwnam e2ebob_admin)" '^status=0 errno=2'
t_match "and so is e2ebob" "$(sq pwnam e2ebob)" '^status=0 errno=2'
conf_write "$CONF"
t_match "a synthesized user has no UID entry until recorded" "$(q pwuid "$C_UID")" '^status=0 errno=2'
record dev-carol
t_eq "recorded first-login user keeps the UID NSS showed" "$(ge passwd "$C_UID" | cut -d: -f1)" "dev-carol"

# --- hostile names: refused by NSS and by the writer --------------------------------------
long=dev-$(printf 'a%.0s' $(seq 300))
for n in 'dev-a;id' 'dev-$(id)' 'dev-a b' '../dev-a' 'dev-a/..' '..' "$long" 'Dev-anna' 'DEV-ANNA' \
	'dev-ánna' 'dev-аnna' $'dev-a\nroot' 'dev-a:0:0'; do
	shown=$(printf '%q' "$n" | cut -c1-40)
	t_match "NSS refuses name $shown" "$(sq pwnam "$n")" '^status=0 errno=2'
	if record "$n" 2>/dev/null; then
		t_fail "writer refuses name $shown" "recorded"
	else
		t_ok "writer refuses name $shown"
	fi
done
# --- the user-name policy (ecs_names.h), shared with the helper ---------------------------
# Dotted names are users as they come; capitals, all digits and a leading '-' never are,
# whatever nss_first_login admits; user_name_rule admits what a site wants within that.
# First-login synthesis happens inside sshd only: those lookups use sq and sge.
D_UID=$(derive juergen.mueller)
record juergen.mueller "Jürgen Müller"
t_eq "a dotted name is recorded and served: getent passwd juergen.mueller" \
	"$(ge passwd juergen.mueller)" \
	"juergen.mueller:x:$D_UID:1879048192:Jürgen Müller:$T_WORK/home/juergen.mueller:/bin/bash"
t_eq "getent passwd by the dotted user's UID" "$(ge passwd "$D_UID" | cut -d: -f1)" "juergen.mueller"
t_match "the dotted user is a member of the group" "$(ge group ecs-saml)" ',juergen\.mueller(,|$)'
t_match "initgroups of the dotted user" "$(q initgroups juergen.mueller)" 'status=1 errno=0 groups=0,1879048192$'
conf_write "$CONF" 'nss_first_login = [a-z]+\.[a-z]+'
t_eq "first login of a dotted name in sshd (nss_first_login [a-z]+\.[a-z]+)" "$(sge passwd anna.berg)" \
	"anna.berg:x:$(derive anna.berg):1879048192::$T_WORK/home/anna.berg:/bin/bash"
conf_write "$CONF" 'nss_first_login = .*'
for n in Anna.Berg 100042 -anna anna..berg .anna; do
	t_match "nss_first_login .* still never synthesizes $n (user-name policy)" "$(sq pwnam "$n")" \
		'^status=0 errno=2'
done
conf_write "$CONF" 'nss_first_login = .*' "user_name_lowercase = yes"
t_match "with user_name_lowercase, Anna.Berg is still no user (only anna.berg is)" \
	"$(sq pwnam Anna.Berg)" '^status=0 errno=2'
t_match "with user_name_lowercase, anna.berg is" "$(sq pwnam anna.berg)" '^status=1 '
conf_write "$CONF" 'nss_first_login = .*' 'user_name_rule = [A-Z][a-z]+\.[A-Z][a-z]+'
t_match "a user_name_rule admitting capitals: Anna.Berg is synthesized" "$(sq pwnam Anna.Berg)" \
	'^status=1 '
t_match "and a name outside the rule is not: anna.berg" "$(sq pwnam anna.berg)" '^status=0 errno=2'
t_match "and the hard rules still hold: Anna..Berg" "$(sq pwnam Anna..Berg)" '^status=0 errno=2'
conf_write "$CONF" 'user_name_rule = ([a-z]'
t_match "a user_name_rule that does not compile: UNAVAIL, never a guess" "$(q pwnam alice)" \
	'^status=-1 '
conf_write "$CONF"
t_match "users pin of a name with capitals is refused, naming the option" \
	"$(users pin Anna.Berg 1879150100 2>&1)" 'Anna.Berg is not a user name this host accepts: it has capital letters \(user_name_lowercase maps them\)'
t_match "users pin of an all-digit name is refused" "$(users pin 100042 1879150100 2>&1)" \
	'all digits'
conf_write "$CONF" 'user_name_rule = [a-z]+\.[a-z]+'
t_match "the writer applies user_name_rule too" "$(record bob 2>&1)" \
	'bob is not a user name this host accepts: it does not match user_name_rule'
conf_write "$CONF"
users remove juergen.mueller
if [ -x "$B/ecs-saml-helper" ]; then
	t_eq "ecs-saml-helper users list (the installed verb) agrees with the driver" \
		"$("$B/ecs-saml-helper" users --config "$CONF" list)" "$(users list)"
else
	t_fail "ecs-saml-helper users" "$B/ecs-saml-helper was not built"
fi
t_eq "map still holds only the recorded users" "$(users list | grep -v '^retired' | cut -d' ' -f1 | tr '\n' ' ')" "alice bob dev-carol "

# --- corrupt, truncated, huge, unsafe maps: UNAVAIL, no crash, recovery -------------------
cp -p "$STATE/usermap" "$T_WORK/good"
CQ="pwnam alice"	# the lookup corrupt() checks
corrupt() {	# corrupt NAME CMD...: damage the map with CMD, expect UNAVAIL, then restore
	local name=$1 out rc
	shift
	"$@"
	out=$(q $CQ 2>&1)
	rc=$?
	if [ $rc -eq 0 ] && grep -q '^status=-1 ' <<<"$out"; then t_ok "$name: UNAVAIL"; else t_fail "$name: UNAVAIL" "rc=$rc $out"; fi
	out=$(ge passwd "${CQ#* }")
	[ -z "$out" ] && t_ok "$name: getent answers nothing" || t_fail "$name: getent answers nothing" "$out"
	rm -f "$STATE/usermap"
	cp -p "$T_WORK/good" "$STATE/usermap"
}
corrupt "truncated map" truncate -s -7 "$STATE/usermap"
corrupt "map cut mid-line" truncate -s 60 "$STATE/usermap"
corrupt "empty map" truncate -s 0 "$STATE/usermap"
corrupt "garbage map" sh -c "head -c 4096 /dev/urandom >'$STATE/usermap'"
corrupt "user count wrong" sed -i '1s/ 3 / 4 /' "$STATE/usermap"
corrupt "huge map (80 MiB)" truncate -s 80M "$STATE/usermap"
corrupt "world-writable map" chmod 666 "$STATE/usermap"
corrupt "map owned by nobody" chown nobody "$STATE/usermap"
corrupt "map is a symlink" sh -c "mv '$STATE/usermap' '$T_WORK/real'; ln -s '$T_WORK/real' '$STATE/usermap'"
CQ="pwuid $A_UID"
corrupt "sections disagree" sed -i "s/^i $(printf %010d "$A_UID"):alice:a/i $(printf %010d "$A_UID"):bob:a/" "$STATE/usermap"
CQ="pwnam alice"
t_match "restored map answers again" "$(q pwnam alice)" '^status=1 '
corrupt "group-writable state dir" chmod 775 "$STATE"
chmod 755 "$STATE"
mv "$CONF" "$T_WORK/conf.away"
t_match "missing config: UNAVAIL" "$(q pwnam alice)" '^status=-1 '
mv "$T_WORK/conf.away" "$CONF"
echo 'nss_bogus_key = 1' >>"$CONF"
t_match "invalid config: UNAVAIL" "$(q pwnam alice)" '^status=-1 '
conf_write "$CONF"
t_match "fixed config answers again" "$(q pwnam alice)" '^status=1 '

# --- two bastions agree without talking ---------------------------------------------------
mkdir -m 755 "$T_WORK/b1" "$T_WORK/b2"
for b in b1 b2; do
	(CONF_DEFAULTS=() && conf_write "$T_WORK/$b.conf" "state_dir = $T_WORK/$b" "nss_home = /home/%u")
done
drive record "$T_WORK/b1.conf" bob	# a different history on bastion 1
drive record "$T_WORK/b1.conf" dev-erin
drive record "$T_WORK/b2.conf" dev-erin
u1=$(drive users --config "$T_WORK/b1.conf" show dev-erin | sed -n 's/^uid: //p')
u2=$(drive users --config "$T_WORK/b2.conf" show dev-erin | sed -n 's/^uid: //p')
t_eq "two bastions give dev-erin the same UID" "$u1" "$u2"
t_eq "and it is the documented v1 derivation" "$u1" "$(derive dev-erin)"
t_eq "NSS synthesized the same UID before the login" "$(sge passwd dev-erin | cut -d: -f3)" "$u1"

# --- collisions: map, tombstone, other NSS sources ----------------------------------------
# Two names with the same derived UID in a two-UID range, found by search.
read -r n1 n2 <<<"$($PY -c 'import hashlib
d=lambda n: 1668300000+int.from_bytes(hashlib.sha256(b"ecs-saml-uid-v1\0"+n.encode()).digest()[:8],"big")%2
a="dev-aa"; b=next("dev-"+c+c2 for c in "abcdefgh" for c2 in "bcdefgh" if d("dev-"+c+c2)==d(a) and c+c2!="aa")
print(a,b)')"
mkdir -m 755 "$T_WORK/tiny"
conf_write "$CONF" "state_dir = $T_WORK/tiny" "nss_uid_min = 1668300000" "nss_uid_max = 1668300001"
users init
t_match "before any login both collide-names resolve" "$(sq pwnam "$n2")" '^status=1 '
record "$n1"
out=$(record "$n2" 2>&1)
rc=$?
t_eq "second name with the same derived UID is refused (exit 1)" "$rc" "1"
t_match "refusal says why and how to fix it" "$out" "UID $(derive "$n1" 1668300000 1668300001) derived for $n2 is already held by $n1; an administrator can pin another: ecs-saml-helper users pin $n2 UID"
t_match "NSS no longer synthesizes the colliding name" "$(sq pwnam "$n2")" '^status=0 errno=2'
users pin "$n2" 1668300001 2>/dev/null
t_eq "pin gives the colliding user a free UID" "$(ge passwd "$n2" | cut -d: -f3)" "$(( $(derive "$n1" 1668300000 1668300001) == 1668300000 ? 1668300001 : 1668300000 ))"
conf_write "$CONF"

# nsswrap CMD...: run CMD with nss_wrapper serving $T_WORK/passwd as the local accounts
nsswrap() {
	LD_PRELOAD="${ASAN_RT:+$ASAN_RT }$LIBDIR/libnss_wrapper.so" NSS_WRAPPER_PASSWD=$T_WORK/passwd \
		NSS_WRAPPER_GROUP=/etc/group "$@"
}
# a local account (another NSS source) already holds the derived UID
F_UID=$(derive dev-frank)
cp /etc/passwd "$T_WORK/passwd"
echo "localfrank:x:$F_UID:100::/home/localfrank:/bin/sh" >>"$T_WORK/passwd"
out=$(LD_PRELOAD="${ASAN_RT:+$ASAN_RT }$LIBDIR/libnss_wrapper.so" NSS_WRAPPER_PASSWD=$T_WORK/passwd NSS_WRAPPER_GROUP=/etc/group \
	"$DRIVE" record "$CONF" dev-frank 2>&1)
rc=$?
t_eq "UID held by a local account: refused (exit 1)" "$rc" "1"
t_match "refusal names the local account" "$out" "UID $F_UID for dev-frank is already used by the account localfrank"
cp /etc/passwd "$T_WORK/passwd"
echo "dev-gil:x:4242:100::/home/dev-gil:/bin/sh" >>"$T_WORK/passwd"
out=$(LD_PRELOAD="${ASAN_RT:+$ASAN_RT }$LIBDIR/libnss_wrapper.so" NSS_WRAPPER_PASSWD=$T_WORK/passwd NSS_WRAPPER_GROUP=/etc/group \
	"$DRIVE" record "$CONF" dev-gil 2>&1)
t_match "name already local with another UID: refused" "$out" "the name dev-gil already belongs to an account with UID 4242"
# the check runs on every login: an account made later under a recorded name stops it
cp /etc/passwd "$T_WORK/passwd"
echo "bob:x:4343:100::/home/bob:/bin/sh" >>"$T_WORK/passwd"
out=$(nsswrap "$DRIVE" record "$CONF" bob 2>&1)
rc=$?
t_eq "recorded user bob, same name created locally later: next login refused (exit 1)" "$rc" "1"
t_match "and the refusal names the local UID" "$out" "the name bob already belongs to an account with UID 4343"
# an entry too big for the first buffer (ERANGE) is looked at again, not taken for "none"
K_UID=$(derive dev-kim)
cp /etc/passwd "$T_WORK/passwd"
echo "bigkim:x:$K_UID:100:$(printf 'G%.0s' $(seq 20000)):/home/bigkim:/bin/sh" >>"$T_WORK/passwd"
out=$(nsswrap "$DRIVE" record "$CONF" dev-kim 2>&1)
t_match "UID held by a local account with a 20 kB GECOS: refused" "$out" "UID $K_UID for dev-kim is already used by the account bigkim"
# a source that cannot be reached (getpw*_r fails): refused, for new and recorded users
out=$(LD_PRELOAD="${ASAN_RT:+$ASAN_RT }$NT/pw-fail.so" "$DRIVE" record "$CONF" dev-lin 2>&1)
rc=$?
t_match "account lookup failing (unreachable LDAP): first login refused" "$rc:$out" \
	"^[1-9][0-9]*:.*cannot check whether UID [0-9]+ for dev-lin is used by another account on this system: No route to host"
t_check "dev-lin is not in the map" test -z "$(users list | grep -w dev-lin)"
out=$(LD_PRELOAD="${ASAN_RT:+$ASAN_RT }$NT/pw-fail.so" "$DRIVE" record "$CONF" alice 2>&1)
t_match "account lookup failing: a recorded user's login is refused too" "$out" \
	"cannot check whether UID $A_UID for alice is used"

# --- pin, remove, tombstones --------------------------------------------------------------
users pin dev-hana 1879150000
t_eq "pin creates a user with the chosen UID" "$(ge passwd dev-hana | cut -d: -f3)" "1879150000"
t_match "show says pinned" "$(users show dev-hana)" 'origin: pinned'
t_match "pin to a UID held by alice is refused" "$(users pin dev-hana "$A_UID" 2>&1)" "already held by alice"
t_match "pin outside the range is refused" "$(users pin dev-hana 1000 2>&1)" "outside nss_uid_min"
users pin dev-hana 1879150001
t_match "re-pinning retires the old UID" "$(users list)" '^retired 1879150000 dev-hana$'
t_match "the old UID no longer resolves" "$(q pwuid 1879150000)" '^status=0 errno=2'
users remove alice
t_match "removed user is gone by name" "$(q pwnam alice)" '^status=0 errno=2'
t_match "removed user is gone by UID" "$(q pwuid "$A_UID")" '^status=0 errno=2'
t_match "remove keeps a tombstone" "$(users list)" "^retired $A_UID alice\$"
out=$(record alice 2>&1)
t_match "the retired UID is never handed out again" "$out" "UID $A_UID derived for alice is retired, it last belonged to alice"
t_match "pinning someone onto a retired UID is refused" "$(users pin dev-ivy "$A_UID" 2>&1)" 'retired'
users remove dev-carol
t_match "a first-login name whose UID is retired is not synthesized" "$(sq pwnam dev-carol)" '^status=0 errno=2'
t_match "remove of an unknown user fails" "$(users remove nobody-x 2>&1)" 'no user nobody-x'
t_eq "group members follow removals" "$(ge group ecs-saml | cut -d: -f4)" "bob,dev-hana"

# --- concurrency: threads hammer lookups while another process rewrites the map -----------
mkdir -m 755 "$T_WORK/big"
"$ECS_TOP/tests/nss/gen-usermap" 3000 "$T_WORK/big/usermap" >"$T_WORK/expected"
chmod 644 "$T_WORK/big/usermap"
conf_write "$CONF" "state_dir = $T_WORK/big"
t_eq "a map written from the man page (independent generator) is read" \
	"$(ge passwd fed00042 | cut -d: -f3)" "$(awk '$1=="fed00042"{print $2}' "$T_WORK/expected")"
# The map is replaced by rename: its inode changes. The first one is held open meanwhile, or
# the filesystem could hand its number to a later map and a rewrite would look like none.
exec {first_map}<"$T_WORK/big/usermap"
ino0=$(stat -c %i "$T_WORK/big/usermap")
# Forks mid-lookup check the module's fork handling. gcc 12's ASan runtime does not lock its
# allocator around fork, so a child of this multi-threaded process can deadlock inside ASan
# itself (seen: 1 in 200): under ASan the threads hammer without forks, and the fork checks
# run in the plain build's pass.
FORKS=200
if [ -n "$ASAN_RT" ]; then
	FORKS=0
	echo "# hammer under ASan: no forks (the ASan runtime is not fork-safe with threads)"
fi
"$NT/nss-hammer" "$SO" "$T_WORK/expected" 4 4 $FORKS >"$T_WORK/hammer.out" 2>&1 &
hpid=$!
t_on_exit "kill $hpid 2>/dev/null"
writes=0
while kill -0 $hpid 2>/dev/null; do
	record dev-zed "Zed $writes" && writes=$((writes + 1))
done
wait $hpid
hrc=$?
echo "# hammer: $(cat "$T_WORK/hammer.out") while the map was rewritten $writes times"
t_eq "hammer: no torn, wrong or unavailable answer, no child hung" "$hrc" "0"
t_match "hammer: many lookups, ERANGE retries, $FORKS forks mid-lookup answering" "$(cat "$T_WORK/hammer.out")" "lookups=[0-9]{4,} erange=[1-9][0-9]* forks=$FORKS bad=0"
t_check "the map was really rewritten during the hammer" test "$writes" -ge 5 -a "$(stat -c %i "$T_WORK/big/usermap")" != "$ino0"
exec {first_map}<&-
t_eq "users survive every rewrite" "$(users list | grep -c '^fed')" "3000"
conf_write "$CONF"

# --- a real sshd login of a user that exists only in this module --------------------------
# This is a test of NSS, not of authentication: the PAM stack is pam_permit for auth
# followed by pam_exec recording the user in the map (what the PAM module's auth does on
# success), and pam_mkhomedir in session. Name resolution is glibc's own: sshd runs through
# tests/lib/sshd.sh in a private mount namespace where /etc/nsswitch.conf says "files
# ecs_saml" and the library directory is an overlay holding the module under test, so sshd,
# and mkhomedir_helper (which pam_mkhomedir runs with an empty environment), resolve the
# user through this module. The real /etc and /usr are never modified.
cp /etc/nsswitch.conf "$T_WORK/nsswitch.before"
# auth: pam_permit, then record the user as the PAM module's auth step does on success
printf '#!/bin/sh\nexec %s record %s "$PAM_USER"\n' "$DRIVE" "$CONF" >"$T_WORK/record"
chmod 755 "$T_WORK/record"
cat >"$T_WORK/stack" <<STACK
auth     required pam_permit.so
auth     required pam_exec.so quiet $T_WORK/record
account  required pam_permit.so
session  required pam_mkhomedir.so skel=/etc/skel umask=0077
session  required pam_permit.so
STACK
if ! sshd_start "$SSH_PORT" sshd-ecs-nss "$T_WORK/stack" nss "$SO" >"$T_WORK/sshd-setup.log" 2>&1; then
	t_fail "sshd with the module under test" "$(tail -n 3 "$T_WORK/sshd-setup.log")"
	t_done
fi
L_UID=$(derive dev-lee)
t_check "dev-lee exists nowhere but in this module" test -z "$(getent passwd dev-lee)"
t_check "the real nsswitch.conf is untouched" cmp -s /etc/nsswitch.conf "$T_WORK/nsswitch.before"
# No prompt comes (pam_permit): the client answers none, and no Response is involved.
out=$($PY "$ECS_TOP/tests/lib/kbd_login.py" --port "$SSH_PORT" --user dev-lee --response /dev/null \
	--cmd "id -u; id -g; id -un; id -gn; pwd; stat -c '%u %a' ." 2>"$T_WORK/login.err" | paste -sd " ")
t_eq "first-login user logs in over real sshd with UID, GID, home from the module" "$out" \
	"$L_UID 1879048192 dev-lee ecs-saml $T_WORK/home/dev-lee $L_UID 700"
t_match "the login recorded dev-lee in the map" "$(users show dev-lee)" "uid: $L_UID"
t_match "sshd resolved the user (no invalid-user path)" "$(cat "$SSHD_LOG")" 'Accepted keyboard-interactive/pam for dev-lee'
t_done
