/* audit_json.h — JSON string escaping for the audit file (audit.h), correct for any bytes.
 *
 * A value reaches the audit file from a SAML document, STS, a PAM application or a claim of
 * the user's: whatever its bytes, the record stays one valid JSON line (RFC 8259) that no
 * value can end early or extend. `"` and `\` are escaped, every control character (U+0000
 * to U+001F), DEL, U+2028 and U+2029 is written \u00XX / \u20XX (so a record is one line
 * for every reader, JavaScript included), valid UTF-8 passes as it is, and each byte of an
 * invalid UTF-8 sequence (a stray continuation byte, an overlong form, a surrogate, a code
 * point past U+10FFFF, a truncated sequence) becomes U+FFFD: the reader sees that something
 * was there, and the line stays valid UTF-8. */
#ifndef ECS_AUDIT_JSON_H
#define ECS_AUDIT_JSON_H

#include <stddef.h>

#include "ecs_buf.h"

/* Append s[0..n) to b as one quoted JSON string. 0 or -ENOMEM/-E2BIG (the buffer's limit). */
int ecs_json_put_str(struct ecs_buf *b, const char *s, size_t n);

/* The length of the valid UTF-8 sequence at s[0..n) (1..4), or 0 if s does not start one. */
size_t ecs_utf8_seq_len(const unsigned char *s, size_t n);

#endif
