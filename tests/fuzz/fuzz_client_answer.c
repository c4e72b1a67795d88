/* fuzz_client_answer.c — libFuzzer target for ecs-saml-ssh's prompt answerer (client_answer.c):
 * a whole conversation, as a bastion (or whoever stands in for it) could drive it.
 *
 * Input: byte 0 picks the mode (bit 0: chunked or lines) and --role (bits 1-2: none, "1",
 * "2", an ARN); the rest is a sequence of prompts separated by NUL bytes, each fed to one
 * answerer in turn, optionally behind ssh's "(user@host) " prefix.
 *
 * Properties checked beyond "no crash", for every prompt:
 *   - nothing is answered to a prompt that is not one of pam_ecs_saml's;
 *   - a refusal appends nothing;
 *   - the Response leaves only in order, each character exactly once: every piece handed out
 *     is the next slice of it, no longer than a chunk (chunked) or a line (lines, which
 *     sudo needs under 512 bytes), and nothing of it after the last piece;
 *   - the RESPONSE answer in chunked mode is exactly the chunk header, within the 1023 bytes
 *     ssh passes, and, deflated, its inline characters are the Response's first slice;
 *   - a role answer is a number among the roles the prompt announces. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "client_answer.h"
#include "ecs_kbd_proto.h"
#include "fuzz.h"

/* Base64 characters for a Response of three chunks and five lines. */
#define RESP_LEN 2100

static const char *const fuzz_roles[] = {
	NULL, "1", "2", "arn:aws:iam::123456789012:role/BastionReadOnly",
};

/* Check one answer r/out to prompt against the conversation so far (*given characters of
 * b64 handed out). Aborts on a broken property. */
static void
check_answer(const struct ecs_client_answerer *a, const char *b64, const char *prompt, int r,
	     const struct ecs_buf *out, size_t *given)
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
		/* A deflated Response's header carries its first characters: the first slice. */
		if (ecs_kbd_proto_format_header(b64, RESP_LEN, a->deflated, a->deflated, header,
						sizeof(header), &k) != 0 ||
		    out->len != strlen(header) || memcmp(out->data, header, out->len) != 0 ||
		    out->len > ECS_KBD_PROTO_SSH_CUT || k != a->inlined || (k > 0 && !a->deflated) ||
		    (k > 0 && memcmp(out->data + out->len - k, b64, k) != 0))
			abort();
		*given += k;
		if (a->sent != (*given == RESP_LEN))
			abort();
		return;
	}
	/* A piece of the Response (or the empty line ending a paste). */
	if (out->len > (a->mode == ECS_CLIENT_LINES ? (size_t)ECS_CLIENT_LINE : (size_t)ECS_KBD_PROTO_CHUNK) ||
	    out->len > RESP_LEN - *given || memcmp(out->data, b64 + *given, out->len) != 0)
		abort();
	if (out->len == 0 && *given != RESP_LEN)
		abort();
	*given += out->len;
	if (a->sent != (*given == RESP_LEN))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char b64[RESP_LEN + 1];
	struct ecs_client_answerer a;
	struct ecs_buf out;
	size_t given = 0;
	char *text;

	if (size < 1 || size > 64 * 1024)
		return 0;
	for (size_t i = 0; i < RESP_LEN; i++)
		b64[i] = alphabet[(i * 7 + i / 64) % 64];
	b64[RESP_LEN] = '\0';
	/* The prompts, NUL-terminated one after the other (a final one without a NUL too). */
	text = malloc(size);
	if (text == NULL)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';

	ecs_client_answerer_init(&a, (data[0] & 1) ? ECS_CLIENT_LINES : ECS_CLIENT_CHUNKED, b64,
				 RESP_LEN, (data[0] & 8) != 0, fuzz_roles[(data[0] >> 1) & 3]);
	ecs_buf_init(&out, 4096);
	for (size_t off = 0; off < size - 1; off += strlen(text + off) + 1) {
		const char *prompt = text + off;
		int r = ecs_client_answer(&a, prompt, &out);

		check_answer(&a, b64, prompt, r, &out, &given);
		ecs_buf_clear(&out);
	}
	ecs_buf_free(&out);
	free(text);
	return 0;
}
