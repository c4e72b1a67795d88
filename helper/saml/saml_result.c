/* saml_result.c — releasing an accepted Response's result (see saml_result.h). */
#include <stdlib.h>
#include <string.h>

#include "ecs_secmem.h"
#include "saml_result.h"

void
ecs_saml_result_free(struct ecs_saml_result *r)
{
	size_t i;

	if (!r)
		return;
	free(r->user);
	free(r->nameid);
	free(r->nameid_format);
	free(r->session_name);
	free(r->source_identity);
	free(r->display_name);
	for (i = 0; i < r->nroles; i++) {
		free(r->roles[i].role_arn);
		free(r->roles[i].provider_arn);
	}
	free(r->roles);
	free(r->assertion_id);
	free(r->issuer);
	if (r->response_b64)
		ecs_free_secret(r->response_b64, r->response_b64_len + 1);
	memset(r, 0, sizeof(*r));
}
