/* client_deflate.c — LZ77 and the DEFLATE bit stream (client_deflate.h).
 *
 * Everything the RFC fixes (length and distance code tables, the order of code-length
 * codes, block headers) is spelled from RFC 1951 section 3.2. Huffman code construction
 * is client_huffman.c. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "client_deflate.h"
#include "client_huffman.h"
#include "ecs_secmem.h"

#define WSIZE 32768u		/* window: the farthest a match may reach back */
#define WMASK (WSIZE - 1)
#define HBITS_MIN 10
#define HBITS_MAX 15
#define MIN_MATCH 3
#define MAX_MATCH 258
#define MAX_CHAIN 512		/* candidates tried per position: SAML is small, take the ratio */
#define LAZY_STOP 64		/* a match this long is taken without looking one byte ahead */
#define STORED_MAX 65535u	/* bytes in one stored block */
#define BYTES(bits) (((bits) + 7) / 8)

#define N_LITLEN 286		/* 0-255 literals, 256 end of block, 257-285 lengths */
#define N_DIST 30
#define N_CL 19
#define END_BLOCK 256

enum { BT_STORED = 0, BT_FIXED = 1, BT_DYNAMIC = 2 };

static const uint16_t len_base[29] = { 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27,
				       31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227,
				       258 };
static const uint8_t len_extra[29] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
				       2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };
static const uint16_t dist_base[30] = { 1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129,
					193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
					6145, 8193, 12289, 16385, 24577 };
static const uint8_t dist_extra[30] = { 0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6,
					6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13 };
static const uint8_t cl_order[N_CL] = { 16, 17, 18, 0, 8, 7, 9, 6, 10, 5,
					11, 4, 12, 3, 13, 2, 14, 1, 15 };

/* One LZ77 output symbol: a literal byte (dist 0) or a match of len bytes dist back. */
struct sym {
	uint16_t len;	/* the byte for a literal */
	uint16_t dist;
};

struct lz {
	const uint8_t *in;	/* the window: the dictionary, then the input */
	size_t n;		/* bytes of in */
	size_t start;		/* where the input starts in in: the dictionary's length */
	int32_t *head;		/* hsize: latest position with each hash, or -1 */
	int32_t *prev;		/* wsize: the previous position with the same hash */
	size_t hsize;		/* a power of two, HBITS_MIN..HBITS_MAX bits */
	size_t wsize;		/* WSIZE, or n when smaller: positions index it directly */
	struct sym *syms;
	size_t nsyms;
};

/* The Huffman codes of one block. */
struct codes {
	uint8_t litlen_len[N_LITLEN + 2];	/* fixed codes define 288 */
	uint16_t litlen_code[N_LITLEN + 2];
	uint8_t dist_len[N_DIST + 2];
	uint16_t dist_code[N_DIST + 2];
	/* dynamic only: the code lengths run-length coded, and their own code */
	uint8_t rle[N_LITLEN + N_DIST];		/* symbols 0-18 */
	uint8_t rle_extra[N_LITLEN + N_DIST];	/* the extra bits' value for 16, 17, 18 */
	unsigned nrle, hlit, hdist, hclen;
	uint8_t cl_len[N_CL];
	uint16_t cl_code[N_CL];
};

struct bits {
	struct ecs_buf *out;
	uint64_t acc;
	unsigned nacc;
	int err;
};

static unsigned
len_code(unsigned len)
{
	unsigned c = 28;

	while (len_base[c] > len)
		c--;
	return c;
}

static unsigned
dist_code(unsigned dist)
{
	unsigned c = 29;

	while (dist_base[c] > dist)
		c--;
	return c;
}

/* ------------------------------------------------------------------ LZ77 */

static unsigned
hash3(const struct lz *z, const uint8_t *p)
{
	return ((unsigned)p[0] << 10 ^ (unsigned)p[1] << 5 ^ p[2]) & (unsigned)(z->hsize - 1);
}

/* Tables sized to the input and its dictionary: a Response is a few kilobytes, and the full
 * window's tables (256 KB, set to -1 and wiped after) cost a login's client more than the
 * matching. */
static void
size_tables(struct lz *z)
{
	unsigned bits = HBITS_MIN;

	while (bits < HBITS_MAX && ((size_t)1 << bits) < z->n)
		bits++;
	z->hsize = (size_t)1 << bits;
	z->wsize = z->n < WSIZE ? (z->n ? z->n : 1) : WSIZE;
}

static void
insert(struct lz *z, size_t pos)
{
	unsigned h;

	if (pos + MIN_MATCH > z->n)
		return;
	h = hash3(z, z->in + pos);
	z->prev[pos & WMASK] = z->head[h];
	z->head[h] = (int32_t)pos;
}

/* The longest earlier match for the bytes at pos (not yet inserted), 0 when none of
 * MIN_MATCH bytes or more. */
static unsigned
longest(const struct lz *z, size_t pos, unsigned *dist)
{
	size_t limit = z->n - pos < MAX_MATCH ? z->n - pos : MAX_MATCH;
	unsigned best = 0, chain = MAX_CHAIN;
	int32_t cand;

	if (limit < MIN_MATCH)
		return 0;
	cand = z->head[hash3(z, z->in + pos)];
	while (cand >= 0 && pos - (size_t)cand <= WSIZE && chain-- > 0) {
		const uint8_t *a = z->in + cand, *b = z->in + pos;
		unsigned l = 0;
		int32_t next;

		/* the byte that would lengthen the best match decides first */
		if (a[best] == b[best] || best == 0) {
			while (l < limit && a[l] == b[l])
				l++;
			if (l > best) {
				best = l;
				*dist = (unsigned)(pos - (size_t)cand);
				if (l == limit)
					break;
			}
		}
		next = z->prev[(size_t)cand & WMASK];
		/* a slot reused by a later position would make the chain climb: stop there */
		if (next >= cand)
			break;
		cand = next;
	}
	return best >= MIN_MATCH ? best : 0;
}

static void
put_sym(struct lz *z, unsigned len, unsigned dist)
{
	z->syms[z->nsyms].len = (uint16_t)len;
	z->syms[z->nsyms].dist = (uint16_t)dist;
	z->nsyms++;
}

/* Greedy with one-step lazy evaluation: a match found at pos is held back while the
 * match at pos + 1 is longer, in which case pos goes out as a literal. The dictionary is
 * history only: its positions go into the chains, symbols are made for the input alone. */
static void
lz77(struct lz *z)
{
	unsigned held_len = 0, held_dist = 0;
	size_t pos = z->start;

	for (size_t p = 0; p < z->start; p++)
		insert(z, p);

	while (pos < z->n) {
		unsigned dist = 0, len = longest(z, pos, &dist);

		insert(z, pos);
		if (held_len > 0) {
			if (len > held_len) {
				put_sym(z, z->in[pos - 1], 0);
				held_len = len;
				held_dist = dist;
				pos++;
				continue;
			}
			/* the held match started at pos - 1; pos is already in the chains */
			put_sym(z, held_len, held_dist);
			for (size_t p = pos + 1; p < pos - 1 + held_len; p++)
				insert(z, p);
			pos = pos - 1 + held_len;
			held_len = 0;
			continue;
		}
		if (len >= LAZY_STOP) {
			put_sym(z, len, dist);
			for (size_t p = pos + 1; p < pos + len; p++)
				insert(z, p);
			pos += len;
		} else if (len > 0) {
			held_len = len;
			held_dist = dist;
			pos++;
		} else {
			put_sym(z, z->in[pos], 0);
			pos++;
		}
	}
	if (held_len > 0)
		put_sym(z, held_len, held_dist);
}

/* ------------------------------------------------------------------ codes */

static void
fixed_codes(struct codes *c)
{
	for (unsigned s = 0; s < N_LITLEN + 2; s++)
		c->litlen_len[s] = s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8;
	for (unsigned s = 0; s < N_DIST + 2; s++)
		c->dist_len[s] = 5;
	ecs_huff_codes(c->litlen_len, N_LITLEN + 2, c->litlen_code);
	ecs_huff_codes(c->dist_len, N_DIST + 2, c->dist_code);
}

/* A tree with a single code is incomplete, which some inflaters refuse: give every
 * alphabet at least two used symbols (an unused code costs nothing but header bits). */
static void
at_least_two(uint32_t *freq, unsigned n)
{
	unsigned used = 0;

	for (unsigned s = 0; s < n; s++)
		used += freq[s] != 0;
	for (unsigned s = 0; used < 2 && s < n; s++)
		if (freq[s] == 0) {
			freq[s] = 1;
			used++;
		}
}

/* Run-length code the concatenated literal/length and distance code lengths with
 * symbols 16 (repeat the previous 3-6 times), 17 (3-10 zeros) and 18 (11-138 zeros). */
static void
rle_lengths(struct codes *c)
{
	uint8_t all[N_LITLEN + N_DIST];
	unsigned n = c->hlit + c->hdist, i = 0;

	memcpy(all, c->litlen_len, c->hlit);
	memcpy(all + c->hlit, c->dist_len, c->hdist);
	c->nrle = 0;
	while (i < n) {
		unsigned v = all[i], run = 1;

		while (i + run < n && all[i + run] == v)
			run++;
		if (v == 0 && run >= 3) {
			unsigned k = run > 138 ? 138 : run;

			c->rle[c->nrle] = k >= 11 ? 18 : 17;
			c->rle_extra[c->nrle++] = (uint8_t)(k >= 11 ? k - 11 : k - 3);
			i += k;
		} else if (v != 0 && run >= 4) {
			unsigned k = run - 1 > 6 ? 6 : run - 1;

			c->rle[c->nrle] = (uint8_t)v;
			c->rle_extra[c->nrle++] = 0;
			c->rle[c->nrle] = 16;
			c->rle_extra[c->nrle++] = (uint8_t)(k - 3);
			i += 1 + k;
		} else {
			c->rle[c->nrle] = (uint8_t)v;
			c->rle_extra[c->nrle++] = 0;
			i++;
		}
	}
}

static void
dynamic_codes(const struct lz *z, struct codes *c)
{
	uint32_t lf[N_LITLEN] = { 0 }, df[N_DIST] = { 0 }, cf[N_CL] = { 0 };

	for (size_t i = 0; i < z->nsyms; i++) {
		if (z->syms[i].dist == 0) {
			lf[z->syms[i].len]++;
		} else {
			lf[257 + len_code(z->syms[i].len)]++;
			df[dist_code(z->syms[i].dist)]++;
		}
	}
	lf[END_BLOCK] = 1;
	at_least_two(lf, N_LITLEN);
	at_least_two(df, N_DIST);
	memset(c->litlen_len, 0, sizeof(c->litlen_len));
	memset(c->dist_len, 0, sizeof(c->dist_len));
	ecs_huff_lengths(lf, N_LITLEN, 15, c->litlen_len);
	ecs_huff_lengths(df, N_DIST, 15, c->dist_len);
	ecs_huff_codes(c->litlen_len, N_LITLEN, c->litlen_code);
	ecs_huff_codes(c->dist_len, N_DIST, c->dist_code);

	for (c->hlit = N_LITLEN; c->hlit > 257 && c->litlen_len[c->hlit - 1] == 0; c->hlit--)
		;
	for (c->hdist = N_DIST; c->hdist > 1 && c->dist_len[c->hdist - 1] == 0; c->hdist--)
		;
	rle_lengths(c);
	for (unsigned i = 0; i < c->nrle; i++)
		cf[c->rle[i]]++;
	at_least_two(cf, N_CL);
	ecs_huff_lengths(cf, N_CL, 7, c->cl_len);
	ecs_huff_codes(c->cl_len, N_CL, c->cl_code);
	for (c->hclen = N_CL; c->hclen > 4 && c->cl_len[cl_order[c->hclen - 1]] == 0; c->hclen--)
		;
}

/* Bits the block's symbols take with codes c, header and end of block included. */
static uint64_t
block_bits(const struct lz *z, const struct codes *c, int type)
{
	static const uint8_t rle_bits[N_CL] = { [16] = 2, [17] = 3, [18] = 7 };
	uint64_t bits = 3 + c->litlen_len[END_BLOCK];

	if (type == BT_DYNAMIC) {
		bits += 5 + 5 + 4 + 3 * (uint64_t)c->hclen;
		for (unsigned i = 0; i < c->nrle; i++)
			bits += c->cl_len[c->rle[i]] + rle_bits[c->rle[i]];
	}
	for (size_t i = 0; i < z->nsyms; i++) {
		const struct sym *s = &z->syms[i];

		if (s->dist == 0) {
			bits += c->litlen_len[s->len];
		} else {
			unsigned lc = len_code(s->len), dc = dist_code(s->dist);

			bits += c->litlen_len[257 + lc] + len_extra[lc] + c->dist_len[dc] +
				dist_extra[dc];
		}
	}
	return bits;
}

/* ------------------------------------------------------------------ the bit stream */

/* DEFLATE packs bits least significant first. */
static void
put_bits(struct bits *b, unsigned v, unsigned n)
{
	b->acc |= (uint64_t)v << b->nacc;
	b->nacc += n;
	while (b->nacc >= 8) {
		uint8_t byte = (uint8_t)b->acc;

		if (b->err == 0)
			b->err = ecs_buf_append(b->out, &byte, 1);
		b->acc >>= 8;
		b->nacc -= 8;
	}
}

static void
flush_byte(struct bits *b)
{
	if (b->nacc > 0)
		put_bits(b, 0, 8 - b->nacc);
}

static void
write_syms(struct bits *b, const struct lz *z, const struct codes *c)
{
	for (size_t i = 0; i < z->nsyms; i++) {
		const struct sym *s = &z->syms[i];
		unsigned lc, dc;

		if (s->dist == 0) {
			put_bits(b, c->litlen_code[s->len], c->litlen_len[s->len]);
			continue;
		}
		lc = len_code(s->len);
		dc = dist_code(s->dist);
		put_bits(b, c->litlen_code[257 + lc], c->litlen_len[257 + lc]);
		put_bits(b, s->len - len_base[lc], len_extra[lc]);
		put_bits(b, c->dist_code[dc], c->dist_len[dc]);
		put_bits(b, s->dist - dist_base[dc], dist_extra[dc]);
	}
	put_bits(b, c->litlen_code[END_BLOCK], c->litlen_len[END_BLOCK]);
}

static void
write_dynamic(struct bits *b, const struct lz *z, const struct codes *c)
{
	static const uint8_t rle_bits[N_CL] = { [16] = 2, [17] = 3, [18] = 7 };

	put_bits(b, 1, 1);		/* BFINAL: the one block */
	put_bits(b, BT_DYNAMIC, 2);
	put_bits(b, c->hlit - 257, 5);
	put_bits(b, c->hdist - 1, 5);
	put_bits(b, c->hclen - 4, 4);
	for (unsigned i = 0; i < c->hclen; i++)
		put_bits(b, c->cl_len[cl_order[i]], 3);
	for (unsigned i = 0; i < c->nrle; i++) {
		put_bits(b, c->cl_code[c->rle[i]], c->cl_len[c->rle[i]]);
		put_bits(b, c->rle_extra[i], rle_bits[c->rle[i]]);
	}
	write_syms(b, z, c);
}

static void
write_stored(struct bits *b, const uint8_t *in, size_t n)
{
	size_t off = 0;

	do {
		size_t k = n - off > STORED_MAX ? STORED_MAX : n - off;

		put_bits(b, off + k == n, 1);
		put_bits(b, BT_STORED, 2);
		flush_byte(b);
		put_bits(b, (unsigned)k, 16);
		put_bits(b, (unsigned)k ^ 0xffffu, 16);
		if (b->err == 0)
			b->err = ecs_buf_append(b->out, in + off, k);
		off += k;
	} while (off < n);
}

/* The window LZ77 runs over: the dictionary's last WSIZE bytes (no match reaches farther
 * back, and zlib's inflateSetDictionary keeps the same tail), then the input. Without a
 * dictionary the input itself, not a copy. 0 or -ENOMEM. */
static int
set_window(struct lz *z, const uint8_t *dict, size_t dict_len, const uint8_t *in, size_t len,
	   uint8_t **copy)
{
	if (dict_len > WSIZE) {
		dict += dict_len - WSIZE;
		dict_len = WSIZE;
	}
	z->start = dict_len;
	z->n = dict_len + len;
	if (dict_len == 0) {
		z->in = in;
		return 0;
	}
	*copy = malloc(z->n);
	if (!*copy)
		return -ENOMEM;
	memcpy(*copy, dict, dict_len);
	if (len > 0)
		memcpy(*copy + dict_len, in, len);
	z->in = *copy;
	return 0;
}

int
ecs_deflate_dict(const void *in, size_t len, const void *dict, size_t dict_len,
		 struct ecs_buf *out)
{
	struct lz z = { 0 };
	struct codes *fixed = NULL, *dyn = NULL;
	struct bits b = { .out = out };
	uint64_t fixed_bits, dyn_bits, stored_bits;
	size_t stored_blocks = len / STORED_MAX + 1;
	uint8_t *window = NULL;
	int r;

	r = set_window(&z, dict, dict_len, in, len, &window);
	if (r < 0)
		goto out;
	r = -ENOMEM;
	size_tables(&z);
	z.head = malloc(z.hsize * sizeof(*z.head));
	z.prev = malloc(z.wsize * sizeof(*z.prev));
	z.syms = malloc((len + 1) * sizeof(*z.syms));
	fixed = calloc(1, sizeof(*fixed));
	dyn = calloc(1, sizeof(*dyn));
	if (!z.head || !z.prev || !z.syms || !fixed || !dyn)
		goto out;
	memset(z.head, 0xff, z.hsize * sizeof(*z.head));	/* -1: no position yet */
	memset(z.prev, 0xff, z.wsize * sizeof(*z.prev));
	lz77(&z);

	fixed_codes(fixed);
	dynamic_codes(&z, dyn);
	fixed_bits = block_bits(&z, fixed, BT_FIXED);
	dyn_bits = block_bits(&z, dyn, BT_DYNAMIC);
	/* per block: its 3-bit header padded to a byte (each stored block starts the stream or
	 * follows another, so on a byte boundary), then LEN and NLEN */
	stored_bits = 8 * (uint64_t)len + stored_blocks * (8 + 32);

	/* compared in whole bytes, what the stream takes; a tie goes to the simplest. A stored
	 * block holds the input alone: the dictionary is the reader's already. */
	if (BYTES(stored_bits) <= BYTES(fixed_bits) && BYTES(stored_bits) <= BYTES(dyn_bits)) {
		write_stored(&b, in, len);
	} else if (BYTES(fixed_bits) <= BYTES(dyn_bits)) {
		put_bits(&b, 1, 1);
		put_bits(&b, BT_FIXED, 2);
		write_syms(&b, &z, fixed);
	} else {
		write_dynamic(&b, &z, dyn);
	}
	flush_byte(&b);
	r = b.err;
out:
	/* the symbols, the chains and the window are the Response in another form */
	if (z.syms)
		ecs_free_secret(z.syms, (len + 1) * sizeof(*z.syms));
	if (z.head)
		ecs_free_secret(z.head, z.hsize * sizeof(*z.head));
	if (z.prev)
		ecs_free_secret(z.prev, z.wsize * sizeof(*z.prev));
	if (window)
		ecs_free_secret(window, z.n);
	if (dyn)
		ecs_free_secret(dyn, sizeof(*dyn));
	free(fixed);
	b.acc = 0;
	return r;
}

int
ecs_deflate(const void *in, size_t len, struct ecs_buf *out)
{
	return ecs_deflate_dict(in, len, NULL, 0, out);
}
