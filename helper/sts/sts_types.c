/* sts_types.c — releasing what STS issued (see sts_types.h). */
#include <stdlib.h>
#include <string.h>

#include "ecs_secmem.h"
#include "sts_types.h"

void
ecs_sts_creds_free(struct ecs_sts_creds *c)
{
	if (!c)
		return;
	free(c->access_key_id);
	ecs_free_secret_str(c->secret_access_key);
	ecs_free_secret_str(c->session_token);
	free(c->expiration_str);
	free(c->assumed_role_arn);
	free(c->assumed_role_id);
	free(c->request_id);
	free(c->source_identity);
	free(c->subject);
	free(c->issuer);
	memset(c, 0, sizeof(*c));
}
