/* fuzz_kbd_proto.c — libFuzzer target for the conversation protocol's parsers of answers
 * (chunk header, completeness check) and of prompts (the client's classifier).
 *
 * Property checked beyond "no crash": a header the parser accepts is re-formatted from its
 * own fields to the same text only when the digest matches, and a prompt the classifier
 * recognises as CHUNK or LINE is re-formatted to the same last line. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ecs_kbd_proto.h"
#include "ecs_limits.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ecs_kbd_proto_header h;
	char *text = malloc(size + 1);
	char again[ECS_KBD_PROTO_PROMPT_MAX];
	unsigned index, total;
	enum ecs_prompt_kind kind;
	const char *last;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	if (ecs_kbd_proto_parse_header(text, &h) == 0 &&
	    (h.length == 0 || h.length > ECS_RESPONSE_MAX_B64 ||
	     h.chunks != (h.length + ECS_KBD_PROTO_CHUNK - 1) / ECS_KBD_PROTO_CHUNK))
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
