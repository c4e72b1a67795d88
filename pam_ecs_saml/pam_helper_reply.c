/* pam_helper_reply.c — what the helper answered, checked before the module uses any of it.
 *
 * The helper is ours and runs as root, but its reply ends up in the PAM environment, in
 * messages shown to a user and in pam_putenv: a value with a newline, a control character
 * or an unexpected shape is refused here rather than trusted. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ecs_names.h"
#include "ecs_time.h"
#include "ecs_helper_proto.h"
#include "pam_helper_reply.h"

static bool
printable(const char *s, bool spaces)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c >= 0x7f || (!spaces && c == ' '))
			return false;
	}
	return true;
}

static bool
expiration_ok(const char *s)
{
	time_t t;

	return strlen(s) == ECS_TIME_BUFSZ - 1 && s[ECS_TIME_BUFSZ - 2] == 'Z' &&
	       ecs_time_parse(s, &t) == 0;
}

static bool
value_ok(uint8_t type, const char *s)
{
	switch (type) {
	case ECS_HELPER_PROTO_MESSAGE:
		return s[0] != '\0' && printable(s, true);
	case ECS_HELPER_PROTO_TICKET:
	case ECS_HELPER_PROTO_TAG:
		return ecs_name_token_ok(s);
	case ECS_HELPER_PROTO_ROLE:
		return ecs_arn_role_ok(s);
	case ECS_HELPER_PROTO_CRED_FILE:
	case ECS_HELPER_PROTO_CONFIG_FILE:
		return s[0] == '/' && printable(s, false);
	case ECS_HELPER_PROTO_REGION:
		return ecs_name_region_ok(s);
	case ECS_HELPER_PROTO_EXPIRATION:
		return expiration_ok(s);
	default:
		return false;
	}
}

/* Where a frame of this type goes, or NULL for a type a reply never carries. */
static char **
slot_for(struct ecs_helper_reply *r, uint8_t type)
{
	switch (type) {
	case ECS_HELPER_PROTO_MESSAGE:
		return &r->message;
	case ECS_HELPER_PROTO_TICKET:
		return &r->ticket;
	case ECS_HELPER_PROTO_TAG:
		return &r->tag;
	case ECS_HELPER_PROTO_ROLE:
		return r->nroles < ECS_HELPER_PROTO_MAX_ROLES ? &r->roles[r->nroles] : NULL;
	case ECS_HELPER_PROTO_CRED_FILE:
		return &r->cred_file;
	case ECS_HELPER_PROTO_CONFIG_FILE:
		return &r->config_file;
	case ECS_HELPER_PROTO_REGION:
		return &r->region;
	case ECS_HELPER_PROTO_EXPIRATION:
		return &r->expiration;
	default:
		return NULL;
	}
}

int
ecs_reply_parse(const void *data, size_t len, struct ecs_helper_reply *r)
{
	struct ecs_helper_proto_reader rd;
	struct ecs_helper_proto_frame f;
	int ret;

	memset(r, 0, sizeof(*r));
	if (len == 0)
		return 0;
	ret = ecs_helper_proto_reader_init(&rd, data, len);
	if (ret < 0)
		ret = -EBADMSG;
	while (ret == 0) {
		char **slot;
		char *s = NULL;

		ret = ecs_helper_proto_next(&rd, &f);
		if (ret != 1)
			break;
		slot = slot_for(r, f.type);
		if (slot == NULL || *slot != NULL) {
			ret = -EBADMSG;
			break;
		}
		ret = ecs_helper_proto_frame_str(&f, f.type == ECS_HELPER_PROTO_MESSAGE ? ECS_REPLY_MSG_MAX : 4096,
					 &s);
		if (ret == -E2BIG)
			ret = -EBADMSG;
		if (ret == 0 && !value_ok(f.type, s))
			ret = -EBADMSG;
		if (ret < 0) {
			free(s);
			break;
		}
		*slot = s;
		if (f.type == ECS_HELPER_PROTO_ROLE)
			r->nroles++;
	}
	if (ret < 0)
		ecs_reply_free(r);
	return ret;
}

void
ecs_reply_free(struct ecs_helper_reply *r)
{
	free(r->message);
	free(r->ticket);
	free(r->tag);
	for (unsigned i = 0; i < r->nroles; i++)
		free(r->roles[i]);
	free(r->cred_file);
	free(r->config_file);
	free(r->region);
	free(r->expiration);
	memset(r, 0, sizeof(*r));
}
