/* pam_helper_reply.h — what the helper answered, checked before the module uses any of it. */
#ifndef ECS_PAM_HELPER_REPLY_H
#define ECS_PAM_HELPER_REPLY_H

#include <stddef.h>

#include "ecs_helper_proto.h"

#define ECS_REPLY_MSG_MAX ECS_HELPER_PROTO_MESSAGE_MAX

/* Every member is owned (malloc'd) or NULL when the helper did not send it. */
struct ecs_helper_reply {
	char *message;			/* printable text for the user */
	char *ticket;			/* ecs_name_token_ok */
	char *tag;			/* the session tag the helper minted; ecs_name_token_ok */
	char *roles[ECS_HELPER_PROTO_MAX_ROLES];	/* ecs_arn_role_ok */
	unsigned nroles;
	char *cred_file;		/* absolute path, printable, no spaces */
	char *config_file;
	char *region;			/* [a-z0-9-]{1,32} */
	char *expiration;		/* YYYY-MM-DDThh:mm:ssZ */
};

/* Parse a reply message (ecs_helper_proto.h). Each value is checked for its kind; a frame of a
 * request type, a repeated single frame or a bad value is -EBADMSG. An empty reply is a
 * valid reply with nothing in it (the helper may fail before answering). On failure r is
 * left empty. 0, -EBADMSG or -ENOMEM. */
int ecs_reply_parse(const void *data, size_t len, struct ecs_helper_reply *r);

void ecs_reply_free(struct ecs_helper_reply *r);

#endif
