/* test_helper_proto.c — the module⇄helper framing: round trip, caps, every malformation. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ecs_helper_proto.h"
#include "tap.h"

/* Build the message USER=alice, RESPONSE=xyz, END. */
static int
sample(struct ecs_buf *b)
{
	int r = ecs_helper_proto_begin(b);

	if (r == 0)
		r = ecs_helper_proto_put_str(b, ECS_HELPER_PROTO_USER, "alice");
	if (r == 0)
		r = ecs_helper_proto_put(b, ECS_HELPER_PROTO_RESPONSE, "xyz", 3);
	if (r == 0)
		r = ecs_helper_proto_end(b);
	return r;
}

/* Read a whole message: the number of frames before END, or the negative error. */
static int
count_frames(const void *p, size_t n)
{
	struct ecs_helper_proto_reader rd;
	struct ecs_helper_proto_frame f;
	int r, k = 0;

	r = ecs_helper_proto_reader_init(&rd, p, n);
	if (r < 0)
		return r;
	for (;;) {
		r = ecs_helper_proto_next(&rd, &f);
		if (r != 1)
			break;
		k++;
	}
	return r < 0 ? r : k;
}

static void
test_roundtrip(void)
{
	struct ecs_buf b;
	struct ecs_helper_proto_reader rd;
	struct ecs_helper_proto_frame f;
	char *s = NULL;
	int r;

	r = sample(&b);
	T_OK(r == 0, "write a message");
	T_OK(b.len == 5 + 5 + 5 + 5 + 3 + 5, "message size is preamble + heads + payloads");
	r = ecs_helper_proto_reader_init(&rd, b.data, b.len);
	T_OK(r == 0, "reader accepts magic and version");
	r = ecs_helper_proto_next(&rd, &f);
	T_OK(r == 1 && f.type == ECS_HELPER_PROTO_USER && f.len == 5, "first frame is USER");
	r = ecs_helper_proto_frame_str(&f, 32, &s);
	T_OK(r == 0 && strcmp(s, "alice") == 0, "USER text");
	free(s);
	s = NULL;
	r = ecs_helper_proto_frame_str(&f, 4, &s);
	T_OK(r == -E2BIG && s == NULL, "text over the caller's cap refused");
	r = ecs_helper_proto_next(&rd, &f);
	T_OK(r == 1 && f.type == ECS_HELPER_PROTO_RESPONSE && f.len == 3 && memcmp(f.data, "xyz", 3) == 0,
	     "second frame is RESPONSE");
	r = ecs_helper_proto_next(&rd, &f);
	T_OK(r == 0, "END closes the message");
	r = ecs_helper_proto_next(&rd, &f);
	T_OK(r == -EBADMSG, "nothing can be read after END");
	ecs_buf_free(&b);
}

static void
test_malformed(void)
{
	struct ecs_buf b;
	uint8_t *m;
	size_t n;
	int r;

	r = sample(&b);
	T_OK(r == 0, "sample built");
	m = b.data;
	n = b.len;
	T_OK(count_frames(m, n) == 2, "sample has two frames");
	for (size_t cut = 0; cut < n; cut++)
		if (count_frames(m, cut) >= 0) {
			T_OK(0, "a message cut at %zu bytes is refused", cut);
			break;
		}
	T_OK(count_frames(m, n - 1) == -EBADMSG, "message without a whole END refused");
	m[0] = 'X';
	T_OK(count_frames(m, n) == -EBADMSG, "bad magic refused");
	m[0] = 'E';
	m[4] = 2;
	T_OK(count_frames(m, n) == -EPROTONOSUPPORT, "other version refused");
	m[4] = ECS_HELPER_PROTO_VERSION;
	m[5] = ECS_HELPER_PROTO_TYPE_MAX;
	T_OK(count_frames(m, n) == -EBADMSG, "unknown frame type refused");
	m[5] = ECS_HELPER_PROTO_USER;
	m[6] = 0x80;
	T_OK(count_frames(m, n) == -EBADMSG, "length beyond the input refused");
	m[6] = 0;
	m[n - 1] = 1;
	T_OK(count_frames(m, n) == -EBADMSG, "END with a length refused");
	m[n - 1] = 0;
	T_OK(count_frames(m, n) == 2, "restored sample reads again");
	r = ecs_buf_append(&b, "", 1);
	T_OK(r == 0 && count_frames(b.data, b.len) == -EBADMSG, "a byte after END refused");
	ecs_buf_free(&b);

	{
		struct ecs_helper_proto_frame f = { ECS_HELPER_PROTO_USER, (const uint8_t *)"a\0b", 3 };
		char *s = NULL;

		r = ecs_helper_proto_frame_str(&f, 10, &s);
		T_OK(r == -EBADMSG && s == NULL, "NUL inside a text frame refused");
	}
}

static void
test_caps(void)
{
	struct ecs_buf b;
	char *big = calloc(1, ECS_HELPER_PROTO_MAX_FRAME + 1);
	size_t before;
	int r;

	r = ecs_helper_proto_begin(&b);
	T_OK(r == 0 && big != NULL, "setup");
	r = ecs_helper_proto_put(&b, ECS_HELPER_PROTO_RESPONSE, big, ECS_HELPER_PROTO_MAX_FRAME + 1);
	T_OK(r == -E2BIG && b.len == 5, "frame over its cap refused, message unchanged");
	r = ecs_helper_proto_put(&b, ECS_HELPER_PROTO_TYPE_MAX, "x", 1);
	T_OK(r == -EINVAL, "writer refuses an unknown type");
	r = ecs_helper_proto_put(&b, ECS_HELPER_PROTO_RESPONSE, big, ECS_HELPER_PROTO_MAX_FRAME);
	T_OK(r == 0, "frame at its cap accepted");
	before = b.len;
	r = ecs_helper_proto_put(&b, ECS_HELPER_PROTO_RESPONSE, big, ECS_HELPER_PROTO_MAX_FRAME);
	T_OK(r == -E2BIG && b.len == before, "message over its total cap refused, unchanged");
	ecs_buf_free(&b);

	r = ecs_helper_proto_begin(&b);
	for (unsigned i = 0; r == 0 && i <= ECS_HELPER_PROTO_MAX_FRAMES; i++)
		r = ecs_helper_proto_put_str(&b, ECS_HELPER_PROTO_CONF_ARG, "debug");
	if (r == 0)
		r = ecs_helper_proto_end(&b);
	T_OK(r == 0 && count_frames(b.data, b.len) == -EBADMSG, "too many frames refused");
	ecs_buf_free(&b);
	free(big);
}

int
main(void)
{
	test_roundtrip();
	test_malformed();
	test_caps();
	T_DONE();
}
