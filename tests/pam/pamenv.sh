# tests/pam/pamenv.sh — the PAM module, the helper and the STS stand-in driven through libpam
# by tests/pamdrive, for suite 30 and bench-pam. Sourced after tests/lib/tap.sh and
# tests/lib/sts.sh (needs T_WORK, t_on_exit, B, ECS_TOP).
#
#   pamenv_setup STS_PORT USER_ERE   keys, STS stand-in, configuration, private PAM stacks,
#                                    the private namespace's files
#   stack NAME [module args]         write the PAM service NAME (auth + session: the module)
#   in_ns CMD [ARGS...]              run CMD (as root) in the private namespace
#   drive USER [pamdrive args] OPS   pamdrive on service ${SERVICE:-$PAMENV_SERVICE}, in it
#   mint USER [mint-response args]   a fresh signed Response (base64) on stdout
#   uid_of USER                      the uid the NSS module gives USER
#
# Everything that runs the module runs in a private mount namespace (tests/lib/nsroot.sh),
# as suites 50/51 run sshd and sudo: there /etc/security/pam_ecs_saml.conf is this run's
# configuration (the path compiled into the module, the helper and the NSS module) and
# nsswitch.conf says "passwd/group: files ecs_saml" with the NSS module of the build. So
# the application, the helper it runs with an empty environment, and the NSS module see
# the same file and the same users, as on a bastion; nothing under /etc is written. Users
# matching USER_ERE exist only in the NSS module. PAM stacks come from a private directory
# (pamdrive -d), never /etc/pam.d.

. "$ECS_TOP/tests/lib/nsroot.sh"

HELPER=$B/ecs-saml-helper
DRIVE=$B/tests/pamdrive
SPOOL=/run/pam_ecs_saml
FALLBACK=/dev/shm/pam_ecs_saml	# the users' runtime directories without /run/user/UID
IDP=$T_WORK/idp
STATE=$T_WORK/state
PAMDIR=$T_WORK/pam
NSDIR=$T_WORK/ns
CONF=$T_WORK/pam_ecs_saml.conf
PAMENV_SERVICE=ecs30

# Under `make asan` pamdrive is instrumented: nsroot.sh preloads the ASan runtime in the
# namespace (the NSS module of that build needs it in every process there).
ASAN_RT=$(asan_runtime "$DRIVE")

in_ns() { (ns_exec "$NSDIR" "$@"); }

drive() {
	local user=$1
	shift
	in_ns "$DRIVE" -d "$PAMDIR" -s "${SERVICE:-$PAMENV_SERVICE}" -u "$user" -r 192.0.2.30 \
		"$@" 2>&1
}

uid_of() { in_ns id -u "$1"; }

mint() { "$ECS_TOP/tests/lib/mint-response" --keys "$IDP" --user "$@"; }

stack() {
	local name=$1
	shift
	cat >"$PAMDIR/$name" <<-STACK
		auth     required $B/pam_ecs_saml.so $*
		account  required pam_permit.so
		session  required $B/pam_ecs_saml.so $*
	STACK
}

pamenv_setup() {
	local sts_port=$1 user_re=$2 bin CONF_MODE=644
	local -a CONF_DEFAULTS=()
	for bin in "$B/pam_ecs_saml.so" "$HELPER" "$DRIVE" "$B/libnss_ecs_saml.so.2"; do
		[ -e "$bin" ] || { echo "$bin not built"; return 1; }
	done
	"$ECS_TOP/tests/lib/mint-response" --keys "$IDP" --make-keys || return 1
	chmod 755 "$IDP"
	sts_start "$sts_port" || return 1
	mkdir -p "$STATE" "$PAMDIR"
	# the user map in it is read by the NSS module in every process of the namespace
	chmod 755 "$STATE"
	t_claim_dir "$SPOOL"
	t_claim_dir "$FALLBACK"
	conf_write "$CONF" "# tests/pam/pamenv.sh" \
		"idp_entity_id = https://idp.example.test/metadata" \
		"idp_cert = $IDP/idp-rsa2048.crt.pem" \
		"region = eu-west-3" \
		"sts_endpoint = $STS_URL" \
		"sts_ca_file = $STS_CA" \
		"sts_timeout = 10" \
		"state_dir = $STATE" \
		"allowed_roles = arn:aws:iam::123456789012:role/Bastion*" \
		"nss_first_login = $user_re" \
		"nss_home = /nonexistent" || return 1
	ns_prepare "$NSDIR" nss "$B/libnss_ecs_saml.so.2" conf "$CONF" || return 1
	# as on a bastion: without a map the NSS module answers UNAVAIL, and the helper
	# cannot tell whether a derived UID is free
	in_ns "$HELPER" users init || return 1
	stack "$PAMENV_SERVICE"
}
