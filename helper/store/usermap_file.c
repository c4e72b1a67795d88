/* usermap.c — changes to the federated-user map under an exclusive lock, written atomically. */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "ecs_err.h"
#include "ecs_names.h"
#include "ecs_safefile.h"
#include "ecs_usermap_uid.h"
#include "usermap_file.h"

#define MAP_MODE 0644	/* world-readable: every NSS client reads it */
#define PW_BUFSZ 16384	/* first try for getpw*_r; doubled on ERANGE */
#define PW_BUFMAX (1u << 20)	/* an entry bigger than this is refused, not skipped */

static int __attribute__((format(printf, 4, 5)))
say(char *why, size_t whysz, int r, const char *fmt, ...)
{
	va_list ap;

	if (why != NULL && whysz > 0) {
		va_start(ap, fmt);
		vsnprintf(why, whysz, fmt, ap);
		va_end(ap);
	}
	return r;
}

/* A change in progress: the state directory, its lock, and the map loaded into a set. */
struct txn {
	int dfd;
	int lockfd;
	struct ecs_usermap_set set;
};

static void
txn_end(struct txn *t)
{
	ecs_usermap_set_free(&t->set);
	/* closing the lock file descriptor releases the flock */
	ecs_close(&t->lockfd);
	ecs_close(&t->dfd);
}

static int
txn_begin(const struct ecs_conf *c, struct txn *t, char *why, size_t whysz)
{
	struct ecs_buf image;
	struct ecs_usermap db;
	int r;

	t->dfd = -1;
	t->lockfd = -1;
	memset(&t->set, 0, sizeof(t->set));
	ecs_buf_init(&image, ECS_USERMAP_MAX_SIZE);
	r = ecs_safe_open_dir(c->state_dir, 0, &t->dfd);
	if (r < 0) {
		say(why, whysz, r, "state directory %s: %s", c->state_dir, ecs_strerror(r));
		goto out;
	}
	t->lockfd = openat(t->dfd, ECS_USERMAP_LOCK,
			   O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);
	if (t->lockfd < 0 || flock(t->lockfd, LOCK_EX) < 0) {
		r = -errno;
		say(why, whysz, r, "%s/%s: %s", c->state_dir, ECS_USERMAP_LOCK, ecs_strerror(r));
		goto out;
	}
	r = ecs_safe_read_at(t->dfd, ECS_USERMAP_FILE, 0, ECS_USERMAP_MAX_SIZE, &image, NULL);
	if (r == -ENOENT) {
		r = 0;	/* no map yet: start empty */
		goto out;
	}
	if (r == 0)
		r = ecs_usermap_open(&db, image.data, image.len);
	if (r == 0)
		r = ecs_usermap_set_load(&t->set, &db);
	if (r < 0)
		say(why, whysz, r, "%s/%s: %s", c->state_dir, ECS_USERMAP_FILE, ecs_strerror(r));
out:
	ecs_buf_free(&image);
	if (r < 0)
		txn_end(t);
	return r;
}

static int
txn_commit(const struct ecs_conf *c, struct txn *t, char *why, size_t whysz)
{
	struct ecs_buf out;
	int r;

	ecs_buf_init(&out, ECS_USERMAP_MAX_SIZE);
	r = ecs_usermap_serialize(&t->set, &out);
	if (r == 0)
		r = ecs_safe_write_atomic(t->dfd, ECS_USERMAP_FILE, out.data, out.len, MAP_MODE);
	if (r < 0)
		say(why, whysz, r, "writing %s/%s: %s", c->state_dir, ECS_USERMAP_FILE,
		    ecs_strerror(r));
	ecs_buf_free(&out);
	return r;
}

/* getpwnam_r(name) or, with name NULL, getpwuid_r(uid), growing *buf on ERANGE (an entry
 * with a long GECOS is still an entry). *res is NULL when no source knows the account.
 * 0 or -errno: a source that failed (an unreachable LDAP) is an error, not "unknown".
 * ENOENT alone means "unknown": getpwnam(3) notes implementations report a missing entry
 * with it (nss_wrapper does; glibc does when the last source, e.g. this project's module
 * before `users init`, has no database). */
static int
pw_get(const char *name, uid_t uid, struct passwd *pw, char **buf, struct passwd **res)
{
	size_t sz;
	char *p;
	int e;

	for (sz = PW_BUFSZ;; sz *= 2) {
		p = realloc(*buf, sz);
		if (p == NULL)
			return -ENOMEM;
		*buf = p;
		*res = NULL;
		e = name != NULL ? getpwnam_r(name, pw, p, sz, res) : getpwuid_r(uid, pw, p, sz, res);
		if (e == ENOENT) {
			*res = NULL;
			return 0;
		}
		if (e != ERANGE || sz >= PW_BUFMAX)
			return -e;
	}
}

/* Who else on this system answers for uid or name (files, LDAP, ... and our own module,
 * which is harmless: it answers with the same entry we are about to write). Asked on every
 * login, not only the first: an account made later elsewhere under the same name must stop
 * the federated login rather than let it log into that account. A lookup that fails is a
 * refusal too: "could not check" must not read as "no conflict". */
static int
system_conflict(const char *user, uint32_t uid, char *why, size_t whysz)
{
	struct passwd pw;
	struct passwd *res;
	char *buf = NULL;
	int r;

	r = pw_get(NULL, uid, &pw, &buf, &res);
	if (r < 0) {
		say(why, whysz, r,
		    "cannot check whether UID %u for %s is used by another account on this "
		    "system: %s", uid, user, ecs_strerror(r));
		goto out;
	}
	if (res != NULL && strcmp(res->pw_name, user) != 0) {
		r = say(why, whysz, -ECS_ECOLLISION,
			"UID %u for %s is already used by the account %s on this system; "
			"an administrator can pin another: ecs-saml-helper users pin %s UID",
			uid, user, res->pw_name, user);
		goto out;
	}
	r = pw_get(user, 0, &pw, &buf, &res);
	if (r < 0) {
		say(why, whysz, r,
		    "cannot check whether the name %s belongs to another account on this "
		    "system: %s", user, ecs_strerror(r));
		goto out;
	}
	if (res != NULL && res->pw_uid != uid)
		r = say(why, whysz, -ECS_ECOLLISION,
			"the name %s already belongs to an account with UID %u on this system",
			user, (unsigned)res->pw_uid);
out:
	free(buf);
	return r;
}

/* uid must be free in the map (neither a user other than `user` nor any tombstone). */
static int
map_conflict(const struct ecs_usermap_set *s, const char *user, uint32_t uid, const char *how,
	     char *why, size_t whysz)
{
	bool retired = false;
	const char *owner = ecs_usermap_set_uid_owner(s, uid, &retired);

	if (owner == NULL || (!retired && strcmp(owner, user) == 0))
		return 0;
	return say(why, whysz, -ECS_ECOLLISION,
		   "UID %u %s for %s is %s %s; an administrator can pin another: "
		   "ecs-saml-helper users pin %s UID",
		   uid, how, user, retired ? "retired, it last belonged to" : "already held by",
		   owner, user);
}

/* The site's user-name policy (ecs_names.h), as the verifier and the NSS module apply it:
 * the map never holds a name that a login could not produce. */
static int
policy_check(const struct ecs_conf *c, const char *user, char *why, size_t whysz)
{
	struct ecs_name_policy np;
	const char *bad;
	int r;

	r = ecs_name_policy_init(&np, c->user_name_rule, c->user_name_lowercase);
	if (r < 0)
		return say(why, whysz, r, "user_name_rule: %s", ecs_strerror(r));
	bad = ecs_name_policy_refusal(&np, user);
	ecs_name_policy_free(&np);
	/* a name outside the hard rules is not repeated: it may hold anything */
	if (bad != NULL && !ecs_name_user_ok(user))
		return say(why, whysz, -EINVAL, "invalid user name: %s", bad);
	if (bad != NULL)
		return say(why, whysz, -EINVAL, "%s is not a user name this host accepts: %s",
			   user, bad);
	return 0;
}

/* One user name, one IdP: with several IdPs configured (contractors, a lab, the old IdP
 * during a migration), the same name from another IdP is another person, who must not get
 * this account. The issuer is compared as the entity ID it is, byte for byte. */
static int
issuer_conflict(const struct ecs_usermap_user *u, const char *issuer, char *why, size_t whysz)
{
	if (u->issuer[0] == '\0' || strcmp(u->issuer, issuer) == 0)
		return 0;
	return say(why, whysz, -ECS_EREJECT,
		   "%s belongs to the IdP %s, this Response is from %s; an administrator can "
		   "move the user: ecs-saml-helper users move-idp %s %s",
		   u->name, u->issuer, issuer, u->name, issuer);
}

int
ecs_usermap_record(const struct ecs_conf *c, const char *user, const char *issuer,
		   const char *display_name, time_t now, char *why, size_t whysz)
{
	struct ecs_usermap_user u;
	struct txn t;
	uint32_t uid;
	long i;
	int r;

	r = policy_check(c, user, why, whysz);
	if (r < 0)
		return r;
	if (!ecs_usermap_issuer_ok(issuer) || issuer[0] == '\0')
		return say(why, whysz, -EINVAL, "the IdP's entity ID cannot be recorded for %s",
			   user);
	r = txn_begin(c, &t, why, whysz);
	if (r < 0)
		return r;
	i = ecs_usermap_set_find(&t.set, user);
	if (i >= 0) {
		u = t.set.users[i];
		r = issuer_conflict(&u, issuer, why, whysz);
		if (r == 0)
			r = system_conflict(user, u.uid, why, whysz);
		if (r < 0)
			goto out;
	} else {
		r = ecs_usermap_derive_uid(user, c->nss_uid_min, c->nss_uid_max, &uid);
		if (r == 0)
			r = map_conflict(&t.set, user, uid, "derived", why, whysz);
		if (r == 0)
			r = system_conflict(user, uid, why, whysz);
		if (r < 0)
			goto out;
		r = ecs_usermap_fill_new(user, uid, c->nss_gid, c->nss_home, c->nss_shell, &u);
		if (r < 0) {
			say(why, whysz, r, "home or shell template gives an invalid entry for %s",
			    user);
			goto out;
		}
		u.first_login = now;
	}
	u.last_login = now;
	/* a new user, or one recorded before issuers were: this IdP's from now on */
	if (u.issuer[0] == '\0')
		memcpy(u.issuer, issuer, strlen(issuer) + 1);
	if (display_name != NULL && *display_name != '\0')
		ecs_usermap_gecos_from(display_name, u.gecos);
	if (i >= 0)
		t.set.users[i] = u;
	else
		r = ecs_usermap_set_add_user(&t.set, &u);
	if (r == 0)
		r = txn_commit(c, &t, why, whysz);
out:
	txn_end(&t);
	return r;
}

int
ecs_usermap_init(const struct ecs_conf *c, char *why, size_t whysz)
{
	struct txn t;
	int r;

	r = txn_begin(c, &t, why, whysz);
	if (r < 0)
		return r;
	/* rewriting an existing map unchanged is harmless and normalises it */
	r = txn_commit(c, &t, why, whysz);
	txn_end(&t);
	return r;
}

int
ecs_usermap_pin(const struct ecs_conf *c, const char *user, uint32_t uid, time_t now,
		char *why, size_t whysz)
{
	struct ecs_usermap_uidref old = { 0 };
	struct ecs_usermap_user u;
	struct txn t;
	long i;
	int r;

	r = policy_check(c, user, why, whysz);
	if (r < 0)
		return r;
	if (uid < c->nss_uid_min || uid > c->nss_uid_max)
		return say(why, whysz, -ERANGE,
			   "UID %u is outside nss_uid_min..nss_uid_max (%u..%u)",
			   uid, c->nss_uid_min, c->nss_uid_max);
	r = txn_begin(c, &t, why, whysz);
	if (r < 0)
		return r;
	r = map_conflict(&t.set, user, uid, "pinned", why, whysz);
	if (r == 0)
		r = system_conflict(user, uid, why, whysz);
	if (r < 0)
		goto out;
	i = ecs_usermap_set_find(&t.set, user);
	if (i < 0) {
		r = ecs_usermap_fill_new(user, uid, c->nss_gid, c->nss_home, c->nss_shell, &u);
		if (r < 0) {
			say(why, whysz, r, "home or shell template gives an invalid entry for %s",
			    user);
			goto out;
		}
		u.origin = ECS_USERMAP_PINNED;
		r = ecs_usermap_set_add_user(&t.set, &u);
	} else if (t.set.users[i].uid != uid) {
		/* the UID the user leaves behind is retired, never handed out again */
		old.uid = t.set.users[i].uid;
		memcpy(old.name, user, strlen(user) + 1);
		old.removed = now;
		r = ecs_usermap_set_add_retired(&t.set, &old);
		t.set.users[i].uid = uid;
		t.set.users[i].origin = ECS_USERMAP_PINNED;
	} else {
		t.set.users[i].origin = ECS_USERMAP_PINNED;
	}
	if (r == 0)
		r = txn_commit(c, &t, why, whysz);
out:
	txn_end(&t);
	return r;
}

int
ecs_usermap_move_idp(const struct ecs_conf *c, const char *user, const char *issuer,
		     char *why, size_t whysz)
{
	struct txn t;
	long i;
	int r;

	if (!ecs_name_user_ok(user))
		return say(why, whysz, -EINVAL, "invalid user name");
	if (!ecs_usermap_issuer_ok(issuer) || issuer[0] == '\0')
		return say(why, whysz, -EINVAL, "'%s' cannot be recorded as an issuer", issuer);
	r = txn_begin(c, &t, why, whysz);
	if (r < 0)
		return r;
	i = ecs_usermap_set_find(&t.set, user);
	if (i < 0) {
		r = say(why, whysz, -ENOENT, "no user %s in the map", user);
		goto out;
	}
	memcpy(t.set.users[i].issuer, issuer, strlen(issuer) + 1);
	r = txn_commit(c, &t, why, whysz);
out:
	txn_end(&t);
	return r;
}

int
ecs_usermap_remove(const struct ecs_conf *c, const char *user, time_t now, char *why,
		   size_t whysz)
{
	struct ecs_usermap_uidref tomb = { 0 };
	struct txn t;
	long i;
	int r;

	if (!ecs_name_user_ok(user))
		return say(why, whysz, -EINVAL, "invalid user name");
	r = txn_begin(c, &t, why, whysz);
	if (r < 0)
		return r;
	i = ecs_usermap_set_find(&t.set, user);
	if (i < 0) {
		r = say(why, whysz, -ENOENT, "no user %s in the map", user);
		goto out;
	}
	tomb.uid = t.set.users[i].uid;
	memcpy(tomb.name, user, strlen(user) + 1);
	tomb.removed = now;
	r = ecs_usermap_set_add_retired(&t.set, &tomb);
	if (r == 0) {
		ecs_usermap_set_del_user(&t.set, (size_t)i);
		r = txn_commit(c, &t, why, whysz);
	}
out:
	txn_end(&t);
	return r;
}

int
ecs_usermap_read(const struct ecs_conf *c, struct ecs_buf *image, struct ecs_usermap *db,
		 char *why, size_t whysz)
{
	int dfd = -1;
	int r;

	ecs_buf_init(image, ECS_USERMAP_MAX_SIZE);
	r = ecs_safe_open_dir(c->state_dir, 0, &dfd);
	if (r == 0)
		r = ecs_safe_read_at(dfd, ECS_USERMAP_FILE, 0, ECS_USERMAP_MAX_SIZE, image, NULL);
	if (r == 0)
		r = ecs_usermap_open(db, image->data, image->len);
	if (r < 0) {
		say(why, whysz, r, "%s/%s: %s", c->state_dir, ECS_USERMAP_FILE, ecs_strerror(r));
		ecs_buf_free(image);
	}
	ecs_close(&dfd);
	return r;
}
