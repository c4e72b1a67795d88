/* ecs_misconf.h — the misconfigurations an engineer can meet at a login, and what they are
 * told about each: what is wrong, that the bastion's administrator fixes it, and the CODE
 * under which the administrator finds the detail in the bastion's log. The PAM module and
 * the helper both tell the user from here, so one CODE always reads the same.
 *
 * The CODEs themselves come from where each fault is found: ECS_CONF_E_* (ecs_conf.h, the
 * configuration), ECS_TRUST_* (the helper's IdP trust files, "idp-*"), ECS_REDIS_E_* (the
 * helper's replay cache on Redis, "replay-cache-*"), and the ones below,
 * found when the system does not know the user who logs in (helper verb unknown-user),
 * when a session's settings do not hold (region, session policy, sts_ca_file), and
 * no-ticket, found by the PAM module's session phase. */
#ifndef ECS_MISCONF_H
#define ECS_MISCONF_H

#include <stddef.h>

#define ECS_MISCONF_NSSWITCH "nsswitch"			/* no ecs_saml on the passwd line */
#define ECS_MISCONF_NSS_MODULE "nss-module-missing"	/* libnss_ecs_saml.so.2 not loadable */
#define ECS_MISCONF_USERMAP_MISSING "usermap-missing"	/* `users init` never ran */
#define ECS_MISCONF_USERMAP_CORRUPT "usermap-corrupt"
#define ECS_MISCONF_USER_UNKNOWN "user-unknown"		/* not mapped, no first-login match */
#define ECS_MISCONF_NSS_UNSEEN "nss-unseen"		/* NSS knows the user, the app did not */
#define ECS_MISCONF_REGION "config-region"		/* no region, which sessions need */
#define ECS_MISCONF_SESSION_POLICY "session-policy"	/* session_policy does not render */
#define ECS_MISCONF_USER_OTHER_IDP "user-other-idp"	/* the name is another IdP's user's */
#define ECS_MISCONF_NO_SPACE "no-space"		/* spool or state directory full (ENOSPC) */
#define ECS_MISCONF_NO_TICKET "no-ticket"		/* require_ticket, and no Response was
							 * checked (sudo's credential cache) */
/* sts_ca_file, read by the helper as root at session open (the one trust of the STS call) */
#define ECS_MISCONF_STS_CA_MISSING "sts-ca-file-missing"	/* no such file */
#define ECS_MISCONF_STS_CA_UNSAFE "sts-ca-file-unsafe"	/* not root's, writable by group or
							 * others, a symlink, not a file */
#define ECS_MISCONF_STS_CA_INVALID "sts-ca-file-invalid"	/* no PEM certificate in it */
/* sts_proxy_auth_file, read by the helper as root at session open */
#define ECS_MISCONF_STS_PROXY_AUTH "sts-proxy-auth-file"	/* missing, not root's 0600/0400,
								 * a symlink, or not USER:PASSWORD */
/* aws_config_snippet, read by the helper as root at session open */
#define ECS_MISCONF_AWS_CONFIG_SNIPPET "aws-config-snippet"	/* unsafe, or a line it may not
								 * hold */
#define ECS_MISCONF_RUNTIME_FULL "runtime-full"	/* no room for the session's credentials */
#define ECS_MISCONF_RUNTIME_DIR "runtime-dir"	/* the fallback runtime directory is unusable */

/* Room for a sentence: shorter than the PAM module's cap on a message it relays. */
#define ECS_MISCONF_TEXTSZ 256

/* The user's sentence for a misconfiguration CODE (any config-* and idp-* code included),
 * formatted into buf; NULL when code is no misconfiguration (a refused Response, say). */
const char *ecs_misconf_text(const char *code, char *buf, size_t bufsz);

#endif
