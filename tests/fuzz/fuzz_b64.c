/* fuzz_b64.c — libFuzzer target for the strict base64 decoder.
 *
 * Properties beyond "no crash": a rejected input leaves the buffer untouched; an accepted
 * input decodes to count/4*3 bytes minus padding, and re-encoding the result gives back
 * exactly the input's significant characters (the decoder accepts only canonical text). */
#include <stdlib.h>
#include <string.h>

#include "ecs_b64.h"
#include "ecs_buf.h"
#include "fuzz.h"

#define FUZZ_B64_MAX (1 << 20)

/* The input without its whitespace, as a canonical encoder would have produced it. */
static size_t
squeeze(const uint8_t *data, size_t size, char *out)
{
	size_t i, n = 0;

	for (i = 0; i < size; i++)
		if (!strchr(" \t\r\n", data[i]) || data[i] == 0)
			out[n++] = (char)data[i];
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ecs_buf dec, enc;
	char *sig = malloc(size + 1);
	size_t n;
	int r;

	if (!sig)
		return 0;
	ecs_buf_init(&dec, FUZZ_B64_MAX);
	ecs_buf_init(&enc, 2 * FUZZ_B64_MAX);
	n = squeeze(data, size, sig);
	if (ecs_b64_count((const char *)data, size) != n)
		abort();
	r = ecs_b64_decode((const char *)data, size, &dec);
	if (r < 0) {
		if (dec.len != 0)
			abort();
		goto out;
	}
	if (ecs_b64_encode(dec.data, dec.len, &enc) < 0 || enc.len != n ||
	    (n && memcmp(enc.data, sig, n) != 0))
		abort();
out:
	ecs_buf_free(&dec);
	ecs_buf_free(&enc);
	free(sig);
	return 0;
}
