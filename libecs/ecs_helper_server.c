/* ecs_helper_server.c — the helper server's preamble and trailer (ecs_helper_server.h). */
#include <errno.h>
#include <string.h>

#include "ecs_helper_server.h"

bool
ecs_helper_server_verb_ok(const char *verb, size_t len)
{
	if (len == 0 || len > ECS_HELPER_SERVER_VERB_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((verb[i] >= 'a' && verb[i] <= 'z') || verb[i] == '-'))
			return false;
	return true;
}

void
ecs_helper_server_trailer(int status, uint8_t out[ECS_HELPER_SERVER_TRAILER_LEN])
{
	uint32_t s = (uint32_t)status;

	memcpy(out, ECS_HELPER_SERVER_TRAILER_MAGIC, 4);
	out[4] = (uint8_t)(s >> 24);
	out[5] = (uint8_t)(s >> 16);
	out[6] = (uint8_t)(s >> 8);
	out[7] = (uint8_t)s;
}

int
ecs_helper_server_untrail(struct ecs_buf *reply, int *status)
{
	const uint8_t *t;

	if (reply->len < ECS_HELPER_SERVER_TRAILER_LEN)
		return -EBADMSG;
	t = reply->data + reply->len - ECS_HELPER_SERVER_TRAILER_LEN;
	if (memcmp(t, ECS_HELPER_SERVER_TRAILER_MAGIC, 4) != 0)
		return -EBADMSG;
	*status = (int)((uint32_t)t[4] << 24 | (uint32_t)t[5] << 16 | (uint32_t)t[6] << 8 | t[7]);
	ecs_buf_truncate(reply, reply->len - ECS_HELPER_SERVER_TRAILER_LEN);
	return 0;
}
