#!/usr/bin/python3
"""Assert what the compiled policy (base + pam_ecs_saml) lets ecs_saml_helper_t and its
neighbours do, on a binary policy built in a private root (setools, python3-setools).

usage: assert_policy.py POLICY_FILE
Prints "ok - ..." / "not ok - ...: why" lines (the tests/run format)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
sys.dont_write_bytecode = True	# keep the source tree clean
import tap  # noqa: E402

import setools

policy = setools.SELinuxPolicy(sys.argv[1])
HELPER = "ecs_saml_helper_t"


def targets(source, tclass, perm):
    """Concrete target types source may use perm on (attributes expanded)."""
    out = set()
    query = setools.TERuleQuery(policy, ruletype=["allow"], source=source,
                                tclass=[tclass], perms=[perm])
    for rule in query.results():
        for t in rule.target.expand():
            out.add(str(t))
    return out


def allowed(source, target, tclass, perm):
    query = setools.TERuleQuery(policy, ruletype=["allow"], source=source, target=target,
                                tclass=[tclass], perms=[perm])
    return any(True for _ in query.results())


tcp = targets(HELPER, "tcp_socket", "name_connect")
# STS over HTTPS, an HTTP proxy for it (sts_proxy), Redis for a fleet's replay cache
# (README 4.11): nothing else
tap.check("helper connects to http_port_t, (sts_proxy) http_cache_port_t and (replay_cache) redis_port_t only",
          tcp == {"http_port_t", "http_cache_port_t", "redis_port_t"}, f"name_connect to {sorted(tcp)}")
bind = targets(HELPER, "tcp_socket", "name_bind") | targets(HELPER, "udp_socket", "name_bind")
tap.check("helper binds no port", not bind, f"name_bind on {sorted(bind)}")
tap.check("sshd_t may transition to the helper", allowed("sshd_t", HELPER, "process", "transition"))
tap.check("staff_sudo_t may transition to the helper",
          allowed("staff_sudo_t", HELPER, "process", "transition"))
tap.check("the helper is entered only through its exec type",
          targets(HELPER, "file", "entrypoint") == {"ecs_saml_helper_exec_t"},
          f"entrypoints {sorted(targets(HELPER, 'file', 'entrypoint'))}")
execs = targets(HELPER, "file", "execute")
tap.check("helper executes no shell or binaries", not (execs & {"shell_exec_t", "bin_t"}),
          f"execute on {sorted(execs & {'shell_exec_t', 'bin_t'})}")
tap.check("helper cannot read shadow", not allowed(HELPER, "shadow_t", "file", "read"))
tap.check("helper cannot write its configuration",
          not allowed(HELPER, "ecs_saml_conf_t", "file", "write"))
tap.check("helper manages the state dir", allowed(HELPER, "ecs_saml_var_lib_t", "file", "create"))
tap.check("helper manages the spool", allowed(HELPER, "ecs_saml_runtime_t", "file", "unlink"))
tap.check("helper writes session credentials", allowed(HELPER, "ecs_saml_cred_t", "file", "write"))
tap.check("helper cannot write the user's home", not allowed(HELPER, "user_home_t", "file", "write"))
tap.check("a user's shell reads its credentials", allowed("staff_t", "ecs_saml_cred_t", "file", "read"))
tap.check("a user's shell cannot alter them", not allowed("staff_t", "ecs_saml_cred_t", "file", "write"))
tap.check("sshd (PAM module) reads the configuration",
          allowed("sshd_t", "ecs_saml_conf_t", "file", "read"))
tap.check("other domains cannot read the spool", not allowed("staff_t", "ecs_saml_runtime_t", "file", "read"))
sys.exit(tap.status())
