/* fuzz_client_cdp.c — libFuzzer target for the DevTools conversation of ecs-saml-ssh --browser
 * (client_cdp.h): the input is a run of NUL-separated messages from "the browser".
 *
 * Properties checked beyond "no crash": everything queued for the browser is valid JSON;
 * nothing is ever continued to the network (no Fetch.continueRequest); a capture holds a
 * Response within the STS cap, and answers the page (Fetch.fulfillRequest). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "client_cdp.h"
#include "client_json.h"
#include "ecs_limits.h"
#include "fuzz.h"

static void
check_out(const struct ecs_client_cdp *c)
{
	size_t i = 0;

	while (i < c->out.len) {
		const char *m = (const char *)c->out.data + i;
		size_t n = strnlen(m, c->out.len - i);
		struct ecs_json d;

		if (i + n >= c->out.len || ecs_json_parse(&d, m, n) != 0)
			abort();	/* unterminated, or not JSON */
		if (ecs_json_string_is(&d, ecs_json_member(&d, 0, "method"), "Fetch.continueRequest"))
			abort();
		ecs_json_free(&d);
		i += n + 1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ecs_client_cdp c;
	const char *p = (const char *)data, *end = p + size;
	int r = ECS_CDP_RUNNING;

	ecs_client_cdp_init(&c, "https://idp.example.test/sso?app=aws");
	while (p < end && r == ECS_CDP_RUNNING) {
		const char *nul = memchr(p, '\0', (size_t)(end - p));
		size_t n = nul ? (size_t)(nul - p) : (size_t)(end - p);

		ecs_buf_clear(&c.out);
		r = ecs_client_cdp_feed(&c, p, n);
		check_out(&c);
		p += n + 1;
	}
	if (r == ECS_CDP_CAPTURED &&
	    (c.resp.b64.len == 0 || c.resp.b64.len > ECS_RESPONSE_MAX_B64 ||
	     memmem(c.out.data, c.out.len, "Fetch.fulfillRequest", 20) == NULL))
		abort();
	ecs_client_cdp_close(&c);
	check_out(&c);
	ecs_client_cdp_free(&c);
	return 0;
}
