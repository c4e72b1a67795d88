/* ecs_usermap_set.c — the writer's side of the user map: an editable set of users and
 * tombstones, loaded from a checked map and rendered back in the order readers search. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecs_err.h"
#include "ecs_names.h"
#include "ecs_usermap.h"

/* Names compare as if each ended with ':' — the byte after the name in a "u" line — so the
 * writer's order is exactly the order the reader's search assumes. */
static int
name_cmp(const char *a, const char *b)
{
	size_t i;
	unsigned char ca, cb;

	for (i = 0;; i++) {
		ca = a[i] ? (unsigned char)a[i] : ':';
		cb = b[i] ? (unsigned char)b[i] : ':';
		if (ca != cb)
			return ca < cb ? -1 : 1;
		if (ca == ':')
			return 0;
	}
}

static int
user_cmp(const void *a, const void *b)
{
	return name_cmp(((const struct ecs_usermap_user *)a)->name,
			((const struct ecs_usermap_user *)b)->name);
}

static int
uidref_cmp(const void *a, const void *b)
{
	uint32_t x = ((const struct ecs_usermap_uidref *)a)->uid;
	uint32_t y = ((const struct ecs_usermap_uidref *)b)->uid;

	return x < y ? -1 : x > y;
}

static int
grow(void **arr, size_t *cap, size_t need, size_t size)
{
	size_t ncap;
	void *p;

	if (need <= *cap)
		return 0;
	if (need > ECS_USERMAP_MAX_ENTRIES)
		return -E2BIG;
	ncap = *cap ? *cap * 2 : 64;
	if (ncap > ECS_USERMAP_MAX_ENTRIES)
		ncap = ECS_USERMAP_MAX_ENTRIES;
	p = reallocarray(*arr, ncap, size);
	if (p == NULL)
		return -ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

int
ecs_usermap_set_add_user(struct ecs_usermap_set *s, const struct ecs_usermap_user *u)
{
	int r = grow((void **)&s->users, &s->capusers, s->nusers + 1, sizeof(*u));

	if (r < 0)
		return r;
	s->users[s->nusers++] = *u;
	return 0;
}

int
ecs_usermap_set_add_retired(struct ecs_usermap_set *s, const struct ecs_usermap_uidref *ref)
{
	int r = grow((void **)&s->retired, &s->capretired, s->nretired + 1, sizeof(*ref));

	if (r < 0)
		return r;
	s->retired[s->nretired] = *ref;
	s->retired[s->nretired].retired = true;
	s->nretired++;
	return 0;
}

void
ecs_usermap_set_del_user(struct ecs_usermap_set *s, size_t i)
{
	if (i >= s->nusers)
		return;
	s->users[i] = s->users[s->nusers - 1];
	s->nusers--;
}

long
ecs_usermap_set_find(const struct ecs_usermap_set *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nusers; i++)
		if (strcmp(s->users[i].name, name) == 0)
			return (long)i;
	return -1;
}

const char *
ecs_usermap_set_uid_owner(const struct ecs_usermap_set *s, uint32_t uid, bool *retired)
{
	size_t i;

	for (i = 0; i < s->nusers; i++) {
		if (s->users[i].uid == uid) {
			*retired = false;
			return s->users[i].name;
		}
	}
	for (i = 0; i < s->nretired; i++) {
		if (s->retired[i].uid == uid) {
			*retired = true;
			return s->retired[i].name;
		}
	}
	return NULL;
}

int
ecs_usermap_set_load(struct ecs_usermap_set *s, const struct ecs_usermap *db)
{
	struct ecs_usermap_user u;
	struct ecs_usermap_uidref ref;
	size_t b = db->idx_begin;
	size_t cursor = 0;
	const char *nl;
	int r;

	while (b < db->idx_end) {
		nl = memchr(db->data + b, '\n', db->idx_end - b);
		if (nl == NULL)
			return -EBADMSG;
		r = ecs_usermap_parse_uidref(db->data + b, (size_t)(nl - (db->data + b)), &ref);
		if (r < 0)
			return r;
		if (ref.retired) {
			r = ecs_usermap_set_add_retired(s, &ref);
			if (r < 0)
				return r;
		}
		b = (size_t)(nl - db->data) + 1;
	}
	for (;;) {
		r = ecs_usermap_next_user(db, &cursor, &u);
		if (r == -ENOENT)
			return 0;
		if (r < 0)
			return r;
		r = ecs_usermap_set_add_user(s, &u);
		if (r < 0)
			return r;
	}
}

static int
index_lines(const struct ecs_usermap_set *s, struct ecs_buf *out)
{
	struct ecs_usermap_uidref *all;
	size_t n = s->nusers + s->nretired;
	size_t i;
	int r = 0;

	all = calloc(n ? n : 1, sizeof(*all));
	if (all == NULL)
		return -ENOMEM;
	for (i = 0; i < s->nusers; i++) {
		all[i].uid = s->users[i].uid;
		memcpy(all[i].name, s->users[i].name, sizeof(all[i].name));
	}
	for (i = 0; i < s->nretired; i++)
		all[s->nusers + i] = s->retired[i];
	qsort(all, n, sizeof(*all), uidref_cmp);
	for (i = 0; i < n && r == 0; i++) {
		if (i > 0 && all[i].uid == all[i - 1].uid) {
			r = -ECS_ECOLLISION;
		} else if (all[i].uid == 0 || all[i].uid == UINT32_MAX ||
			   !ecs_name_user_ok(all[i].name) || all[i].removed < 0) {
			r = -EINVAL;
		} else if (all[i].retired) {
			r = ecs_buf_printf(out, "i %010u:%s:r:%lld\n", all[i].uid, all[i].name,
					   (long long)all[i].removed);
		} else {
			r = ecs_buf_printf(out, "i %010u:%s:a\n", all[i].uid, all[i].name);
		}
	}
	free(all);
	return r;
}

int
ecs_usermap_serialize(struct ecs_usermap_set *s, struct ecs_buf *out)
{
	const struct ecs_usermap_user *u;
	char enc[ECS_USERMAP_ISSUER_ENC_MAX + 1];
	size_t i;
	int r;

	/* users is NULL for an empty set, and qsort's pointer must not be */
	if (s->nusers > 1)
		qsort(s->users, s->nusers, sizeof(*s->users), user_cmp);
	for (i = 0; i < s->nusers; i++) {
		if (!ecs_usermap_user_ok(&s->users[i]))
			return -EINVAL;
		if (i > 0 && name_cmp(s->users[i - 1].name, s->users[i].name) == 0)
			return -ECS_ECOLLISION;
	}
	r = ecs_buf_printf(out, "%s %d %zu %zu\n", ECS_USERMAP_MAGIC, ECS_USERMAP_VERSION,
			   s->nusers, s->nretired);
	if (r == 0)
		r = index_lines(s, out);
	for (i = 0; i < s->nusers && r == 0; i++) {
		u = &s->users[i];
		/* ecs_usermap_user_ok checked the issuer: this cannot fail */
		ecs_usermap_issuer_encode(u->issuer, enc);
		r = ecs_buf_printf(out, "u %s:%u:%u:%s:%s:%s:%c:%lld:%lld%s%s\n", u->name, u->uid,
				   u->gid, u->gecos, u->home, u->shell, u->origin,
				   (long long)u->first_login, (long long)u->last_login,
				   enc[0] != '\0' ? ":" : "", enc);
	}
	if (r == 0)
		r = ecs_buf_puts(out, ECS_USERMAP_TRAILER);
	return r;
}

void
ecs_usermap_set_free(struct ecs_usermap_set *s)
{
	free(s->users);
	free(s->retired);
	memset(s, 0, sizeof(*s));
}
