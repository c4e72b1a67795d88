/* ecs_b64.c — strict standard base64 (RFC 4648 §4) that skips copy-and-paste wrapping.
 *
 * Decoding validates the whole input first (alphabet, padding, leftover bits, size), so the
 * second pass cannot fail on syntax and `out` is only ever extended by a complete result. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "ecs_b64.h"
#include "ecs_secmem.h"

#define ECS_B64_BAD 0xff
#define ECS_B64_WS 0xfe
#define ECS_B64_PAD 0xfd
#define ECS_B64_BLOCK 768	/* decoded bytes staged on the stack per append */

static const char ecs_b64_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Class of one input byte: its 6-bit value, or one of the markers above. */
static uint8_t
ecs_b64_class(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return (uint8_t)(c - 'A');
	if (c >= 'a' && c <= 'z')
		return (uint8_t)(c - 'a' + 26);
	if (c >= '0' && c <= '9')
		return (uint8_t)(c - '0' + 52);
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	if (c == '=')
		return ECS_B64_PAD;
	if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
		return ECS_B64_WS;
	return ECS_B64_BAD;
}

size_t
ecs_b64_count(const char *in, size_t len)
{
	size_t i;
	size_t n = 0;

	for (i = 0; i < len; i++)
		if (ecs_b64_class((unsigned char)in[i]) != ECS_B64_WS)
			n++;
	return n;
}

/* First pass: 0 and the decoded size, or -EBADMSG. */
static int
ecs_b64_check(const char *in, size_t len, size_t *outlen)
{
	size_t i;
	size_t n = 0;		/* significant characters seen */
	size_t pad = 0;
	uint8_t last = 0;	/* value of the last alphabet character */

	for (i = 0; i < len; i++) {
		uint8_t v = ecs_b64_class((unsigned char)in[i]);

		if (v == ECS_B64_WS)
			continue;
		if (v == ECS_B64_BAD)
			return -EBADMSG;
		if (v == ECS_B64_PAD) {
			/* '=' may only fill the third and fourth place of the last quantum */
			if (n % 4 < 2 || ++pad > 2)
				return -EBADMSG;
		} else {
			if (pad)
				return -EBADMSG;
			last = v;
		}
		n++;
	}
	if (n % 4 != 0)
		return -EBADMSG;
	/* the bits that padding leaves over must be zero (RFC 4648 §3.5, canonical form) */
	if ((pad == 1 && (last & 0x03)) || (pad == 2 && (last & 0x0f)))
		return -EBADMSG;
	*outlen = n / 4 * 3 - pad;
	return 0;
}

int
ecs_b64_decode(const char *in, size_t len, struct ecs_buf *out)
{
	uint8_t block[ECS_B64_BLOCK];
	size_t outlen = 0;
	size_t old_len = out->len;
	size_t fill = 0;
	size_t i;
	uint32_t acc = 0;
	unsigned nacc = 0;
	int r;

	r = ecs_b64_check(in, len, &outlen);
	if (r < 0)
		goto out;
	if (outlen > out->max || out->len > out->max - outlen) {
		r = -E2BIG;
		goto out;
	}
	for (i = 0; i < len; i++) {
		uint8_t v = ecs_b64_class((unsigned char)in[i]);

		if (v == ECS_B64_WS || v == ECS_B64_PAD)
			continue;
		acc = acc << 6 | v;
		if (++nacc == 4) {
			block[fill++] = (uint8_t)(acc >> 16);
			block[fill++] = (uint8_t)(acc >> 8);
			block[fill++] = (uint8_t)acc;
			acc = 0;
			nacc = 0;
		}
		if (fill == sizeof(block)) {
			r = ecs_buf_append(out, block, fill);
			if (r < 0)
				goto out;
			fill = 0;
		}
	}
	/* a padded last quantum: 2 characters give one byte, 3 give two */
	if (nacc == 2) {
		block[fill++] = (uint8_t)(acc >> 4);
	} else if (nacc == 3) {
		block[fill++] = (uint8_t)(acc >> 10);
		block[fill++] = (uint8_t)(acc >> 2);
	}
	r = ecs_buf_append(out, block, fill);
out:
	if (r < 0)
		ecs_buf_truncate(out, old_len);
	ECS_WIPE_OBJ(block);
	return r;
}

int
ecs_b64_encode(const void *in, size_t len, struct ecs_buf *out)
{
	const uint8_t *p = in;
	char block[ECS_B64_BLOCK];
	size_t old_len = out->len;
	size_t enc;
	size_t fill = 0;
	size_t i;
	int r = 0;

	if (len > (SIZE_MAX - 2) / 4 * 3) {
		r = -E2BIG;
		goto out;
	}
	enc = (len + 2) / 3 * 4;
	if (enc > out->max || out->len > out->max - enc) {
		r = -E2BIG;
		goto out;
	}
	for (i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;
		size_t left = len - i;

		if (left > 1)
			v |= (uint32_t)p[i + 1] << 8;
		if (left > 2)
			v |= p[i + 2];
		block[fill++] = ecs_b64_alphabet[v >> 18 & 0x3f];
		block[fill++] = ecs_b64_alphabet[v >> 12 & 0x3f];
		block[fill++] = left > 1 ? ecs_b64_alphabet[v >> 6 & 0x3f] : '=';
		block[fill++] = left > 2 ? ecs_b64_alphabet[v & 0x3f] : '=';
		if (fill == sizeof(block)) {
			r = ecs_buf_append(out, block, fill);
			if (r < 0)
				goto out;
			fill = 0;
		}
	}
	r = ecs_buf_append(out, block, fill);
out:
	if (r < 0)
		ecs_buf_truncate(out, old_len);
	ECS_WIPE_OBJ(block);
	return r;
}
