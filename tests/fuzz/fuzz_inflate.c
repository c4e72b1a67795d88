/* fuzz_inflate.c — libFuzzer target for the helper's inflation of a deflated or packed1
 * Response (saml_inflate.c, ecs_pack.c) and those paths of the input decoder
 * (saml_input.c), the first code to touch what ecs-saml-ssh — or anyone posing as it —
 * sends compressed.
 *
 * Input: byte 0 picks the cap (bits 0-1) and packed1's preset dictionary (bit 2), the rest
 * is the raw DEFLATE stream. Properties beyond "no crash": an accepted output is within
 * the cap and NUL-terminated; a refused one leaves nothing behind; the stream, base64-
 * encoded as deflate and escaped as packed1, gets a verdict from the decoder at the real
 * cap (a reject, never an internal error, for anything but memory); the rest taken as
 * packed1 characters as they are does too; and escaping then unescaping gives the bytes
 * back. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ecs_b64.h"
#include "ecs_err.h"
#include "ecs_limits.h"
#include "ecs_pack.h"
#include "ecs_secmem.h"
#include "fuzz.h"
#include "saml_inflate.h"
#include "saml_input.h"

/* The decoder's verdict on in[n] must be a document within the caps or a reject. */
static void
check_decode(const char *in, size_t n, enum ecs_kbd_encoding enc)
{
	struct ecs_saml_input d;
	struct ecs_reject rej = { 0 };
	int r = ecs_saml_input_decode(in, n, enc, &d, &rej);

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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t caps[4] = { 0, 1, 4096, ECS_RESPONSE_MAX_XML };
	struct ecs_buf b64, packed, back;
	uint8_t *out = (uint8_t *)1;
	size_t len = 1, cap;
	bool dict;
	int r;

	if (size == 0)
		return 0;
	cap = caps[data[0] & 3];
	dict = (data[0] & 4) != 0;
	r = ecs_saml_inflate(data + 1, size - 1, dict ? ecs_pack_dict1 : NULL,
			     dict ? ecs_pack_dict1_len : 0, cap, &out, &len);
	if (r == 0) {
		if (out == NULL || len > cap || out[len] != '\0')
			abort();
		ecs_free_secret(out, len + 1);
	} else if ((r != -E2BIG && r != -EBADMSG && r != -ENOMEM) || out != NULL || len != 0) {
		abort();
	}

	if (size - 1 > ECS_RESPONSE_MAX_B64 / 4 * 3)
		return 0;
	check_decode((const char *)data + 1, size - 1, ECS_KBD_ENC_PACKED1);
	ecs_buf_init(&b64, ECS_RESPONSE_MAX_B64 + 4);
	ecs_buf_init(&packed, 2 * size);
	ecs_buf_init(&back, size);
	if (size > 1 && ecs_b64_encode(data + 1, size - 1, &b64) == 0)
		check_decode((const char *)b64.data, b64.len, ECS_KBD_ENC_DEFLATE);
	if (ecs_pack_escape(data + 1, size - 1, &packed) == 0) {
		check_decode((const char *)packed.data, packed.len, ECS_KBD_ENC_PACKED1);
		if (ecs_pack_unescape((const char *)packed.data, packed.len, &back) != 0 ||
		    back.len != size - 1 || (back.len > 0 && memcmp(back.data, data + 1, back.len) != 0))
			abort();
	}
	ecs_buf_free(&b64);
	ecs_buf_free(&packed);
	ecs_buf_free(&back);
	return 0;
}
