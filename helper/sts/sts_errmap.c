/* sts_errmap.c — STS error codes to user sentences and retry classes.
 *
 * Sentences tell the user what to do next, without detail that only an administrator can
 * act on (that goes to the log with the STS message and RequestId). */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "ecs_err.h"
#include "sts_errmap.h"

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

const char *
ecs_sts_transport_user_msg(int r)
{
	switch (r) {
	case -ETIMEDOUT:
		return "AWS STS did not answer in time; try again in a minute";
	case -ECONNREFUSED:
	case -EHOSTUNREACH:
	case -EPROTO:
		return "cannot reach AWS STS; try again in a minute";
	case -EPERM:
		return "cannot establish a trusted connection to AWS STS; contact your administrator";
	case -EFBIG:
	case -EBADMSG:
		return "AWS STS sent an unreadable reply; try again in a minute";
	case -ECS_ECONFIG:
	case -EINVAL:
		return "the bastion's STS settings are invalid; contact your administrator";
	default:
		return "could not obtain AWS credentials; try again in a minute";
	}
}
