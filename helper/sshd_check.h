/* sshd_check.h — does this host's sshd configuration let a federated login reach PAM?
 *
 * When sshd does not offer keyboard-interactive (KbdInteractiveAuthentication no) or does
 * not use PAM at all, nothing of pam_ecs_saml ever runs for a login: the engineer's ssh
 * says "Permission denied" and the bastion logs nothing of ours. So the periodic sweep
 * (`ecs-saml-helper gc`) reads sshd's configuration as sshd does and logs what stops every
 * federated login, with a CODE.
 *
 * It reads the files (the helper runs no other program): the main file and every Include
 * (globs, relative to /etc/ssh), keywords in any case, the first value of a keyword
 * outside Match blocks wins, as in sshd. A value set inside a Match block counts in the
 * login's favour, since the block may be the federated users' own (Match Group ecs-saml);
 * only a configuration that disables the method for everybody is reported. */
#ifndef ECS_SSHD_CHECK_H
#define ECS_SSHD_CHECK_H

#include <stddef.h>

#ifndef ECS_SSHD_CONFIG_PATH
#define ECS_SSHD_CONFIG_PATH "/etc/ssh/sshd_config"
#endif

#define ECS_SSHD_NO_PAM "sshd-no-pam"	/* UsePAM no (sshd's default when unset) */
#define ECS_SSHD_KBDINT "sshd-kbdint"	/* KbdInteractiveAuthentication no, everywhere */

/* Check the configuration at path. 0 with *code NULL when a federated login can reach
 * PAM, 0 with *code one of ECS_SSHD_* and why filled when it cannot; -errno when the main
 * file cannot be read (why says so). */
int ecs_sshd_check(const char *path, const char **code, char *why, size_t whysz);

#endif
