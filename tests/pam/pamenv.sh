# tests/pam/pamenv.sh — the PAM module, the helper and the STS stand-in driven through libpam
# by tests/pamdrive, for suite 30 and bench-pam. Sourced after tests/lib/tap.sh and
# tests/lib/sts.sh (needs T_WORK, t_on_exit, B, ECS_TOP).
#
#   pamenv_setup STS_PORT USER_ERE   keys, STS stand-in, configuration, private PAM stacks
#   stack NAME [module args]         write the PAM service NAME (auth + session: the module)
#   drive USER [pamdrive args] OPS   pamdrive on service ${SERVICE:-$PAMENV_SERVICE}
#   mint USER [mint-response args]   a fresh signed Response (base64) on stdout
#   uid_of USER                      the uid the NSS module gives USER
#
# Users matching USER_ERE exist only in the NSS module (tests/nss.mk's test link, whose
# configuration path inside the build tree is where the configuration goes); pamdrive sees
# them through nss_wrapper, the helper gets their ids from the module.

NSS_SO=$B/tests/nss/libnss_ecs_saml.so.2
NSS_CONF=$B/tests/nss/ecs_saml.conf
HELPER=$B/ecs-saml-helper
DRIVE=$B/tests/pamdrive
SPOOL=/run/pam_ecs_saml
IDP=$T_WORK/idp
STATE=$T_WORK/state
PAMDIR=$T_WORK/pam
PAMENV_SERVICE=ecs30

# Under `make asan` pamdrive is instrumented: the ASan runtime must come first in LD_PRELOAD.
ASAN_RT=$(ldd "$DRIVE" 2>/dev/null | awk '/libasan/ {print $3}')
PRELOAD="${ASAN_RT:+$ASAN_RT }/usr/lib/x86_64-linux-gnu/libnss_wrapper.so"

with_nss() {
	env LD_PRELOAD="$PRELOAD" \
		NSS_WRAPPER_PASSWD="$T_WORK/passwd" NSS_WRAPPER_GROUP="$T_WORK/group" \
		NSS_WRAPPER_MODULE_SO_PATH="$NSS_SO" NSS_WRAPPER_MODULE_FN_PREFIX=ecs_saml "$@"
}

drive() {
	local user=$1
	shift
	with_nss "$DRIVE" -d "$PAMDIR" -s "${SERVICE:-$PAMENV_SERVICE}" -u "$user" -r 192.0.2.30 \
		"$@" 2>&1
}

uid_of() { with_nss id -u "$1"; }

mint() { "$ECS_TOP/tests/lib/mint-response" --keys "$IDP" --user "$@"; }

stack() {
	local name=$1
	shift
	cat >"$PAMDIR/$name" <<-STACK
		auth     required $B/pam_ecs_saml.so config=$NSS_CONF $*
		account  required pam_permit.so
		session  required $B/pam_ecs_saml.so config=$NSS_CONF $*
	STACK
}

pamenv_setup() {
	local sts_port=$1 user_re=$2 bin CONF_MODE=644
	local -a CONF_DEFAULTS=()
	for bin in "$B/pam_ecs_saml.so" "$HELPER" "$DRIVE" "$NSS_SO"; do
		[ -e "$bin" ] || { echo "$bin not built"; return 1; }
	done
	"$ECS_TOP/tests/lib/mint-response" --keys "$IDP" --make-keys || return 1
	chmod 755 "$IDP"
	sts_start "$sts_port" || return 1
	mkdir -p "$STATE" "$PAMDIR"
	chmod 700 "$STATE"
	cp /etc/passwd "$T_WORK/passwd"
	cp /etc/group "$T_WORK/group"
	t_claim_dir "$SPOOL"
	if [ -e "$NSS_CONF" ]; then
		mv "$NSS_CONF" "$T_WORK/nss-conf.saved" || return 1
		t_on_exit "mv -f '$T_WORK/nss-conf.saved' '$NSS_CONF'"
	else
		t_on_exit "rm -f '$NSS_CONF'"
	fi
	conf_write "$NSS_CONF" "# tests/pam/pamenv.sh" \
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
	stack "$PAMENV_SERVICE"
}
