/* request.c — the request and reply of the verbs the PAM module runs.
 *
 * The request comes from a PAM module running as root inside sshd or sudo, but nothing in
 * it is taken on trust: every frame is checked for type, count and shape before a verb sees
 * it, and everything is bounded by the wire caps. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "conf.h"
#include "ecs_err.h"
#include "ecs_io.h"
#include "ecs_names.h"
#include "ecs_str.h"
#include "logging.h"
#include "audit.h"
#include "request.h"

static bool
printable(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

/* Take one text frame into *slot after checking it. */
static int
take_str(const struct ecs_helper_proto_frame *f, size_t max, bool (*ok)(const char *), char **slot)
{
	char *s = NULL;
	int r;

	if (*slot != NULL)
		return -ECS_EPROTO;
	r = ecs_helper_proto_frame_str(f, max, &s);
	if (r == -ENOMEM)
		return r;
	if (r < 0 || !ok(s)) {
		free(s);
		return -ECS_EPROTO;
	}
	*slot = s;
	return 0;
}

static int
take_frame(struct ecs_request *rq, const struct ecs_helper_proto_frame *f)
{
	uint64_t v;
	char *s = NULL;
	int r;

	switch (f->type) {
	case ECS_HELPER_PROTO_USER:
		return take_str(f, ECS_NAME_USER_MAX, ecs_name_user_ok, &rq->user);
	case ECS_HELPER_PROTO_SERVICE:
		return take_str(f, ECS_NAME_SERVICE_MAX, ecs_name_service_ok, &rq->service);
	case ECS_HELPER_PROTO_RHOST:
		return take_str(f, 255, printable, &rq->rhost);
	case ECS_HELPER_PROTO_TICKET:
		return take_str(f, ECS_NAME_TOKEN_LEN, ecs_name_token_ok, &rq->ticket);
	case ECS_HELPER_PROTO_TAG:
		return take_str(f, ECS_NAME_TOKEN_LEN, ecs_name_token_ok, &rq->tag);
	case ECS_HELPER_PROTO_CONF_ARG:
		if (rq->nargs >= ECS_HELPER_PROTO_MAX_CONF_ARGS)
			return -ECS_EPROTO;
		return take_str(f, 4096, printable, &rq->args[rq->nargs++]);
	case ECS_HELPER_PROTO_RESPONSE:
	case ECS_HELPER_PROTO_RESPONSE_DEFLATED:
	case ECS_HELPER_PROTO_RESPONSE_PACKED1:
		if (rq->response != NULL || f->len == 0)
			return -ECS_EPROTO;
		rq->response = (const char *)f->data;
		rq->response_len = f->len;
		rq->response_encoding = f->type == ECS_HELPER_PROTO_RESPONSE_DEFLATED ? ECS_KBD_ENC_DEFLATE :
					f->type == ECS_HELPER_PROTO_RESPONSE_PACKED1 ? ECS_KBD_ENC_PACKED1 :
					ECS_KBD_ENC_NONE;
		return 0;
	case ECS_HELPER_PROTO_UID:
	case ECS_HELPER_PROTO_GID:
		r = take_str(f, 10, printable, &s);
		if (r == 0 && ecs_parse_u64(s, f->type == ECS_HELPER_PROTO_UID ? 1 : 0, UINT32_MAX - 1, &v) < 0)
			r = -ECS_EPROTO;
		if (r == 0 && f->type == ECS_HELPER_PROTO_UID)
			rq->uid = (uid_t)v;
		else if (r == 0)
			rq->gid = (gid_t)v;
		free(s);
		return r;
	case ECS_HELPER_PROTO_ROLE_CHOICE:
		if (rq->role_choice != 0)
			return -ECS_EPROTO;
		r = take_str(f, 8, printable, &s);
		if (r == 0 && ecs_parse_u64(s, 1, 1000, &v) < 0)
			r = -ECS_EPROTO;
		if (r == 0)
			rq->role_choice = (unsigned)v;
		free(s);
		return r;
	default:
		return -ECS_EPROTO;
	}
}

void
ecs_request_init(struct ecs_request *rq)
{
	memset(rq, 0, sizeof(*rq));
	ecs_buf_init(&rq->raw, ECS_HELPER_PROTO_MAX_TOTAL);
}

/* The mask bit a frame counts under. An encoded Response takes the Response's place: a verb
 * that takes a Response takes it in any form, and a request never carries two. */
static unsigned
slot_bit(uint8_t type)
{
	return ECS_REQ_BIT(type == ECS_HELPER_PROTO_RESPONSE_DEFLATED ||
			   type == ECS_HELPER_PROTO_RESPONSE_PACKED1 ? ECS_HELPER_PROTO_RESPONSE : type);
}

int
ecs_request_parse(struct ecs_request *rq, unsigned required, unsigned allowed)
{
	struct ecs_helper_proto_reader rd;
	struct ecs_helper_proto_frame f;
	unsigned seen = 0;
	int r;

	r = ecs_helper_proto_reader_init(&rd, rq->raw.data, rq->raw.len);
	while (r == 0) {
		r = ecs_helper_proto_next(&rd, &f);
		if (r != 1)
			break;
		if (!(allowed & slot_bit(f.type)) ||
		    ((seen & slot_bit(f.type)) && f.type != ECS_HELPER_PROTO_CONF_ARG)) {
			r = -ECS_EPROTO;
			break;
		}
		seen |= slot_bit(f.type);
		r = take_frame(rq, &f);
	}
	if (r == 0 && (seen & required) != required)
		r = -ECS_EPROTO;
	if (r == 0 && (seen & ECS_REQ_BIT(ECS_HELPER_PROTO_UID)) && (seen & ECS_REQ_BIT(ECS_HELPER_PROTO_GID)))
		rq->has_ids = true;
	if (r < 0 && r != -ENOMEM)
		r = -ECS_EPROTO;
	return r;
}

int
ecs_request_read(int argc, char **argv, unsigned required, unsigned allowed,
		 struct ecs_request *rq)
{
	int r;

	ecs_request_init(rq);
	if (argc != 1) {
		ecs_log(LOG_ERR, "request refused", "verb", argv[0], "reason",
			"unexpected arguments (the request comes on stdin)", (char *)NULL);
		return -EINVAL;
	}
	r = ecs_read_all(STDIN_FILENO, &rq->raw);
	if (r == 0)
		r = ecs_request_parse(rq, required, allowed);
	if (r < 0 && r != -ENOMEM) {
		ecs_log(LOG_ERR, "malformed request from the PAM module", "verb", argv[0],
			"reason", ecs_strerror(r), (char *)NULL);
		r = -ECS_EPROTO;
	}
	if (r < 0)
		ecs_request_free(rq);
	return r;
}

void
ecs_request_free(struct ecs_request *rq)
{
	free(rq->user);
	free(rq->service);
	free(rq->rhost);
	free(rq->ticket);
	free(rq->tag);
	for (unsigned i = 0; i < rq->nargs; i++)
		free(rq->args[i]);
	ecs_buf_free(&rq->raw);
	memset(rq, 0, sizeof(*rq));
}

int
ecs_request_conf(const struct ecs_request *rq, struct ecs_conf *c)
{
	int r = ecs_helper_conf_load(ECS_CONF_PATH, (const char *const *)rq->args, rq->nargs, c);

	if (r == 0)	/* this request's audit records go to its audit_log too */
		ecs_audit_use_file(c->audit_log);
	return r;
}

int
ecs_reply_begin(struct ecs_buf *reply)
{
	return ecs_helper_proto_begin(reply);
}

void
ecs_reply_message(struct ecs_buf *reply, const char *text)
{
	char cut[ECS_HELPER_PROTO_MESSAGE_MAX + 1];
	size_t n = strlen(text);

	/* The module refuses a whole reply whose message is too long, and the user would be
	 * told nothing: cut it, not inside a UTF-8 sequence. */
	if (n > ECS_HELPER_PROTO_MESSAGE_MAX) {
		n = ECS_HELPER_PROTO_MESSAGE_MAX;
		while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
			n--;
		memcpy(cut, text, n);
		cut[n] = '\0';
		text = cut;
	}
	/* a reply too full for its message still goes out: the exit status carries the verdict */
	ecs_helper_proto_put_str(reply, ECS_HELPER_PROTO_MESSAGE, text);
}

int
ecs_reply_send(struct ecs_buf *reply)
{
	int r = ecs_helper_proto_end(reply);

	if (r == 0)
		r = ecs_write_all(STDOUT_FILENO, reply->data, reply->len);
	if (r < 0)
		ecs_log(LOG_ERR, "cannot send the reply to the PAM module", "reason",
			ecs_strerror(r), (char *)NULL);
	ecs_buf_free(reply);
	return r;
}
