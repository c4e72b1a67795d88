/* ecs_logrec.c — the syslog record format and its escaping (see ecs_logrec.h). */
#include <stdio.h>
#include <string.h>

#include "ecs_logrec.h"

#define CUT_MARK " cut=\"yes\""
#define ELLIPSIS "..."

/* The escaped form of byte c into u (at most 4 characters and a NUL); its length. */
static size_t
escape_one(unsigned char c, char u[5])
{
	static const char hex[] = "0123456789abcdef";

	if (c == '"' || c == '\\') {
		u[0] = '\\';
		u[1] = (char)c;
		u[2] = 0;
		return 2;
	}
	if (c >= 0x20 && c < 0x7f) {
		u[0] = (char)c;
		u[1] = 0;
		return 1;
	}
	u[0] = '\\';
	u[1] = 'x';
	u[2] = hex[c >> 4];
	u[3] = hex[c & 0xf];
	u[4] = 0;
	return 4;
}

size_t
ecs_log_escape(char *dst, size_t dstsz, const char *src, size_t n)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t total = 0, limit, w = 0;
	char u[5];

	if (dstsz < sizeof(ELLIPSIS)) {
		if (dstsz > 0)
			dst[0] = 0;
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		total += escape_one(s[i], u);
	/* a cut value says so: it keeps room for the ellipsis, and never half an escape */
	limit = total <= dstsz - 1 ? dstsz - 1 : dstsz - sizeof(ELLIPSIS);
	for (size_t i = 0; i < n; i++) {
		size_t k = escape_one(s[i], u);

		if (w + k > limit)
			break;
		memcpy(dst + w, u, k);
		w += k;
	}
	if (total > dstsz - 1) {
		memcpy(dst + w, ELLIPSIS, sizeof(ELLIPSIS) - 1);
		w += sizeof(ELLIPSIS) - 1;
	}
	dst[w] = 0;
	return w;
}

/* Room left for fields: the cut mark always fits after them. */
static size_t
room(const struct ecs_logrec *rec)
{
	size_t used = rec->len + sizeof(CUT_MARK);	/* the mark and the NUL */

	return used < sizeof(rec->buf) ? sizeof(rec->buf) - used : 0;
}

void
ecs_logrec_init(struct ecs_logrec *rec, const char *event)
{
	rec->cut = false;
	rec->fields = 0;
	rec->len = ecs_log_escape(rec->buf, ECS_LOGREC_VALUE_MAX, event ? event : "",
				  event ? strlen(event) : 0);
}

void
ecs_logrec_add(struct ecs_logrec *rec, const char *key, const char *value)
{
	char k[32];
	size_t klen = 0, vmax, need;
	const char *sep = rec->fields == 0 ? ": " : " ";

	if (rec->cut)
		return;
	/* keys are program text; anything else in one still cannot break the format */
	for (const char *p = key ? key : ""; *p && klen + 1 < sizeof(k); p++)
		k[klen++] = ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_') ?
				    *p : '_';
	if (klen == 0)
		k[klen++] = '_';
	k[klen] = 0;
	need = strlen(sep) + klen + 3;	/* sep key = " " */
	if (room(rec) < need + sizeof(ELLIPSIS) - 1) {
		memcpy(rec->buf + rec->len, CUT_MARK, sizeof(CUT_MARK));
		rec->len += sizeof(CUT_MARK) - 1;
		rec->cut = true;
		return;
	}
	vmax = room(rec) - need + 1;	/* the escaper's size counts its NUL */
	if (vmax > ECS_LOGREC_VALUE_MAX)
		vmax = ECS_LOGREC_VALUE_MAX;
	rec->len += (size_t)snprintf(rec->buf + rec->len, sizeof(rec->buf) - rec->len, "%s%s=\"",
				     sep, k);
	rec->len += ecs_log_escape(rec->buf + rec->len, vmax, value ? value : "",
				   value ? strlen(value) : 0);
	rec->buf[rec->len++] = '"';
	rec->buf[rec->len] = 0;
	rec->fields++;
}

void
ecs_logrec_addf(struct ecs_logrec *rec, const char *key, const char *fmt, ...)
{
	char v[ECS_LOGREC_VALUE_MAX + 1];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v, sizeof(v), fmt, ap);
	va_end(ap);
	ecs_logrec_add(rec, key, v);
}

void
ecs_logrec_addv(struct ecs_logrec *rec, va_list ap)
{
	const char *k, *v;

	for (k = va_arg(ap, const char *); k != NULL; k = va_arg(ap, const char *)) {
		v = va_arg(ap, const char *);
		ecs_logrec_add(rec, k, v);
	}
}

const char *
ecs_logrec_text(const struct ecs_logrec *rec)
{
	return rec->buf;
}
