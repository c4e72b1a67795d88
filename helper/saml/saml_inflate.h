/* saml_inflate.h — inflating a deflated Response under a hard cap on the output.
 *
 * ecs-saml-ssh sends the Response as a raw DEFLATE stream (RFC 1951, no zlib or gzip
 * wrapper; ecs_kbd_proto.h " encoding=deflate"), or as one that may refer back into a
 * preset dictionary (" encoding=packed1", ecs_pack.h). Its bytes are the attacker's: a stream
 * of a few hundred bytes can claim megabytes (a decompression bomb), or stop short, or
 * carry bytes after its end. Only a stream that ends cleanly, uses every input byte and
 * stays within the cap is accepted; the output is never allowed past the cap, so a bomb
 * costs a cap's worth of memory and no more. Runs in the sandboxed validator child
 * (privsep.h), never as root. */
#ifndef ECS_SAML_INFLATE_H
#define ECS_SAML_INFLATE_H

#include <stddef.h>
#include <stdint.h>

/* Inflate in[len], with dict[dict_len] as the history before its first byte (NULL, 0 for
 * none), into a fresh buffer of at most max bytes, NUL-terminated one past its length
 * (*out, *out_len; free with ecs_free_secret(*out, *out_len + 1)). 0; -E2BIG when the
 * stream inflates past max; -EBADMSG when it is corrupt, reaches back past its window,
 * stops before its last block ends, or is followed by more bytes; -ENOMEM. On failure
 * *out is NULL. */
int ecs_saml_inflate(const uint8_t *in, size_t len, const void *dict, size_t dict_len,
		     size_t max, uint8_t **out, size_t *out_len);

#endif
