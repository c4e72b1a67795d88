/* ecs_helper_proto.c — the module⇄helper framing (see ecs_helper_proto.h).
 *
 * Both directions cross a privilege boundary: the helper (root) reads what a module in
 * someone else's process wrote, and the module trusts nothing the helper says beyond
 * frame types it expects. So every read is bounds-checked against the remaining input
 * before it happens, and every count has a cap. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ecs_helper_proto.h"

#define PREAMBLE_LEN (sizeof(ECS_HELPER_PROTO_MAGIC) - 1 + 1)
#define FRAME_HEAD 5u

int
ecs_helper_proto_begin(struct ecs_buf *out)
{
	static const uint8_t pre[PREAMBLE_LEN] = { 'E', 'C', 'S', 'W', ECS_HELPER_PROTO_VERSION };

	ecs_buf_init(out, ECS_HELPER_PROTO_MAX_TOTAL);
	return ecs_buf_append(out, pre, sizeof(pre));
}

int
ecs_helper_proto_put(struct ecs_buf *out, enum ecs_helper_proto_type type, const void *p, size_t n)
{
	uint8_t head[FRAME_HEAD];
	size_t old = out->len;
	int r;

	if ((unsigned)type >= ECS_HELPER_PROTO_TYPE_MAX)
		return -EINVAL;
	if (n > ECS_HELPER_PROTO_MAX_FRAME)
		return -E2BIG;
	head[0] = (uint8_t)type;
	head[1] = (uint8_t)(n >> 24);
	head[2] = (uint8_t)(n >> 16);
	head[3] = (uint8_t)(n >> 8);
	head[4] = (uint8_t)n;
	r = ecs_buf_append(out, head, sizeof(head));
	if (r == 0 && n > 0)
		r = ecs_buf_append(out, p, n);
	if (r < 0 && out->len > old) {
		/* keep the message whole: drop the frame head written before the failure */
		out->len = old;
		out->data[old] = 0;
	}
	return r;
}

int
ecs_helper_proto_put_str(struct ecs_buf *out, enum ecs_helper_proto_type type, const char *s)
{
	return ecs_helper_proto_put(out, type, s, strlen(s));
}

int
ecs_helper_proto_end(struct ecs_buf *out)
{
	return ecs_helper_proto_put(out, ECS_HELPER_PROTO_END, NULL, 0);
}

int
ecs_helper_proto_reader_init(struct ecs_helper_proto_reader *r, const void *data, size_t len)
{
	const uint8_t *p = data;

	memset(r, 0, sizeof(*r));
	if (len < PREAMBLE_LEN || memcmp(p, ECS_HELPER_PROTO_MAGIC, PREAMBLE_LEN - 1) != 0)
		return -EBADMSG;
	if (p[PREAMBLE_LEN - 1] != ECS_HELPER_PROTO_VERSION)
		return -EPROTONOSUPPORT;
	if (len > ECS_HELPER_PROTO_MAX_TOTAL)
		return -EBADMSG;
	r->p = p;
	r->len = len;
	r->off = PREAMBLE_LEN;
	return 0;
}

int
ecs_helper_proto_next(struct ecs_helper_proto_reader *r, struct ecs_helper_proto_frame *f)
{
	const uint8_t *h;
	size_t n;

	if (r->ended || r->p == NULL || r->len - r->off < FRAME_HEAD)
		return -EBADMSG;
	h = r->p + r->off;
	n = (size_t)h[1] << 24 | (size_t)h[2] << 16 | (size_t)h[3] << 8 | h[4];
	if (h[0] >= ECS_HELPER_PROTO_TYPE_MAX || n > ECS_HELPER_PROTO_MAX_FRAME ||
	    n > r->len - r->off - FRAME_HEAD || ++r->frames > ECS_HELPER_PROTO_MAX_FRAMES)
		return -EBADMSG;
	r->off += FRAME_HEAD;
	f->type = h[0];
	f->data = r->p + r->off;
	f->len = n;
	r->off += n;
	if (f->type != ECS_HELPER_PROTO_END)
		return 1;
	/* END carries nothing and closes the message: trailing bytes mean a confused peer */
	if (n != 0 || r->off != r->len)
		return -EBADMSG;
	r->ended = 1;
	return 0;
}

int
ecs_helper_proto_frame_str(const struct ecs_helper_proto_frame *f, size_t max, char **out)
{
	char *s;

	if (f->len > max)
		return -E2BIG;
	if (f->len > 0 && memchr(f->data, '\0', f->len) != NULL)
		return -EBADMSG;
	s = malloc(f->len + 1);
	if (s == NULL)
		return -ENOMEM;
	if (f->len > 0)
		memcpy(s, f->data, f->len);
	s[f->len] = '\0';
	*out = s;
	return 0;
}
