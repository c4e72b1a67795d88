/* client_answer.c — answers to protocol v1 prompts (client_answer.h). */
#include <errno.h>
#include <string.h>

#include "client_answer.h"
#include "ecs_names.h"
#include "ecs_proto.h"
#include "ecs_str.h"

void
ecs_client_answerer_init(struct ecs_client_answerer *a, const char *b64, size_t len,
			 const char *role)
{
	a->b64 = b64;
	a->len = len;
	a->role = role;
	a->chunks = (unsigned)((len + ECS_PROTO_CHUNK - 1) / ECS_PROTO_CHUNK);
	a->next_chunk = 0;
	a->sent = false;
}

const char *
ecs_client_prompt_text(const char *prompt)
{
	const char *close, *at;
	size_t n;

	if (prompt[0] != '(')
		return prompt;
	n = strcspn(prompt + 1, "()\n");
	close = prompt + 1 + n;
	at = memchr(prompt + 1, '@', n);
	if (at == NULL || close[0] != ')' || close[1] != ' ')
		return prompt;
	return close + 2;
}

/* The 1-based number of the role line "  N) ARN" equal to arn in a ROLE prompt, or 0. */
static unsigned
role_number(const char *prompt, const char *arn, unsigned total)
{
	size_t alen = strlen(arn);
	const char *p = strstr(prompt, "Roles:\n");

	if (p == NULL)
		return 0;
	p += strlen("Roles:\n");
	for (unsigned i = 1; i <= total; i++) {
		const char *nl = strchr(p, '\n');
		const char *paren = strstr(p, ") ");

		if (nl == NULL || paren == NULL || paren > nl)
			return 0;
		paren += 2;
		if ((size_t)(nl - paren) == alen && memcmp(paren, arn, alen) == 0)
			return i;
		p = nl + 1;
	}
	return 0;
}

static int
answer_role(const struct ecs_client_answerer *a, const char *prompt, unsigned total,
	    struct ecs_buf *out)
{
	uint64_t n = 0;

	if (a->role == NULL)
		return -ENOENT;
	if (ecs_parse_u64(a->role, 1, total, &n) < 0) {
		if (!ecs_arn_role_ok(a->role))
			return -ENOENT;
		n = role_number(prompt, a->role, total);
		if (n == 0)
			return -ENOENT;
	}
	return ecs_buf_printf(out, "%u", (unsigned)n);
}

int
ecs_client_answer(struct ecs_client_answerer *a, const char *prompt, struct ecs_buf *out)
{
	char header[160];
	unsigned index, total;
	size_t off;
	int r;

	prompt = ecs_client_prompt_text(prompt);
	switch (ecs_proto_classify_prompt(prompt, &index, &total)) {
	case ECS_PROMPT_RESPONSE:
		if (a->sent || a->next_chunk != 0)
			return -EALREADY;
		r = ecs_proto_format_header(a->b64, a->len, header, sizeof(header));
		if (r == 0)
			r = ecs_buf_puts(out, header);
		if (r == 0)
			a->next_chunk = 1;
		return r;
	case ECS_PROMPT_CHUNK:
		if (a->sent)
			return -EALREADY;
		if (a->next_chunk == 0 || index != a->next_chunk || total != a->chunks)
			return -EPROTO;
		off = (size_t)(index - 1) * ECS_PROTO_CHUNK;
		r = ecs_buf_append(out, a->b64 + off,
				   a->len - off < ECS_PROTO_CHUNK ? a->len - off : ECS_PROTO_CHUNK);
		if (r < 0)
			return r;
		a->next_chunk++;
		a->sent = index == a->chunks;
		return 0;
	case ECS_PROMPT_ROLE:
		return answer_role(a, prompt, total, out);
	case ECS_PROMPT_LINE:
		/* The bastion took our header for the first line of a paste: a protocol
		 * mismatch, and answering line by line would not end well either. */
	case ECS_PROMPT_UNKNOWN:
	default:
		return -EPROTO;
	}
}
