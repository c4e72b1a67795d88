/* resp.c — RESP2 commands out, replies in (resp.h). */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "resp.h"

int
ecs_resp_command(struct ecs_buf *out, size_t argc, const char *const *argv, const size_t *lens)
{
	size_t start = out->len, n;
	int r;

	if (argc == 0 || argc > ECS_RESP_ARGS_MAX)
		return -EINVAL;
	r = ecs_buf_printf(out, "*%zu\r\n", argc);
	for (size_t i = 0; r == 0 && i < argc; i++) {
		n = lens ? lens[i] : strlen(argv[i]);
		r = ecs_buf_printf(out, "$%zu\r\n", n);
		if (r == 0)
			r = ecs_buf_append(out, argv[i], n);
		if (r == 0)
			r = ecs_buf_append(out, "\r\n", 2);
	}
	if (r < 0)
		ecs_buf_truncate(out, start);	/* nothing half-written goes out */
	return r;
}

/* The line at buf[0..len) up to CRLF: 1 with *n its length without the CRLF and *end just
 * past it, 0 when incomplete, -EPROTO when too long or holding a bare CR or LF. */
static int
line(const uint8_t *buf, size_t len, size_t *n, size_t *end)
{
	for (size_t i = 0; i < len && i <= ECS_RESP_LINE_MAX; i++) {
		if (buf[i] == '\n')
			return -EPROTO;
		if (buf[i] != '\r')
			continue;
		if (i + 1 == len)
			return 0;
		if (buf[i + 1] != '\n')
			return -EPROTO;
		*n = i;
		*end = i + 2;
		return 1;
	}
	return len > ECS_RESP_LINE_MAX ? -EPROTO : 0;
}

/* A signed decimal filling s[0..n) exactly, no leading '+', no leading zeros but "0". */
static int
integer(const uint8_t *s, size_t n, int64_t *out)
{
	bool neg = n > 0 && s[0] == '-';
	uint64_t v = 0;
	size_t i = neg;

	if (i == n || n - i > 19 || (s[i] == '0' && n - i > 1))
		return -EPROTO;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EPROTO;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > (uint64_t)INT64_MAX || (neg && v == 0))
		return -EPROTO;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return 0;
}

static ssize_t
parse(const uint8_t *buf, size_t len, unsigned depth, struct ecs_resp_reply *out)
{
	struct ecs_resp_reply el;
	size_t n = 0, end = 0, at;
	ssize_t sub;
	int64_t count, m;
	int r;

	if (len == 0)
		return 0;
	r = line(buf, len, &n, &end);
	if (r <= 0)
		return r;
	if (n == 0)
		return -EPROTO;	/* no type byte */
	memset(out, 0, sizeof(*out));
	switch (buf[0]) {
	case '+':
	case '-':
		out->type = buf[0] == '+' ? ECS_RESP_SIMPLE : ECS_RESP_ERROR;
		out->str = buf + 1;
		out->len = n - 1;
		return (ssize_t)end;
	case ':':
		out->type = ECS_RESP_INTEGER;
		return integer(buf + 1, n - 1, &out->integer) < 0 ? -EPROTO : (ssize_t)end;
	case '$':
		if (integer(buf + 1, n - 1, &count) < 0 || count < -1 ||
		    count > ECS_RESP_BULK_MAX)
			return -EPROTO;
		if (count == -1) {
			out->type = ECS_RESP_NULL;
			return (ssize_t)end;
		}
		if (len - end < (size_t)count + 2)
			return 0;
		if (buf[end + (size_t)count] != '\r' || buf[end + (size_t)count + 1] != '\n')
			return -EPROTO;
		out->type = ECS_RESP_BULK;
		out->str = buf + end;
		out->len = (size_t)count;
		return (ssize_t)(end + (size_t)count + 2);
	case '*':
		if (integer(buf + 1, n - 1, &count) < 0 || count < -1 ||
		    count > ECS_RESP_ARRAY_MAX)
			return -EPROTO;
		if (count == -1) {
			out->type = ECS_RESP_NULL;
			return (ssize_t)end;
		}
		if (depth >= ECS_RESP_DEPTH_MAX && count > 0)
			return -EPROTO;
		for (at = end, m = 0; m < count; m++) {
			sub = parse(buf + at, len - at, depth + 1, &el);
			if (sub <= 0)
				return sub;
			at += (size_t)sub;
		}
		out->type = ECS_RESP_ARRAY;
		out->integer = count;
		return (ssize_t)at;
	default:
		return -EPROTO;
	}
}

ssize_t
ecs_resp_parse(const uint8_t *buf, size_t len, struct ecs_resp_reply *out)
{
	return parse(buf, len, 0, out);
}

int
ecs_resp_is_simple(const struct ecs_resp_reply *r, const char *s)
{
	size_t n = strlen(s);

	return r->type == ECS_RESP_SIMPLE && r->len == n && memcmp(r->str, s, n) == 0;
}
