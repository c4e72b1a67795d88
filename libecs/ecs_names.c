/* ecs_names.c — byte-level syntax checks for names from untrusted input.
 * No locale, no ctype: isalpha() and friends follow LC_CTYPE and could admit bytes >= 0x80. */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "ecs_names.h"

#define ECS_ARN_MIN 20
#define ECS_ARN_MAX 2048
#define ECS_ROLE_NAME_MAX 64
#define ECS_PROVIDER_NAME_MAX 128

static bool
ecs_is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static bool
ecs_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
ecs_is_alnum(char c)
{
	return ecs_is_lower(c) || (c >= 'A' && c <= 'Z') || ecs_is_digit(c);
}

/* AWS's [\w+=,.@-] as used for RoleSessionName, SourceIdentity and IAM role names. */
static bool
ecs_is_aws_name_char(char c)
{
	return ecs_is_alnum(c) || (c && strchr("_+=,.@-", c));
}

bool
ecs_name_user_ok(const char *s)
{
	size_t i;

	if (!s || !(ecs_is_lower(s[0]) || s[0] == '_'))
		return false;
	for (i = 1; s[i]; i++) {
		if (i > 31)
			return false;
		if (!(ecs_is_lower(s[i]) || ecs_is_digit(s[i]) || s[i] == '_' || s[i] == '-'))
			return false;
	}
	return true;
}

bool
ecs_name_session_ok(const char *s)
{
	size_t i;

	if (!s)
		return false;
	for (i = 0; s[i]; i++)
		if (i >= 64 || !ecs_is_aws_name_char(s[i]))
			return false;
	return i >= 2;
}

bool
ecs_name_source_identity_ok(const char *s)
{
	/* AWS reserves the prefix in any letter case */
	return ecs_name_session_ok(s) && strncasecmp(s, "aws:", 4) != 0;
}

/* "arn:PARTITION:iam::ACCOUNT:" with PARTITION = aws(-[a-z]+)* and a 12-digit account.
 * Returns the position after it, or NULL. */
static const char *
ecs_arn_iam_prefix(const char *s)
{
	const char *p = s;
	int i;

	if (strncmp(p, "arn:aws", 7) != 0)
		return NULL;
	p += 7;
	while (*p == '-') {
		p++;
		if (!ecs_is_lower(*p))
			return NULL;
		while (ecs_is_lower(*p))
			p++;
	}
	if (strncmp(p, ":iam::", 6) != 0)
		return NULL;
	p += 6;
	for (i = 0; i < 12; i++, p++)
		if (!ecs_is_digit(*p))
			return NULL;
	if (*p != ':')
		return NULL;
	return p + 1;
}

static bool
ecs_arn_len_ok(const char *s)
{
	size_t n = s ? strnlen(s, ECS_ARN_MAX + 1) : 0;

	return n >= ECS_ARN_MIN && n <= ECS_ARN_MAX;
}

bool
ecs_arn_role_ok(const char *s)
{
	const char *p;
	size_t seg = 0;

	if (!ecs_arn_len_ok(s))
		return false;
	p = ecs_arn_iam_prefix(s);
	if (!p || strncmp(p, "role/", 5) != 0)
		return false;
	/* PATH segments and NAME share the name alphabet; every segment is non-empty. The
	 * stricter-than-IAM path alphabet keeps the ARN safe in logs and policy conditions. */
	for (p += 5; *p; p++) {
		if (*p == '/') {
			if (seg == 0)
				return false;
			seg = 0;
			continue;
		}
		if (!ecs_is_aws_name_char(*p))
			return false;
		seg++;
	}
	return seg >= 1 && seg <= ECS_ROLE_NAME_MAX;
}

bool
ecs_arn_provider_ok(const char *s)
{
	const char *p;
	size_t n = 0;

	if (!ecs_arn_len_ok(s))
		return false;
	p = ecs_arn_iam_prefix(s);
	if (!p || strncmp(p, "saml-provider/", 14) != 0)
		return false;
	/* IAM: [\w._-]{1,128} */
	for (p += 14; *p; p++, n++)
		if (!(ecs_is_alnum(*p) || *p == '_' || *p == '.' || *p == '-'))
			return false;
	return n >= 1 && n <= ECS_PROVIDER_NAME_MAX;
}

bool
ecs_name_token_ok(const char *s)
{
	size_t i;

	if (!s)
		return false;
	for (i = 0; s[i]; i++)
		if (i >= 32 || !(ecs_is_digit(s[i]) || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return i == 32;
}
