/* saml_attrs.h — the AWS attributes of a verified Assertion and the Unix user mapping.
 *
 * The attribute part of the claims (saml_claims.c calls it once the Assertion's shape,
 * times and audience are checked): roles, RoleSessionName, SourceIdentity, SessionDuration,
 * PrincipalTag limits, display name, then the Unix user. */
#ifndef ECS_SAML_ATTRS_H
#define ECS_SAML_ATTRS_H

#include <libxml/tree.h>
#include "saml_policy.h"
#include "saml_reject.h"
#include "saml_result.h"

/* Read statement (the AttributeStatement, may be NULL) into out; out->nameid must be set.
 * 0, -ECS_EREJECT or -ENOMEM. */
int ecs_saml_attributes(const struct ecs_saml_policy *p, xmlNode *statement,
			struct ecs_saml_result *out, struct ecs_reject *rej);

#endif
