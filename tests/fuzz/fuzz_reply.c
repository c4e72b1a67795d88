/* fuzz_reply.c — libFuzzer target for the module's reading of the helper's reply
 * (pam_helper_reply.c), the bytes that end up in the PAM environment and in messages to the user.
 *
 * Property checked beyond "no crash": whatever is accepted is what the module relies on —
 * nothing outside the printable ASCII range in a message or path, a ticket that passes
 * ecs_name_token_ok, roles that pass ecs_arn_role_ok and never more than the cap — and a
 * refused reply leaves nothing behind. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ecs_names.h"
#include "fuzz.h"
#include "pam_helper_reply.h"

static int
printable(const char *s)
{
	if (s == NULL)
		return 1;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return 0;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ecs_helper_reply r;
	int ret = ecs_reply_parse(data, size, &r);

	if (ret < 0) {
		static const struct ecs_helper_reply empty;

		if (memcmp(&r, &empty, sizeof(r)) != 0)
			abort();
		return 0;
	}
	if (r.nroles > ECS_HELPER_PROTO_MAX_ROLES || !printable(r.message) || !printable(r.cred_file) ||
	    !printable(r.config_file) || !printable(r.region) || !printable(r.expiration) ||
	    (r.message != NULL && strlen(r.message) > ECS_REPLY_MSG_MAX) ||
	    (r.ticket != NULL && !ecs_name_token_ok(r.ticket)) ||
	    (r.cred_file != NULL && r.cred_file[0] != '/'))
		abort();
	for (unsigned i = 0; i < r.nroles; i++)
		if (r.roles[i] == NULL || !ecs_arn_role_ok(r.roles[i]))
			abort();
	ecs_reply_free(&r);
	return 0;
}
