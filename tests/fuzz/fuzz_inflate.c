/* fuzz_inflate.c — libFuzzer target for the helper's inflation of a deflated Response
 * (saml_inflate.c) and the deflated path of the input decoder (saml_input.c), the first
 * code to touch what ecs-saml-ssh — or anyone posing as it — sends compressed.
 *
 * Input: byte 0 picks the cap, the rest is the raw DEFLATE stream. Properties beyond "no
 * crash": an accepted output is within the cap and NUL-terminated; a refused one leaves
 * nothing behind; the stream, base64-encoded, gets the same verdict from the decoder at
 * the real cap (a reject, never an internal error, for anything but memory). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ecs_b64.h"
#include "ecs_err.h"
#include "ecs_limits.h"
#include "ecs_secmem.h"
#include "fuzz.h"
#include "saml_inflate.h"
#include "saml_input.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t caps[4] = { 0, 1, 4096, ECS_RESPONSE_MAX_XML };
	struct ecs_saml_input d;
	struct ecs_reject rej = { 0 };
	struct ecs_buf b64;
	uint8_t *out = (uint8_t *)1;
	size_t len = 1, cap;
	int r;

	if (size == 0)
		return 0;
	cap = caps[data[0] & 3];
	r = ecs_saml_inflate(data + 1, size - 1, NULL, 0, cap, &out, &len);
	if (r == 0) {
		if (out == NULL || len > cap || out[len] != '\0')
			abort();
		ecs_free_secret(out, len + 1);
	} else if ((r != -E2BIG && r != -EBADMSG && r != -ENOMEM) || out != NULL || len != 0) {
		abort();
	}

	if (size - 1 > ECS_RESPONSE_MAX_B64 / 4 * 3)
		return 0;
	ecs_buf_init(&b64, ECS_RESPONSE_MAX_B64 + 4);
	if (size > 1 && ecs_b64_encode(data + 1, size - 1, &b64) == 0) {
		r = ecs_saml_input_decode((const char *)b64.data, b64.len, ECS_KBD_ENC_DEFLATE, &d, &rej);
		if (r == 0) {
			if (d.xml_len > ECS_RESPONSE_MAX_XML || d.b64_len > ECS_RESPONSE_MAX_B64 ||
			    d.xml[d.xml_len] != '\0')
				abort();
			ecs_saml_input_free(&d);
		} else if (r != -ECS_EREJECT && r != -ENOMEM) {
			abort();
		} else if (r == -ECS_EREJECT && rej.code == NULL) {
			abort();
		}
	}
	ecs_buf_free(&b64);
	return 0;
}
