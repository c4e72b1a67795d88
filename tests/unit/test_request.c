/* test_request.c — the helper's reading of the module's request (helper/request.c): how a
 * deflated Response (RESPONSE_DEFLATED) takes the Response's place. */
#include <string.h>

#include "ecs_err.h"
#include "ecs_helper_proto.h"
#include "request.h"
#include "tap.h"

#define NEED (ECS_REQ_BIT(ECS_HELPER_PROTO_USER) | ECS_REQ_BIT(ECS_HELPER_PROTO_RESPONSE))

/* Parse a request of USER plus the given Response frames (type 0 = none) under the masks. */
static int
parse(uint8_t t1, uint8_t t2, unsigned required, unsigned allowed, struct ecs_request *rq)
{
	int r;

	ecs_request_init(rq);
	r = ecs_helper_proto_begin(&rq->raw);
	if (r == 0)
		r = ecs_helper_proto_put_str(&rq->raw, ECS_HELPER_PROTO_USER, "alice");
	if (r == 0 && t1)
		r = ecs_helper_proto_put_str(&rq->raw, t1, "c3RyZWFt");
	if (r == 0 && t2)
		r = ecs_helper_proto_put_str(&rq->raw, t2, "PHgvPg==");
	if (r == 0)
		r = ecs_helper_proto_end(&rq->raw);
	if (r == 0)
		r = ecs_request_parse(rq, required, allowed);
	return r;
}

int
main(void)
{
	struct ecs_request rq;

	T_OK(parse(ECS_HELPER_PROTO_RESPONSE, 0, NEED, NEED, &rq) == 0 && rq.response_encoding == ECS_KBD_ENC_NONE &&
		     rq.response_len == 8,
	     "a Response frame: taken, not deflated");
	ecs_request_free(&rq);
	T_OK(parse(ECS_HELPER_PROTO_RESPONSE_DEFLATED, 0, NEED, NEED, &rq) == 0 &&
		     rq.response_encoding == ECS_KBD_ENC_DEFLATE && memcmp(rq.response, "c3RyZWFt", 8) == 0,
	     "a deflated Response satisfies a verb that requires a Response");
	ecs_request_free(&rq);
	T_OK(parse(ECS_HELPER_PROTO_RESPONSE, ECS_HELPER_PROTO_RESPONSE_DEFLATED, NEED, NEED, &rq) ==
		     -ECS_EPROTO,
	     "both forms in one request: refused");
	ecs_request_free(&rq);
	T_OK(parse(ECS_HELPER_PROTO_RESPONSE_DEFLATED, ECS_HELPER_PROTO_RESPONSE_DEFLATED, NEED, NEED,
		   &rq) == -ECS_EPROTO,
	     "two deflated Responses: refused");
	ecs_request_free(&rq);
	T_OK(parse(ECS_HELPER_PROTO_RESPONSE_DEFLATED, 0, ECS_REQ_BIT(ECS_HELPER_PROTO_USER),
		   ECS_REQ_BIT(ECS_HELPER_PROTO_USER), &rq) == -ECS_EPROTO,
	     "a deflated Response to a verb that takes no Response: refused");
	ecs_request_free(&rq);
	T_OK(parse(ECS_HELPER_PROTO_RESPONSE_PACKED1, 0, NEED, NEED, &rq) == 0 &&
		     rq.response_encoding == ECS_KBD_ENC_PACKED1,
	     "a packed1 Response satisfies a verb that requires a Response");
	ecs_request_free(&rq);
	T_OK(parse(ECS_HELPER_PROTO_RESPONSE_PACKED1, ECS_HELPER_PROTO_RESPONSE_DEFLATED, NEED, NEED,
		   &rq) == -ECS_EPROTO,
	     "a packed1 and a deflated Response in one request: refused");
	ecs_request_free(&rq);
	T_OK(parse(0, 0, NEED, NEED, &rq) == -ECS_EPROTO, "no Response at all: refused");
	ecs_request_free(&rq);
	T_DONE();
}
