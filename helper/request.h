/* request.h — the request and reply of the verbs the PAM module runs (auth, session-open,
 * session-close): one ecs_helper_proto message in on stdin, one out on stdout. The request crosses
 * from the application's process into root's helper, so it is parsed as untrusted input
 * (fuzz target tests/fuzz/fuzz_request.c). */
#ifndef ECS_REQUEST_H
#define ECS_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ecs_buf.h"
#include "ecs_conf.h"
#include "ecs_helper_proto.h"
#include "ecs_kbd_proto.h"


/* A request. Strings are owned; response points into raw (secret, wiped with it). */
struct ecs_request {
	struct ecs_buf raw;
	char *user;		/* ecs_name_user_ok */
	char *service;		/* ecs_name_service_ok */
	char *rhost;		/* printable, may be empty */
	char *ticket;		/* ecs_name_token_ok */
	char *tag;		/* ecs_name_token_ok */
	uid_t uid;		/* from UID, never 0; valid when has_ids */
	gid_t gid;
	bool has_ids;		/* both UID and GID were sent */
	char *args[ECS_HELPER_PROTO_MAX_CONF_ARGS];
	unsigned nargs;
	const char *response;
	size_t response_len;
	enum ecs_kbd_encoding response_encoding;	/* RESPONSE_DEFLATED: deflate, RESPONSE_PACKED1:
							 * packed1 (ecs_kbd_proto.h) */
	unsigned role_choice;	/* 0 = none */
};

#define ECS_REQ_BIT(type) (1u << (type))

/* An empty request whose raw buffer is ready to be filled. */
void ecs_request_init(struct ecs_request *rq);

/* Parse the message in rq->raw into rq (see ecs_request_read for the masks). 0, -ECS_EPROTO
 * or -ENOMEM; on failure rq may be partly filled: release it with ecs_request_free. */
int ecs_request_parse(struct ecs_request *rq, unsigned required, unsigned allowed);

/* Read the request from stdin. `required` and `allowed` are ECS_REQ_BIT masks: a frame
 * outside allowed, a repeated frame (CONF_ARG aside), a missing required one or a bad value
 * is -ECS_EPROTO (logged); RESPONSE_DEFLATED counts as RESPONSE in both masks. argc must be
 * 1 (the verb alone). 0, -ECS_EPROTO, -EINVAL, -ENOMEM. */
int ecs_request_read(int argc, char **argv, unsigned required, unsigned allowed,
		     struct ecs_request *rq);

void ecs_request_free(struct ecs_request *rq);

/* The configuration for this request: ECS_CONF_PATH with the module arguments over it,
 * through ecs_helper_conf_load (which reports a failure). Only that file, the one the NSS
 * module reads: a "config=PATH" argument is an unknown key here too. c is initialised
 * here; caller frees with ecs_conf_free. 0, -ECS_ECONFIG or -ENOMEM. */
int ecs_request_conf(const struct ecs_request *rq, struct ecs_conf *c);

/* Replies: begin, add frames with ecs_helper_proto_put*, then send (adds END, writes stdout,
 * wipes and frees the buffer). A failed send is logged; the verb's own result stands. */
int ecs_reply_begin(struct ecs_buf *reply);
void ecs_reply_message(struct ecs_buf *reply, const char *text);
int ecs_reply_send(struct ecs_buf *reply);

#endif
