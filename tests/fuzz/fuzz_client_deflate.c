/* fuzz_client_deflate.c — libFuzzer round trip for ecs-saml-ssh's DEFLATE encoder
 * (client_deflate.c): whatever the input, the stream it writes must inflate, with zlib as
 * the reference reader, back to exactly that input, and end where the stream says it ends.
 * A wrong code length, a distance past the window or a bad block header shows up here as an
 * abort, long before a helper refuses a login. Three streams per input: without a
 * dictionary, with packed1's (ecs_pack.h), and with the input's first half as the
 * dictionary of its second, where every match may reach into it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "client_deflate.h"
#include "ecs_pack.h"
#include "fuzz.h"

/* Compress in[size] against dict[dict_len]; zlib, given the same dictionary, must read
 * back exactly in. Aborts otherwise. */
static void
round_trip(const uint8_t *in, size_t size, const void *dict, size_t dict_len)
{
	struct ecs_buf out;
	uint8_t *back = malloc(size + 1);
	z_stream s;
	int r;

	if (!back)
		return;
	ecs_buf_init(&out, 2 * size + 64);
	if (ecs_deflate_dict(in, size, dict, dict_len, &out) != 0)
		abort();
	memset(&s, 0, sizeof(s));
	if (inflateInit2(&s, -15) != Z_OK)
		abort();
	if (dict_len > 0 && inflateSetDictionary(&s, dict, (uInt)dict_len) != Z_OK)
		abort();
	s.next_in = out.data;
	s.avail_in = (uInt)out.len;
	s.next_out = back;
	s.avail_out = (uInt)size + 1;	/* one spare byte: a longer output is caught */
	r = inflate(&s, Z_FINISH);
	if (r != Z_STREAM_END || s.avail_in != 0 || s.total_out != size ||
	    (size > 0 && memcmp(back, in, size) != 0))
		abort();
	/* never more than stored blocks would take: they hold the input alone */
	if (out.len > size + 5 * (size / 65535 + 1))
		abort();
	inflateEnd(&s);
	ecs_buf_free(&out);
	free(back);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	round_trip(data, size, NULL, 0);
	round_trip(data, size, ecs_pack_dict1, ecs_pack_dict1_len);
	round_trip(data + size / 2, size - size / 2, data, size / 2);
	return 0;
}
