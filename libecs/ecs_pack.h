/* ecs_pack.h — encoding=packed1 of protocol v1 (ecs_kbd_proto.h): the byte alphabet and
 * the preset dictionary.
 *
 * base64 carries 6 bits in each byte of an answer, and an answer is at most 1023 bytes
 * (ECS_KBD_PROTO_SSH_CUT), so a Response's DEFLATE stream took 3-4 round trips. packed1
 * carries the stream's own bytes: ssh, sshd and PAM pass an answer as a C string, and
 * ssh's askpass reader ends it at the first CR or LF, so those three bytes (NUL, LF, CR)
 * and the escape byte itself travel as two bytes, 0x01 then the byte XOR 0x40 (0x40,
 * 0x4A, 0x4D, 0x41). Every other byte is itself: a DEFLATE stream grows by about 1.6%.
 * And the stream is compressed with a preset dictionary (RFC 1951 section 3.2 allows
 * references before the stream's first byte; zlib's inflateSetDictionary), the markup
 * every SAML Response for AWS repeats: a 5 KB Response from a real IdP then takes 2
 * answers, header included, where encoding=deflate took 4.
 *
 * One spelling per stream: an escape followed by anything but those four bytes, a lone
 * escape at the end, or a raw NUL, LF or CR is malformed. */
#ifndef ECS_PACK_H
#define ECS_PACK_H

#include <stddef.h>
#include <stdint.h>

#include "ecs_buf.h"

#define ECS_PACK_ESC 0x01

/* The preset dictionary of packed1 (ecs_pack_dict.c): fixed forever, as the wire is. */
extern const char ecs_pack_dict1[];
extern const size_t ecs_pack_dict1_len;

/* Append in[len] in the byte alphabet to out. 0, -E2BIG (out's cap) or -ENOMEM; on error
 * out holds nothing new. */
int ecs_pack_escape(const uint8_t *in, size_t len, struct ecs_buf *out);

/* Append the bytes that in[len] (the byte alphabet) stands for to out. 0, -EBADMSG
 * (not the canonical spelling of any bytes), -E2BIG or -ENOMEM; on error out holds
 * nothing new. */
int ecs_pack_unescape(const char *in, size_t len, struct ecs_buf *out);

#endif
