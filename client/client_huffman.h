/* client_huffman.h — Huffman code lengths and canonical codes for the DEFLATE encoder.
 *
 * One job: given how often each symbol of an alphabet occurs, choose code lengths no longer
 * than a limit (15 bits for DEFLATE's literal/length and distance alphabets, 7 for the
 * code-length alphabet), then the canonical codes RFC 1951 section 3.2.2 derives from them. */
#ifndef ECS_CLIENT_HUFFMAN_H
#define ECS_CLIENT_HUFFMAN_H

#include <stdint.h>

#define ECS_HUFF_MAX_SYMS 288	/* the largest DEFLATE alphabet (literal/length) */

/* Code lengths for freq[0..n) into len[0..n): 0 for a symbol that never occurs, at most
 * maxbits otherwise. A lone used symbol gets length 1. n <= ECS_HUFF_MAX_SYMS; maxbits must
 * leave room for every used symbol (2^maxbits >= their count). */
void ecs_huff_lengths(const uint32_t *freq, unsigned n, unsigned maxbits, uint8_t *len);

/* The canonical code of each symbol with len[i] > 0, bit-reversed so that writing it
 * least significant bit first puts it on the wire most significant bit first, as DEFLATE
 * wants Huffman codes. */
void ecs_huff_codes(const uint8_t *len, unsigned n, uint16_t *code);

#endif
