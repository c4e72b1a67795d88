/* client_huffman.c — length-limited Huffman code lengths, canonical codes (client_huffman.h). */
#include <string.h>

#include "client_huffman.h"

#define MAX_BITS 15

/* Plain Huffman: merge the two lightest nodes until one is left, then read each leaf's
 * depth off its parent chain. O(n^2) selection: n is at most 288, and it runs a handful of
 * times per login. Returns the deepest leaf's depth. */
static unsigned
huffman_depths(const uint32_t *freq, unsigned n, uint8_t *len)
{
	uint64_t weight[2 * ECS_HUFF_MAX_SYMS];
	int parent[2 * ECS_HUFF_MAX_SYMS];
	int leaf[ECS_HUFF_MAX_SYMS];
	unsigned nodes = 0, live, deepest = 0;

	for (unsigned s = 0; s < n; s++) {
		leaf[s] = -1;
		if (freq[s] == 0)
			continue;
		leaf[s] = (int)nodes;
		weight[nodes] = freq[s];
		parent[nodes] = -1;
		nodes++;
	}
	live = nodes;
	while (live > 1) {
		int a = -1, b = -1;

		for (unsigned i = 0; i < nodes; i++) {
			if (parent[i] != -1)
				continue;
			if (a < 0 || weight[i] < weight[a]) {
				b = a;
				a = (int)i;
			} else if (b < 0 || weight[i] < weight[b]) {
				b = (int)i;
			}
		}
		weight[nodes] = weight[a] + weight[b];
		parent[nodes] = -1;
		parent[a] = parent[b] = (int)nodes;
		nodes++;
		live--;
	}
	for (unsigned s = 0; s < n; s++) {
		unsigned d = 0;

		if (leaf[s] < 0) {
			len[s] = 0;
			continue;
		}
		for (int i = leaf[s]; parent[i] != -1; i = parent[i])
			d++;
		len[s] = (uint8_t)(d == 0 ? 1 : d);	/* a lone symbol still needs one bit */
		if (len[s] > deepest)
			deepest = len[s];
	}
	return deepest;
}

void
ecs_huff_lengths(const uint32_t *freq, unsigned n, unsigned maxbits, uint8_t *len)
{
	uint32_t f[ECS_HUFF_MAX_SYMS];

	/* Too deep a tree means a very skewed distribution: flatten it by halving every
	 * count (a used symbol stays used) and build again. Each round brings the counts
	 * closer together; equal counts give a balanced tree of depth ceil(log2(used)),
	 * within the limit, so this ends. The codes lose a little against an optimal
	 * length-limited code, only on inputs far from SAML's. */
	memcpy(f, freq, n * sizeof(*f));
	while (huffman_depths(f, n, len) > maxbits)
		for (unsigned s = 0; s < n; s++)
			if (f[s] != 0)
				f[s] = (f[s] + 1) / 2;
}

void
ecs_huff_codes(const uint8_t *len, unsigned n, uint16_t *code)
{
	unsigned count[MAX_BITS + 1] = { 0 }, next[MAX_BITS + 1];
	unsigned c = 0;

	for (unsigned s = 0; s < n; s++)
		count[len[s]]++;
	count[0] = 0;
	for (unsigned b = 1; b <= MAX_BITS; b++) {
		c = (c + count[b - 1]) << 1;
		next[b] = c;
	}
	for (unsigned s = 0; s < n; s++) {
		unsigned v, r = 0;

		code[s] = 0;
		if (len[s] == 0)
			continue;
		v = next[len[s]]++;
		for (unsigned i = 0; i < len[s]; i++)
			r |= ((v >> i) & 1u) << (len[s] - 1 - i);
		code[s] = (uint16_t)r;
	}
}
