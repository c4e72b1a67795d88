/* test_privsep.c — the validator child's message to its root parent (helper/privsep_wire.c):
 * what the child encodes comes back whole, and what a compromised child could send instead
 * (cut, padded, forged codes, control characters, names the validator never accepts) is
 * refused as a whole. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ecs_err.h"
#include "privsep_wire.h"
#include "tap.h"

static struct ecs_saml_role roles[] = {
	{ "arn:aws:iam::123456789012:role/Ops", "arn:aws:iam::123456789012:saml-provider/Corp" },
	{ "arn:aws:iam::123456789012:role/Dev", "arn:aws:iam::123456789012:saml-provider/Corp" },
};

static void
sample(struct ecs_saml_result *r)
{
	memset(r, 0, sizeof(*r));
	r->user = "alice";
	r->nameid = "alice@corp.example";
	r->session_name = "alice@corp.example";
	r->source_identity = "alice";
	r->session_duration = 3600;
	r->roles = roles;
	r->nroles = 2;
	r->assertion_id = "_a1b2";
	r->issuer = "https://idp.example/metadata";
	r->issue_instant = 1736942400;
	r->not_on_or_after = 1736942700;
	r->response_b64 = "PHNhbWxwOlJlc3BvbnNlLz4=";
	r->response_b64_len = strlen(r->response_b64);
}

static int
encode_accept(const struct ecs_saml_result *r, struct ecs_buf *b)
{
	ecs_buf_init(b, ECS_PRIVSEP_MSG_MAX);
	return ecs_privsep_encode(b, 0, r, NULL, NULL);
}

/* Decode a copy of msg with byte i replaced by c: must be refused. */
static int
decode_patched(const struct ecs_buf *msg, size_t i, uint8_t c)
{
	struct ecs_privsep_verdict v;
	uint8_t *copy = malloc(msg->len);
	int r;

	memcpy(copy, msg->data, msg->len);
	copy[i] = c;
	r = ecs_privsep_decode(copy, msg->len, &v);
	ecs_privsep_verdict_free(&v);
	free(copy);
	return r;
}

static size_t
find(const struct ecs_buf *msg, const char *s)
{
	const uint8_t *p = memmem(msg->data, msg->len, s, strlen(s));

	return p != NULL ? (size_t)(p - msg->data) : 0;
}

static void
test_accept(void)
{
	struct ecs_saml_result in;
	struct ecs_privsep_verdict v;
	struct ecs_buf msg;
	int bad = 0;

	sample(&in);
	T_OK(encode_accept(&in, &msg) == 0, "an accepted result encodes");
	T_OK(ecs_privsep_decode(msg.data, msg.len, &v) == 0 && v.kind == ECS_PRIVSEP_ACCEPT,
	     "and decodes as an acceptance");
	T_OK(strcmp(v.res.user, "alice") == 0 && strcmp(v.res.nameid, in.nameid) == 0 &&
	     v.res.nameid_format == NULL && strcmp(v.res.source_identity, "alice") == 0 &&
	     v.res.display_name == NULL && v.res.session_duration == 3600,
	     "every claim comes back, absent ones absent");
	T_OK(v.res.nroles == 2 && strcmp(v.res.roles[1].role_arn, roles[1].role_arn) == 0 &&
	     strcmp(v.res.roles[1].provider_arn, roles[1].provider_arn) == 0,
	     "the roles come back in order");
	T_OK(v.res.issue_instant == in.issue_instant &&
	     v.res.not_on_or_after == in.not_on_or_after && v.res.session_not_on_or_after == 0,
	     "the times come back");
	T_OK(v.res.response_b64_len == in.response_b64_len &&
	     strcmp(v.res.response_b64, in.response_b64) == 0, "the Response comes back");
	ecs_privsep_verdict_free(&v);

	/* every cut is refused, and so is one byte too many */
	for (size_t n = 0; n < msg.len; n++)
		if (ecs_privsep_decode(msg.data, n, &v) != -EBADMSG)
			bad++;
	T_OK(bad == 0, "every truncation of the message is refused");
	ecs_buf_append(&msg, "", 1);
	T_OK(ecs_privsep_decode(msg.data, msg.len, &v) == -EBADMSG, "a trailing byte is refused");
	ecs_buf_truncate(&msg, msg.len - 1);

	T_OK(decode_patched(&msg, 0, 'X') == -EBADMSG, "another magic is refused");
	T_OK(decode_patched(&msg, 4, 2) == -EBADMSG, "another version is refused");
	T_OK(decode_patched(&msg, 5, 9) == -EBADMSG, "an unknown kind is refused");
	T_OK(decode_patched(&msg, find(&msg, "alice@corp"), '\n') == -EBADMSG,
	     "a control character in a claim is refused");
	T_OK(decode_patched(&msg, find(&msg, "alice"), '-') == -EBADMSG,
	     "a user name the validator never accepts (leading '-') is refused");
	T_OK(decode_patched(&msg, find(&msg, "role/Ops") - 5, 'X') == -EBADMSG,
	     "a role that is no role ARN is refused");
	T_OK(decode_patched(&msg, find(&msg, "PHNh"), '*') == -EBADMSG,
	     "a Response that is no base64 is refused");
	ecs_buf_free(&msg);

	sample(&in);
	in.user = "";
	T_OK(encode_accept(&in, &msg) == 0 && ecs_privsep_decode(msg.data, msg.len, &v) == -EBADMSG,
	     "an empty user is refused");
	ecs_buf_free(&msg);
}

static void
test_reject_and_error(void)
{
	struct ecs_reject rej = { ECS_REJ_AUDIENCE, "audience is x, expected y" };
	struct ecs_privsep_verdict v;
	struct ecs_buf msg;

	ecs_buf_init(&msg, ECS_PRIVSEP_MSG_MAX);
	T_OK(ecs_privsep_encode(&msg, -ECS_EREJECT, NULL, &rej, NULL) == 0, "a refusal encodes");
	T_OK(ecs_privsep_decode(msg.data, msg.len, &v) == 0 && v.kind == ECS_PRIVSEP_REJECT &&
	     strcmp(v.rej.code, ECS_REJ_AUDIENCE) == 0 &&
	     /* the parent's copy, not a pointer into the child's bytes (string literals of
	      * two files need not share an address, so equality to ours proves nothing) */
	     ((uintptr_t)v.rej.code < (uintptr_t)msg.data ||
	      (uintptr_t)v.rej.code >= (uintptr_t)msg.data + msg.len) &&
	     strcmp(v.rej.msg, rej.msg) == 0,
	     "and decodes to the parent's own copy of the code, with the message");
	T_OK(decode_patched(&msg, find(&msg, "audience"), 'b') == -EBADMSG,
	     "a code the validator does not have is refused");
	ecs_buf_free(&msg);

	rej.code = ECS_REJ_PRIVSEP_CRASH;
	ecs_buf_init(&msg, ECS_PRIVSEP_MSG_MAX);
	ecs_privsep_encode(&msg, -ECS_EREJECT, NULL, &rej, NULL);
	T_OK(ecs_privsep_decode(msg.data, msg.len, &v) == -EBADMSG,
	     "a child cannot claim a sandbox failure code (only the parent sees those)");
	ecs_buf_free(&msg);

	ecs_buf_init(&msg, ECS_PRIVSEP_MSG_MAX);
	T_OK(ecs_privsep_encode(&msg, -ENOMEM, NULL, NULL, NULL) == 0 &&
	     ecs_privsep_decode(msg.data, msg.len, &v) == 0 && v.kind == ECS_PRIVSEP_ERROR &&
	     v.err == ENOMEM && strcmp(v.stage, "validation") == 0,
	     "an internal failure carries its errno and stage");
	ecs_buf_free(&msg);
	ecs_buf_init(&msg, ECS_PRIVSEP_MSG_MAX);
	ecs_privsep_encode(&msg, -EPERM, NULL, NULL, "installing the seccomp filter");
	T_OK(ecs_privsep_decode(msg.data, msg.len, &v) == 0 &&
	     strcmp(v.stage, "installing the seccomp filter") == 0 && v.err == EPERM,
	     "a sandbox step that failed is named");
	T_OK(decode_patched(&msg, 9, 0) == -EBADMSG, "errno 0 is refused");
	ecs_buf_free(&msg);
}

int
main(void)
{
	test_accept();
	test_reject_and_error();
	T_DONE();
}
