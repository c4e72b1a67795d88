/* fuzz_cloudtrail.c — libFuzzer target for the CloudTrail log-file reader (`audit exec`).
 *
 * Properties beyond "no crash, no leak": every event handed on has its eventTime and one of
 * the three kinds, and the counts add up (events never exceed records, nor bad records). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cloudtrail.h"
#include "fuzz.h"

static int
on_event(const struct ecs_ct_event *ev, void *ctx)
{
	size_t *n = ctx;

	if (ev->event_time == NULL ||
	    (ev->kind != ECS_CT_EXECUTE_COMMAND && ev->kind != ECS_CT_ASSUME_ROLE_WITH_SAML &&
	     ev->kind != ECS_CT_START_SESSION))
		abort();
	/* every string is readable to its end */
	if (ev->cluster != NULL)
		(void)strlen(ev->cluster);
	if (ev->access_key_id != NULL)
		(void)strlen(ev->access_key_id);
	(*n)++;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ecs_ct_stats st = { 0 };
	size_t n = 0;

	ecs_ct_parse((const char *)data, size, on_event, &n, &st);
	if (n != st.events || st.events + st.bad_records > st.records)
		abort();
	return 0;
}
