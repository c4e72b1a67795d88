/* ecs_conf.h — the configuration file /etc/security/pam_ecs_saml.conf and module arguments.
 *
 * One table of keys drives both the file (`key = value` lines, `#` comments, blank lines)
 * and PAM module arguments (`key=value`). Parsing is strict: an unknown key, a bad value,
 * a repeated non-list key, or a file that is not a regular root-owned file writable only
 * by root is an error whose message names the file and line. The same code runs in the PAM
 * module, the NSS module and the helper; it never logs: errors come back as text in err.
 *
 * Every failure also names its cause with one CODE (ECS_CONF_E_*, in err_code below), which
 * the PAM module and the helper log as code= and tell the user with (ecs_misconf.h).
 *
 * Precedence: built-in defaults < file < module arguments. A list key given as a module
 * argument replaces the file's list for that key instead of extending it (idp_metadata and
 * idp_entity_id together form the IdP list). A list key takes one value per line or
 * argument; repeat the key to add values.
 */
#ifndef ECS_CONF_H
#define ECS_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define ECS_CONF_MAX_LIST 16	/* values per repeatable key */
#define ECS_CONF_MAX_CLUSTERS 32	/* values of ecs_clusters */
#define ECS_CONF_LIST_CAP 32	/* room in a list: the largest of the two above */
#define ECS_CONF_MAX_IDPS 8
#define ECS_CONF_MAX_SIZE 65536	/* bytes in the file */
#define ECS_CONF_ERRSZ 512

/* Why a configuration does not load: one CODE per cause an administrator fixes. */
#define ECS_CONF_E_MISSING "config-missing"	/* no such file */
#define ECS_CONF_E_OWNER "config-owner"		/* the file is not root's */
#define ECS_CONF_E_MODE "config-mode"		/* the file is writable by group or others */
#define ECS_CONF_E_DIR "config-dir"		/* a directory above it: not root's, or writable */
#define ECS_CONF_E_SYMLINK "config-symlink"	/* it is, or its path passes, a symbolic link */
#define ECS_CONF_E_NOT_FILE "config-not-file"	/* not a regular file */
#define ECS_CONF_E_TOO_LARGE "config-too-large"
#define ECS_CONF_E_UNREADABLE "config-unreadable"	/* cannot be read (an I/O error) */
#define ECS_CONF_E_PRIVATE "config-unreadable-by-users"	/* not readable by others: the NSS
							 * module reads it as every user */
#define ECS_CONF_E_SYNTAX "config-syntax"	/* a line or argument that is not key = value */
#define ECS_CONF_E_KEY "config-key"		/* an unknown key */
#define ECS_CONF_E_REPEATED "config-repeated"	/* a single-valued key given twice */
#define ECS_CONF_E_FILE_ONLY "config-file-only"	/* a file-only key as a module argument */
#define ECS_CONF_E_VALUE "config-value"		/* a bad value, or keys that do not agree */
#define ECS_CONF_E_REPLAY_CACHE "config-replay-cache"	/* a bad replay_cache or redis_* value,
							 * or redis_* keys that do not agree */
#define ECS_CONF_E_STS_PROXY "config-sts-proxy"	/* a bad sts_proxy or sts_proxy_auth_file,
							 * or the file without the proxy */
#define ECS_CONF_E_PINNING "config-pinning"	/* a bad pin_source_ip, pin_source_vpce or
						 * exec_kms_key value, or one of them without
						 * a session_policy to carry it */

struct ecs_strlist {
	char *v[ECS_CONF_LIST_CAP];
	unsigned n;
};

/* One trusted IdP: either a metadata file (entity ID and every signing key come from it),
 * or an explicit entity ID with the PEM certificates that follow it in the file
 * (`idp_cert` lines belong to the nearest `idp_entity_id` above them). */
struct ecs_conf_idp {
	char *metadata;		/* path or NULL */
	char *entity_id;	/* NULL when metadata provides it */
	struct ecs_strlist certs;
};

enum ecs_user_source {
	ECS_USER_FROM_SESSION_NAME = 0,	/* RoleSessionName attribute (default) */
	ECS_USER_FROM_NAMEID,
	ECS_USER_FROM_ATTRIBUTE,	/* user_attribute names the SAML Attribute */
};

struct ecs_conf {
	/* trust and validation (issue: validator) */
	struct ecs_conf_idp idps[ECS_CONF_MAX_IDPS];
	unsigned nidps;
	struct ecs_strlist audience;	/* default urn:amazon:webservices and
					 * https://signin.aws.amazon.com/saml */
	struct ecs_strlist recipient;	/* default https://signin.aws.amazon.com/saml */
	unsigned clock_skew;		/* seconds, default 180 */
	unsigned max_assertion_age;	/* seconds since IssueInstant, default 300 */
	bool allow_sha1;		/* default no */
	enum ecs_user_source user_source;
	char *user_attribute;		/* set when user_source is an attribute name */
	char *user_strip_suffix;	/* optional, e.g. "@corp.example" */
	char *user_name_rule;		/* POSIX ERE a user name must match whole; NULL/"" =
					 * the default policy (ecs_names.h) */
	bool user_name_lowercase;	/* map the IdP's A-Z to a-z; default no */
	bool require_source_identity;	/* default no */
	struct ecs_strlist allowed_roles;	/* fnmatch globs on role ARNs; empty = any */
	char *state_dir;		/* default /var/lib/pam_ecs_saml */
	char *privsep_user;		/* the validator's sandbox account, default _ecs-saml */

	/* STS and credentials (issue: PAM module) */
	char *region;			/* e.g. eu-west-1; required for the session phase */
	char *sts_endpoint;		/* default https://sts.REGION.DNS-SUFFIX/ (the region's
					 * partition, ecs_aws_net.h) */
	char *sts_ca_file;		/* PEM bundle, the only trust when set; NULL = the system
					 * store */
	char *sts_pin_sha256;		/* "sha256//BASE64[;...]" public-key pins, or NULL */
	char *sts_proxy;		/* http://HOST:PORT (ecs_aws_net.h), or NULL: no proxy */
	char *sts_proxy_auth_file;	/* root-only file "USER:PASSWORD" for the proxy, or NULL */
	char *aws_config_snippet;	/* root-owned lines added to each session's AWS config */
	unsigned sts_timeout;		/* total budget in seconds, default 10 */
	char *ssm_endpoint;		/* SSM for the teardown's TerminateSession; NULL =
					 * https://ssm.REGION.amazonaws.com, the exec's region */
	unsigned duration_seconds;	/* default 3600, ECS_STS_MIN/MAX_DURATION */
	char *session_policy;		/* path of the JSON template; NULL = no inline policy */
	struct ecs_strlist policy_arns;
	struct ecs_strlist ecs_clusters;
	/* what the session policy adds (sts_policy.h): network pinning, a Deny for calls
	 * from anywhere but these networks / VPC endpoints; the ECS Exec KMS keys */
	struct ecs_strlist pin_source_ip;	/* CIDR networks (ecs_cidr.h) */
	struct ecs_strlist pin_source_vpce;	/* vpce-... IDs */
	struct ecs_strlist exec_kms_key;	/* KMS key ARNs */

	/* NSS (issue: NSS module) */
	char *nss_first_login;		/* POSIX ERE the whole user name must match; NULL/"" = off */
	uint32_t nss_uid_min;		/* default 1879113728 (0x70010000) */
	uint32_t nss_uid_max;		/* default 2147352575 (0x7ffdffff) */
	char *nss_group;		/* default ecs-saml */
	uint32_t nss_gid;		/* default 1879048192 (0x70000000) */
	char *nss_home;			/* default /home/%u */
	char *nss_shell;		/* default /bin/bash */

	/* one-time use: the replay cache (ecs_redis_url.h) */
	char *replay_cache;		/* "file" (default) or a Redis URL */
	char *redis_user;		/* ACL user; NULL = the default user */
	char *redis_password_file;	/* root-only file holding the password; NULL = no AUTH */
	char *redis_ca_file;		/* PEM bundle for rediss://; NULL = system store */
	char *redis_key_prefix;		/* default "pam_ecs_saml:replay:" */
	unsigned redis_connect_timeout_ms;	/* default 1000 */
	unsigned redis_timeout_ms;	/* each command's answer, default 1000 */

	/* audit (helper/audit.h) */
	char *audit_log;		/* JSON-lines audit file, root 0600; NULL = none */

	bool debug;

	/* parser state, not configuration: keys already set, one bit per key, by origin
	 * (repeated non-list keys are refused; the first list value from a module argument
	 * replaces the file's list) */
	uint64_t seen_file;
	uint64_t seen_arg;
	/* after a failure: its ECS_CONF_E_* (ecs_conf_load keeps it in the emptied c) */
	const char *err_code;
};

enum ecs_conf_origin {
	ECS_CONF_ORIGIN_FILE = 0,
	ECS_CONF_ORIGIN_ARG,
};

/* Fill c with the built-in numeric and boolean defaults. String and list defaults are
 * applied by ecs_conf_finish (so init allocates nothing and cannot fail). */
void ecs_conf_init(struct ecs_conf *c);

/* The one way every program loads its configuration. c is initialised here; then the file
 * at path is read as ecs_conf_load_file does (programs pass ECS_CONF_PATH as compiled into
 * them, or an administrator's --config; at ECS_CONF_PATH, ecs_conf_check_shared too), the
 * module arguments
 * args[0..nargs) ("key=value", or a bare boolean key) are applied over it, and
 * ecs_conf_finish checks the result. On failure err holds one line saying what is wrong and
 * where (the file and line, or the argument), and c is left empty but for c->err_code, the
 * ECS_CONF_E_* naming the cause; each program reports it once, at its own boundary (exit
 * status, PAM code, NSS status).
 * 0, -ECS_ECONFIG (a missing or bad file, a bad argument or value) or -ENOMEM. */
int ecs_conf_load(struct ecs_conf *c, const char *path, const char *const *args, size_t nargs,
		  char *err, size_t errsz);

/* The file the NSS module reads (ECS_CONF_PATH: ecs_conf_load checks it there) must be
 * readable by everyone: the NSS module reads it in every process, the users' own too, and
 * a file only root can read would leave them without names, silently. 0, or -ECS_ECONFIG
 * with err and c->err_code (ECS_CONF_E_PRIVATE) set. */
int ecs_conf_check_shared(struct ecs_conf *c, const char *path, char *err, size_t errsz);

/* Load and apply the file at path (absolute), read with ecs_safe_read_path: the file and
 * every directory above it owned by root and not writable by group or others (a sticky
 * directory excepted), no symlink on the way, a regular file of at most ECS_CONF_MAX_SIZE
 * bytes. 0, -ECS_ECONFIG (err says "PATH:LINE: why" or "PATH: why"), -ENOENT, -ENOMEM. */
int ecs_conf_load_file(struct ecs_conf *c, const char *path, char *err, size_t errsz);

/* Parse text that came from `name` (used by load_file, unit tests and the fuzzer). */
int ecs_conf_parse_text(struct ecs_conf *c, const char *text, size_t len, const char *name,
			char *err, size_t errsz);

/* Apply one key and value from the given origin. 0 or -ECS_ECONFIG with err filled. */
int ecs_conf_set(struct ecs_conf *c, const char *key, const char *value,
		 enum ecs_conf_origin origin, char *err, size_t errsz);

/* Apply a module argument "key=value" (or a bare boolean key such as "debug"). */
int ecs_conf_set_arg(struct ecs_conf *c, const char *arg, char *err, size_t errsz);

/* Apply defaults to empty lists and check cross-key rules (uid_min < uid_max, the ERE
 * compiles, a cert belongs to an entity ID, ...). Call once after the last set. */
int ecs_conf_finish(struct ecs_conf *c, char *err, size_t errsz);

/* Release everything c owns; c is left initialised to defaults. */
void ecs_conf_free(struct ecs_conf *c);

/* From now on, remember each expression (the ERE keys) this process found good, and do not
 * compile it again only to check it: for a process that loads the configuration over and
 * over, or whose forked children do (the helper server, before its rehearsal: glibc's regcomp
 * costs about a millisecond a rule, at each of a login's three requests). Not thread-safe:
 * for single-threaded programs only, never the PAM or NSS module (they run inside
 * applications that may have threads). */
void ecs_conf_remember_rules(void);

/* Format an error into err (when err and errsz are non-zero) and return -ECS_ECONFIG: the one
 * error formatter of the ecs_conf*.c files. */
int ecs_conf_err(char *err, size_t errsz, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* true if key is a known configuration key (module argument dispatch). */
bool ecs_conf_is_key(const char *key);

#endif
