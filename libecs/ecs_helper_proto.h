/* ecs_helper_proto.h — the framing on the pipes between the PAM module and ecs-saml-helper.
 *
 * A message is the 4-byte magic "ECSW", one version byte (ECS_HELPER_PROTO_VERSION), then frames
 * of { u8 type, u32 length (big-endian), length bytes }, and finally an END frame (type 0,
 * length 0) with nothing after it. The END frame tells a complete message from a cut one.
 * Every frame is capped at ECS_HELPER_PROTO_MAX_FRAME bytes, a message at ECS_HELPER_PROTO_MAX_TOTAL bytes
 * and ECS_HELPER_PROTO_MAX_FRAMES frames; unknown types are refused by the reader, so a new frame
 * type means a new version. Values are bytes; text values carry no NUL and are taken out
 * with ecs_helper_proto_frame_str(), which applies the caller's own length cap.
 *
 * Request and reply are one message each: the module writes its request and closes the
 * pipe, the helper reads to EOF, answers with one message and exits. Buffers holding a
 * message may hold the SAML Response: free them with ecs_buf_free (which wipes). */
#ifndef ECS_HELPER_PROTO_H
#define ECS_HELPER_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "ecs_buf.h"

#define ECS_HELPER_PROTO_MAGIC "ECSW"
#define ECS_HELPER_PROTO_VERSION 1
#define ECS_HELPER_PROTO_MAX_FRAME (128u * 1024u)	/* a whole raw-XML Response fits */
#define ECS_HELPER_PROTO_MAX_TOTAL (256u * 1024u)
#define ECS_HELPER_PROTO_MAX_FRAMES 64u
#define ECS_HELPER_PROTO_MAX_CONF_ARGS 32u	/* CONF_ARG frames in one request */
#define ECS_HELPER_PROTO_MAX_ROLES 16u		/* ROLE frames in one reply: what one prompt can list */
#define ECS_HELPER_PROTO_MESSAGE_MAX 256	/* bytes of the MESSAGE for the user: the module
						 * refuses a reply with a longer one */

enum ecs_helper_proto_type {
	ECS_HELPER_PROTO_END = 0,
	/* request frames (module -> helper) */
	ECS_HELPER_PROTO_USER,		/* PAM_USER */
	ECS_HELPER_PROTO_SERVICE,	/* PAM_SERVICE */
	ECS_HELPER_PROTO_RHOST,		/* PAM_RHOST, may be empty */
	ECS_HELPER_PROTO_CONF_ARG,	/* one module argument "key=value" (repeatable) */
	ECS_HELPER_PROTO_RESPONSE,	/* the SAML Response as the user sent it (secret) */
	ECS_HELPER_PROTO_ROLE_CHOICE,	/* 1-based index into the ROLE list of a "choose" reply */
	ECS_HELPER_PROTO_TICKET,	/* ticket id (ecs_name_token_ok) */
	ECS_HELPER_PROTO_TAG,		/* session tag (ecs_name_token_ok): minted by the helper in
					 * the session-open reply, sent back at session-close */
	ECS_HELPER_PROTO_UID,		/* decimal uid of PAM_USER, as the application's NSS sees it */
	ECS_HELPER_PROTO_GID,		/* decimal primary gid of PAM_USER */
	/* reply frames (helper -> module) */
	ECS_HELPER_PROTO_MESSAGE,	/* a short text for the user (PAM_ERROR_MSG / PAM_TEXT_INFO) */
	ECS_HELPER_PROTO_ROLE,		/* an allowed role ARN still to choose from (repeatable) */
	ECS_HELPER_PROTO_CRED_FILE,	/* absolute path for AWS_SHARED_CREDENTIALS_FILE */
	ECS_HELPER_PROTO_CONFIG_FILE,	/* absolute path for AWS_CONFIG_FILE */
	ECS_HELPER_PROTO_REGION,	/* AWS_REGION */
	ECS_HELPER_PROTO_EXPIRATION,	/* AWS_CREDENTIAL_EXPIRATION, YYYY-MM-DDThh:mm:ssZ */
	/* request frame, numbered after the others so that no earlier type changes: */
	ECS_HELPER_PROTO_RESPONSE_DEFLATED,	/* in place of RESPONSE: the base64 of the
						 * Response's raw DEFLATE stream, as ecs-saml-ssh sent
						 * it (ecs_kbd_proto.h " encoding=deflate"); the
						 * helper inflates it in its sandboxed child (secret) */
	ECS_HELPER_PROTO_RESPONSE_PACKED1,	/* in place of RESPONSE: the Response's DEFLATE
						 * stream with the preset dictionary, in the byte
						 * alphabet, as ecs-saml-ssh sent it (ecs_pack.h,
						 * " encoding=packed1"); decoded in the same child */
	ECS_HELPER_PROTO_TYPE_MAX	/* first invalid type */
};

struct ecs_helper_proto_frame {
	uint8_t type;
	const uint8_t *data;	/* borrowed from the reader's input */
	size_t len;
};

/* A bounded cursor over one received message (borrowed bytes; nothing is copied). */
struct ecs_helper_proto_reader {
	const uint8_t *p;
	size_t len;
	size_t off;
	unsigned frames;
	int ended;
};

/* Initialise out (not yet holding anything) as a message buffer capped at
 * ECS_HELPER_PROTO_MAX_TOTAL and write the magic and version. 0 or -ENOMEM. */
int ecs_helper_proto_begin(struct ecs_buf *out);

/* Append one frame. 0, -EINVAL (bad type), -E2BIG (frame or message over its cap), -ENOMEM. */
int ecs_helper_proto_put(struct ecs_buf *out, enum ecs_helper_proto_type type, const void *p, size_t n);

/* Append a text frame (without its NUL). */
int ecs_helper_proto_put_str(struct ecs_buf *out, enum ecs_helper_proto_type type, const char *s);

/* Append the END frame. */
int ecs_helper_proto_end(struct ecs_buf *out);

/* Check magic and version of data[len]. 0, -EBADMSG or -EPROTONOSUPPORT (other version). */
int ecs_helper_proto_reader_init(struct ecs_helper_proto_reader *r, const void *data, size_t len);

/* Next frame: 1 with f filled, 0 at the END frame (which must be the last byte), or
 * -EBADMSG (truncated, unknown type, over a cap, bytes after END). */
int ecs_helper_proto_next(struct ecs_helper_proto_reader *r, struct ecs_helper_proto_frame *f);

/* Copy a text frame into a new NUL-terminated string of at most max bytes. The text must
 * not contain NUL. 0, -EBADMSG (NUL inside), -E2BIG (over max) or -ENOMEM. The caller
 * frees *out with free(), or ecs_free_secret_str() for a secret. */
int ecs_helper_proto_frame_str(const struct ecs_helper_proto_frame *f, size_t max, char **out);

#endif
