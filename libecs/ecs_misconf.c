/* ecs_misconf.c — the user's sentence for each misconfiguration CODE (ecs_misconf.h). */
#include <stdio.h>
#include <string.h>

#include "ecs_misconf.h"

struct text {
	const char *code;	/* a CODE, or a family prefix ending in '-' */
	const char *text;	/* what is wrong, then who fixes it; the CODE is appended */
};

/* The most specific entry first: a family prefix catches the rest of its codes. */
static const struct text texts[] = {
	{ ECS_MISCONF_NSSWITCH,
	  "The bastion does not look up federated users (/etc/nsswitch.conf lacks ecs_saml). "
	  "Ask the bastion's administrator to add ecs_saml to its passwd and group lines" },
	{ ECS_MISCONF_NSS_MODULE,
	  "The bastion's NSS module for federated users (libnss_ecs_saml.so.2) is not "
	  "installed. Ask the bastion's administrator to install it" },
	{ ECS_MISCONF_USERMAP_MISSING,
	  "The bastion has no federated user map yet. Ask the bastion's administrator to run "
	  "`ecs-saml-helper users init`" },
	{ ECS_MISCONF_USERMAP_CORRUPT,
	  "The bastion's federated user map is unreadable. Ask the bastion's administrator to "
	  "repair it" },
	{ ECS_MISCONF_USER_UNKNOWN,
	  "The bastion does not know this user name (not in its user map, no match for "
	  "nss_first_login). Ask the bastion's administrator to add you" },
	{ ECS_MISCONF_NSS_UNSEEN,
	  "The bastion's sshd does not see federated users that its NSS module knows. Ask the "
	  "bastion's administrator to check nscd and /etc/nsswitch.conf" },
	{ ECS_MISCONF_SESSION_POLICY,
	  "The bastion's session policy is invalid. Ask the bastion's administrator to fix "
	  "session_policy" },
	{ ECS_MISCONF_USER_OTHER_IDP,
	  "This user name belongs to a user of another IdP on this bastion. Ask the bastion's "
	  "administrator to move it to your IdP if it is yours" },
	/* Refused before the Response's one-time use is recorded, so it still works: the
	 * user can retry with it once there is room. */
	{ ECS_MISCONF_NO_SPACE,
	  "The bastion has no room left to record this login; your SAML response was not used. "
	  "Ask the bastion's administrator to free space, then retry" },
	{ ECS_MISCONF_NO_TICKET,
	  "This session needs a fresh SAML response, and none was asked for (a cached sudo "
	  "authentication does not count). Ask the bastion's administrator to make it ask every "
	  "time" },
	{ "sts-ca-file-",
	  "The bastion cannot check the TLS certificate of its STS endpoint: its sts_ca_file "
	  "is unusable. Ask the bastion's administrator to fix sts_ca_file" },
	{ ECS_MISCONF_STS_PROXY_AUTH,
	  "The bastion cannot log in to the proxy it reaches AWS STS through: its "
	  "sts_proxy_auth_file is unusable. Ask the bastion's administrator to fix "
	  "sts_proxy_auth_file" },
	{ ECS_MISCONF_AWS_CONFIG_SNIPPET,
	  "The bastion cannot write this session's AWS config file: its aws_config_snippet is "
	  "unusable. Ask the bastion's administrator to fix aws_config_snippet" },
	/* The shared replay cache (Redis) could not say whether the Response was used before:
	 * fail closed. Whether the Response is still usable is not known (a SET may have
	 * reached Redis before its answer was lost), so the sentence promises nothing. */
	{ "replay-cache-",
	  "The bastion cannot check that your SAML response is used only once: its shared "
	  "replay cache (Redis) is unavailable. Ask the bastion's administrator to check "
	  "replay_cache" },
	{ ECS_MISCONF_RUNTIME_FULL,
	  "The bastion has no room left for this session's AWS credentials (its runtime file "
	  "system is full). Ask the bastion's administrator to free space, then log in again" },
	{ ECS_MISCONF_RUNTIME_DIR,
	  "The bastion has no safe place for this session's AWS credentials (no /run/user "
	  "directory, and its fallback is unusable). Ask the bastion's administrator to fix it" },
	{ "idp-",
	  "The bastion cannot check SAML responses: its IdP certificate or metadata is unusable. "
	  "Ask the bastion's administrator to fix idp_cert or idp_metadata" },
	{ "config-",
	  "The bastion's pam_ecs_saml configuration is invalid. Ask the bastion's "
	  "administrator to correct it" },
};

const char *
ecs_misconf_text(const char *code, char *buf, size_t bufsz)
{
	for (size_t i = 0; code != NULL && i < sizeof(texts) / sizeof(texts[0]); i++) {
		size_t n = strlen(texts[i].code);
		int hit = texts[i].code[n - 1] == '-' ? strncmp(texts[i].code, code, n) == 0 :
							strcmp(texts[i].code, code) == 0;

		if (hit) {
			snprintf(buf, bufsz, "%s (code %s in its log).", texts[i].text, code);
			return buf;
		}
	}
	return NULL;
}
