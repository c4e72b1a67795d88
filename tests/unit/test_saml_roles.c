/* Unit tests: AWS Role attribute pairs and the allowed_roles globs (helper/saml_roles). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "saml_roles.h"
#include "tap.h"

#define ROLE "arn:aws:iam::123456789012:role/BastionOperator"
#define PATHROLE "arn:aws:iam::123456789012:role/ops/team/BastionOperator"
#define PROV "arn:aws:iam::123456789012:saml-provider/ExampleCorpIdP"

static int
parse_is(const char *value, const char *role, const char *prov)
{
	struct ecs_saml_role r;
	int ok;

	if (ecs_saml_role_parse(value, &r) != 0)
		return 0;
	ok = strcmp(r.role_arn, role) == 0 && strcmp(r.provider_arn, prov) == 0;
	free(r.role_arn);
	free(r.provider_arn);
	return ok;
}

static int
malformed(const char *value)
{
	struct ecs_saml_role r;

	return ecs_saml_role_parse(value, &r) == -EINVAL && !r.role_arn && !r.provider_arn;
}

int
main(void)
{
	struct ecs_strlist globs = { .n = 0 };

	T_OK(parse_is(ROLE "," PROV, ROLE, PROV), "role,provider (the AWS order)");
	T_OK(parse_is(PROV "," ROLE, ROLE, PROV), "provider,role (Okta/ADFS order) is reordered");
	T_OK(parse_is(PATHROLE "," PROV, PATHROLE, PROV), "role with a path");
	T_OK(malformed(ROLE), "no comma");
	T_OK(malformed(ROLE "," PROV "," PROV), "two commas");
	T_OK(malformed(ROLE "," ROLE), "two roles");
	T_OK(malformed(PROV "," PROV), "two providers");
	T_OK(malformed(ROLE ", " PROV), "a space after the comma is not trimmed");
	T_OK(malformed(" " ROLE "," PROV), "leading space");
	T_OK(malformed(","), "lone comma");
	T_OK(malformed(""), "empty");
	T_OK(malformed("arn:aws:iam::12345:role/X," PROV), "short account id");
	T_OK(malformed(ROLE ",arn:aws:iam::123456789012:user/alice"), "a user ARN is no provider");

	T_OK(ecs_saml_role_allowed(&globs, ROLE), "no allowed_roles: every role is allowed");
	globs.v[0] = "arn:aws:iam::*:role/Bastion*";
	globs.n = 1;
	T_OK(ecs_saml_role_allowed(&globs, ROLE), "glob matches");
	T_OK(!ecs_saml_role_allowed(&globs, "arn:aws:iam::123456789012:role/BreakGlass"),
	     "glob does not match another role");
	globs.v[0] = "arn:aws:iam::123456789012:role/*";
	T_OK(ecs_saml_role_allowed(&globs, PATHROLE), "a star crosses the slashes of a role path");
	globs.v[1] = ROLE;
	globs.n = 2;
	globs.v[0] = "arn:aws:iam::999999999999:role/*";
	T_OK(ecs_saml_role_allowed(&globs, ROLE), "second glob of two matches");
	T_OK(!ecs_saml_role_allowed(&globs, "arn:aws:iam::123456789012:role/BastionOperatorX"),
	     "an exact entry is not a prefix");
	T_DONE();
}
