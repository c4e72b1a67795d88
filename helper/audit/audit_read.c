/* audit_read.c — the audit file read back into logins (audit_read.h). */
#include <errno.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "audit_read.h"
#include "ecs_buf.h"
#include "ecs_safefile.h"
#include "ecs_time.h"

#define AUDIT_FILE_MAX ((size_t)1 << 31)	/* rotate before this: read whole */

const char *
ecs_audit_str(const json_t *rec, const char *key)
{
	return rec != NULL ? json_string_value(json_object_get(rec, key)) : NULL;
}

int
ecs_audit_line_parse(const char *line, size_t n, json_t **rec, time_t *when)
{
	json_error_t err;
	const char *event, *t;
	json_t *o;
	bool known = false;

	*rec = NULL;
	o = json_loadb(line, n, JSON_REJECT_DUPLICATES, &err);
	if (o == NULL)
		return -EBADMSG;
	event = ecs_audit_str(o, "event");
	t = ecs_audit_str(o, "time");
	for (int e = 0; event != NULL && e < ECS_AUDIT_NEVENTS; e++)
		known = known || strcmp(event, ecs_audit_schema(e)->name) == 0;
	if (!json_is_object(o) || !known || t == NULL || ecs_time_parse(t, when) < 0) {
		json_decref(o);
		return -EBADMSG;
	}
	*rec = o;
	return 0;
}

/* The login of session tag, newest first (a tag is unique; the search is for closes). */
static struct ecs_audit_login *
by_tag(struct ecs_audit_logins *l, const char *tag)
{
	for (size_t i = l->n; tag != NULL && i-- > 0;)
		if (strcmp(ecs_audit_str(l->v[i].open, "session") ?: "", tag) == 0)
			return &l->v[i];
	return NULL;
}

static int
add_record(struct ecs_audit_logins *l, json_t *rec, time_t when)
{
	const char *event = ecs_audit_str(rec, "event");
	struct ecs_audit_login *g;

	if (strcmp(event, "session_open") == 0) {
		if (l->n == l->cap) {
			size_t cap = l->cap ? l->cap * 2 : 64;
			void *v = realloc(l->v, cap * sizeof(*l->v));

			if (v == NULL)
				return -ENOMEM;
			l->v = v;
			l->cap = cap;
		}
		l->v[l->n++] = (struct ecs_audit_login){ .open = json_incref(rec), .opened = when };
	} else if (strcmp(event, "session_close") == 0) {
		g = by_tag(l, ecs_audit_str(rec, "session"));
		if (g == NULL || g->close != NULL) {
			l->orphan_closes++;
			return 0;
		}
		g->close = json_incref(rec);
		g->closed = when;
	}
	return 0;
}

int
ecs_audit_logins_add_text(struct ecs_audit_logins *l, const char *text, size_t n)
{
	const char *p = text, *end = text + n, *nl;
	json_t *rec;
	time_t when;
	int r = 0;

	while (r == 0 && p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if (nl > p) {
			if (ecs_audit_line_parse(p, (size_t)(nl - p), &rec, &when) < 0) {
				l->bad_lines++;
			} else {
				r = add_record(l, rec, when);
				json_decref(rec);
			}
		}
		p = nl + 1;
	}
	return r;
}

int
ecs_audit_logins_add_file(struct ecs_audit_logins *l, const char *path)
{
	struct ecs_buf raw;
	int r;

	ecs_buf_init(&raw, AUDIT_FILE_MAX);
	r = ecs_safe_read_path(path, 0, AUDIT_FILE_MAX, &raw, NULL);
	if (r == 0)
		r = ecs_audit_logins_add_text(l, (const char *)raw.data, raw.len);
	ecs_buf_free(&raw);
	return r;
}

static uint64_t
hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;	/* FNV-1a */

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

int
ecs_audit_logins_index(struct ecs_audit_logins *l)
{
	size_t cap = 16;

	while (cap < l->n * 2 + 1)
		cap *= 2;
	free(l->akid_index);
	l->akid_index = calloc(cap, sizeof(*l->akid_index));
	if (l->akid_index == NULL)
		return -ENOMEM;
	l->akid_cap = cap;
	for (size_t i = 0; i < l->n; i++) {
		const char *k = ecs_audit_str(l->v[i].open, "access_key_id");
		size_t h;

		if (k == NULL)
			continue;
		/* a later login with the same key (never, from STS) wins */
		for (h = hash(k) & (cap - 1); l->akid_index[h] != 0; h = (h + 1) & (cap - 1))
			if (strcmp(ecs_audit_str(l->v[l->akid_index[h] - 1].open,
						 "access_key_id"), k) == 0)
				break;
		l->akid_index[h] = i + 1;
	}
	return 0;
}

const struct ecs_audit_login *
ecs_audit_logins_by_akid(const struct ecs_audit_logins *l, const char *k)
{
	size_t h;

	if (k == NULL || l->akid_cap == 0)
		return NULL;
	for (h = hash(k) & (l->akid_cap - 1); l->akid_index[h] != 0;
	     h = (h + 1) & (l->akid_cap - 1)) {
		const struct ecs_audit_login *g = &l->v[l->akid_index[h] - 1];

		if (strcmp(ecs_audit_str(g->open, "access_key_id"), k) == 0)
			return g;
	}
	return NULL;
}

void
ecs_audit_logins_free(struct ecs_audit_logins *l)
{
	for (size_t i = 0; i < l->n; i++) {
		json_decref(l->v[i].open);
		json_decref(l->v[i].close);
	}
	free(l->v);
	free(l->akid_index);
	memset(l, 0, sizeof(*l));
}
