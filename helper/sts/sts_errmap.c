/* sts_errmap.c — STS error codes to user sentences and retry classes.
 *
 * Sentences tell the user what to do next, without detail that only an administrator can
 * act on (that goes to the log with the STS message and RequestId). */
#include <stddef.h>
#include <string.h>

#include "sts_errmap.h"
#include "xml_lib.h"

struct code_entry {
	const char *code;
	bool transient;
	const char *user_msg;
};

static const char MSG_FRESH[] =
	"AWS refused the SAML response; fetch a fresh SAML response and log in again";
static const char MSG_ADMIN[] =
	"AWS refused to issue credentials for this role; contact your administrator";
static const char MSG_LATER[] = "AWS STS is unavailable right now; try again in a minute";

static const struct code_entry codes[] = {
	{ "IDPRejectedClaim", false,
	  "AWS rejected the identity provider's claims for this role; contact your administrator" },
	{ "InvalidIdentityToken", false, MSG_FRESH },
	{ "ExpiredTokenException", false,
	  "the SAML response has expired for AWS (it must be used within 5 minutes of issue); "
	  "fetch a fresh SAML response and log in again" },
	{ "MalformedPolicyDocument", false,
	  "AWS refused the bastion's session policy; contact your administrator" },
	{ "PackedPolicyTooLarge", false,
	  "the session policy and session tags are too large for AWS; contact your administrator" },
	{ "RegionDisabledException", false,
	  "AWS STS is disabled in the bastion's region; contact your administrator" },
	{ "AccessDenied", false,
	  "AWS denied this role to you (trust policy or role name); contact your administrator" },
	{ "ValidationError", false, MSG_ADMIN },
	{ "MalformedInput", false, MSG_ADMIN },
	{ "Throttling", true, MSG_LATER },
	{ "ThrottlingException", true, MSG_LATER },
	{ "RequestLimitExceeded", true, MSG_LATER },
	{ "TooManyRequestsException", true, MSG_LATER },
	{ "RequestTimeout", true, MSG_LATER },
	{ "InternalFailure", true, MSG_LATER },
	{ "InternalError", true, MSG_LATER },
	{ "ServiceUnavailable", true, MSG_LATER },
	{ "IDPCommunicationError", true,
	  "AWS could not reach the identity provider; try again in a minute" },
};

static const struct code_entry *
lookup(const char *code)
{
	size_t i;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(codes[i].code, code) == 0)
			return &codes[i];
	return NULL;
}

const char *
ecs_sts_code_user_msg(const char *code)
{
	const struct code_entry *e = lookup(code);

	return e ? e->user_msg : MSG_ADMIN;
}

bool
ecs_sts_code_transient(const char *code)
{
	const struct code_entry *e = lookup(code);

	return e && e->transient;
}

bool
ecs_sts_duration_too_long(const char *code, const char *message)
{
	/* STS: "The requested DurationSeconds exceeds the MaxSessionDuration set for this role." */
	return strcmp(code, "ValidationError") == 0 && strstr(message, "DurationSeconds") &&
	       strstr(message, "MaxSessionDuration");
}

/* What the user can do about it: wait (a passing fault), or ask whoever runs the bastion,
 * who finds the cause under the same CODE in the log. */
static const struct {
	const char *cause;
	const char *user_msg;
} causes[] = {
	{ ECS_STS_CAUSE_TIMEOUT,
	  "AWS STS did not answer the bastion in time: try again in a minute. If it keeps "
	  "happening, ask the bastion's administrator to check its network path to STS." },
	{ ECS_STS_CAUSE_UNREACHABLE,
	  "The bastion cannot connect to AWS STS: ask the bastion's administrator to check "
	  "sts_endpoint and the bastion's network access to it (firewall, proxy)." },
	{ ECS_STS_CAUSE_DNS,
	  "The bastion cannot resolve the host name of AWS STS: ask the bastion's administrator "
	  "to check sts_endpoint and the bastion's DNS." },
	{ ECS_STS_CAUSE_UNTRUSTED,
	  "The bastion does not trust the TLS certificate of its STS endpoint: ask the "
	  "bastion's administrator to check sts_ca_file and sts_endpoint." },
	{ ECS_STS_CAUSE_TLS,
	  "The TLS handshake with the bastion's STS endpoint failed: ask the bastion's "
	  "administrator to check that sts_endpoint is an HTTPS STS endpoint." },
	{ ECS_STS_CAUSE_PIN,
	  "The TLS certificate of the bastion's STS endpoint does not carry a public key the "
	  "bastion pins: ask the bastion's administrator to check sts_pin_sha256 and "
	  "sts_endpoint." },
	{ ECS_STS_CAUSE_CA_FILE,
	  "The bastion's TLS library cannot use its sts_ca_file: ask the bastion's "
	  "administrator to fix it." },
	{ ECS_STS_CAUSE_CONNECTION,
	  "The connection to AWS STS broke before it answered: try again in a minute. If it "
	  "keeps happening, ask the bastion's administrator to check sts_endpoint." },
	{ ECS_STS_CAUSE_BAD_REPLY,
	  "AWS STS sent the bastion an unreadable reply: try again in a minute. If it keeps "
	  "happening, ask the bastion's administrator to check sts_endpoint." },
	{ ECS_STS_CAUSE_PROXY,
	  "The bastion cannot reach AWS STS through its proxy (the proxy is unreachable or "
	  "refuses the connection to STS): ask the bastion's administrator to check sts_proxy "
	  "and the proxy's rules for sts_endpoint." },
	{ ECS_STS_CAUSE_PROXY_AUTH,
	  "The bastion's proxy refuses its credentials: ask the bastion's administrator to "
	  "check sts_proxy_auth_file." },
	{ ECS_STS_CAUSE_CONFIG,
	  "The bastion's STS settings are invalid (sts_endpoint, region): ask the bastion's "
	  "administrator to fix them." },
	{ ECS_STS_CAUSE_REQUEST,
	  "The bastion built an STS request that cannot be sent (session policy or duration "
	  "out of range): ask the bastion's administrator to check its configuration." },
	{ ECS_STS_CAUSE_LIBCURL,
	  "The bastion cannot load the HTTPS library it calls AWS with (libcurl): ask the "
	  "bastion's administrator to install the distribution's libcurl4 package." },
	{ ECS_XML_LIB_CODE,
	  "The bastion cannot load the XML library it reads AWS STS's answer with (libxml2): "
	  "ask the bastion's administrator to install the distribution's libxml2 package." },
};

const char *
ecs_sts_cause_user_msg(const char *cause)
{
	for (size_t i = 0; cause != NULL && i < sizeof(causes) / sizeof(causes[0]); i++)
		if (strcmp(causes[i].cause, cause) == 0)
			return causes[i].user_msg;
	return "Could not obtain AWS credentials: try again in a minute. If it keeps happening, "
	       "ask the bastion's administrator to look at its log.";
}
