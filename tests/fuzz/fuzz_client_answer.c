/* fuzz_client_answer.c — libFuzzer target for ecs-saml-ssh's prompt answerer (client_answer.c):
 * a whole conversation, as a bastion (or whoever stands in for it) could drive it.
 *
 * Input: byte 0 picks the mode (bit 0: chunked or lines), --role (bits 1-2: none, "1",
 * "2", an ARN), whether the base64 is deflated (bit 3) and whether a packed1 form is held
 * too (bit 4); the rest is a sequence of prompts separated by NUL bytes, each fed to one
 * answerer in turn, optionally behind ssh's "(user@host) " prefix.
 *
 * Properties checked beyond "no crash", for every prompt:
 *   - nothing is answered to a prompt that is not one of pam_ecs_saml's;
 *   - a refusal appends nothing;
 *   - the Response leaves only in order, each character exactly once: every piece handed out
 *     is the next slice of it, no longer than a chunk (chunked) or a line (lines, which
 *     sudo needs under 512 bytes), and nothing of it after the last piece;
 *   - the RESPONSE answer in chunked mode is exactly the chunk header, within the 1023 bytes
 *     ssh passes, and, deflated or packed, its inline characters are the Response's first
 *     slice; it is of the packed form exactly when one is held and that prompt offers it,
 *     and never in lines mode;
 *   - a role answer is a number among the roles the prompt announces. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "client_answer.h"
#include "ecs_kbd_proto.h"
#include "fuzz.h"

/* Base64 characters for a Response of three chunks and five lines. */
#define RESP_LEN 2100
/* Bytes of its packed form: an inline share and two chunks. */
#define PACKED_LEN 2100

/* The Response as the answerer holds it, and how much of the form it chose has left. */
struct conv {
	const char *packed;		/* NULL when the answerer holds none */
	enum ecs_kbd_encoding enc;	/* of b64 */
	const char *text;		/* what goes out: b64 until a RESPONSE prompt chooses */
	size_t len, given;
};

static const char *const fuzz_roles[] = {
	NULL, "1", "2", "arn:aws:iam::123456789012:role/BastionReadOnly",
};

/* The form a RESPONSE prompt must get, and the header it must be answered with. Aborts
 * when the header cannot be formatted. */
static void
expect_header(const struct ecs_client_answerer *a, struct conv *c, const char *prompt,
	      char *header, size_t *k)
{
	enum ecs_kbd_encoding enc = c->enc;

	if (a->mode == ECS_CLIENT_CHUNKED && c->packed != NULL &&
	    ecs_kbd_proto_offers_packed1(ecs_client_prompt_text(prompt))) {
		c->text = c->packed;
		c->len = PACKED_LEN;
		enc = ECS_KBD_ENC_PACKED1;
	}
	if (a->encoding != enc ||
	    ecs_kbd_proto_format_header(c->text, c->len, enc, enc != ECS_KBD_ENC_NONE, header,
					ECS_KBD_PROTO_SSH_CUT + 1, k) != 0)
		abort();
}

/* Check one answer r/out to prompt against the conversation so far. Aborts on a broken
 * property. */
static void
check_answer(const struct ecs_client_answerer *a, struct conv *c, const char *prompt, int r,
	     const struct ecs_buf *out)
{
	char header[ECS_KBD_PROTO_SSH_CUT + 1];
	size_t k;
	unsigned idx, total;
	enum ecs_prompt_kind kind =
		ecs_kbd_proto_classify_prompt(ecs_client_prompt_text(prompt), &idx, &total);

	if (r != 0) {
		if (out->len != 0)
			abort();
		return;
	}
	if (kind == ECS_PROMPT_UNKNOWN)
		abort();
	if (kind == ECS_PROMPT_ROLE) {
		unsigned long n = 0;

		if (out->len == 0 || out->len > 9)
			abort();
		for (size_t i = 0; i < out->len; i++) {
			if (out->data[i] < '0' || out->data[i] > '9')
				abort();
			n = n * 10 + (unsigned long)(out->data[i] - '0');
		}
		if (n < 1 || n > total)
			abort();
		return;
	}
	if (kind == ECS_PROMPT_RESPONSE && a->mode == ECS_CLIENT_CHUNKED) {
		/* A compressed Response's header carries its first characters: the first slice. */
		expect_header(a, c, prompt, header, &k);
		if (out->len != strlen(header) || memcmp(out->data, header, out->len) != 0 ||
		    out->len > ECS_KBD_PROTO_SSH_CUT || k != a->inlined ||
		    (k > 0 && a->encoding == ECS_KBD_ENC_NONE) ||
		    (k > 0 && memcmp(out->data + out->len - k, c->text, k) != 0))
			abort();
		c->given += k;
		if (a->sent != (c->given == c->len))
			abort();
		return;
	}
	if (a->mode == ECS_CLIENT_LINES && a->encoding != ECS_KBD_ENC_NONE)
		abort();
	/* A piece of the Response (or the empty line ending a paste). */
	if (out->len > (a->mode == ECS_CLIENT_LINES ? (size_t)ECS_CLIENT_LINE : (size_t)ECS_KBD_PROTO_CHUNK) ||
	    out->len > c->len - c->given || memcmp(out->data, c->text + c->given, out->len) != 0)
		abort();
	if (out->len == 0 && c->given != c->len)
		abort();
	c->given += out->len;
	if (a->sent != (c->given == c->len))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char b64[RESP_LEN + 1], packed[PACKED_LEN + 1];
	struct ecs_client_answerer a;
	struct ecs_buf out;
	struct conv c;
	char *text;

	if (size < 1 || size > 64 * 1024)
		return 0;
	for (size_t i = 0; i < RESP_LEN; i++)
		b64[i] = alphabet[(i * 7 + i / 64) % 64];
	b64[RESP_LEN] = '\0';
	/* bytes of the byte alphabet, escapes and all: anything but NUL, LF and CR */
	for (size_t i = 0; i < PACKED_LEN; i++)
		packed[i] = (char)(0x0e + (i * 31 + i / 7) % 0xf2);
	packed[PACKED_LEN] = '\0';
	c = (struct conv){ .packed = (data[0] & 16) ? packed : NULL,
			   .enc = (data[0] & 8) ? ECS_KBD_ENC_DEFLATE : ECS_KBD_ENC_NONE,
			   .text = b64, .len = RESP_LEN };
	/* The prompts, NUL-terminated one after the other (a final one without a NUL too). */
	text = malloc(size);
	if (text == NULL)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';

	ecs_client_answerer_init(&a, (data[0] & 1) ? ECS_CLIENT_LINES : ECS_CLIENT_CHUNKED, b64,
				 RESP_LEN, c.enc, fuzz_roles[(data[0] >> 1) & 3]);
	if (c.packed != NULL)
		ecs_client_answerer_set_packed(&a, packed, PACKED_LEN);
	if (a.mode == ECS_CLIENT_LINES)
		c.enc = ECS_KBD_ENC_NONE;	/* no header to announce an encoding */
	ecs_buf_init(&out, 4096);
	for (size_t off = 0; off < size - 1; off += strlen(text + off) + 1) {
		const char *prompt = text + off;
		int r = ecs_client_answer(&a, prompt, &out);

		check_answer(&a, &c, prompt, r, &out);
		ecs_buf_clear(&out);
	}
	ecs_buf_free(&out);
	free(text);
	return 0;
}
