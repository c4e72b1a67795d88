/* saml_reject.h — why a SAML Response was refused.
 *
 * Every refusal carries one stable CODE (below; tests, logs and the PAM module key on them)
 * and a message written for the operator ("audience is X, expected one of Y"). Messages
 * never quote the assertion, NameID values aside from what an operator needs to fix a
 * mapping, or anything secret.
 *
 * The checks run in this order, so a Response with several faults always gets the code of
 * the earliest stage: size, encoding, xml, dtd, structure/wrapping/reference, algorithm,
 * signature, then the claims (issuer, status, ...).
 */
#ifndef ECS_SAML_REJECT_H
#define ECS_SAML_REJECT_H

#include <stddef.h>

#define ECS_REJECT_MSGSZ 512

struct ecs_reject {
	const char *code;		/* one of ECS_REJ_*; NULL when nothing was rejected */
	char msg[ECS_REJECT_MSGSZ];	/* human explanation, NUL-terminated */
};

#define ECS_REJ_SIZE			"size"		/* over the input cap */
#define ECS_REJ_ENCODING		"encoding"	/* not base64 nor XML, or not UTF-8 */
#define ECS_REJ_DEFLATE			"deflate"	/* a deflated or packed input that is corrupt, cut
							 * short, or inflates past the cap */
#define ECS_REJ_XML			"xml"		/* not well-formed XML */
#define ECS_REJ_DTD			"dtd"		/* any DOCTYPE */
#define ECS_REJ_STRUCTURE		"structure"	/* SAML shape: missing/duplicated parts */
#define ECS_REJ_WRAPPING		"wrapping"	/* signature-wrapping defences */
#define ECS_REJ_REFERENCE		"reference"	/* Reference URI form and count */
#define ECS_REJ_SIGNATURE		"signature"	/* no valid signature by a pinned key */
#define ECS_REJ_ALGORITHM		"algorithm"	/* algorithm or transform not allowed */
#define ECS_REJ_ENCRYPTED		"encrypted"	/* EncryptedAssertion: not supported */
#define ECS_REJ_ISSUER			"issuer"
#define ECS_REJ_AUDIENCE		"audience"
#define ECS_REJ_RECIPIENT		"recipient"
#define ECS_REJ_DESTINATION		"destination"
#define ECS_REJ_SUBJECT_CONFIRMATION	"subject-confirmation"
#define ECS_REJ_CLOCK_SKEW		"clock-skew"	/* IssueInstant ahead of this host's clock */
#define ECS_REJ_NOT_YET_VALID		"not-yet-valid"
#define ECS_REJ_EXPIRED			"expired"
#define ECS_REJ_STALE			"stale"		/* IssueInstant too old */
#define ECS_REJ_STATUS			"status"
#define ECS_REJ_IN_RESPONSE_TO		"in-response-to"
#define ECS_REJ_NAMEID			"nameid"
#define ECS_REJ_ROLE			"role"
#define ECS_REJ_SESSION_NAME		"session-name"
#define ECS_REJ_SOURCE_IDENTITY		"source-identity"
#define ECS_REJ_SESSION_DURATION	"session-duration"
#define ECS_REJ_ATTRIBUTE		"attribute"
#define ECS_REJ_USER			"user"
#define ECS_REJ_USER_MISMATCH		"user-mismatch"
#define ECS_REJ_REPLAY			"replay"
/* No verdict: the sandboxed validator (helper/privsep.h) could not give one. The first two
 * are the administrator's to fix (the sandbox account, a sandbox step the host refuses);
 * the others are what the child did with this Response. */
#define ECS_REJ_PRIVSEP_ACCOUNT		"privsep-account"	/* no usable sandbox account */
#define ECS_REJ_PRIVSEP_SETUP		"privsep-setup"		/* a sandbox step failed */
#define ECS_REJ_PRIVSEP_CRASH		"privsep-crash"		/* the child died of a signal */
#define ECS_REJ_PRIVSEP_TIMEOUT		"privsep-timeout"	/* CPU rlimit or wall clock */
#define ECS_REJ_PRIVSEP_MEMORY		"privsep-memory"	/* address-space rlimit */
#define ECS_REJ_PRIVSEP_SYSCALL		"privsep-syscall"	/* killed by the seccomp filter */
#define ECS_REJ_PRIVSEP_PROTOCOL	"privsep-protocol"	/* a malformed answer */

/* Record a refusal and return -ECS_EREJECT, so a check reads
 * `return ecs_reject(rej, ECS_REJ_AUDIENCE, "audience is %s, ...", ...);`.
 * rej may be NULL (the fuzzer does not care why). */
int ecs_reject(struct ecs_reject *rej, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Codes of the configuration faults found while building a verifier: the trust files and
 * what they hold. Logged as code= by the helper's verbs, which tell the user who can fix it. */
#define ECS_TRUST_NONE			"idp-none"		/* no IdP configured */
#define ECS_TRUST_CERT_UNREADABLE	"idp-cert-unreadable"	/* idp_cert cannot be read */
#define ECS_TRUST_METADATA_UNREADABLE	"idp-metadata-unreadable"
#define ECS_TRUST_CERT_INVALID		"idp-cert-invalid"	/* no usable certificate in it */
#define ECS_TRUST_METADATA_INVALID	"idp-metadata-invalid"
#define ECS_TRUST_KEY_WEAK		"idp-key-weak"		/* key type or size refused */
#define ECS_TRUST_USER_SOURCE		"config-user-source"	/* user_source needs user_attribute */
#define ECS_TRUST_USER_NAME_RULE	"config-user-name-rule"	/* user_name_rule is no valid ERE */

/* A configuration fault found while building a verifier (unreadable trust file, weak pinned
 * key, metadata without a signing key): code is one of ECS_TRUST_* (NULL: a fault in the
 * content of the trust file being loaded, which ecs_trust_load names by the file's kind),
 * msg says what to fix; returns -ECS_ECONFIG. */
int ecs_reject_config(struct ecs_reject *rej, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
