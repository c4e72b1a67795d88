/* client_deflate.h — a small raw DEFLATE (RFC 1951) compressor for the Response.
 *
 * ecs-saml-ssh links libc and libecs only, so it carries its own encoder: LZ77 over a 32 KB
 * window with hash chains and one-step lazy matching, then one block coded whichever way is
 * shortest — dynamic Huffman (what SAML's XML gets), fixed Huffman (tiny inputs) or stored
 * (incompressible ones, which so grow by a few bytes per 64 KB at most). The output is
 * the bare stream, no zlib or gzip wrapper: what zlib's inflate reads with windowBits -15.
 * With a preset dictionary (RFC 1951 section 3.2: matches may refer to bytes before the
 * stream's first) it reads it after inflateSetDictionary with the same bytes. */
#ifndef ECS_CLIENT_DEFLATE_H
#define ECS_CLIENT_DEFLATE_H

#include <stddef.h>

#include "ecs_buf.h"

/* Append the DEFLATE stream of in[len] to out. Every work buffer is wiped before it is
 * freed (the input is a secret). 0, -E2BIG (out's cap) or -ENOMEM. */
int ecs_deflate(const void *in, size_t len, struct ecs_buf *out);

/* The same, with dict[dict_len] as the history before in's first byte: matches reach back
 * into its last 32 KB, counted across dictionary and input. The stream holds no byte of
 * the dictionary itself; the reader must preset the same one. */
int ecs_deflate_dict(const void *in, size_t len, const void *dict, size_t dict_len,
		     struct ecs_buf *out);

#endif
