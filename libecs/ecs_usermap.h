/* ecs_usermap.h — the federated-user map: the format, its lookups and its editable set.
 *
 * The map is one root-owned text file, STATE_DIR/usermap, replaced atomically by the helper
 * and read by the NSS module (see ecs-saml-usermap(5) for the format in full):
 *
 *   ecs-saml-usermap 1 USERS RETIRED
 *   i UUUUUUUUUU:NAME:a                  one per user and per tombstone, sorted by UID
 *   i UUUUUUUUUU:NAME:r:REMOVED          (UID zero-padded to 10 digits)
 *   u NAME:UID:GID:GECOS:HOME:SHELL:ORIGIN:FIRST:LAST[:ISSUER]   one per user, sorted by "NAME:"
 *   end
 *
 * ISSUER is the entity ID of the IdP the user first logged in with, percent-encoded
 * (ecs_usermap_issuer_encode): one user name belongs to one IdP. Lines without it (maps
 * written before issuers were recorded, users pinned by hand) are as valid as before; the
 * next login records one (ecs_usermap_record).
 *
 * Every line is ordered bytewise, so a reader binary-searches the bytes it holds without
 * parsing the whole file; each line it touches is parsed strictly with a bounded cursor.
 * Nothing here allocates except the editable set (ecs_usermap_set) the helper uses.
 * Packing a user for NSS is ecs_usermap_pack.h; how a new user's UID is derived,
 * ecs_usermap_uid.h.
 */
#ifndef ECS_USERMAP_H
#define ECS_USERMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "ecs_buf.h"
#include "ecs_names.h"

#define ECS_USERMAP_FILE "usermap"
#define ECS_USERMAP_LOCK "usermap.lock"
#define ECS_USERMAP_MAGIC "ecs-saml-usermap"
#define ECS_USERMAP_TRAILER "end\n"	/* the last line: how a truncated file is told */
#define ECS_USERMAP_VERSION 1
#define ECS_USERMAP_MAX_SIZE (64u << 20)	/* bytes in the file */
#define ECS_USERMAP_MAX_ENTRIES 1000000u	/* users, and separately tombstones */
#define ECS_USERMAP_FIELD_MAX 255	/* GECOS, home, shell */
#define ECS_USERMAP_ISSUER_MAX 256	/* bytes of an issuer (entity ID), decoded */
/* encoded, every byte may take three */
#define ECS_USERMAP_ISSUER_ENC_MAX (3 * ECS_USERMAP_ISSUER_MAX)
#define ECS_USERMAP_LINE_MAX 2048	/* longest valid line, newline excluded */

/* How a user's UID was chosen. */
enum ecs_usermap_origin {
	ECS_USERMAP_DERIVED = 'd',	/* the versioned hash of the name (ecs_usermap_uid.h) */
	ECS_USERMAP_PINNED = 'p',	/* set by an administrator */
};

struct ecs_usermap_user {
	char name[ECS_NAME_USER_MAX + 1];
	uint32_t uid;
	uint32_t gid;
	char gecos[ECS_USERMAP_FIELD_MAX + 1];
	char home[ECS_USERMAP_FIELD_MAX + 1];
	char shell[ECS_USERMAP_FIELD_MAX + 1];
	char origin;			/* enum ecs_usermap_origin */
	int64_t first_login;		/* Unix seconds; 0 = never (pinned by hand) */
	int64_t last_login;
	char issuer[ECS_USERMAP_ISSUER_MAX + 1];	/* its IdP's entity ID; "" = none yet */
};

/* One line of the UID index: an active user or a tombstone (a UID never handed out again). */
struct ecs_usermap_uidref {
	uint32_t uid;
	char name[ECS_NAME_USER_MAX + 1];
	bool retired;
	int64_t removed;		/* when retired; 0 otherwise */
};

/* A checked, read-only view over a map image held by the caller (borrowed, not copied). */
struct ecs_usermap {
	const char *data;
	size_t len;
	size_t idx_begin, idx_end;	/* the "i " lines */
	size_t usr_begin, usr_end;	/* the "u " lines */
	uint32_t nusers, nretired;
};

/* Check the header, the trailer, the section layout and the line counts of data[len].
 * 0 or -EBADMSG (corrupt or truncated), -EPROTONOSUPPORT (another format version),
 * -EFBIG (over ECS_USERMAP_MAX_SIZE). */
int ecs_usermap_open(struct ecs_usermap *db, const void *data, size_t len);

/* Lookups: 0, -ENOENT, or -EBADMSG when a line touched is malformed or the two sections
 * disagree. find_uid reports tombstones too (ref->retired); for a live user it also fills
 * *u when u is not NULL (the entry it read to cross-check the index). */
int ecs_usermap_find_name(const struct ecs_usermap *db, const char *name, struct ecs_usermap_user *u);
int ecs_usermap_find_uid(const struct ecs_usermap *db, uint32_t uid, struct ecs_usermap_uidref *ref,
			struct ecs_usermap_user *u);

/* Walk the users in name order. *cursor starts at 0; 0 with *u filled, -ENOENT at the end,
 * -EBADMSG. The cursor only moves on success. */
int ecs_usermap_next_user(const struct ecs_usermap *db, size_t *cursor, struct ecs_usermap_user *u);

/* Parse one line (without its newline) of either kind. 0 or -EBADMSG. */
int ecs_usermap_parse_user(const char *line, size_t len, struct ecs_usermap_user *u);
int ecs_usermap_parse_uidref(const char *line, size_t len, struct ecs_usermap_uidref *ref);

/* true if u holds a storable user: valid name, GECOS of printable bytes without ':' or '\\',
 * absolute home and shell of [A-Za-z0-9._/-] without "..", a known origin, an issuer that
 * is empty or of at most ECS_USERMAP_ISSUER_MAX bytes without control characters. */
bool ecs_usermap_user_ok(const struct ecs_usermap_user *u);

/* true if issuer can be recorded as a user's IdP (see ecs_usermap_user_ok). */
bool ecs_usermap_issuer_ok(const char *issuer);

/* The ISSUER field of a "u" line: bytes of URI syntax other than ':' and '%' as they are,
 * every other byte as %XX (upper-case hex), so the field never holds the separator and
 * has exactly one spelling. out has room for ECS_USERMAP_ISSUER_ENC_MAX + 1 bytes.
 * 0 or -EINVAL (!ecs_usermap_issuer_ok). */
int ecs_usermap_issuer_encode(const char *issuer, char out[ECS_USERMAP_ISSUER_ENC_MAX + 1]);

/* Turn an IdP display name into a storable GECOS: bytes outside the printable set, ':' and
 * '\\' become '_', the result is cut to ECS_USERMAP_FIELD_MAX (at a UTF-8 boundary). */
void ecs_usermap_gecos_from(const char *display, char out[ECS_USERMAP_FIELD_MAX + 1]);

/* A new user as the first-login rule makes it: uid, gid, home from home_tmpl, shell, empty
 * GECOS, ECS_USERMAP_DERIVED, no logins yet. 0 or -EINVAL (the result is not storable). */
int ecs_usermap_fill_new(const char *name, uint32_t uid, uint32_t gid, const char *home_tmpl,
			const char *shell, struct ecs_usermap_user *u);

/* The editable form used by the helper to rewrite the map. */
struct ecs_usermap_set {
	struct ecs_usermap_user *users;
	size_t nusers, capusers;
	struct ecs_usermap_uidref *retired;
	size_t nretired, capretired;
};

/* Load every line of db into an empty set. 0, -EBADMSG, -E2BIG or -ENOMEM.
 * Release with ecs_usermap_set_free. */
int ecs_usermap_set_load(struct ecs_usermap_set *s, const struct ecs_usermap *db);

/* Index of the user called name, or -1. */
long ecs_usermap_set_find(const struct ecs_usermap_set *s, const char *name);

/* The name holding uid (active user or tombstone), or NULL. */
const char *ecs_usermap_set_uid_owner(const struct ecs_usermap_set *s, uint32_t uid, bool *retired);

/* Append a user / a tombstone (no uniqueness check: ecs_usermap_serialize does that).
 * 0, -E2BIG or -ENOMEM. */
int ecs_usermap_set_add_user(struct ecs_usermap_set *s, const struct ecs_usermap_user *u);
int ecs_usermap_set_add_retired(struct ecs_usermap_set *s, const struct ecs_usermap_uidref *r);

/* Remove the user at index i (order not kept). */
void ecs_usermap_set_del_user(struct ecs_usermap_set *s, size_t i);

/* Sort s and render the whole map into out. 0, -EINVAL (an invalid user),
 * -ECS_ECOLLISION (two names or two UIDs the same), -E2BIG or -ENOMEM. */
int ecs_usermap_serialize(struct ecs_usermap_set *s, struct ecs_buf *out);

void ecs_usermap_set_free(struct ecs_usermap_set *s);

#endif
