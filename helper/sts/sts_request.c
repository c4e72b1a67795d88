/* sts_request.c — build the AssumeRoleWithSAML form body (see sts_request.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ecs_limits.h"
#include "ecs_names.h"
#include "sts_request.h"

static bool
is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

int
ecs_sts_form_encode(struct ecs_buf *out, const char *value, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	char enc[3];
	size_t i;
	size_t run = 0;	/* unreserved bytes waiting to be copied in one append */
	int r;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)value[i];

		if (is_unreserved(c)) {
			run++;
			continue;
		}
		r = ecs_buf_append(out, value + i - run, run);
		if (r < 0)
			return r;
		run = 0;
		enc[0] = '%';
		enc[1] = hex[c >> 4];
		enc[2] = hex[c & 15];
		r = ecs_buf_append(out, enc, sizeof(enc));
		if (r < 0)
			return r;
	}
	return ecs_buf_append(out, value + len - run, run);
}

static bool
is_b64_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '+' || c == '/' || c == '=';
}

/* ASCII, or two-byte UTF-8 (C2/C3 + continuation) for U+0080..U+00FF. */
int
ecs_sts_policy_check(const char *p, size_t *nchars)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t n = 0;

	*nchars = 0;
	while (*s) {
		if (*s == '\t' || *s == '\n' || *s == '\r' || (*s >= 0x20 && *s < 0x7f))
			s++;
		else if ((s[0] == 0xc2 || s[0] == 0xc3) && (s[1] & 0xc0) == 0x80)
			s += 2;
		else
			return -EILSEQ;
		n++;
	}
	*nchars = n;
	if (n == 0)
		return -EINVAL;
	return n > ECS_STS_MAX_POLICY ? -E2BIG : 0;
}

int
ecs_sts_request_check(const struct ecs_sts_call *call, const struct ecs_strlist *policy_arns,
		      char *why, size_t whysz)
{
	size_t i;
	size_t nchars;
	int r;

	if (!call->role_arn || !ecs_arn_role_ok(call->role_arn)) {
		snprintf(why, whysz, "RoleArn is not an IAM role ARN");
		return -EINVAL;
	}
	if (!call->principal_arn || !ecs_arn_provider_ok(call->principal_arn)) {
		snprintf(why, whysz, "PrincipalArn is not an IAM SAML provider ARN");
		return -EINVAL;
	}
	if (!call->saml_b64 || call->saml_len < 4 || call->saml_len > ECS_RESPONSE_MAX_B64) {
		snprintf(why, whysz, "SAMLAssertion must be 4..%d characters",
			 ECS_RESPONSE_MAX_B64);
		return -EINVAL;
	}
	for (i = 0; i < call->saml_len; i++) {
		if (!is_b64_char((unsigned char)call->saml_b64[i])) {
			snprintf(why, whysz, "SAMLAssertion is not unwrapped base64");
			return -EINVAL;
		}
	}
	if (call->duration < ECS_STS_MIN_DURATION || call->duration > ECS_STS_MAX_DURATION) {
		snprintf(why, whysz, "DurationSeconds %u is outside %d..%d", call->duration,
			 ECS_STS_MIN_DURATION, ECS_STS_MAX_DURATION);
		return -EINVAL;
	}
	if (call->policy) {
		r = ecs_sts_policy_check(call->policy, &nchars);
		if (r == -EILSEQ)
			snprintf(why, whysz, "Policy has characters STS does not accept");
		else if (r < 0)
			snprintf(why, whysz, "Policy is %zu characters, STS takes 1..%d", nchars,
				 ECS_STS_MAX_POLICY);
		if (r < 0)
			return -EINVAL;
	}
	if (policy_arns) {
		if (policy_arns->n > ECS_STS_MAX_POLICY_ARNS) {
			snprintf(why, whysz, "more than %d policy ARNs", ECS_STS_MAX_POLICY_ARNS);
			return -EINVAL;
		}
		for (i = 0; i < policy_arns->n; i++) {
			if (!ecs_arn_policy_ok(policy_arns->v[i])) {
				snprintf(why, whysz, "policy ARN %zu is not an IAM policy ARN", i + 1);
				return -EINVAL;
			}
		}
	}
	return 0;
}

/* Append "&key=" + encoded value (no '&' for the first pair). */
static int
add_pair(struct ecs_buf *out, const char *key, const char *value, size_t len)
{
	int r;

	if (out->len) {
		r = ecs_buf_append(out, "&", 1);
		if (r < 0)
			return r;
	}
	r = ecs_buf_puts(out, key);
	if (r < 0)
		return r;
	r = ecs_buf_append(out, "=", 1);
	if (r < 0)
		return r;
	return ecs_sts_form_encode(out, value, len);
}

int
ecs_sts_request_body(const struct ecs_sts_call *call, const struct ecs_strlist *policy_arns,
		     struct ecs_buf *out)
{
	char why[128];
	char num[16];
	char key[40];
	unsigned i;
	int r;

	r = ecs_sts_request_check(call, policy_arns, why, sizeof(why));
	if (r < 0)
		return r;
	snprintf(num, sizeof(num), "%u", call->duration);
	r = add_pair(out, "Action", "AssumeRoleWithSAML", 18);
	if (r == 0)
		r = add_pair(out, "Version", "2011-06-15", 10);
	if (r == 0)
		r = add_pair(out, "RoleArn", call->role_arn, strlen(call->role_arn));
	if (r == 0)
		r = add_pair(out, "PrincipalArn", call->principal_arn, strlen(call->principal_arn));
	if (r == 0)
		r = add_pair(out, "SAMLAssertion", call->saml_b64, call->saml_len);
	if (r == 0)
		r = add_pair(out, "DurationSeconds", num, strlen(num));
	if (r == 0 && call->policy)
		r = add_pair(out, "Policy", call->policy, strlen(call->policy));
	for (i = 0; r == 0 && policy_arns && i < policy_arns->n; i++) {
		snprintf(key, sizeof(key), "PolicyArns.member.%u.arn", i + 1);
		r = add_pair(out, key, policy_arns->v[i], strlen(policy_arns->v[i]));
	}
	return r;
}
