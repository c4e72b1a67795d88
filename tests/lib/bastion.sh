# tests/lib/bastion.sh — a whole throwaway bastion on 127.0.0.1: test IdP keys, the TLS STS
# stand-in, the module's configuration, a private PAM service and sshd with the NSS module.
# Used by suites 50/51, the demo and the login bench. Sourced after tests/lib/tap.sh.
#
#   bastion_setup SSH_PORT STS_PORT SERVICE
#     Sets IDP_KEYS, CONF (the configuration file), STATE_DIR, HOMES, plus what sshd_start
#     and sts_start set. Federated users are any name matching ^e2e[a-z0-9]{1,12}$, unknown
#     to /etc/passwd: the NSS module answers for them before their first login.
#   mint USER [mint-response options]   a fresh signed Response (base64) on stdout
#   aws_in_session                      the command line a session runs to call STS
#
# The NSS module reads its configuration from the path compiled into it (ECS_CONF_PATH,
# default /etc/security/pam_ecs_saml.conf); nothing else can tell it where to look. So the
# configuration is installed there for the run: a file already present is moved aside and
# put back at exit, and a file we created is removed. Everything else lives in T_WORK.

. "$ECS_TOP/tests/lib/sshd.sh"
. "$ECS_TOP/tests/lib/sts.sh"

ECS_CONF_PATH=${ECS_CONF_PATH:-/etc/security/pam_ecs_saml.conf}
E2E_USER_RE='^e2e[a-z0-9]{1,12}$'

# Install file $1 at the module's configuration path for this run only.
conf_install() {
	local src=$1
	if [ -e "$ECS_CONF_PATH" ] || [ -L "$ECS_CONF_PATH" ]; then
		mv "$ECS_CONF_PATH" "$T_WORK/conf.saved" || return 1
		t_on_exit "mv -f '$T_WORK/conf.saved' '$ECS_CONF_PATH'"
	else
		t_on_exit "rm -f '$ECS_CONF_PATH'"
	fi
	mkdir -p "$(dirname "$ECS_CONF_PATH")"
	install -o root -g root -m 644 "$src" "$ECS_CONF_PATH"
}

# /run/pam_ecs_saml is where the helper keeps credentials of users without /run/user/UID;
# remove it at exit only if this run created it.
runtime_guard() {
	[ -e /run/pam_ecs_saml ] || t_on_exit "rm -rf /run/pam_ecs_saml"
}

bastion_setup() {
	local ssh_port=$1 sts_port=$2 service=$3
	IDP_KEYS=$T_WORK/idp
	STATE_DIR=$T_WORK/state
	HOMES=$T_WORK/home
	CONF=$T_WORK/pam_ecs_saml.conf
	"$ECS_TOP/tests/lib/mint-response" --keys "$IDP_KEYS" --make-keys || return 1
	chmod 755 "$IDP_KEYS"
	sts_start "$sts_port" || return 1
	mkdir -p "$STATE_DIR" "$HOMES"
	chmod 700 "$STATE_DIR"
	# Every federated test user shares one writable home: awscli wants a HOME.
	chmod 1777 "$HOMES"
	cat >"$CONF" <<-CONF
		# written by tests/lib/bastion.sh for one test run
		idp_entity_id = https://idp.example.test/metadata
		idp_cert = $IDP_KEYS/idp-rsa2048.crt.pem
		region = us-east-1
		sts_endpoint = $STS_URL
		sts_ca_file = $STS_CA
		sts_timeout = 10
		duration_seconds = 3600
		state_dir = $STATE_DIR
		allowed_roles = arn:aws:iam::123456789012:role/Bastion*
		nss_first_login = $E2E_USER_RE
		nss_home = $HOMES
		nss_shell = /bin/bash
	CONF
	conf_install "$CONF" || return 1
	runtime_guard
	cat >"$T_WORK/stack" <<-STACK
		auth     requisite $B/pam_ecs_saml.so
		account  required  pam_permit.so
		session  required  $B/pam_ecs_saml.so
	STACK
	sshd_start "$ssh_port" "$service" "$T_WORK/stack" "$B/libnss_ecs_saml.so.2"
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
