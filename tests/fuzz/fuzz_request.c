/* fuzz_request.c — libFuzzer target for the helper's reading of a module request (framing,
 * frame types and repeats, every value's shape).
 *
 * Properties beyond "no crash": whatever is accepted has the shape the verbs rely on — names
 * that pass their checks, a Response inside the message, no uid 0, at most the argument
 * cap — and a rejected request leaves nothing allocated after ecs_request_free. */
#include <stdlib.h>
#include <string.h>

#include "ecs_names.h"
#include "fuzz.h"
#include "request.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ecs_request rq;
	const uint8_t *raw;

	ecs_request_init(&rq);
	if (ecs_buf_append(&rq.raw, data, size) == 0 &&
	    ecs_request_parse(&rq, ECS_REQ_BIT(ECS_HELPER_PROTO_USER), ~0u) == 0) {
		raw = rq.raw.data;
		if (!ecs_name_user_ok(rq.user) ||
		    (rq.service != NULL && !ecs_name_service_ok(rq.service)) ||
		    (rq.ticket != NULL && !ecs_name_token_ok(rq.ticket)) ||
		    (rq.tag != NULL && !ecs_name_token_ok(rq.tag)) ||
		    (rq.has_ids && rq.uid == 0) || rq.nargs > ECS_HELPER_PROTO_MAX_CONF_ARGS ||
		    (rq.response != NULL &&
		     ((const uint8_t *)rq.response < raw ||
		      (const uint8_t *)rq.response + rq.response_len > raw + rq.raw.len)))
			abort();
	}
	ecs_request_free(&rq);
	return 0;
}
