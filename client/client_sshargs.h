/* client_sshargs.h — the ssh arguments ecs-saml-ssh refuses to pass on.
 *
 * The options ecs-saml-ssh forces govern the connection to the bastion only. A jump host
 * (-J, -o ProxyJump) or a ProxyCommand that runs ssh is a second connection, authenticated by
 * its own ssh process with its own configuration: its keyboard-interactive prompts would reach
 * the same askpass, and a jump host that copies pam_ecs_saml's prompt tag would be handed the
 * Response. ProxyJump=none and ProxyCommand=none are forced too, so a proxy from an ssh_config
 * is ignored; this scan exists to refuse one given on the command line with a clear message
 * instead of ignoring it silently. */
#ifndef ECS_CLIENT_SSHARGS_H
#define ECS_CLIENT_SSHARGS_H

/* Scan argv[0..argc) (ssh's arguments, without the program name) the way ssh's own option
 * parser reads them: options, the destination, options again, then the remote command,
 * which is not scanned. Returns the first argument that asks for a jump host or a
 * ProxyCommand (-J, -Jhost, -o ProxyJump..., -oProxyCommand=...), or NULL. */
const char *ecs_client_ssh_proxy_arg(int argc, char *const *argv);

#endif
