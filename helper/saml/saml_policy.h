/* saml_policy.h — the validation settings a verifier holds, copied from ecs_conf once.
 *
 * The claim readers (saml_claims.c, saml_attrs.c) take it; the verifier (saml_verify.c)
 * fills it. A header of its own, so that neither reader includes the other's for it. */
#ifndef ECS_SAML_POLICY_H
#define ECS_SAML_POLICY_H

#include <stdbool.h>
#include "ecs_conf.h"
#include "ecs_names.h"

struct ecs_saml_policy {
	struct ecs_strlist audience;
	struct ecs_strlist recipient;
	struct ecs_strlist allowed_roles;
	unsigned clock_skew;
	unsigned max_assertion_age;
	bool allow_sha1;
	bool require_source_identity;
	enum ecs_user_source user_source;
	char *user_attribute;
	char *user_strip_suffix;
	struct ecs_name_policy names;	/* which Unix names a Response may map to */
};

#endif
