/* saml_roles.c — Role attribute pairs and the allowed_roles filter. */
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "ecs_names.h"
#include "saml_roles.h"

int
ecs_saml_role_parse(const char *value, struct ecs_saml_role *out)
{
	const char *comma = strchr(value, ',');
	char *a = NULL, *b = NULL, *tmp;
	int r;

	out->role_arn = NULL;
	out->provider_arn = NULL;
	if (!comma || strchr(comma + 1, ','))
		return -EINVAL;
	a = strndup(value, (size_t)(comma - value));
	b = strdup(comma + 1);
	if (!a || !b) {
		r = -ENOMEM;
		goto out;
	}
	/* Order by kind: after this a is the role, b the provider, or the pair is bad. */
	if (ecs_arn_provider_ok(a) && ecs_arn_role_ok(b)) {
		tmp = a;
		a = b;
		b = tmp;
	}
	if (!ecs_arn_role_ok(a) || !ecs_arn_provider_ok(b)) {
		r = -EINVAL;
		goto out;
	}
	out->role_arn = a;
	out->provider_arn = b;
	a = NULL;	/* ownership passed to out */
	b = NULL;
	r = 0;
out:
	free(a);
	free(b);
	return r;
}

bool
ecs_saml_role_allowed(const struct ecs_strlist *globs, const char *role_arn)
{
	unsigned i;

	if (globs->n == 0)
		return true;
	for (i = 0; i < globs->n; i++) {
		/* No FNM_PATHNAME: role paths contain slashes, and a glob ending in "role/" plus a star must match every path. */
		if (fnmatch(globs->v[i], role_arn, 0) == 0)
			return true;
	}
	return false;
}
