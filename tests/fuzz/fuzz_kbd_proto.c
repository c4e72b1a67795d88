/* fuzz_kbd_proto.c — libFuzzer target for the conversation protocol's parsers of answers
 * (chunk header, completeness check) and of prompts (the client's classifier).
 *
 * Properties checked beyond "no crash": a header the parser accepts is within the caps with
 * consistent counts (check_header), one it refuses comes with a reason, and a prompt the
 * classifier recognises as CHUNK or LINE is re-formatted to the same last line. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ecs_kbd_proto.h"
#include "ecs_limits.h"
#include "ecs_sha256.h"
#include "fuzz.h"

/* An accepted header: within the caps, its counts consistent, its inline characters the
 * last K of the answer (within what ssh passes; base64 unless packed1, whose share is
 * bytes); one that carries the whole Response is
 * what the formatter writes for it when the digest is right. */
static void
check_header(const char *text, const struct ecs_kbd_proto_header *h)
{
	static char again[ECS_KBD_PROTO_SSH_CUT + 1];
	uint8_t d[ECS_SHA256_LEN];
	size_t k;

	if (h->length == 0 || h->length > ECS_RESPONSE_MAX_B64 || h->inlined > h->length ||
	    h->chunks != (h->length - h->inlined + ECS_KBD_PROTO_CHUNK - 1) / ECS_KBD_PROTO_CHUNK)
		abort();
	if (h->inlined == 0) {
		if (h->inline_chars != NULL)
			abort();
		return;
	}
	if (strlen(text) > ECS_KBD_PROTO_SSH_CUT || h->inline_chars != text + strlen(text) - h->inlined)
		abort();
	/* packed1's inline share is bytes, checked where they are decoded (the helper) */
	for (size_t i = 0; h->encoding != ECS_KBD_ENC_PACKED1 && i < h->inlined; i++)
		if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=",
			   h->inline_chars[i]) == NULL)
			abort();
	if (h->inlined != h->length)
		return;
	ecs_sha256(h->inline_chars, h->length, d);
	if (memcmp(d, h->sha256, sizeof(d)) == 0 &&
	    (ecs_kbd_proto_format_header(h->inline_chars, h->length, h->encoding, true, again,
					 sizeof(again), &k) != 0 ||
	     k != h->length || strcmp(again, text) != 0))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ecs_kbd_proto_header h;
	char *text = malloc(size + 1);
	char again[ECS_KBD_PROTO_PROMPT_MAX];
	unsigned index, total;
	enum ecs_prompt_kind kind;
	const char *last;
	int r;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	r = ecs_kbd_proto_parse_header(text, &h);
	if (r == 0)
		check_header(text, &h);
	else if (r == -EBADMSG && (h.defect == NULL || h.defect[0] == '\0'))
		abort();	/* a refusal says why */
	else if (r != -EBADMSG && r != -ENOENT)
		abort();
	(void)ecs_kbd_proto_looks_complete((const char *)data, size);

	kind = ecs_kbd_proto_classify_prompt(text, &index, &total);
	last = strrchr(text, '\n');
	last = last != NULL ? last + 1 : text;
	if (kind == ECS_PROMPT_CHUNK || kind == ECS_PROMPT_LINE) {
		if (ecs_kbd_proto_format_prompt(kind, index, total, NULL, again, sizeof(again)) != 0 ||
		    strcmp(again, last) != 0)
			abort();
	}
	free(text);
	return 0;
}
