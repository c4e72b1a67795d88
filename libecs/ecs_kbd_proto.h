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
 *   (b) a header "ecs-saml/1 chunks=N length=L sha256=HEX[ encoding=E][ inline=K DATA]"
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
 *       " encoding=packed1" (ecs_pack.h): the characters are the Response's DEFLATE
 *       stream compressed with a preset dictionary, as bytes (every byte but NUL, LF
 *       and CR is itself; those and 0x01 are escaped), not base64: about 1000 bytes of
 *       the stream per answer where base64 carries 750, and the dictionary shrinks the
 *       stream by a quarter, so most real IdPs' 5 KB Responses take 2 answers, not 4.
 *       Only a bastion whose RESPONSE prompt offers it (ECS_KBD_PROTO_OFFER_PACKED1 on
 *       a line of the instructions, which older clients skip) gets it: a module older
 *       than the field never offers it, and so never has to refuse it.
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
/* The line of the RESPONSE prompt's instructions that offers encoding=packed1. */
#define ECS_KBD_PROTO_OFFER_PACKED1 "(ecs-saml-ssh: this bastion takes encoding=packed1.)"

enum ecs_prompt_kind {
	ECS_PROMPT_UNKNOWN = 0,	/* not ours: a client must refuse to answer it */
	ECS_PROMPT_RESPONSE,
	ECS_PROMPT_CHUNK,
	ECS_PROMPT_LINE,
	ECS_PROMPT_ROLE,
};

/* What the characters of a chunk header's Response stand for. */
enum ecs_kbd_encoding {
	ECS_KBD_ENC_NONE = 0,	/* the Response: base64 (or XML) */
	ECS_KBD_ENC_DEFLATE,	/* " encoding=deflate": base64 of its raw DEFLATE stream */
	ECS_KBD_ENC_PACKED1,	/* " encoding=packed1": its DEFLATE stream with the preset
				 * dictionary, in the byte alphabet (ecs_pack.h) */
};

struct ecs_kbd_proto_header {
	size_t length;		/* base64 characters announced */
	unsigned chunks;	/* chunk prompts to come: ceil((length - inlined) / CHUNK) */
	uint8_t sha256[ECS_SHA256_LEN];	/* of all length characters, exactly as sent */
	enum ecs_kbd_encoding encoding;	/* what the characters stand for */
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

/* Format the header for text[len] (in enc: ECS_KBD_ENC_NONE for the Response's base64)
 * into out. With inline_first, as many of the first characters as keep the answer within
 * ECS_KBD_PROTO_SSH_CUT bytes ride in it (" inline=K ..."; out then needs
 * ECS_KBD_PROTO_SSH_CUT + 1 bytes for a long text); *inlined is set to K (0 without).
 * 0 or -E2BIG/-ERANGE. */
int ecs_kbd_proto_format_header(const char *text, size_t len, enum ecs_kbd_encoding enc,
				bool inline_first, char *out, size_t outsz, size_t *inlined);

/* "none", "deflate" or "packed1": for logs. */
const char *ecs_kbd_encoding_name(enum ecs_kbd_encoding enc);

/* true when a RESPONSE prompt says the bastion takes encoding=packed1 (its instructions
 * carry ECS_KBD_PROTO_OFFER_PACKED1 on a line of their own). A bastion whose prompt does
 * not say so gets encoding=deflate, which every module since that field takes. */
bool ecs_kbd_proto_offers_packed1(const char *prompt);

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
