/* saml_roles.h — the AWS Role attribute value: "ROLE_ARN,PROVIDER_ARN" in either order.
 *
 * AWS documents role-then-provider; Okta and ADFS often send provider-then-role, and STS
 * takes both. The value is split on its single comma, each half is recognised by
 * ":role/" versus ":saml-provider/" and validated as an ARN; anything else is malformed. */
#ifndef ECS_SAML_ROLES_H
#define ECS_SAML_ROLES_H

#include <stdbool.h>
#include "ecs_conf.h"
#include "saml_result.h"

/* 0 with out->role_arn and out->provider_arn (caller frees both with free()), -EINVAL for
 * a malformed pair, -ENOMEM. */
int ecs_saml_role_parse(const char *value, struct ecs_saml_role *out);

/* true if role_arn matches one of the fnmatch globs (no glob at all allows every role). */
bool ecs_saml_role_allowed(const struct ecs_strlist *globs, const char *role_arn);

#endif
