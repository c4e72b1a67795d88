/* ecs_conf.c — the table of configuration keys and the rules for one key = value.
 *
 * Every key is one row of ecs_conf_keys: its type says how the value is parsed and where it
 * is stored (offset into struct ecs_conf), min/max bound numbers (or the count of a list),
 * flags add syntax checks and mark file-only keys, def/defstr are the built-in default.
 * Reading files and module arguments lives in ecs_conf_parse.c; both end up in ecs_conf_set. */
#include <errno.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecs_aws_net.h"
#include "ecs_b64.h"
#include "ecs_cidr.h"
#include "ecs_conf.h"
#include "ecs_err.h"
#include "ecs_limits.h"
#include "ecs_names.h"
#include "ecs_redis_url.h"
#include "ecs_str.h"

enum ecs_conf_type {
	ECS_CT_UNSIGNED,	/* unsigned in [min, max] */
	ECS_CT_U32,		/* uint32_t in [min, max] */
	ECS_CT_BOOL,
	ECS_CT_STRING,		/* char *, checked by flags */
	ECS_CT_LIST,		/* struct ecs_strlist of at most max values, checked by flags */
	ECS_CT_IDP_METADATA,	/* starts a new IdP described by a metadata file */
	ECS_CT_IDP_ENTITY,	/* starts a new IdP with an explicit entity ID */
	ECS_CT_IDP_CERT,	/* adds a certificate to the IdP started by idp_entity_id */
	ECS_CT_USER_SOURCE,	/* role_session_name | nameid | an attribute name */
};

enum {
	ECS_CF_PATH = 1 << 0,	/* absolute path without ".." components */
	ECS_CF_EMPTY = 1 << 1,	/* an empty value is allowed and means "off" */
	ECS_CF_TOKEN = 1 << 2,	/* no spaces */
	ECS_CF_REGION = 1 << 3,	/* an AWS region name (ecs_name_region_ok) */
	ECS_CF_HTTPS = 1 << 4,	/* an https:// URL */
	ECS_CF_NAME = 1 << 5,	/* a Unix group name (ecs_name_group_ok) */
	ECS_CF_ERE = 1 << 6,	/* a POSIX extended regular expression (checked in finish) */
	ECS_CF_FILE_ONLY = 1 << 7,	/* refused as a module argument: the NSS module, which
					 * reads only the file, must see the same value */
	ECS_CF_POLICY_ARN = 1 << 8,	/* an IAM policy ARN (ecs_arn_policy_ok) */
	ECS_CF_CLUSTER = 1 << 9,	/* an ECS cluster name (ecs_name_cluster_ok) */
	ECS_CF_PIN = 1 << 10,		/* sha256//BASE64[;sha256//BASE64...] (ecs_conf_pins_ok) */
	ECS_CF_REPLAY = 1 << 11,	/* the replay cache: file-only, since every PAM service
					 * (sshd, sudo) must share one cache, or a Response would
					 * log in once per service; errors are config-replay-cache */
	ECS_CF_REPLAY_URL = 1 << 12,	/* "file" or a Redis URL (ecs_redis_url.h) */
	ECS_CF_PROXY = 1 << 13,		/* the STS proxy's keys: errors are config-sts-proxy */
	ECS_CF_PINNING = 1 << 14,	/* what the session policy adds: errors are
					 * config-pinning */
	ECS_CF_CIDR = 1 << 15,		/* an IP network (ecs_cidr_parse) */
	ECS_CF_VPCE = 1 << 16,		/* a VPC endpoint ID (ecs_name_vpce_ok) */
	ECS_CF_KMS_KEY = 1 << 17,	/* a KMS key ARN (ecs_arn_kms_key_ok) */
};

struct ecs_conf_key {
	const char *name;
	enum ecs_conf_type type;
	size_t offset;
	uint64_t min;
	uint64_t max;
	unsigned flags;
	uint64_t def;		/* numbers and booleans */
	const char *defstr;	/* strings and lists, applied by ecs_conf_finish; a list's
				 * values are tokens, so one string holds several, separated
				 * by single spaces */
};

#define ECS_UID_LIMIT 2147483646u	/* below 2^31 - 1, which some tools read as "-1" */

#define OFF(f) offsetof(struct ecs_conf, f)

static const struct ecs_conf_key ecs_conf_keys[] = {
	{ "idp_metadata", ECS_CT_IDP_METADATA, 0, 0, 0, ECS_CF_PATH, 0, NULL },
	{ "idp_entity_id", ECS_CT_IDP_ENTITY, 0, 0, 0, ECS_CF_TOKEN, 0, NULL },
	{ "idp_cert", ECS_CT_IDP_CERT, 0, 0, 0, ECS_CF_PATH, 0, NULL },
	/* AWS's SP entity ID, and the Identifier that Entra ID's (and Google's) stock AWS
	 * application sends as the Audience; STS accepts both. */
	{ "audience", ECS_CT_LIST, OFF(audience), 0, ECS_CONF_MAX_LIST, ECS_CF_TOKEN, 0,
	  "urn:amazon:webservices https://signin.aws.amazon.com/saml" },
	{ "recipient", ECS_CT_LIST, OFF(recipient), 0, ECS_CONF_MAX_LIST, ECS_CF_TOKEN, 0,
	  "https://signin.aws.amazon.com/saml" },
	{ "clock_skew", ECS_CT_UNSIGNED, OFF(clock_skew), 0, 3600, 0, 180, NULL },
	{ "max_assertion_age", ECS_CT_UNSIGNED, OFF(max_assertion_age), 1, 86400, 0, 300, NULL },
	{ "allow_sha1", ECS_CT_BOOL, OFF(allow_sha1), 0, 0, 0, 0, NULL },
	{ "user_source", ECS_CT_USER_SOURCE, 0, 0, 0, ECS_CF_TOKEN, 0, NULL },
	{ "user_strip_suffix", ECS_CT_STRING, OFF(user_strip_suffix), 0, 0, ECS_CF_TOKEN, 0,
	  NULL },
	{ "user_name_rule", ECS_CT_STRING, OFF(user_name_rule), 0, 0,
	  ECS_CF_EMPTY | ECS_CF_ERE | ECS_CF_FILE_ONLY, 0, NULL },
	{ "user_name_lowercase", ECS_CT_BOOL, OFF(user_name_lowercase), 0, 0, ECS_CF_FILE_ONLY,
	  0, NULL },
	{ "require_source_identity", ECS_CT_BOOL, OFF(require_source_identity), 0, 0, 0, 0,
	  NULL },
	{ "allowed_roles", ECS_CT_LIST, OFF(allowed_roles), 0, ECS_CONF_MAX_LIST, ECS_CF_TOKEN,
	  0, NULL },
	{ "state_dir", ECS_CT_STRING, OFF(state_dir), 0, 0, ECS_CF_PATH | ECS_CF_FILE_ONLY, 0,
	  "/var/lib/pam_ecs_saml" },
	/* the unprivileged account the helper validates Responses as (helper/privsep.h);
	 * make install creates it */
	{ "privsep_user", ECS_CT_STRING, OFF(privsep_user), 0, 0, ECS_CF_NAME | ECS_CF_FILE_ONLY,
	  0, "_ecs-saml" },
	{ "region", ECS_CT_STRING, OFF(region), 0, 0, ECS_CF_REGION, 0, NULL },
	{ "sts_endpoint", ECS_CT_STRING, OFF(sts_endpoint), 0, 0, ECS_CF_HTTPS, 0, NULL },
	{ "sts_ca_file", ECS_CT_STRING, OFF(sts_ca_file), 0, 0, ECS_CF_PATH, 0, NULL },
	{ "sts_pin_sha256", ECS_CT_STRING, OFF(sts_pin_sha256), 0, 0, ECS_CF_PIN, 0, NULL },
	/* the HTTP CONNECT proxy STS is reached through, and its credentials (ecs_aws_net.h) */
	{ "sts_proxy", ECS_CT_STRING, OFF(sts_proxy), 0, 0, ECS_CF_PROXY, 0, NULL },
	{ "sts_proxy_auth_file", ECS_CT_STRING, OFF(sts_proxy_auth_file), 0, 0,
	  ECS_CF_PATH | ECS_CF_PROXY, 0, NULL },
	{ "aws_config_snippet", ECS_CT_STRING, OFF(aws_config_snippet), 0, 0, ECS_CF_PATH, 0,
	  NULL },
	{ "sts_timeout", ECS_CT_UNSIGNED, OFF(sts_timeout), 1, 120, 0, 10, NULL },
	/* where the teardown at logout sends ssm:TerminateSession (helper/exec_teardown.h) */
	{ "ssm_endpoint", ECS_CT_STRING, OFF(ssm_endpoint), 0, 0, ECS_CF_HTTPS, 0, NULL },
	{ "duration_seconds", ECS_CT_UNSIGNED, OFF(duration_seconds), ECS_STS_MIN_DURATION,
	  ECS_STS_MAX_DURATION, 0, 3600, NULL },
	{ "session_policy", ECS_CT_STRING, OFF(session_policy), 0, 0, ECS_CF_PATH, 0, NULL },
	{ "policy_arns", ECS_CT_LIST, OFF(policy_arns), 0, ECS_STS_MAX_POLICY_ARNS, ECS_CF_POLICY_ARN,
	  0, NULL },
	{ "ecs_clusters", ECS_CT_LIST, OFF(ecs_clusters), 0, ECS_CONF_MAX_CLUSTERS, ECS_CF_CLUSTER,
	  0, NULL },
	{ "pin_source_ip", ECS_CT_LIST, OFF(pin_source_ip), 0, ECS_CONF_MAX_LIST,
	  ECS_CF_TOKEN | ECS_CF_PINNING | ECS_CF_CIDR, 0, NULL },
	{ "pin_source_vpce", ECS_CT_LIST, OFF(pin_source_vpce), 0, ECS_CONF_MAX_LIST,
	  ECS_CF_TOKEN | ECS_CF_PINNING | ECS_CF_VPCE, 0, NULL },
	{ "exec_kms_key", ECS_CT_LIST, OFF(exec_kms_key), 0, ECS_CONF_MAX_LIST,
	  ECS_CF_TOKEN | ECS_CF_PINNING | ECS_CF_KMS_KEY, 0, NULL },
	{ "nss_first_login", ECS_CT_STRING, OFF(nss_first_login), 0, 0,
	  ECS_CF_EMPTY | ECS_CF_ERE | ECS_CF_FILE_ONLY, 0, NULL },
	{ "nss_uid_min", ECS_CT_U32, OFF(nss_uid_min), 1000, ECS_UID_LIMIT, ECS_CF_FILE_ONLY,
	  1879113728, NULL },
	{ "nss_uid_max", ECS_CT_U32, OFF(nss_uid_max), 1000, ECS_UID_LIMIT, ECS_CF_FILE_ONLY,
	  2147352575, NULL },
	{ "nss_group", ECS_CT_STRING, OFF(nss_group), 0, 0, ECS_CF_NAME | ECS_CF_FILE_ONLY, 0,
	  "ecs-saml" },
	{ "nss_gid", ECS_CT_U32, OFF(nss_gid), 1000, ECS_UID_LIMIT, ECS_CF_FILE_ONLY, 1879048192,
	  NULL },
	{ "nss_home", ECS_CT_STRING, OFF(nss_home), 0, 0, ECS_CF_PATH | ECS_CF_FILE_ONLY, 0,
	  "/home/%u" },
	{ "nss_shell", ECS_CT_STRING, OFF(nss_shell), 0, 0, ECS_CF_PATH | ECS_CF_FILE_ONLY, 0,
	  "/bin/bash" },
	{ "replay_cache", ECS_CT_STRING, OFF(replay_cache), 0, 0,
	  ECS_CF_TOKEN | ECS_CF_REPLAY | ECS_CF_REPLAY_URL, 0, "file" },
	{ "redis_user", ECS_CT_STRING, OFF(redis_user), 0, 0, ECS_CF_TOKEN | ECS_CF_REPLAY, 0,
	  NULL },
	{ "redis_password_file", ECS_CT_STRING, OFF(redis_password_file), 0, 0,
	  ECS_CF_PATH | ECS_CF_REPLAY, 0, NULL },
	{ "redis_ca_file", ECS_CT_STRING, OFF(redis_ca_file), 0, 0, ECS_CF_PATH | ECS_CF_REPLAY,
	  0, NULL },
	{ "redis_key_prefix", ECS_CT_STRING, OFF(redis_key_prefix), 0, 0,
	  ECS_CF_TOKEN | ECS_CF_REPLAY, 0, "pam_ecs_saml:replay:" },
	{ "redis_connect_timeout_ms", ECS_CT_UNSIGNED, OFF(redis_connect_timeout_ms), 10, 60000,
	  ECS_CF_REPLAY, 1000, NULL },
	{ "redis_timeout_ms", ECS_CT_UNSIGNED, OFF(redis_timeout_ms), 10, 60000, ECS_CF_REPLAY,
	  1000, NULL },
	/* the helper's JSON-lines audit file (helper/audit.h); file-only: sshd and sudo write
	 * the one file */
	{ "audit_log", ECS_CT_STRING, OFF(audit_log), 0, 0, ECS_CF_PATH | ECS_CF_FILE_ONLY, 0,
	  NULL },
	{ "debug", ECS_CT_BOOL, OFF(debug), 0, 0, 0, 0, NULL },
};

#define ECS_CONF_NKEYS (sizeof(ecs_conf_keys) / sizeof(ecs_conf_keys[0]))
_Static_assert(ECS_CONF_NKEYS <= 64, "one bit per key in seen_file/seen_arg");

int
ecs_conf_err(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	if (err && errsz) {
		va_start(ap, fmt);
		vsnprintf(err, errsz, fmt, ap);
		va_end(ap);
	}
	return -ECS_ECONFIG;
}

static void *
ecs_conf_field(struct ecs_conf *c, const struct ecs_conf_key *k)
{
	return (char *)c + k->offset;
}

static const struct ecs_conf_key *
ecs_conf_lookup(const char *key)
{
	size_t i;

	for (i = 0; i < ECS_CONF_NKEYS; i++)
		if (strcmp(ecs_conf_keys[i].name, key) == 0)
			return &ecs_conf_keys[i];
	return NULL;
}

bool
ecs_conf_is_key(const char *key)
{
	return ecs_conf_lookup(key) != NULL;
}

/* No component of an absolute path may be "..": a reviewer reading the configuration
 * should see the file that is used. */
static bool
ecs_conf_path_ok(const char *s)
{
	const char *p;

	if (s[0] != '/')
		return false;
	for (p = s; (p = strstr(p, "/..")) != NULL; p += 3)
		if (p[3] == '/' || p[3] == 0)
			return false;
	return true;
}

/* Public-key pins as libcurl's CURLOPT_PINNEDPUBLICKEY takes them: "sha256//" and the
 * base64 of a 32-byte SHA-256 digest, several joined by ';'. Checked here, at load, so that
 * a typo is a configuration error naming the key, not a refused TLS handshake at a login. */
static bool
ecs_conf_pins_ok(const char *v)
{
	static const char prefix[] = "sha256//";
	struct ecs_buf digest;
	size_t n;
	bool ok = true;

	ecs_buf_init(&digest, 64);
	while (ok) {
		n = strcspn(v, ";");
		ok = n == sizeof(prefix) - 1 + 44 && strncmp(v, prefix, sizeof(prefix) - 1) == 0 &&
		     ecs_b64_decode(v + sizeof(prefix) - 1, 44, &digest) == 0 && digest.len == 32;
		ecs_buf_free(&digest);
		if (v[n] == 0)
			break;
		v += n + 1;
	}
	return ok;
}

/* Syntax checks shared by strings and list values. NULL when fine, else why not. */
static const char *
ecs_conf_check_value(const struct ecs_conf_key *k, const char *v)
{
	struct ecs_redis_url url;
	struct ecs_proxy_url proxy;
	const unsigned char *p;
	const char *why;
	struct ecs_cidr net;

	if (!*v)
		return k->flags & ECS_CF_EMPTY ? NULL : "empty value";
	for (p = (const unsigned char *)v; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return "control character in value";
		if (*p == ' ' && (k->flags & ECS_CF_TOKEN))
			return "space in value";
	}
	if ((k->flags & ECS_CF_PATH) && !ecs_conf_path_ok(v))
		return "not an absolute path (or it contains '..')";
	if ((k->flags & ECS_CF_REGION) && !ecs_name_region_ok(v))
		return "not an AWS region name";
	if ((k->flags & ECS_CF_HTTPS) && (!ecs_startswith(v, "https://") || !v[8] ||
					  strchr(v, ' ')))
		return "not an https:// URL";
	if ((k->flags & ECS_CF_NAME) && !ecs_name_group_ok(v))
		return "not a valid group name";
	if ((k->flags & ECS_CF_POLICY_ARN) && !ecs_arn_policy_ok(v))
		return "not an IAM policy ARN (arn:PARTITION:iam::ACCOUNT:policy/NAME)";
	if ((k->flags & ECS_CF_CLUSTER) && !ecs_name_cluster_ok(v))
		return "not an ECS cluster name ([A-Za-z0-9_-], at most 255)";
	if ((k->flags & ECS_CF_PIN) && !ecs_conf_pins_ok(v))
		return "not sha256//BASE64 public-key pins separated by ';' (each the base64 of "
		       "the SHA-256 of a DER public key: 44 characters)";
	if ((k->flags & ECS_CF_CIDR) && ecs_cidr_parse(v, &net, &why) < 0)
		return why;
	if ((k->flags & ECS_CF_VPCE) && !ecs_name_vpce_ok(v))
		return "not a VPC endpoint ID (vpce- and 8 or 17 lowercase hex digits)";
	if ((k->flags & ECS_CF_KMS_KEY) && !ecs_arn_kms_key_ok(v))
		return "not a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID; not an alias)";
	if ((k->flags & ECS_CF_REPLAY_URL) && !ecs_replay_cache_is_file(v))
		return ecs_redis_url_parse(v, &url);
	if (k->offset == OFF(sts_proxy))
		return ecs_proxy_url_parse(v, &proxy);
	if (k->offset == OFF(redis_key_prefix) && strlen(v) > 64)
		return "longer than 64 characters";
	return NULL;
}

static int
ecs_conf_list_add(struct ecs_strlist *l, unsigned max, const char *v)
{
	char *copy;

	if (l->n >= max || l->n >= ECS_CONF_LIST_CAP)
		return -E2BIG;
	copy = strdup(v);
	if (!copy)
		return -ENOMEM;
	l->v[l->n++] = copy;
	return 0;
}

static void
ecs_conf_list_free(struct ecs_strlist *l)
{
	unsigned i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i]);
		l->v[i] = NULL;
	}
	l->n = 0;
}

static void
ecs_conf_idps_free(struct ecs_conf *c)
{
	unsigned i;

	for (i = 0; i < c->nidps; i++) {
		free(c->idps[i].metadata);
		free(c->idps[i].entity_id);
		ecs_conf_list_free(&c->idps[i].certs);
		c->idps[i].metadata = NULL;
		c->idps[i].entity_id = NULL;
	}
	c->nidps = 0;
}

/* Replace the string at *slot with a copy of v. */
static int
ecs_conf_set_string(char **slot, const char *v)
{
	char *copy = strdup(v);

	if (!copy)
		return -ENOMEM;
	free(*slot);
	*slot = copy;
	return 0;
}

static int
ecs_conf_set_number(struct ecs_conf *c, const struct ecs_conf_key *k, const char *v,
		    char *err, size_t errsz)
{
	uint64_t n;
	int r;

	r = ecs_parse_u64(v, k->min, k->max, &n);
	if (r == -ERANGE)
		return ecs_conf_err(err, errsz, "'%s': out of range %llu..%llu", k->name,
				    (unsigned long long)k->min, (unsigned long long)k->max);
	if (r < 0)
		return ecs_conf_err(err, errsz, "'%s': not a decimal number", k->name);
	if (k->type == ECS_CT_U32)
		*(uint32_t *)ecs_conf_field(c, k) = (uint32_t)n;
	else
		*(unsigned *)ecs_conf_field(c, k) = (unsigned)n;
	return 0;
}

/* idp_metadata / idp_entity_id / idp_cert. A module argument's first IdP replaces the
 * file's IdPs; an idp_cert from an argument may only follow an idp_entity_id argument. */
static int
ecs_conf_set_idp(struct ecs_conf *c, const struct ecs_conf_key *k, const char *v,
		 bool first_arg_idp, char *err, size_t errsz)
{
	struct ecs_conf_idp *idp;
	char *copy = NULL;
	int r;

	if (k->type == ECS_CT_IDP_CERT) {
		idp = c->nidps && !first_arg_idp ? &c->idps[c->nidps - 1] : NULL;
		if (!idp || !idp->entity_id)
			return ecs_conf_err(err, errsz,
					    "'idp_cert' without a preceding idp_entity_id");
		r = ecs_conf_list_add(&idp->certs, ECS_CONF_MAX_LIST, v);
		if (r == -E2BIG)
			return ecs_conf_err(err, errsz, "'idp_cert': more than %d certificates",
					    ECS_CONF_MAX_LIST);
		return r;
	}
	if (first_arg_idp)
		ecs_conf_idps_free(c);
	if (c->nidps >= ECS_CONF_MAX_IDPS)
		return ecs_conf_err(err, errsz, "'%s': more than %d IdPs", k->name,
				    ECS_CONF_MAX_IDPS);
	copy = strdup(v);
	if (!copy)
		return -ENOMEM;
	idp = &c->idps[c->nidps++];
	if (k->type == ECS_CT_IDP_METADATA)
		idp->metadata = copy;
	else
		idp->entity_id = copy;
	return 0;
}

static int
ecs_conf_set_user_source(struct ecs_conf *c, const char *v)
{
	int r;

	if (strcmp(v, "role_session_name") == 0 || strcmp(v, "nameid") == 0) {
		c->user_source = v[0] == 'r' ? ECS_USER_FROM_SESSION_NAME : ECS_USER_FROM_NAMEID;
		free(c->user_attribute);
		c->user_attribute = NULL;
		return 0;
	}
	r = ecs_conf_set_string(&c->user_attribute, v);
	if (r < 0)
		return r;
	c->user_source = ECS_USER_FROM_ATTRIBUTE;
	return 0;
}

static bool
ecs_conf_repeatable(const struct ecs_conf_key *k)
{
	return k->type == ECS_CT_LIST || k->type == ECS_CT_IDP_METADATA ||
	       k->type == ECS_CT_IDP_ENTITY || k->type == ECS_CT_IDP_CERT;
}

/* Bits of the keys that start an IdP (they form one list for the override rule). */
static uint64_t
ecs_conf_idp_bits(void)
{
	uint64_t bits = 0;
	size_t i;

	for (i = 0; i < ECS_CONF_NKEYS; i++)
		if (ecs_conf_keys[i].type == ECS_CT_IDP_METADATA ||
		    ecs_conf_keys[i].type == ECS_CT_IDP_ENTITY)
			bits |= UINT64_C(1) << i;
	return bits;
}

/* Name a failure's cause once (the first, most specific one wins) and pass r through. */
static int
ecs_conf_code(struct ecs_conf *c, int r, const char *code)
{
	if (r < 0 && r != -ENOMEM && c->err_code == NULL)
		c->err_code = code;
	return r;
}

static int
ecs_conf_set_one(struct ecs_conf *c, const char *key, const char *value,
		 enum ecs_conf_origin origin, char *err, size_t errsz)
{
	const struct ecs_conf_key *k = ecs_conf_lookup(key);
	uint64_t *seen = origin == ECS_CONF_ORIGIN_ARG ? &c->seen_arg : &c->seen_file;
	uint64_t bit;
	bool first_arg_idp;
	const char *why;
	bool b;
	int r = -EINVAL;

	if (!k)
		return ecs_conf_code(c, ecs_conf_err(err, errsz, "unknown key '%s'", key),
				     ECS_CONF_E_KEY);
	if (origin == ECS_CONF_ORIGIN_ARG && (k->flags & ECS_CF_REPLAY))
		return ecs_conf_code(c, ecs_conf_err(err, errsz, "'%s' can only be set in the "
						     "configuration file: sshd and sudo must share "
						     "one replay cache", k->name),
				     ECS_CONF_E_FILE_ONLY);
	if (origin == ECS_CONF_ORIGIN_ARG && (k->flags & ECS_CF_FILE_ONLY))
		return ecs_conf_code(c, ecs_conf_err(err, errsz, "'%s' can only be set in the "
						     "configuration file: the NSS module reads "
						     "only the file", k->name),
				     ECS_CONF_E_FILE_ONLY);
	bit = UINT64_C(1) << (k - ecs_conf_keys);
	first_arg_idp = origin == ECS_CONF_ORIGIN_ARG && !(c->seen_arg & ecs_conf_idp_bits());
	if (!ecs_conf_repeatable(k) && (*seen & bit))
		return ecs_conf_code(c, ecs_conf_err(err, errsz, "'%s' given twice", k->name),
				     ECS_CONF_E_REPEATED);
	if (k->type != ECS_CT_UNSIGNED && k->type != ECS_CT_U32 && k->type != ECS_CT_BOOL) {
		why = ecs_conf_check_value(k, value);
		if (why)
			return ecs_conf_err(err, errsz, "'%s': %s", k->name, why);
	}
	switch (k->type) {
	case ECS_CT_UNSIGNED:
	case ECS_CT_U32:
		r = ecs_conf_set_number(c, k, value, err, errsz);
		break;
	case ECS_CT_BOOL:
		r = ecs_parse_bool(value, &b);
		if (r < 0)
			return ecs_conf_err(err, errsz, "'%s': not yes/no/true/false/1/0", k->name);
		*(bool *)ecs_conf_field(c, k) = b;
		break;
	case ECS_CT_STRING:
		r = ecs_conf_set_string(ecs_conf_field(c, k), value);
		break;
	case ECS_CT_LIST:
		/* the first value from a module argument replaces the file's list */
		if (origin == ECS_CONF_ORIGIN_ARG && !(c->seen_arg & bit))
			ecs_conf_list_free(ecs_conf_field(c, k));
		r = ecs_conf_list_add(ecs_conf_field(c, k), (unsigned)k->max, value);
		if (r == -E2BIG)
			return ecs_conf_err(err, errsz, "'%s': more than %llu values", k->name,
					    (unsigned long long)k->max);
		break;
	case ECS_CT_IDP_METADATA:
	case ECS_CT_IDP_ENTITY:
	case ECS_CT_IDP_CERT:
		r = ecs_conf_set_idp(c, k, value, first_arg_idp, err, errsz);
		break;
	case ECS_CT_USER_SOURCE:
		r = ecs_conf_set_user_source(c, value);
		break;
	}
	if (r == -ENOMEM)
		ecs_conf_err(err, errsz, "'%s': out of memory", k->name);
	if (r < 0)
		return r;
	*seen |= bit;
	return 0;
}

void
ecs_conf_init(struct ecs_conf *c)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	c->user_source = ECS_USER_FROM_SESSION_NAME;
	for (i = 0; i < ECS_CONF_NKEYS; i++) {
		const struct ecs_conf_key *k = &ecs_conf_keys[i];

		if (k->type == ECS_CT_UNSIGNED)
			*(unsigned *)ecs_conf_field(c, k) = (unsigned)k->def;
		else if (k->type == ECS_CT_U32)
			*(uint32_t *)ecs_conf_field(c, k) = (uint32_t)k->def;
		else if (k->type == ECS_CT_BOOL)
			*(bool *)ecs_conf_field(c, k) = k->def != 0;
	}
}

/* Fill an empty list with the space-separated values of def. */
static int
ecs_conf_list_default(struct ecs_strlist *l, const char *def)
{
	char *v;
	size_t n;
	int r;

	while (*def) {
		n = strcspn(def, " ");
		v = strndup(def, n);
		if (!v)
			return -ENOMEM;
		r = ecs_conf_list_add(l, ECS_CONF_MAX_LIST, v);
		free(v);
		if (r < 0)
			return r;
		def += n + (def[n] == ' ');
	}
	return 0;
}

/* String and list defaults, and the STS endpoint derived from the region. */
static int
ecs_conf_apply_defaults(struct ecs_conf *c)
{
	char url[128];
	size_t i;
	int r;

	for (i = 0; i < ECS_CONF_NKEYS; i++) {
		const struct ecs_conf_key *k = &ecs_conf_keys[i];

		if (!k->defstr)
			continue;
		if (k->type == ECS_CT_STRING && !*(char **)ecs_conf_field(c, k)) {
			r = ecs_conf_set_string(ecs_conf_field(c, k), k->defstr);
			if (r < 0)
				return r;
		} else if (k->type == ECS_CT_LIST &&
			   ((struct ecs_strlist *)ecs_conf_field(c, k))->n == 0) {
			r = ecs_conf_list_default(ecs_conf_field(c, k), k->defstr);
			if (r < 0)
				return r;
		}
	}
	if (c->region && !c->sts_endpoint) {
		r = ecs_aws_endpoint("sts", c->region, "/", url, sizeof(url));
		if (r < 0)
			return r;
		r = ecs_conf_set_string(&c->sts_endpoint, url);
		if (r < 0)
			return r;
	}
	return 0;
}

int
ecs_conf_set(struct ecs_conf *c, const char *key, const char *value,
	     enum ecs_conf_origin origin, char *err, size_t errsz)
{
	const struct ecs_conf_key *k = ecs_conf_lookup(key);

	/* whatever else went wrong with a known key, it is its value */
	return ecs_conf_code(c, ecs_conf_set_one(c, key, value, origin, err, errsz),
			     k != NULL && (k->flags & ECS_CF_REPLAY) ? ECS_CONF_E_REPLAY_CACHE :
			     k != NULL && (k->flags & ECS_CF_PROXY) ? ECS_CONF_E_STS_PROXY :
			     k != NULL && (k->flags & ECS_CF_PINNING) ? ECS_CONF_E_PINNING :
			     ECS_CONF_E_VALUE);
}

/* The expressions this process has compiled and found good, by key, once
 * ecs_conf_remember_rules asked for it (ecs_conf.h). */
static bool remember_rules;
static char *good_rule[ECS_CONF_NKEYS];

void
ecs_conf_remember_rules(void)
{
	remember_rules = true;
}

/* Check one expression: compile it (and throw it away), unless remembered as good. */
static int
ecs_conf_check_rule(unsigned i, const char *v)
{
	regex_t re;
	int r;

	if (remember_rules && good_rule[i] != NULL && strcmp(good_rule[i], v) == 0)
		return 0;
	r = ecs_name_rule_compile(v, &re);
	if (r < 0)
		return r;
	regfree(&re);
	if (remember_rules) {
		/* a failed copy only means compiling again next time */
		free(good_rule[i]);
		good_rule[i] = strdup(v);
	}
	return 0;
}

static int
ecs_conf_check(struct ecs_conf *c, char *err, size_t errsz)
{
	unsigned i;
	int r;

	r = ecs_conf_apply_defaults(c);
	if (r == -ENAMETOOLONG)
		return ecs_conf_err(err, errsz, "'region': too long for an STS endpoint");
	if (r < 0) {
		ecs_conf_err(err, errsz, "configuration defaults: %s", ecs_strerror(r));
		return r;
	}
	if (c->nss_uid_min >= c->nss_uid_max)
		return ecs_conf_err(err, errsz, "'nss_uid_min' must be below 'nss_uid_max'");
	for (i = 0; i < c->nidps; i++)
		if (c->idps[i].entity_id && c->idps[i].certs.n == 0)
			return ecs_conf_err(err, errsz, "idp_entity_id '%s' has no idp_cert",
					    c->idps[i].entity_id);
	/* compiled here only to refuse a bad expression early; whoever uses one compiles its
	 * own copy */
	for (i = 0; i < ECS_CONF_NKEYS; i++) {
		const struct ecs_conf_key *k = &ecs_conf_keys[i];
		const char *v;

		if (!(k->flags & ECS_CF_ERE))
			continue;
		v = *(char **)ecs_conf_field(c, k);
		if (v == NULL || *v == '\0')
			continue;
		r = ecs_conf_check_rule(i, v);
		if (r == -ENOMEM)
			return r;
		if (r < 0)
			return ecs_conf_err(err, errsz, "'%s': %s", k->name,
					    ecs_name_rule_shape(v) ?:
					    "not a valid extended regular expression");
	}
	return 0;
}

/* The redis_* keys must agree with replay_cache: a key that cannot take effect is an
 * administrator's mistake (a forgotten replay_cache, a CA for a plain-TCP URL), said now
 * rather than found at the first login. */
static int
ecs_conf_check_replay(const struct ecs_conf *c, char *err, size_t errsz)
{
	struct ecs_redis_url url;
	const char *redis_key = c->redis_user ? "redis_user" :
				c->redis_password_file ? "redis_password_file" :
				c->redis_ca_file ? "redis_ca_file" : NULL;

	if (ecs_replay_cache_is_file(c->replay_cache))
		return redis_key == NULL ? 0 :
			ecs_conf_err(err, errsz, "'%s' is set, but replay_cache is 'file' (set "
				     "replay_cache to the Redis URL)", redis_key);
	if (ecs_redis_url_parse(c->replay_cache, &url) != NULL)
		return ecs_conf_err(err, errsz, "'replay_cache': not a Redis URL");
	if (c->redis_ca_file && url.transport != ECS_REDIS_TLS)
		return ecs_conf_err(err, errsz, "'redis_ca_file' is set, but replay_cache is no "
				    "rediss:// URL (TLS)");
	if (c->redis_user && !c->redis_password_file)
		return ecs_conf_err(err, errsz, "'redis_user' needs 'redis_password_file' (an ACL "
				    "user logs in with a password)");
	return 0;
}

/* Credentials for a proxy that is not used are an administrator's mistake (a forgotten
 * sts_proxy line): said at load, not found when the first login goes direct. */
static int
ecs_conf_check_proxy(const struct ecs_conf *c, char *err, size_t errsz)
{
	if (c->sts_proxy_auth_file && !c->sts_proxy)
		return ecs_conf_err(err, errsz, "'sts_proxy_auth_file' is set, but sts_proxy is "
				    "not (set sts_proxy = http://HOST:PORT)");
	return 0;
}

int
ecs_conf_finish(struct ecs_conf *c, char *err, size_t errsz)
{
	int r;

	/* the cross-key rules: values that do not agree */
	r = ecs_conf_code(c, ecs_conf_check(c, err, errsz), ECS_CONF_E_VALUE);
	if (r == 0)
		r = ecs_conf_code(c, ecs_conf_check_replay(c, err, errsz),
				  ECS_CONF_E_REPLAY_CACHE);
	if (r == 0)
		r = ecs_conf_code(c, ecs_conf_check_proxy(c, err, errsz), ECS_CONF_E_STS_PROXY);
	return r;
}

void
ecs_conf_free(struct ecs_conf *c)
{
	size_t i;

	for (i = 0; i < ECS_CONF_NKEYS; i++) {
		const struct ecs_conf_key *k = &ecs_conf_keys[i];

		if (k->type == ECS_CT_STRING)
			free(*(char **)ecs_conf_field(c, k));
		else if (k->type == ECS_CT_LIST)
			ecs_conf_list_free(ecs_conf_field(c, k));
	}
	ecs_conf_idps_free(c);
	free(c->user_attribute);
	ecs_conf_init(c);
}
