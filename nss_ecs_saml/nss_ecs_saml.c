/* nss_ecs_saml.c — the glibc NSS entry points of libnss_ecs_saml.so.2 ("ecs_saml").
 *
 * Thin: each entry point validates its argument, takes a view of the cache (nss_cache.c),
 * resolves in it (nss_lookup.c), packs into the caller's buffer and maps the result exactly
 * once through nss_status_of(). No exec, no network of its own, no logging, no lock shared
 * with the writer. Where a name could belong to another source, the other sources are asked
 * first (nss_others.c), and while they are, every entry point here answers NOTFOUND.
 */
#include <errno.h>
#include <grp.h>
#include <nss.h>
#include <pthread.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "ecs_err.h"
#include "ecs_names.h"
#include "ecs_usermap.h"
#include "ecs_usermap_pack.h"
#include "nss_cache.h"
#include "nss_lookup.h"
#include "nss_others.h"

#define NSS_EXPORT __attribute__((visibility("default")))

/* The one mapping from project errors to NSS. ERANGE is glibc's cue to retry with a bigger
 * buffer; anything that is neither "found" nor "not ours" is UNAVAIL, so a broken map or
 * config degrades to the next source instead of a wrong answer. */
static enum nss_status
nss_status_of(int r, int *errnop)
{
	switch (r) {
	case 0:
		return NSS_STATUS_SUCCESS;
	case -ENOENT:
		*errnop = ENOENT;
		return NSS_STATUS_NOTFOUND;
	case -ERANGE:
		*errnop = ERANGE;
		return NSS_STATUS_TRYAGAIN;
	default:
		*errnop = r < 0 && -r < ECS_E_BASE ? -r : EIO;
		return NSS_STATUS_UNAVAIL;
	}
}

NSS_EXPORT enum nss_status _nss_ecs_saml_getpwnam_r(const char *, struct passwd *, char *,
						      size_t, int *);
NSS_EXPORT enum nss_status _nss_ecs_saml_getpwuid_r(uid_t, struct passwd *, char *, size_t,
						      int *);
NSS_EXPORT enum nss_status _nss_ecs_saml_getgrnam_r(const char *, struct group *, char *,
						      size_t, int *);
NSS_EXPORT enum nss_status _nss_ecs_saml_getgrgid_r(gid_t, struct group *, char *, size_t,
						      int *);
NSS_EXPORT enum nss_status _nss_ecs_saml_initgroups_dyn(const char *, gid_t, long *, long *,
							  gid_t **, long, int *);
NSS_EXPORT enum nss_status _nss_ecs_saml_setpwent(int);
NSS_EXPORT enum nss_status _nss_ecs_saml_getpwent_r(struct passwd *, char *, size_t, int *);
NSS_EXPORT enum nss_status _nss_ecs_saml_endpwent(void);
NSS_EXPORT enum nss_status _nss_ecs_saml_setgrent(int);
NSS_EXPORT enum nss_status _nss_ecs_saml_getgrent_r(struct group *, char *, size_t, int *);
NSS_EXPORT enum nss_status _nss_ecs_saml_endgrent(void);

enum nss_status
_nss_ecs_saml_getpwnam_r(const char *name, struct passwd *pw, char *buf, size_t buflen,
			 int *errnop)
{
	struct ecs_nss_view v;
	struct ecs_usermap_user u;
	bool first_login;
	int r;

	/* Anything outside the strict syntax is not ours, whatever the map says. */
	if (name == NULL || !ecs_name_user_ok(name) || ecs_nss_others_asking())
		return nss_status_of(-ENOENT, errnop);
	r = ecs_nss_view_acquire(&v);
	if (r < 0)
		return nss_status_of(r, errnop);
	r = ecs_nss_resolve_name(&v, name, &u, &first_login);
	ecs_nss_view_release();
	/* A name of the map is answered at once (a source listed before this module has had
	 * its say); a first-login name only once no source at all knows it, and not when that
	 * cannot be told. */
	if (r == 0 && first_login && ecs_nss_others_claim(name, u.uid) != 0)
		r = -ENOENT;
	if (r == 0)
		r = ecs_usermap_pack_passwd(&u, pw, buf, buflen);
	return nss_status_of(r, errnop);
}

enum nss_status
_nss_ecs_saml_getpwuid_r(uid_t uid, struct passwd *pw, char *buf, size_t buflen, int *errnop)
{
	struct ecs_nss_view v;
	struct ecs_usermap_user u;
	int r;

	if (ecs_nss_others_asking())
		return nss_status_of(-ENOENT, errnop);
	r = ecs_nss_view_acquire(&v);
	if (r < 0)
		return nss_status_of(r, errnop);
	r = ecs_nss_resolve_uid(&v, (uint32_t)uid, &u);
	ecs_nss_view_release();
	if (r == 0)
		r = ecs_usermap_pack_passwd(&u, pw, buf, buflen);
	return nss_status_of(r, errnop);
}

/* The federated group, by name (name not NULL) or by GID: the users of the map no other
 * source claims. Asking the other sources may take long (LDAP), so the map is held by a
 * snapshot reference, not under the cache lock. */
static int
find_group(const char *name, gid_t want, struct group *gr, char *buf, size_t buflen)
{
	struct ecs_nss_snap *s = NULL;
	const struct ecs_usermap *db;
	char group[ECS_NAME_USER_MAX + 1];
	uint32_t gid;
	int r;

	r = ecs_nss_snap_get(&s, &db, group, &gid);
	if (r == 0 && (name != NULL ? strcmp(name, group) != 0 : want != gid))
		r = -ENOENT;
	if (r == 0)
		r = ecs_usermap_pack_group(group, gid, db, gr, buf, buflen);
	if (r == 0)
		r = ecs_nss_others_prune(gr, db);
	ecs_nss_snap_put(s);
	return r;
}

enum nss_status
_nss_ecs_saml_getgrnam_r(const char *name, struct group *gr, char *buf, size_t buflen,
			 int *errnop)
{
	if (name == NULL || !ecs_name_user_ok(name) || ecs_nss_others_asking())
		return nss_status_of(-ENOENT, errnop);
	return nss_status_of(find_group(name, 0, gr, buf, buflen), errnop);
}

enum nss_status
_nss_ecs_saml_getgrgid_r(gid_t gid, struct group *gr, char *buf, size_t buflen, int *errnop)
{
	if (ecs_nss_others_asking())
		return nss_status_of(-ENOENT, errnop);
	return nss_status_of(find_group(NULL, gid, gr, buf, buflen), errnop);
}

/* Add gid to the caller's growable list unless present; glibc passes *size slots, and a
 * positive limit caps how far the list may grow. */
static int
add_group(gid_t gid, long *start, long *size, gid_t **groupsp, long limit)
{
	gid_t *g = *groupsp;
	long nsize;
	long i;

	for (i = 0; i < *start; i++)
		if (g[i] == gid)
			return 0;
	if (*start == *size) {
		if (limit > 0 && *size >= limit)
			return 0;
		nsize = *size > 0 ? *size * 2 : 8;
		if (limit > 0 && nsize > limit)
			nsize = limit;
		g = reallocarray(g, (size_t)nsize, sizeof(*g));
		if (g == NULL)
			return -ENOMEM;
		*groupsp = g;
		*size = nsize;
	}
	g[(*start)++] = gid;
	return 0;
}

enum nss_status
_nss_ecs_saml_initgroups_dyn(const char *user, gid_t skip, long *start, long *size,
			     gid_t **groupsp, long limit, int *errnop)
{
	struct ecs_nss_view v;
	struct ecs_usermap_user u;
	bool first_login;
	gid_t gid;
	int c;
	int r;

	if (user == NULL || !ecs_name_user_ok(user) || ecs_nss_others_asking())
		return nss_status_of(-ENOENT, errnop);
	r = ecs_nss_view_acquire(&v);
	if (r < 0)
		return nss_status_of(r, errnop);
	r = ecs_nss_resolve_name(&v, user, &u, &first_login);
	gid = v.conf->nss_gid;
	ecs_nss_view_release();
	/* initgroups runs for every account that logs in or runs sudo, root included: a name
	 * another source has is that source's account, even when the map holds it too, and it
	 * gets nothing from here. A source that fails leaves a user of the map in the group
	 * (the map is authoritative) but synthesizes no first-login user. */
	if (r == 0) {
		c = ecs_nss_others_claim(user, u.uid);
		if (c == 1 || (c < 0 && first_login))
			r = -ENOENT;
	}
	/* glibc adds the primary group itself (skip); ours is usually that same group. */
	if (r == 0 && gid != skip)
		r = add_group(gid, start, size, groupsp, limit);
	return nss_status_of(r, errnop);
}

/* Enumeration: each walk holds its own snapshot, so a map replaced mid-walk neither tears
 * the walk nor blocks lookups. One walk per process, as glibc's *ent API implies. */
static pthread_mutex_t pwent_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ecs_nss_snap *pwent_snap;
static const struct ecs_usermap *pwent_db;
static size_t pwent_cursor;

static pthread_mutex_t grent_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ecs_nss_snap *grent_snap;
static const struct ecs_usermap *grent_db;
static char grent_name[ECS_NAME_USER_MAX + 1];
static uint32_t grent_gid;
static bool grent_done;

/* After fork, a walk another thread was in the middle of is abandoned (see nss_cache.c). */
static void
forget_walks_in_child(void)
{
	pthread_mutex_init(&pwent_lock, NULL);
	pthread_mutex_init(&grent_lock, NULL);
	pwent_snap = NULL;
	pwent_db = NULL;
	grent_snap = NULL;
	grent_db = NULL;
}

static pthread_once_t walks_atfork_once = PTHREAD_ONCE_INIT;

static void
register_walks_atfork(void)
{
	pthread_atfork(NULL, NULL, forget_walks_in_child);
}

static int
pwent_open_locked(void)
{
	char group[ECS_NAME_USER_MAX + 1];
	uint32_t gid;

	ecs_nss_snap_put(pwent_snap);
	pwent_snap = NULL;
	pwent_cursor = 0;
	return ecs_nss_snap_get(&pwent_snap, &pwent_db, group, &gid);
}

enum nss_status
_nss_ecs_saml_setpwent(int stayopen)
{
	int dummy;
	int r;

	pthread_once(&walks_atfork_once, register_walks_atfork);
	pthread_mutex_lock(&pwent_lock);
	r = pwent_open_locked();
	pthread_mutex_unlock(&pwent_lock);
	return nss_status_of(r, &dummy);
}

enum nss_status
_nss_ecs_saml_getpwent_r(struct passwd *pw, char *buf, size_t buflen, int *errnop)
{
	struct ecs_usermap_user u;
	size_t cursor;
	int r = 0;

	pthread_once(&walks_atfork_once, register_walks_atfork);
	pthread_mutex_lock(&pwent_lock);
	if (pwent_snap == NULL)
		r = pwent_open_locked();
	cursor = pwent_cursor;
	if (r == 0)
		r = ecs_usermap_next_user(pwent_db, &cursor, &u);
	if (r == 0)
		r = ecs_usermap_pack_passwd(&u, pw, buf, buflen);
	/* the cursor moves only when the entry was delivered: ERANGE retries the same one */
	if (r == 0)
		pwent_cursor = cursor;
	pthread_mutex_unlock(&pwent_lock);
	return nss_status_of(r, errnop);
}

enum nss_status
_nss_ecs_saml_endpwent(void)
{
	pthread_once(&walks_atfork_once, register_walks_atfork);
	pthread_mutex_lock(&pwent_lock);
	ecs_nss_snap_put(pwent_snap);
	pwent_snap = NULL;
	pwent_db = NULL;
	pwent_cursor = 0;
	pthread_mutex_unlock(&pwent_lock);
	return NSS_STATUS_SUCCESS;
}

static int
grent_open_locked(void)
{
	ecs_nss_snap_put(grent_snap);
	grent_snap = NULL;
	grent_done = false;
	return ecs_nss_snap_get(&grent_snap, &grent_db, grent_name, &grent_gid);
}

enum nss_status
_nss_ecs_saml_setgrent(int stayopen)
{
	int dummy;
	int r;

	pthread_once(&walks_atfork_once, register_walks_atfork);
	pthread_mutex_lock(&grent_lock);
	r = grent_open_locked();
	pthread_mutex_unlock(&grent_lock);
	return nss_status_of(r, &dummy);
}

enum nss_status
_nss_ecs_saml_getgrent_r(struct group *gr, char *buf, size_t buflen, int *errnop)
{
	int r = 0;

	pthread_once(&walks_atfork_once, register_walks_atfork);
	pthread_mutex_lock(&grent_lock);
	if (grent_snap == NULL)
		r = grent_open_locked();
	if (r == 0 && grent_done)
		r = -ENOENT;
	if (r == 0)
		r = ecs_usermap_pack_group(grent_name, grent_gid, grent_db, gr, buf, buflen);
	if (r == 0)
		r = ecs_nss_others_prune(gr, grent_db);
	if (r == 0)
		grent_done = true;
	pthread_mutex_unlock(&grent_lock);
	return nss_status_of(r, errnop);
}

enum nss_status
_nss_ecs_saml_endgrent(void)
{
	pthread_once(&walks_atfork_once, register_walks_atfork);
	pthread_mutex_lock(&grent_lock);
	ecs_nss_snap_put(grent_snap);
	grent_snap = NULL;
	grent_db = NULL;
	grent_done = false;
	pthread_mutex_unlock(&grent_lock);
	return NSS_STATUS_SUCCESS;
}
