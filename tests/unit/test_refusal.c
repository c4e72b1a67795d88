/* Unit tests for helper/refusal.c: every CODE a module verb can refuse with gets a sentence
 * that fits one PAM message; a misconfiguration's names who fixes it and carries the CODE;
 * a forged Response's says nothing about which check failed. */
#include <string.h>

#include "ecs_conf.h"
#include "refusal.h"
#include "saml_reject.h"
#include "tap.h"

static const char *const misconf[] = {
	ECS_TRUST_NONE, ECS_TRUST_CERT_UNREADABLE, ECS_TRUST_METADATA_UNREADABLE,
	ECS_TRUST_CERT_INVALID, ECS_TRUST_METADATA_INVALID, ECS_TRUST_KEY_WEAK,
	ECS_TRUST_USER_SOURCE, ECS_MISCONF_NSSWITCH, ECS_MISCONF_NSS_MODULE,
	ECS_MISCONF_USERMAP_MISSING, ECS_MISCONF_USERMAP_CORRUPT, ECS_MISCONF_USER_UNKNOWN,
	ECS_MISCONF_NSS_UNSEEN, ECS_CONF_E_PRIVATE, ECS_CONF_E_KEY, ECS_MISCONF_REGION,
	ECS_MISCONF_SESSION_POLICY, ECS_MISCONF_NO_SPACE, ECS_MISCONF_NO_TICKET,
	ECS_MISCONF_USER_OTHER_IDP, ECS_MISCONF_RUNTIME_FULL, ECS_MISCONF_RUNTIME_DIR,
};

int
main(void)
{
	char buf[ECS_REFUSAL_TEXTSZ], code[64];
	const char *t;

	for (size_t i = 0; i < sizeof(misconf) / sizeof(misconf[0]); i++) {
		t = ecs_refusal_text(misconf[i], buf, sizeof(buf));
		snprintf(code, sizeof(code), "(code %s in its log).", misconf[i]);
		T_OK(strstr(t, "Ask the bastion's administrator") != NULL &&
			     strstr(t, code) != NULL && strlen(t) < 255,
		     "%s: says who fixes it, carries its code, fits a PAM message", misconf[i]);
	}
	t = ecs_refusal_text(ECS_REJ_CLOCK_SKEW, buf, sizeof(buf));
	T_OK(strstr(t, "clock") != NULL && strstr(t, "administrator") != NULL,
	     "clock-skew: the clocks, and who checks them");
	T_OK(strcmp(ecs_refusal_text(ECS_REJ_SIGNATURE, buf, sizeof(buf)),
		    "SAML response refused.") == 0 &&
		     strcmp(ecs_refusal_text(ECS_REJ_WRAPPING, buf, sizeof(buf)),
			    "SAML response refused.") == 0,
	     "a bad signature or wrapping: the generic sentence, naming no check");
	T_OK(strcmp(ecs_refusal_text(NULL, buf, sizeof(buf)), "SAML response refused.") == 0,
	     "no code: the generic sentence");
	T_OK(strstr(ecs_refusal_text("config-owner", buf, sizeof(buf)), "(code config-owner") !=
		     NULL,
	     "a config-* code not listed by name gets the configuration sentence and its code");
	T_DONE();
}
