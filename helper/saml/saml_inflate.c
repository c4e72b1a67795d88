/* saml_inflate.c — zlib's raw inflate with a cap on the output (saml_inflate.h). */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "ecs_secmem.h"
#include "saml_inflate.h"

int
ecs_saml_inflate(const uint8_t *in, size_t len, const void *dict, size_t dict_len, size_t max,
		 uint8_t **out, size_t *out_len)
{
	z_stream z;
	uint8_t *buf = NULL;
	int zr, r;

	*out = NULL;
	*out_len = 0;
	if (len > UINT_MAX || max >= UINT_MAX || dict_len > UINT_MAX)
		return -E2BIG;
	memset(&z, 0, sizeof(z));
	/* one byte past the cap: an output that fills it is over the cap, whatever the
	 * stream would still have produced (inflate stops there, it does not go on) */
	buf = malloc(max + 1);
	if (!buf)
		return -ENOMEM;
	/* -15: a raw DEFLATE stream with the full 32 KB window, no header, no checksum */
	if (inflateInit2(&z, -15) != Z_OK) {
		free(buf);
		return -ENOMEM;
	}
	/* a raw stream has no dictionary id to ask for it by: it is set before the first byte */
	if (dict_len > 0 && inflateSetDictionary(&z, dict, (uInt)dict_len) != Z_OK) {
		inflateEnd(&z);
		free(buf);
		return -ENOMEM;
	}
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)len;
	z.next_out = buf;
	z.avail_out = (uInt)(max + 1);
	zr = inflate(&z, Z_FINISH);
	if (zr == Z_DATA_ERROR || zr == Z_NEED_DICT)
		r = -EBADMSG;
	else if (zr == Z_STREAM_END && z.total_out > max)
		r = -E2BIG;
	else if (zr == Z_STREAM_END && z.avail_in == 0)
		r = 0;
	else if (zr == Z_MEM_ERROR)
		r = -ENOMEM;
	else if (z.avail_out == 0)
		r = -E2BIG;	/* stopped by the cap, not by the stream */
	else
		r = -EBADMSG;	/* corrupt, cut short (Z_BUF_ERROR), or bytes after its end */
	*out_len = z.total_out;
	inflateEnd(&z);
	if (r < 0) {
		ecs_free_secret(buf, max + 1);
		*out_len = 0;
		return r;
	}
	buf[*out_len] = '\0';
	*out = buf;
	return 0;
}
