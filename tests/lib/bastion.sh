# tests/lib/bastion.sh — a whole throwaway bastion on 127.0.0.1: test IdP keys, the TLS STS
# stand-in, the module's configuration, and sshd with the PAM and NSS modules under a
# private service name. Used by suites 50/51, the demo and the login bench. Sourced after
# tests/lib/tap.sh.
#
#   bastion_setup SSH_PORT STS_PORT SERVICE [NS_ITEM...]
#     NS_ITEMs go to ns_prepare (e.g. a sudo PAM service and sudoers for suite 51). Sets IDP_KEYS, CONF (the configuration file), STATE_DIR, HOMES, plus what sshd_start
#     and sts_start set. The PAM stack is the module alone, unless BASTION_STACK names a
#     whole stack file (with BASTION_STACK_PRE, lines go before the module's). Federated users are any name matching ^e2e[a-z0-9]{1,12}$ (or
#     BASTION_USER_RE), unknown to the system: the NSS module answers for them before their
#     first login.
#     BASTION_CONF_EXTRA (an array) holds more configuration lines, e.g. session_policy.
#   mint USER [mint-response options]   a fresh signed Response (base64) on stdout
#   aws_in_session                      the command line a session runs to call STS
#
# The NSS module and the helper read /etc/security/pam_ecs_saml.conf (the path compiled in;
# nothing else can tell the NSS module where to look). sshd_start shows CONF there, and the
# modules in the places glibc looks, only inside sshd's private mount namespace: nothing
# under /etc is written. The shared places are /run/pam_ecs_saml, the helper's ticket
# spool, and /dev/shm/pam_ecs_saml, the fallback runtime directory, removed at exit if this
# run created them (t_claim_dir).

. "$ECS_TOP/tests/lib/sshd.sh"
. "$ECS_TOP/tests/lib/sts.sh"

BASTION_USER_RE=${BASTION_USER_RE:-'^e2e[a-z0-9]{1,12}$'}

# bastion_conf FILE — the module's configuration for this bastion (a suite's own
# CONF_DEFAULTS and CONF_MODE do not apply).
bastion_conf() {
	local CONF_MODE=644
	local -a CONF_DEFAULTS=()
	conf_write "$1" "# written by tests/lib/bastion.sh for one run" \
		"idp_entity_id = https://idp.example.test/metadata" \
		"idp_cert = $IDP_KEYS/idp-rsa2048.crt.pem" \
		"region = us-east-1" \
		"sts_endpoint = $STS_URL" \
		"sts_ca_file = $STS_CA" \
		"sts_timeout = 10" \
		"duration_seconds = 3600" \
		"state_dir = $STATE_DIR" \
		"allowed_roles = arn:aws:iam::123456789012:role/Bastion*" \
		"nss_first_login = $BASTION_USER_RE" \
		"nss_home = $HOMES" \
		"nss_shell = /bin/bash" \
		${BASTION_CONF_EXTRA[@]+"${BASTION_CONF_EXTRA[@]}"}
}

bastion_setup() {
	local ssh_port=$1 sts_port=$2 service=$3
	shift 3
	IDP_KEYS=$T_WORK/idp
	STATE_DIR=$T_WORK/state
	HOMES=$T_WORK/home
	CONF=$T_WORK/pam_ecs_saml.conf
	"$ECS_TOP/tests/lib/mint-response" --keys "$IDP_KEYS" --make-keys || return 1
	chmod 755 "$IDP_KEYS"
	sts_start "$sts_port" || return 1
	mkdir -p "$STATE_DIR" "$HOMES"
	# The user map in it is read by the NSS module in every process, the users' too.
	chmod 755 "$STATE_DIR"
	# Every federated test user shares one writable home: awscli wants a HOME.
	chmod 1777 "$HOMES"
	bastion_conf "$CONF" || return 1
	"$B/ecs-saml-helper" users --config "$CONF" init || return 1
	t_claim_dir /run/pam_ecs_saml
	t_claim_dir /dev/shm/pam_ecs_saml	# the users' runtime directories (no pam_systemd)
	# BASTION_STACK: a whole PAM stack instead (suite 53: the shipped sshd.example).
	# BASTION_STACK_PRE: lines put before the module's (the login bench's password user).
	if [ -n "${BASTION_STACK:-}" ]; then
		cp "$BASTION_STACK" "$T_WORK/stack"
	else
		cat ${BASTION_STACK_PRE:-/dev/null} >"$T_WORK/stack"
		cat >>"$T_WORK/stack" <<-STACK
			auth     requisite $B/pam_ecs_saml.so
			account  required  pam_permit.so
			session  required  $B/pam_ecs_saml.so
		STACK
	fi
	sshd_start "$ssh_port" "$service" "$T_WORK/stack" nss "$B/libnss_ecs_saml.so.2" \
		conf "$CONF" "$@"
}

mint() {
	local user=$1
	shift
	"$ECS_TOP/tests/lib/mint-response" --keys "$IDP_KEYS" --user "$user" "$@"
}

# Inside a session: who does STS think we are, with the dropped credentials.
aws_in_session() {
	printf '%s' "AWS_CA_BUNDLE=$STS_CA AWS_EC2_METADATA_DISABLED=true AWS_PAGER= /usr/bin/aws --endpoint-url $STS_URL sts get-caller-identity --output text --query Arn"
}
