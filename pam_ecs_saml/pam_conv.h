/* pam_conv.h — the auth-time conversation of protocol v1 (ecs_kbd_proto.h), module side. */
#ifndef ECS_PAM_CONV_H
#define ECS_PAM_CONV_H

#include <security/pam_modules.h>
#include <stdbool.h>
#include <stddef.h>

#include "ecs_buf.h"
#include "ecs_kbd_proto.h"

/* Why a conversation failed, in words fit for the user (PAM_ERROR_MSG). */
#define ECS_CONV_MSGSZ 256

/* Collect one SAML Response from the user in any of the three modes (whole answer, chunk
 * header + chunks, line-by-line paste), within budget_s seconds of wall-clock time.
 * 0 with the Response text in *out (initialised here; caller frees with ecs_buf_free, which
 * wipes); -ECS_EPROTO with msg set (truncated, digest mismatch, bad chunk, too many rounds,
 * too much input, too slow, incomplete); -EACCES with msg set when the answer is sshd's
 * stand-in for a user it refuses (the user's own answer never reaches PAM); -ECONNABORTED
 * when the conversation itself failed (no conv function, client gone); -ENOMEM.
 * *enc is the encoding the chunk header announced (ECS_KBD_ENC_NONE without one): with
 * deflate or packed1, *out holds a DEFLATE stream's characters, passed on to the helper as
 * they came (the module never inflates: that is parsing untrusted bytes, the sandboxed
 * validator's job). */
int ecs_conv_get_response(pam_handle_t *pamh, unsigned budget_s, struct ecs_buf *out,
			  enum ecs_kbd_encoding *enc, char msg[ECS_CONV_MSGSZ]);

/* Ask which of roles[0..n) to use (n >= 2), answered within budget_s seconds. 0 with
 * *choice in 1..n; -ECS_EPROTO with msg set for an answer that is not one of the numbers
 * or comes too late; -ECONNABORTED; -ENOMEM. */
int ecs_conv_choose_role(pam_handle_t *pamh, unsigned budget_s, const char *const *roles,
			 unsigned n, unsigned *choice, char msg[ECS_CONV_MSGSZ]);

#endif
