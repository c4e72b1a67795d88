/* fuzz_client_input.c — libFuzzer target for ecs-saml-ssh's input recognition (form body,
 * URL decoding, base64 vs XML, the NotOnOrAfter scan) and its prompt answerer.
 *
 * Properties checked beyond "no crash": an accepted input always yields base64 that decodes
 * back to exactly the XML kept beside it, within the STS cap; and the answerer, fed the input
 * as a prompt, never answers anything that is not one of pam_ecs_saml's prompts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client_answer.h"
#include "client_input.h"
#include "ecs_b64.h"
#include "ecs_kbd_proto.h"
#include "ecs_limits.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ecs_client_response r;
	struct ecs_client_answerer a;
	struct ecs_buf back, out;
	unsigned idx, total;
	char *text;
	time_t t;

	if (size > ECS_CLIENT_INPUT_MAX)
		return 0;
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	ecs_client_response_init(&r);
	if (ecs_client_response_parse(text, size, &r) == 0) {
		ecs_buf_init(&back, r.xml.len + 1);
		if (r.b64.len > ECS_RESPONSE_MAX_B64 ||
		    ecs_b64_decode((const char *)r.b64.data, r.b64.len, &back) != 0 ||
		    back.len != r.xml.len || memcmp(back.data, r.xml.data, back.len) != 0)
			abort();
		ecs_buf_free(&back);
	}
	ecs_client_response_free(&r);
	(void)ecs_client_not_on_or_after(text, size, &t);

	ecs_buf_init(&out, 4096);
	for (int mode = ECS_CLIENT_CHUNKED; mode <= ECS_CLIENT_LINES; mode++) {
		ecs_client_answerer_init(&a, (enum ecs_client_mode)mode, "PFJlc3BvbnNlLz4=", 16,
					 ECS_KBD_ENC_NONE, "1");
		if (ecs_client_answer(&a, text, &out) == 0 &&
		    ecs_kbd_proto_classify_prompt(ecs_client_prompt_text(text), &idx, &total) ==
			    ECS_PROMPT_UNKNOWN)
			abort();
		ecs_buf_clear(&out);
	}
	ecs_buf_free(&out);
	free(text);
	return 0;
}
