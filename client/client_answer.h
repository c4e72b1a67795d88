/* client_answer.h — what ecs-saml-ssh types into each prompt of protocol v1 (ecs_kbd_proto.h).
 *
 * A pure state machine, fed one prompt at a time, so the whole conversation can be unit
 * tested without ssh. It answers only pam_ecs_saml's own prompts, in the order the bastion
 * must ask them: RESPONSE (answered with the chunk header), CHUNK 1..N in order, then
 * optionally ROLE. Everything else is refused: a client that types a Response into a prompt
 * it does not recognise hands it to whoever wrote that prompt.
 *
 * Two ways to hand the Response over, both part of protocol v1:
 *   chunked — RESPONSE is answered with the chunk header, then CHUNK 1..N in order (1000
 *             characters each, with a SHA-256 the bastion checks). For ssh, which passes
 *             answers up to 1023 bytes. A deflated Response's header carries its first
 *             characters too (" inline=K"), so N counts only the rest. When the RESPONSE
 *             prompt offers encoding=packed1 and a packed form was given, that form goes
 *             instead (1000 bytes a chunk, an escape pair possibly split between two).
 *   lines   — RESPONSE is answered with the first line, then LINE 2, 3, ... in order, then an
 *             empty answer: the paste mode, with lines of ECS_CLIENT_LINE characters. For
 *             sudo, which refuses any answer of PAM_MAX_RESP_SIZE (512) bytes or more. */
#ifndef ECS_CLIENT_ANSWER_H
#define ECS_CLIENT_ANSWER_H

#include <stdbool.h>
#include <stddef.h>

#include "ecs_buf.h"
#include "ecs_kbd_proto.h"

struct ecs_client_response;	/* client_input.h */

/* Line length in lines mode: under Linux-PAM's PAM_MAX_RESP_SIZE of 512 bytes, NUL included. */
#define ECS_CLIENT_LINE 500

enum ecs_client_mode {
	ECS_CLIENT_CHUNKED = 0,
	ECS_CLIENT_LINES,
};

struct ecs_client_answerer {
	enum ecs_client_mode mode;
	const char *text;	/* borrowed; the caller wipes it once `sent` is true */
	size_t len;
	enum ecs_kbd_encoding encoding;	/* what text stands for (NONE in lines mode) */
	const char *packed;	/* borrowed, wiped alike: the packed1 form, or NULL */
	size_t packed_len;
	const char *role;	/* NULL, a 1-based number, or a role ARN (from --role) */
	size_t inlined;		/* characters the chunk header itself carried */
	unsigned chunks;	/* chunks (after the header's share) or lines the Response takes */
	unsigned next_chunk;	/* 0 until RESPONSE is answered, then the chunk/line expected */
	bool sent;		/* every character has been handed out */
	bool ended;		/* lines mode: the closing empty line was given too */
};

/* Start a conversation for b64[len] (canonical base64, at most ECS_RESPONSE_MAX_B64) in
 * enc: ECS_KBD_ENC_NONE for the Response's, ECS_KBD_ENC_DEFLATE for its DEFLATE stream's,
 * which the chunk header then announces (" encoding=deflate", its first characters
 * inline). Lines mode has no header, so it never deflates. */
void ecs_client_answerer_init(struct ecs_client_answerer *a, enum ecs_client_mode mode,
			      const char *b64, size_t len, enum ecs_kbd_encoding enc,
			      const char *role);

/* Also hold packed[len], the Response in encoding=packed1 (client_input.h): sent instead of
 * b64 to a bastion whose RESPONSE prompt offers it. Chunked mode only: lines mode ignores
 * it, since sudo's bastion reads no header. The caller wipes it with b64. */
void ecs_client_answerer_set_packed(struct ecs_client_answerer *a, const char *packed,
				    size_t len);

/* Start the conversation ecs-saml-ssh holds for resp (parsed): with compress (no
 * --no-compress) and in chunked mode, deflated when that is shorter than the base64, and
 * with the packed1 form for a bastion that offers it; otherwise the base64 as it is. Lines
 * mode has no header to announce a compressed Response (and no round trips to save). A
 * failure to compress sends the base64 too. The caller wipes resp once `sent` is true. */
void ecs_client_answerer_init_response(struct ecs_client_answerer *a,
				       enum ecs_client_mode mode,
				       struct ecs_client_response *resp, bool compress,
				       const char *role);

/* The prompt as pam_ecs_saml wrote it: OpenSSH (8.4 and later) shows keyboard-interactive
 * prompts as "(user@host) PROMPT", so that prefix is skipped when present. Returns a pointer
 * into prompt. */
const char *ecs_client_prompt_text(const char *prompt);

/* Answer one prompt (as ssh or sudo passed it), appending the answer (without a newline) to out. 0, or:
 *   -EPROTO   not a pam_ecs_saml prompt, or one out of order (refused, nothing appended);
 *   -EALREADY the Response was already sent once (a retry would be a replay anyway);
 *   -ENOENT   a role prompt and --role names none of the roles offered (or is missing);
 *   -E2BIG/-ENOMEM from out. */
int ecs_client_answer(struct ecs_client_answerer *a, const char *prompt, struct ecs_buf *out);

#endif
