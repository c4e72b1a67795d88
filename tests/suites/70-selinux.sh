#!/bin/bash
# tests/run: isolated
# Suite 70: the SELinux policy module (no servers, no ports; this kernel has no SELinux, so
# the policy is analysed, not enforced). Builds selinux/pam_ecs_saml.{te,if,fc} with the
# refpolicy devel Makefile, checks the key rules in its CIL form, then links it with the
# distribution's base policy in a private root (the system store is never touched) and
# asserts with setools what the helper domain and its neighbours may do, and that the
# policy grants the helper what tests/mac/helper-access lists (what the end-to-end suites
# saw it do) and little else.
. "$(dirname "$0")/../lib/tap.sh"

se=$T_WORK/se
mkdir -p "$se"
cp "$ECS_TOP"/selinux/pam_ecs_saml.{te,if,fc} "$se/"
if ! out=$(env -u MAKEFLAGS -u MAKELEVEL make -s -C "$se" -f /usr/share/selinux/devel/Makefile \
	NAME=default pam_ecs_saml.pp 2>&1) || [ ! -s "$se/pam_ecs_saml.pp" ]; then
	t_fail "policy module builds" "$(tail -n 5 <<<"$out" | tr '\n' ' ')"
	t_done
fi
t_ok "policy module builds"

if ! /usr/libexec/selinux/hll/pp "$se/pam_ecs_saml.pp" "$se/pam_ecs_saml.cil"; then
	t_fail "module converts to CIL"
	t_done
fi
t_ok "module converts to CIL"
cil=$(sed 's/^[[:space:]]*//' "$se/pam_ecs_saml.cil")

# cil_has NAME LINE: the CIL holds exactly this statement.
cil_has() {
	if grep -qxF -- "$2" <<<"$cil"; then t_ok "$1"; else t_fail "$1" "no '$2' in the CIL"; fi
}
cil_has "helper domain declared" "(type ecs_saml_helper_t)"
cil_has "helper entered through its exec type" \
	"(allow ecs_saml_helper_t ecs_saml_helper_exec_t (file (entrypoint)))"
cil_has "sshd_t transitions to the helper on exec" \
	"(typetransition sshd_t ecs_saml_helper_exec_t process ecs_saml_helper_t)"
cil_has "sudo domains transition to the helper on exec" \
	"(typetransition sudodomain ecs_saml_helper_exec_t process ecs_saml_helper_t)"
cil_has "helper may connect to http_port_t" \
	"(allow ecs_saml_helper_t http_port_t (tcp_socket (name_connect)))"
cil_has "helper may connect to http_cache_port_t (sts_proxy)" \
	"(allow ecs_saml_helper_t http_cache_port_t (tcp_socket (name_connect)))"
cil_has "helper may connect to redis_port_t (a fleet's replay cache)" \
	"(allow ecs_saml_helper_t redis_port_t (tcp_socket (name_connect)))"
t_eq "no other name_connect in the module" "$(grep -c 'name_connect' <<<"$cil")" "3"
cil_has "credentials made in the user runtime dir get their own type" \
	'(typetransition ecs_saml_helper_t user_runtime_t dir "pam_ecs_saml" ecs_saml_cred_t)'
cil_has "the spool gets its own type" \
	'(typetransition ecs_saml_helper_t var_run_t dir "pam_ecs_saml" ecs_saml_runtime_t)'
for d in /usr/libexec /usr/local/libexec; do
	cil_has "helper executable labelled in $d" \
		"(filecon \"$d/pam_ecs_saml/ecs-saml-helper\" file (system_u object_r ecs_saml_helper_exec_t ((s0) (s0))))"
done
cil_has "state dir labelled" \
	'(filecon "/var/lib/pam_ecs_saml(/.*)?" any (system_u object_r ecs_saml_var_lib_t ((s0) (s0))))'
t_eq "module grants no execute_no_trans" "$(grep -c 'execute_no_trans' <<<"$cil")" "0"

# Full analysis: base policy + module compiled into a binary policy in a private root.
if [ ! -d /var/lib/selinux/default ] || [ ! -d /etc/selinux/default ]; then
	t_fail "private policy store" "selinux-policy-default is not installed (tools/install-deps)"
	t_done
fi
root=$T_WORK/root
mkdir -p "$root/etc/selinux" "$root/var/lib/selinux"
cp -a /etc/selinux/default /etc/selinux/semanage.conf "$root/etc/selinux/"
cp -a /var/lib/selinux/default "$root/var/lib/selinux/"
if ! out=$(semodule -n -p "$root" -s default -X 400 -i "$se/pam_ecs_saml.pp" 2>&1); then
	t_fail "module links with the base policy" "$(tail -n 5 <<<"$out" | tr '\n' ' ')"
	t_done
fi
policy=$(ls "$root"/etc/selinux/default/policy/policy.* 2>/dev/null | head -n 1)
if [ -z "$policy" ]; then
	t_fail "module links with the base policy" "no binary policy in the private root"
	t_done
fi
t_ok "module links with the base policy ($(basename "$policy"))"
/usr/bin/python3 "$ECS_TOP/tests/selinux/assert_policy.py" "$policy" || T_FAILED=$((T_FAILED + 1))

# The policy against what the helper really does: every entry of the access list the
# end-to-end suites hold the helper to is allowed, and nothing the helper's domain is granted
# goes unused (tests/mac/selinux_check.py), with the file contexts of this compiled policy.
fc=$root/etc/selinux/default/contexts/files/file_contexts
if [ ! -s "$fc" ]; then
	t_fail "file contexts of the compiled policy" "no $fc"
	t_done
fi
/usr/bin/python3 "$ECS_TOP/tests/mac/selinux_check.py" "$policy" "$fc" "$ECS_TOP/tests/mac/helper-access" ||
	T_FAILED=$((T_FAILED + 1))
t_done
