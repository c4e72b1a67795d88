/* saml_result.h — what an accepted Response yields.
 *
 * The verifier (saml_verify.c) fills it through the claim readers (saml_claims.c,
 * saml_attrs.c, saml_roles.c); those include only this header, never saml_verify.h, so the
 * includes run one way: verifier -> readers -> result. */
#ifndef ECS_SAML_RESULT_H
#define ECS_SAML_RESULT_H

#include <stddef.h>
#include <time.h>

#define ECS_SAML_MAX_ROLES 64	/* Role attribute values considered */

/* One allowed role, exactly as AWS wants it for AssumeRoleWithSAML. */
struct ecs_saml_role {
	char *role_arn;
	char *provider_arn;
};

/* Everything a caller may use from an accepted Response. All strings are NUL-terminated,
 * owned by the result, free of control characters; optional ones are NULL when absent. */
struct ecs_saml_result {
	char *user;			/* mapped Unix user (ecs_name_user_ok) */
	char *nameid;
	char *nameid_format;		/* NULL if the NameID had no Format */
	char *session_name;		/* RoleSessionName */
	char *source_identity;		/* NULL if absent */
	unsigned session_duration;	/* SessionDuration, 0 if absent */
	char *display_name;		/* displayName-style attribute for GECOS, NULL if absent */
	struct ecs_saml_role *roles;	/* allowed roles, in document order */
	size_t nroles;
	char *assertion_id;
	char *issuer;			/* the trusted IdP entity ID that signed */
	time_t issue_instant;		/* Assertion IssueInstant */
	time_t not_on_or_after;		/* earliest NotOnOrAfter bounding use */
	time_t session_not_on_or_after;	/* AuthnStatement SessionNotOnOrAfter, 0 if absent */
	char *response_b64;		/* SECRET: the Response as STS wants it (canonical base64,
					 * no whitespace); wiped by ecs_saml_result_free */
	size_t response_b64_len;
};

/* Release and wipe what a result holds; the struct is left zeroed. NULL is fine. */
void ecs_saml_result_free(struct ecs_saml_result *r);

#endif
