/* client_answer.c — answers to protocol v1 prompts (client_answer.h). */
#include <errno.h>
#include <string.h>

#include "client_answer.h"
#include "client_input.h"
#include "ecs_names.h"
#include "ecs_kbd_proto.h"
#include "ecs_secmem.h"
#include "ecs_str.h"

static size_t
piece_size(const struct ecs_client_answerer *a)
{
	return a->mode == ECS_CLIENT_LINES ? ECS_CLIENT_LINE : ECS_KBD_PROTO_CHUNK;
}

void
ecs_client_answerer_init(struct ecs_client_answerer *a, enum ecs_client_mode mode,
			 const char *b64, size_t len, enum ecs_kbd_encoding enc, const char *role)
{
	a->mode = mode;
	a->text = b64;
	a->len = len;
	a->encoding = mode == ECS_CLIENT_CHUNKED ? enc : ECS_KBD_ENC_NONE;
	a->packed = NULL;
	a->packed_len = 0;
	a->role = role;
	a->inlined = 0;
	a->chunks = (unsigned)((len + piece_size(a) - 1) / piece_size(a));
	a->next_chunk = 0;
	a->sent = false;
	a->ended = false;
}

void
ecs_client_answerer_set_packed(struct ecs_client_answerer *a, const char *packed, size_t len)
{
	if (a->mode != ECS_CLIENT_CHUNKED)
		return;
	a->packed = packed;
	a->packed_len = len;
}

void
ecs_client_answerer_init_response(struct ecs_client_answerer *a, enum ecs_client_mode mode,
				  struct ecs_client_response *resp, bool compress,
				  const char *role)
{
	compress = compress && mode == ECS_CLIENT_CHUNKED &&
		   ecs_client_response_deflate(resp) == 0;
	if (compress && resp->deflated.len < resp->b64.len)
		ecs_client_answerer_init(a, mode, (const char *)resp->deflated.data,
					 resp->deflated.len, ECS_KBD_ENC_DEFLATE, role);
	else
		ecs_client_answerer_init(a, mode, (const char *)resp->b64.data, resp->b64.len,
					 ECS_KBD_ENC_NONE, role);
	/* packed1 waits for the RESPONSE prompt: only a bastion offering it there gets it */
	if (compress && resp->packed.len > 0 && resp->packed.len < resp->b64.len)
		ecs_client_answerer_set_packed(a, (const char *)resp->packed.data,
					       resp->packed.len);
}

/* Hand out piece number index (1-based) and move on to the next. */
static int
give_piece(struct ecs_client_answerer *a, unsigned index, struct ecs_buf *out)
{
	size_t off = a->inlined + (size_t)(index - 1) * piece_size(a);
	size_t n = a->len - off < piece_size(a) ? a->len - off : piece_size(a);
	int r;

	r = ecs_buf_append(out, a->text + off, n);
	if (r < 0)
		return r;
	a->next_chunk = index + 1;
	a->sent = index == a->chunks;
	return 0;
}

/* Switch to the packed form when the bastion says it reads it (chunked mode, before the
 * header): the only way to know, since an older module refuses the header outright. */
static void
choose_packed(struct ecs_client_answerer *a, const char *prompt)
{
	if (a->packed == NULL || !ecs_kbd_proto_offers_packed1(prompt))
		return;
	a->text = a->packed;
	a->len = a->packed_len;
	a->encoding = ECS_KBD_ENC_PACKED1;
}

static int
answer_response(struct ecs_client_answerer *a, const char *prompt, struct ecs_buf *out)
{
	char header[ECS_KBD_PROTO_SSH_CUT + 1];
	size_t k;
	int r;

	if (a->next_chunk != 0)
		return -EALREADY;
	if (a->mode == ECS_CLIENT_LINES) {
		r = give_piece(a, 1, out);
		/* A Response that fits in one line is complete in itself: no empty line
		 * follows, as the bastion stops asking. */
		a->ended = a->sent;
		return r;
	}
	choose_packed(a, prompt);
	/* A bastion that reads deflate (or packed1, which came later) reads inline too, and
	 * the header's own round trip is the one saved; --no-compress keeps the first v1
	 * header for older bastions. */
	r = ecs_kbd_proto_format_header(a->text, a->len, a->encoding,
					a->encoding != ECS_KBD_ENC_NONE, header, sizeof(header), &k);
	if (r == 0)
		r = ecs_buf_puts(out, header);
	if (r == 0) {
		a->inlined = k;
		a->chunks = (unsigned)((a->len - k + ECS_KBD_PROTO_CHUNK - 1) / ECS_KBD_PROTO_CHUNK);
		a->next_chunk = 1;
		a->sent = a->chunks == 0;
	}
	ECS_WIPE_OBJ(header);
	return r;
}

static int
answer_line(struct ecs_client_answerer *a, unsigned index, struct ecs_buf *out)
{
	if (a->mode != ECS_CLIENT_LINES)
		return -EPROTO;
	if (a->ended)
		return -EALREADY;
	if (a->next_chunk == 0 || index != a->next_chunk)
		return -EPROTO;
	if (a->sent) {
		/* The empty line that ends a paste. */
		a->ended = true;
		return 0;
	}
	return give_piece(a, index, out);
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
	unsigned index, total;

	prompt = ecs_client_prompt_text(prompt);
	switch (ecs_kbd_proto_classify_prompt(prompt, &index, &total)) {
	case ECS_PROMPT_RESPONSE:
		return answer_response(a, prompt, out);
	case ECS_PROMPT_CHUNK:
		if (a->sent)
			return -EALREADY;
		/* In lines mode a CHUNK prompt cannot come; in chunked mode the bastion asks
		 * exactly the chunks the header announced, in order. */
		if (a->mode != ECS_CLIENT_CHUNKED || a->next_chunk == 0 ||
		    index != a->next_chunk || total != a->chunks)
			return -EPROTO;
		return give_piece(a, index, out);
	case ECS_PROMPT_LINE:
		/* In chunked mode this means the bastion took the header for the first line
		 * of a paste: a protocol mismatch, refused by answer_line. */
		return answer_line(a, index, out);
	case ECS_PROMPT_ROLE:
		return answer_role(a, prompt, total, out);
	case ECS_PROMPT_UNKNOWN:
	default:
		return -EPROTO;
	}
}
