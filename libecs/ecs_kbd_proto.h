/* ecs_kbd_proto.h — the keyboard-interactive conversation protocol, version 1.
 *
 * Shared by the PAM module (which asks) and the client ecs-saml-ssh (which answers in
 * SSH_ASKPASS mode). Every prompt is PAM_PROMPT_ECHO_OFF and carries the tag "[ecs-saml/1"
 * so a client can recognise it and refuse anything else. Instructions live inside the prompt
 * text itself, because OpenSSH shows info messages only together with the next prompt.
 *
 * Round 1, prompt kind RESPONSE:  "...instructions...\nSAML response [ecs-saml/1]: "
 *   The answer is one of:
 *   (a) the whole Response (base64, possibly wrapped, or raw XML) — library clients;
 *   (b) a header "ecs-saml/1 chunks=N length=L sha256=HEX[ encoding=deflate][ inline=K DATA]"
 *       announcing L base64 characters in N = ceil(L / 1000) chunks, followed by prompts
 *       of kind CHUNK "SAML chunk I/N [ecs-saml/1]: " each answered with exactly the I-th
 *       1000 characters (the last one the remainder) — stock OpenSSH driven by
 *       ecs-saml-ssh. With
 *       " encoding=deflate" the characters are the base64 of the Response's raw DEFLATE
 *       stream (RFC 1951), not of the Response: SAML's XML shrinks about 8:1, and sshd
 *       spends one network round trip per prompt. The PAM module passes those characters
 *       on untouched; the helper inflates them in its sandboxed child, capped at
 *       ECS_RESPONSE_MAX_XML bytes of XML (ECS_RESPONSE_MAX_B64 characters once
 *       re-encoded for STS).
 *       Why an optional field of the v1 header and not a v2: the prompts, the chunk size
 *       and the digest do not change, only what the characters stand for, so every v1
 *       answer stays valid as it is. A module older than the field refuses it as a
 *       malformed header, exactly as it would refuse an "ecs-saml/2" header, so a version
 *       bump would buy no compatibility; ecs-saml-ssh --no-compress talks to such a module.
 *       With a last field " inline=K " (after the encoding, if any) the header answer
 *       carries the first K characters itself, written right after that one space to the
 *       end of the answer, and N = ceil((L - K) / 1000) chunk prompts follow for the rest
 *       (none when K = L). sshd sends one prompt per round trip and ssh starts askpass
 *       once per prompt, so the header stops costing a round trip of its own whenever the
 *       last chunk's share fits in the room left. Rules: 1 <= K <= L, exactly K characters
 *       of the base64 alphabet follow, and the whole answer stays within
 *       ECS_KBD_PROTO_SSH_CUT bytes (what stock ssh passes); the digest and length still
 *       cover all L characters. Optional for the same reasons as the encoding: old
 *       modules refuse it as malformed, so ecs-saml-ssh sends it only with
 *       " encoding=deflate", and --no-compress writes the plain header of the first v1.
 *   (c) the first line of a paste (base64 -w 76), followed by prompts of kind LINE
 *       "SAML response line K [ecs-saml/1] (empty line when done): " until an empty answer —
 *       a human at a terminal.
 *   An answer of exactly 1023 bytes that is not a complete Response is the mark of stock ssh
 *   cutting a long paste: refused with a message naming the cause, not a signature error.
 * Role choice (only when several allowed roles remain), kind ROLE:
 *   "Roles:\n  1) ARN\n  2) ARN\nRole number [ecs-saml/1 role]: " answered with 1..N.
 *
 * Hard caps: ECS_RESPONSE_MAX_B64 (ecs_limits.h) characters in total,
 * ECS_KBD_PROTO_MAX_ROUNDS prompts.
 */
#ifndef ECS_KBD_PROTO_H
#define ECS_KBD_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ecs_sha256.h"

#define ECS_KBD_PROTO_TAG "ecs-saml/1"
#define ECS_KBD_PROTO_CHUNK 1000		/* characters per chunk answer (stock ssh passes 1023) */
#define ECS_KBD_PROTO_SSH_CUT 1023		/* length at which stock ssh truncates an answer */
#define ECS_KBD_PROTO_MAX_ROUNDS 1500	/* ceil(ECS_RESPONSE_MAX_B64 / 76) lines plus slack */
#define ECS_KBD_PROTO_PROMPT_MAX 2048

enum ecs_prompt_kind {
	ECS_PROMPT_UNKNOWN = 0,	/* not ours: a client must refuse to answer it */
	ECS_PROMPT_RESPONSE,
	ECS_PROMPT_CHUNK,
	ECS_PROMPT_LINE,
	ECS_PROMPT_ROLE,
};

struct ecs_kbd_proto_header {
	size_t length;		/* base64 characters announced */
	unsigned chunks;	/* chunk prompts to come: ceil((length - inlined) / CHUNK) */
	uint8_t sha256[ECS_SHA256_LEN];	/* of all length characters, exactly as sent */
	bool deflated;		/* " encoding=deflate": the characters carry a DEFLATE stream */
	size_t inlined;		/* " inline=K": the header carries the first K characters */
	const char *inline_chars;	/* those K characters, inside the parsed answer; or NULL */
	const char *defect;	/* after -EBADMSG: what is wrong, in words for the user */
};

/* Parse an answer as a chunk header. 0; -ENOENT when the answer is not a header at all
 * (so it is case (a) or (c)); -EBADMSG (h->defect says why) for a header that is
 * malformed, inconsistent (chunks != ceil((length - inlined) / 1000), inline characters
 * that are not K base64 characters) or over the caps. */
int ecs_kbd_proto_parse_header(const char *answer, struct ecs_kbd_proto_header *h);

/* Bytes of the longest header without inline characters (length 100000, deflated). */
#define ECS_KBD_PROTO_HEADER_MIN_BUF 160

/* Format the header for b64[len] (the base64 of a DEFLATE stream when deflated) into out.
 * With inline_first, as many of the first characters as keep the answer within
 * ECS_KBD_PROTO_SSH_CUT bytes ride in it (" inline=K ..."; out then needs
 * ECS_KBD_PROTO_SSH_CUT + 1 bytes for a long b64); *inlined is set to K (0 without).
 * 0 or -E2BIG/-ERANGE. */
int ecs_kbd_proto_format_header(const char *b64, size_t len, bool deflated, bool inline_first,
				char *out, size_t outsz, size_t *inlined);

/* Build the prompt text for a kind. index/total are 1-based chunk or line numbers (LINE uses
 * index only); for ROLE, roles[0..total) are listed. 0 or -E2BIG. */
int ecs_kbd_proto_format_prompt(enum ecs_prompt_kind kind, unsigned index, unsigned total,
			    const char *const *roles, char *out, size_t outsz);

/* Recognise a prompt (the client side). Fills index/total for CHUNK (I/N), LINE (K, 0). */
enum ecs_prompt_kind ecs_kbd_proto_classify_prompt(const char *prompt, unsigned *index,
					       unsigned *total);

/* true when text (base64, possibly wrapped, or raw XML) holds a complete Response: it
 * decodes (if base64) and ends with the closing tag of a Response element. Cheap and
 * libc-only; the helper does the real validation. */
bool ecs_kbd_proto_looks_complete(const char *text, size_t len);

#endif
