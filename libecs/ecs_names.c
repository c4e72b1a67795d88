/* ecs_names.c — byte-level syntax checks for names from untrusted input (see ecs_names.h).
 * No locale, no ctype: isalpha() and friends follow LC_CTYPE and could admit bytes >= 0x80. */
#include <errno.h>
#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "ecs_names.h"

#define ECS_ARN_MIN 20
#define ECS_ARN_MAX 2048
#define ECS_ARN_ACCOUNT_LEN 12
#define ECS_ROLE_NAME_MAX 64
#define ECS_PROVIDER_NAME_MAX 128
#define ECS_POLICY_NAME_MAX 128

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

static bool
ecs_is_hex(char c)
{
	return ecs_is_digit(c) || (c >= 'a' && c <= 'f');
}

/* AWS's [\w+=,.@-] as used for RoleSessionName, SourceIdentity and IAM role names. */
static bool
ecs_is_aws_name_char(char c)
{
	return ecs_is_alnum(c) || (c && strchr("_+=,.@-", c));
}

/* POSIX's portable filename character set, [A-Za-z0-9._-]. */
static bool
ecs_is_portable_char(char c)
{
	return ecs_is_alnum(c) || c == '.' || c == '_' || c == '-';
}

static bool
ecs_is_cluster_char(char c)
{
	return ecs_is_alnum(c) || c == '_' || c == '-';
}

/* s is min..max bytes, each accepted by ok. Reads at most max + 1 bytes of s. */
static bool
ecs_all_of(const char *s, size_t min, size_t max, bool (*ok)(char))
{
	size_t i;

	if (!s)
		return false;
	for (i = 0; s[i]; i++)
		if (i >= max || !ok(s[i]))
			return false;
	return i >= min;
}

/* Why s[0..n) has a byte outside the portable set, or NULL. */
static const char *
ecs_name_bad_byte(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!ecs_is_portable_char(s[i]))
			return s[i] == '@' ? "it has an '@' (user_strip_suffix can remove a domain)"
					   : "it has a character outside A-Z a-z 0-9 . _ -";
	return NULL;
}

/* The first hard rule ecs_name_user_ok finds broken, or NULL. A wrong byte is reported
 * before the length: "a@corp.example" is more often a missing user_strip_suffix than a
 * name that is too long. */
static const char *
ecs_name_user_hard_refusal(const char *s)
{
	const char *why;
	size_t n;

	if (!s || !s[0])
		return "it is empty";
	n = strlen(s);
	why = ecs_name_bad_byte(s, n);
	if (why != NULL)
		return why;
	if (n > ECS_NAME_USER_MAX)
		return "it is longer than 32 bytes";
	if (s[0] == '-')
		return "it starts with '-'";
	if (s[0] == '.')
		return "it starts with '.'";
	if (strstr(s, "..") != NULL)
		return "it has \"..\" in it";
	if (strspn(s, "0123456789") == n)
		return "it is all digits (it would read as a UID)";
	return NULL;
}

bool
ecs_name_user_ok(const char *s)
{
	return ecs_name_user_hard_refusal(s) == NULL;
}

bool
ecs_name_group_ok(const char *s)
{
	return ecs_name_user_ok(s);
}

bool
ecs_name_service_ok(const char *s)
{
	return ecs_all_of(s, 1, ECS_NAME_SERVICE_MAX, ecs_is_portable_char);
}

bool
ecs_name_session_ok(const char *s)
{
	return ecs_all_of(s, 2, ECS_NAME_SESSION_MAX, ecs_is_aws_name_char);
}

bool
ecs_name_source_identity_ok(const char *s)
{
	/* AWS reserves the prefix in any letter case */
	return ecs_name_session_ok(s) && strncasecmp(s, "aws:", 4) != 0;
}

/* ^[a-z]{2}(-[a-z]+)+-[0-9]+$ by hand: regcomp would allocate for a fixed shape. */
bool
ecs_name_region_ok(const char *s)
{
	const char *p = s;
	unsigned groups = 0;

	if (!s || strnlen(s, ECS_NAME_REGION_MAX + 1) > ECS_NAME_REGION_MAX)
		return false;
	if (!(ecs_is_lower(p[0]) && ecs_is_lower(p[1])))
		return false;
	p += 2;
	while (*p == '-') {
		p++;
		if (ecs_is_digit(*p)) {
			while (ecs_is_digit(*p))
				p++;
			return *p == 0 && groups > 0;
		}
		if (!ecs_is_lower(*p))
			return false;
		while (ecs_is_lower(*p))
			p++;
		groups++;
	}
	return false;
}

bool
ecs_name_cluster_ok(const char *s)
{
	return ecs_all_of(s, 1, ECS_NAME_CLUSTER_MAX, ecs_is_cluster_char);
}

bool
ecs_name_hex_ok(const char *s, size_t n)
{
	return ecs_all_of(s, n, n, ecs_is_hex);
}

bool
ecs_name_token_ok(const char *s)
{
	return ecs_name_hex_ok(s, ECS_NAME_TOKEN_LEN);
}

/* "arn:PARTITION:iam::ACCOUNT:" with PARTITION = aws(-[a-z]+)* and a 12-digit account (or
 * the literal "aws" when aws_account). Fills parts when not NULL. Returns the position after
 * it, or NULL. */
static const char *
ecs_arn_iam_prefix(const char *s, bool aws_account, struct ecs_arn_parts *parts)
{
	const char *p = s;
	const char *part;
	int i;

	if (strncmp(p, "arn:aws", 7) != 0)
		return NULL;
	part = p + 4;
	p += 7;
	while (*p == '-') {
		p++;
		if (!ecs_is_lower(*p))
			return NULL;
		while (ecs_is_lower(*p))
			p++;
	}
	if (parts) {
		if ((size_t)(p - part) > ECS_ARN_PARTITION_MAX)
			return NULL;
		memcpy(parts->partition, part, (size_t)(p - part));
		parts->partition[p - part] = '\0';
	}
	if (strncmp(p, ":iam::", 6) != 0)
		return NULL;
	p += 6;
	if (aws_account && strncmp(p, "aws:", 4) == 0)
		return p + 4;
	for (i = 0; i < ECS_ARN_ACCOUNT_LEN; i++)
		if (!ecs_is_digit(p[i]))
			return NULL;
	if (p[ECS_ARN_ACCOUNT_LEN] != ':')
		return NULL;
	if (parts) {
		memcpy(parts->account, p, ECS_ARN_ACCOUNT_LEN);
		parts->account[ECS_ARN_ACCOUNT_LEN] = '\0';
	}
	return p + ECS_ARN_ACCOUNT_LEN + 1;
}

static bool
ecs_arn_len_ok(const char *s)
{
	size_t n = s ? strnlen(s, ECS_ARN_MAX + 1) : 0;

	return n >= ECS_ARN_MIN && n <= ECS_ARN_MAX;
}

/* RESOURCE/PATH/NAME after "role/" or "policy/": PATH segments and NAME share the name
 * alphabet and every segment is non-empty. The stricter-than-IAM path alphabet keeps the
 * ARN safe in logs and policy conditions. */
static bool
ecs_arn_path_name_ok(const char *p, size_t name_max)
{
	size_t seg = 0;

	for (; *p; p++) {
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
	return seg >= 1 && seg <= name_max;
}

bool
ecs_arn_role_split(const char *s, struct ecs_arn_parts *out)
{
	const char *p;

	if (!ecs_arn_len_ok(s))
		return false;
	p = ecs_arn_iam_prefix(s, false, out);
	if (!p || strncmp(p, "role/", 5) != 0)
		return false;
	return ecs_arn_path_name_ok(p + 5, ECS_ROLE_NAME_MAX);
}

bool
ecs_arn_role_ok(const char *s)
{
	return ecs_arn_role_split(s, NULL);
}

bool
ecs_arn_policy_ok(const char *s)
{
	const char *p;

	if (!ecs_arn_len_ok(s))
		return false;
	p = ecs_arn_iam_prefix(s, true, NULL);
	if (!p || strncmp(p, "policy/", 7) != 0)
		return false;
	return ecs_arn_path_name_ok(p + 7, ECS_POLICY_NAME_MAX);
}

bool
ecs_arn_provider_ok(const char *s)
{
	const char *p;
	size_t n = 0;

	if (!ecs_arn_len_ok(s))
		return false;
	p = ecs_arn_iam_prefix(s, false, NULL);
	if (!p || strncmp(p, "saml-provider/", 14) != 0)
		return false;
	/* IAM: [\w._-]{1,128} */
	for (p += 14; *p; p++, n++)
		if (!ecs_is_portable_char(*p))
			return false;
	return n >= 1 && n <= ECS_PROVIDER_NAME_MAX;
}

int
ecs_name_policy_init(struct ecs_name_policy *p, const char *rule, bool lowercase)
{
	int r;

	memset(p, 0, sizeof(*p));
	p->lowercase = lowercase;
	if (rule == NULL || rule[0] == '\0')
		return 0;
	r = ecs_name_rule_compile(rule, &p->rule);
	if (r < 0)
		return r;
	p->has_rule = true;
	return 0;
}

void
ecs_name_policy_free(struct ecs_name_policy *p)
{
	if (p->has_rule)
		regfree(&p->rule);
	p->has_rule = false;
}

const char *
ecs_name_policy_refusal(const struct ecs_name_policy *p, const char *name)
{
	const char *why = ecs_name_user_hard_refusal(name);
	size_t i;

	if (why != NULL)
		return why;
	/* No capitals by default, so that Alice and alice are never two accounts; and none
	 * when mapping, since no mapped name has any (whatever a rule would admit). */
	if (p->lowercase || !p->has_rule) {
		for (i = 0; name[i]; i++)
			if (name[i] >= 'A' && name[i] <= 'Z')
				return p->lowercase ? "it has capital letters (user_name_lowercase "
						      "is on: the user is the lower-case name)"
						    : "it has capital letters (user_name_lowercase "
						      "maps them)";
	}
	if (p->has_rule && !ecs_name_rule_match(&p->rule, name))
		return "it does not match user_name_rule";
	return NULL;
}

bool
ecs_name_policy_ok(const struct ecs_name_policy *p, const char *name)
{
	return ecs_name_policy_refusal(p, name) == NULL;
}

int
ecs_name_policy_map(const struct ecs_name_policy *p, const char *src, size_t len,
		    char out[ECS_NAME_USER_MAX + 1], const char **why)
{
	size_t n = len < ECS_NAME_USER_MAX ? len : ECS_NAME_USER_MAX;
	size_t i;

	for (i = 0; i < n; i++) {
		char c = src[i];

		out[i] = p->lowercase && c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	out[n] = '\0';
	if (memchr(src, '\0', len) != NULL) {
		*why = "it has a NUL byte";
		return -EINVAL;
	}
	if (len > ECS_NAME_USER_MAX) {
		*why = ecs_name_bad_byte(src, len);
		if (*why == NULL)
			*why = "it is longer than 32 bytes";
		return -EINVAL;
	}
	*why = ecs_name_policy_refusal(p, out);
	return *why == NULL ? 0 : -EINVAL;
}

/* The end of the bracket expression that starts at s (s[0] == '['), or NULL: a ']' first
 * (or after '^') is a member, and so is anything inside [: :], [. .] and [= =]. */
static const char *
bracket_end(const char *s)
{
	const char *p = s + 1;

	if (*p == '^')
		p++;
	if (*p == ']')
		p++;
	for (; *p != '\0'; p++) {
		if (*p == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
			char close = p[1];

			for (p += 2; *p != '\0' && !(p[0] == close && p[1] == ']'); p++)
				;
			if (*p == '\0')
				return NULL;
			p++;
		} else if (*p == ']') {
			return p;
		}
	}
	return NULL;
}

/* An interval's larger bound ({n}, {n,}: n + 1, {n,m}: m), and *end at its '}'; -1 when
 * s is no interval (glibc then reads the '{' as a literal). */
static long
interval_bound(const char *s, const char **end)
{
	long lo = 0, hi = -1;
	const char *p = s + 1;

	if (!ecs_is_digit(*p))
		return -1;
	for (; ecs_is_digit(*p); p++)	/* every digit read; the value capped past the limit */
		lo = lo > ECS_NAME_RULE_POSITIONS ? lo : lo * 10 + (*p - '0');
	if (*p == ',') {
		p++;
		hi = lo + 1;
		if (ecs_is_digit(*p))
			for (hi = 0; ecs_is_digit(*p); p++)
				hi = hi > ECS_NAME_RULE_POSITIONS ? hi : hi * 10 + (*p - '0');
	}
	if (*p != '}')
		return -1;
	*end = p;
	return hi > lo ? hi : lo;
}

const char *
ecs_name_rule_shape(const char *ere)
{
	/* positions so far at each open group, and the size of the last atom at each */
	long sum[ECS_NAME_RULE_MAX + 1] = { 0 }, last[ECS_NAME_RULE_MAX + 1] = { 0 };
	const char *p, *end;
	bool after_rep = false;
	int depth = 0;
	long atom, k;

	if (strlen(ere) > ECS_NAME_RULE_MAX)
		return "it is longer than 256 characters";
	for (p = ere; *p != '\0'; p++) {
		atom = 1;
		switch (*p) {
		case '\\':
			if (p[1] != '\0')
				p++;
			break;
		case '[':
			end = bracket_end(p);
			if (end == NULL)
				return NULL;	/* regcomp says what is wrong */
			p = end;
			break;
		case '(':
			sum[++depth] = 0;
			last[depth] = 0;
			after_rep = false;
			continue;
		case ')':
			if (depth > 0)
				atom = sum[depth--];
			break;
		case '|':
			after_rep = false;
			continue;
		case '*':
		case '+':
		case '?':
		case '{':
			k = *p == '{' ? interval_bound(p, &end) : 1;
			if (k < 0)
				break;	/* a literal '{' */
			if (after_rep)
				return "it has two repetitions in a row (like a+* or a{2}+), which "
				       "POSIX leaves undefined";
			if (*p == '{')
				p = end;
			after_rep = true;
			if (k > 1) {
				sum[depth] += last[depth] * (k - 1);
				last[depth] *= k;
			}
			if (sum[depth] > ECS_NAME_RULE_POSITIONS)
				goto too_large;
			continue;
		default:
			break;
		}
		sum[depth] += atom;
		last[depth] = atom;
		after_rep = false;
		if (sum[depth] > ECS_NAME_RULE_POSITIONS)
			goto too_large;
	}
	return NULL;
too_large:
	return "its repetitions expand to more than 2048 positions";
}

int
ecs_name_rule_compile(const char *ere, regex_t *re)
{
	int rc;

	if (ecs_name_rule_shape(ere) != NULL)
		return -EINVAL;

	/* Compiled as written, never wrapped in text: glibc reads an unmatched ')' as a
	 * literal, so "^(" ere ")$" can be closed early by the expression itself. Whole-name
	 * matching is checked on the match offsets instead (ecs_name_rule_match). */
	rc = regcomp(re, ere, REG_EXTENDED);
	if (rc != 0)
		return rc == REG_ESPACE ? -ENOMEM : -EINVAL;
	return 0;
}

bool
ecs_name_rule_match(const regex_t *re, const char *name)
{
	regmatch_t m;

	/* POSIX reports the leftmost match and, among those, the longest: if any match spans
	 * the whole name, this one starts at 0 and ends at its end */
	if (regexec(re, name, 1, &m, 0) != 0)
		return false;
	return m.rm_so == 0 && (size_t)m.rm_eo == strlen(name);
}

bool
ecs_name_vpce_ok(const char *s)
{
	size_t n;

	if (!s || strncmp(s, "vpce-", 5) != 0)
		return false;
	n = strlen(s + 5);
	return (n == 8 || n == 17) && ecs_name_hex_ok(s + 5, n);
}

static bool
ecs_is_key_id_char(char c)
{
	return ecs_is_alnum(c) || c == '-';
}

bool
ecs_arn_kms_key_ok(const char *s)
{
	char region[ECS_NAME_REGION_MAX + 1];
	const char *p;
	size_t n;
	int i;

	if (!ecs_arn_len_ok(s) || strncmp(s, "arn:aws", 7) != 0)
		return false;
	p = s + 7;
	while (*p == '-') {
		p++;
		if (!ecs_is_lower(*p))
			return false;
		while (ecs_is_lower(*p))
			p++;
	}
	if ((size_t)(p - (s + 4)) > ECS_ARN_PARTITION_MAX || strncmp(p, ":kms:", 5) != 0)
		return false;
	p += 5;
	n = strcspn(p, ":");
	if (n == 0 || n > ECS_NAME_REGION_MAX || p[n] != ':')
		return false;
	memcpy(region, p, n);
	region[n] = '\0';
	if (!ecs_name_region_ok(region))
		return false;
	p += n + 1;
	for (i = 0; i < ECS_ARN_ACCOUNT_LEN; i++)
		if (!ecs_is_digit(p[i]))
			return false;
	p += ECS_ARN_ACCOUNT_LEN;
	if (strncmp(p, ":key/", 5) != 0)
		return false;
	return ecs_all_of(p + 5, 1, 64, ecs_is_key_id_char);
}
