/* ecs_usermap.c — the federated-user map format, read side: checked view, line parsers,
 * binary search over the sorted lines, the rules for a storable user. The writer is
 * ecs_usermap_set.c, packing into NSS buffers ecs_usermap_pack.c, UIDs ecs_usermap_uid.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecs_err.h"
#include "ecs_names.h"
#include "ecs_str.h"
#include "ecs_usermap.h"

#define HEADER_MAX 64
#define UID_DIGITS 10

/* A bounded cursor over one line: fields are cut at ':' and never read past end. */
struct cur {
	const char *p;
	const char *end;
};

/* Copy the next field (up to ':' or the end of the line) into out[outsz], consuming the
 * separator. -EBADMSG if it does not fit or if a separator was required but absent. */
static int
cur_field(struct cur *c, char *out, size_t outsz, int last)
{
	const char *sep = memchr(c->p, ':', (size_t)(c->end - c->p));
	const char *stop = sep ? sep : c->end;
	size_t n = (size_t)(stop - c->p);

	if (last ? sep != NULL : sep == NULL)
		return -EBADMSG;
	if (n >= outsz)
		return -EBADMSG;
	memcpy(out, c->p, n);
	out[n] = '\0';
	c->p = sep ? sep + 1 : c->end;
	return 0;
}

static int
cur_u64(struct cur *c, uint64_t max, int last, uint64_t *v)
{
	char tmp[21];
	int r;

	r = cur_field(c, tmp, sizeof(tmp), last);
	if (r < 0)
		return r;
	return ecs_parse_u64(tmp, 0, max, v) < 0 ? -EBADMSG : 0;
}

static bool
path_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > ECS_USERMAP_FIELD_MAX || s[0] != '/')
		return false;
	if (strstr(s, "..") != NULL)
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/-") == n;
}

/* GECOS bytes: printable ASCII and UTF-8 continuation/lead bytes; never ':' (the passwd
 * separator) or '\\' (escapes in some consumers) or a control character. */
static bool
gecos_byte_ok(unsigned char ch)
{
	if (ch == ':' || ch == '\\' || ch == 0x7f)
		return false;
	return ch >= 0x20;
}

static bool
gecos_ok(const char *s)
{
	size_t n = strlen(s);
	size_t i;

	if (n > ECS_USERMAP_FIELD_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!gecos_byte_ok((unsigned char)s[i]))
			return false;
	return true;
}

/* The bytes an encoded issuer holds as they are: URI syntax (RFC 3986) without ':' (the
 * field separator) and '%' (the escape). */
static bool
issuer_plain(unsigned char ch)
{
	return ch != '\0' && ch < 0x80 &&
	       strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
		      "-._~/?#[]@!$&'()*+,;=", ch) != NULL;
}

bool
ecs_usermap_issuer_ok(const char *issuer)
{
	size_t n = strlen(issuer);

	if (n > ECS_USERMAP_ISSUER_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)issuer[i] < 0x20 || issuer[i] == 0x7f)
			return false;
	return true;
}

int
ecs_usermap_issuer_encode(const char *issuer, char out[ECS_USERMAP_ISSUER_ENC_MAX + 1])
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;

	out[0] = '\0';
	if (!ecs_usermap_issuer_ok(issuer))
		return -EINVAL;
	for (const unsigned char *p = (const unsigned char *)issuer; *p != '\0'; p++) {
		if (issuer_plain(*p)) {
			out[o++] = (char)*p;
			continue;
		}
		out[o++] = '%';
		out[o++] = hex[*p >> 4];
		out[o++] = hex[*p & 15];
	}
	out[o] = '\0';
	return 0;
}

static int
hex_val(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;	/* lower case too: one spelling per issuer */
}

/* The inverse of ecs_usermap_issuer_encode, accepting only what it produces. */
static int
issuer_decode(const char *enc, char out[ECS_USERMAP_ISSUER_MAX + 1])
{
	size_t o = 0;
	int hi, lo;

	for (const char *p = enc; *p != '\0'; p++) {
		if (o == ECS_USERMAP_ISSUER_MAX)
			return -EBADMSG;
		if (*p != '%') {
			if (!issuer_plain((unsigned char)*p))
				return -EBADMSG;
			out[o++] = *p;
			continue;
		}
		hi = hex_val(p[1]);
		lo = hi < 0 ? -1 : hex_val(p[2]);
		if (lo < 0 || issuer_plain((unsigned char)(hi << 4 | lo)) || (hi << 4 | lo) == 0)
			return -EBADMSG;
		out[o++] = (char)(hi << 4 | lo);
		p += 2;
	}
	out[o] = '\0';
	return o > 0 && ecs_usermap_issuer_ok(out) ? 0 : -EBADMSG;
}

bool
ecs_usermap_user_ok(const struct ecs_usermap_user *u)
{
	/* UID/GID 0 would hand out root; (uid_t)-1 means "unchanged" to the kernel. */
	if (!ecs_name_user_ok(u->name) || u->uid == 0 || u->uid == UINT32_MAX || u->gid == 0 ||
	    u->gid == UINT32_MAX)
		return false;
	if (u->origin != ECS_USERMAP_DERIVED && u->origin != ECS_USERMAP_PINNED)
		return false;
	if (u->first_login < 0 || u->last_login < 0 || !ecs_usermap_issuer_ok(u->issuer))
		return false;
	return gecos_ok(u->gecos) && path_ok(u->home) && path_ok(u->shell);
}

int
ecs_usermap_parse_user(const char *line, size_t len, struct ecs_usermap_user *u)
{
	struct cur c = { line, line + len };
	char enc[ECS_USERMAP_ISSUER_ENC_MAX + 1];
	char origin[2];
	bool more;
	uint64_t v;

	memset(u, 0, sizeof(*u));
	if (len > ECS_USERMAP_LINE_MAX || len < 2 || memcmp(line, "u ", 2) != 0)
		return -EBADMSG;
	c.p += 2;
	if (cur_field(&c, u->name, sizeof(u->name), 0) < 0)
		return -EBADMSG;
	if (cur_u64(&c, UINT32_MAX, 0, &v) < 0)
		return -EBADMSG;
	u->uid = (uint32_t)v;
	if (cur_u64(&c, UINT32_MAX, 0, &v) < 0)
		return -EBADMSG;
	u->gid = (uint32_t)v;
	if (cur_field(&c, u->gecos, sizeof(u->gecos), 0) < 0 ||
	    cur_field(&c, u->home, sizeof(u->home), 0) < 0 ||
	    cur_field(&c, u->shell, sizeof(u->shell), 0) < 0 ||
	    cur_field(&c, origin, sizeof(origin), 0) < 0)
		return -EBADMSG;
	u->origin = origin[0];
	if (cur_u64(&c, INT64_MAX, 0, &v) < 0)
		return -EBADMSG;
	u->first_login = (int64_t)v;
	/* LAST ends the line of a map from before issuers were recorded */
	more = memchr(c.p, ':', (size_t)(c.end - c.p)) != NULL;
	if (cur_u64(&c, INT64_MAX, !more, &v) < 0)
		return -EBADMSG;
	u->last_login = (int64_t)v;
	if (more && (cur_field(&c, enc, sizeof(enc), 1) < 0 || issuer_decode(enc, u->issuer) < 0))
		return -EBADMSG;
	return ecs_usermap_user_ok(u) ? 0 : -EBADMSG;
}

int
ecs_usermap_parse_uidref(const char *line, size_t len, struct ecs_usermap_uidref *ref)
{
	struct cur c = { line, line + len };
	char state[2];
	uint64_t v;
	size_t i;

	memset(ref, 0, sizeof(*ref));
	if (len > ECS_USERMAP_LINE_MAX || len < 2 + UID_DIGITS + 1 || memcmp(line, "i ", 2) != 0)
		return -EBADMSG;
	/* Fixed width so that bytewise order is numeric order. */
	for (i = 2; i < 2 + UID_DIGITS; i++)
		if (line[i] < '0' || line[i] > '9')
			return -EBADMSG;
	if (line[2 + UID_DIGITS] != ':')
		return -EBADMSG;
	c.p += 2;
	if (cur_u64(&c, UINT32_MAX - 1, 0, &v) < 0 || v == 0)
		return -EBADMSG;
	ref->uid = (uint32_t)v;
	if (cur_field(&c, ref->name, sizeof(ref->name), 0) < 0 || !ecs_name_user_ok(ref->name))
		return -EBADMSG;
	if (c.p < c.end && c.end - c.p == 1 && *c.p == 'a') {
		ref->retired = false;
		return 0;
	}
	if (cur_field(&c, state, sizeof(state), 0) < 0 || strcmp(state, "r") != 0)
		return -EBADMSG;
	if (cur_u64(&c, INT64_MAX, 1, &v) < 0)
		return -EBADMSG;
	ref->retired = true;
	ref->removed = (int64_t)v;
	return 0;
}

/* Count the lines of d[b, e) (each ends with '\n') that start with prefix; -EBADMSG if one
 * does not or if one is longer than any valid line. */
static int
count_lines(const char *d, size_t b, size_t e, const char *prefix, uint64_t *n)
{
	size_t plen = strlen(prefix);
	const char *nl;

	*n = 0;
	while (b < e) {
		nl = memchr(d + b, '\n', e - b);
		if (nl == NULL)
			return -EBADMSG;
		if ((size_t)(nl - (d + b)) < plen || memcmp(d + b, prefix, plen) != 0 ||
		    (size_t)(nl - (d + b)) > ECS_USERMAP_LINE_MAX)
			return -EBADMSG;
		(*n)++;
		b = (size_t)(nl - d) + 1;
	}
	return 0;
}

static int
parse_header(const char *d, size_t len, size_t *hdr_end, uint64_t *nu, uint64_t *nr)
{
	char hdr[HEADER_MAX + 1];
	char *f[4];
	char *save = NULL;
	const char *nl = memchr(d, '\n', len < HEADER_MAX ? len : HEADER_MAX);
	uint64_t ver;
	unsigned i;

	if (nl == NULL)
		return -EBADMSG;
	memcpy(hdr, d, (size_t)(nl - d));
	hdr[nl - d] = '\0';
	*hdr_end = (size_t)(nl - d) + 1;
	for (i = 0; i < 4; i++) {
		f[i] = strtok_r(i == 0 ? hdr : NULL, " ", &save);
		if (f[i] == NULL)
			return -EBADMSG;
	}
	if (strtok_r(NULL, " ", &save) != NULL || strcmp(f[0], ECS_USERMAP_MAGIC) != 0)
		return -EBADMSG;
	if (ecs_parse_u64(f[1], 0, UINT32_MAX, &ver) < 0)
		return -EBADMSG;
	if (ver != ECS_USERMAP_VERSION)
		return -EPROTONOSUPPORT;
	if (ecs_parse_u64(f[2], 0, ECS_USERMAP_MAX_ENTRIES, nu) < 0 ||
	    ecs_parse_u64(f[3], 0, ECS_USERMAP_MAX_ENTRIES, nr) < 0)
		return -EBADMSG;
	return 0;
}

int
ecs_usermap_open(struct ecs_usermap *db, const void *data, size_t len)
{
	const char *d = data;
	const char *u;
	size_t hdr_end, body_end;
	uint64_t nu, nr, n;
	int r;

	memset(db, 0, sizeof(*db));
	if (len > ECS_USERMAP_MAX_SIZE)
		return -EFBIG;
	r = parse_header(d, len, &hdr_end, &nu, &nr);
	if (r < 0)
		return r;
	/* The trailer is how a truncated file is told from a short one. */
	if (len < hdr_end + strlen(ECS_USERMAP_TRAILER) ||
	    memcmp(d + len - 4, ECS_USERMAP_TRAILER, 4) != 0 ||
	    d[len - 5] != '\n')
		return -EBADMSG;
	body_end = len - 4;
	/* The "i " lines come first; the first line starting "u " begins the users. */
	u = d + hdr_end;
	if (body_end - hdr_end >= 2 && memcmp(u, "u ", 2) == 0) {
		db->usr_begin = hdr_end;
	} else {
		u = memmem(d + hdr_end - 1, body_end - hdr_end + 1, "\nu ", 3);
		db->usr_begin = u ? (size_t)(u - d) + 1 : body_end;
	}
	db->idx_begin = hdr_end;
	db->idx_end = db->usr_begin;
	db->usr_end = body_end;
	r = count_lines(d, db->idx_begin, db->idx_end, "i ", &n);
	if (r < 0 || n != nu + nr)
		return -EBADMSG;
	r = count_lines(d, db->usr_begin, db->usr_end, "u ", &n);
	if (r < 0 || n != nu)
		return -EBADMSG;
	db->data = d;
	db->len = len;
	db->nusers = (uint32_t)nu;
	db->nretired = (uint32_t)nr;
	return 0;
}

/* Binary search of the sorted lines in d[lo, hi) for the one starting with key. Every line
 * ends with '\n' (ecs_usermap_open checked it). On success [*ls, *le) is the line. */
static int
search(const char *d, size_t lo, size_t hi, const char *key, size_t klen, size_t *ls, size_t *le)
{
	size_t mid, s, e, n;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		s = mid;
		while (s > lo && d[s - 1] != '\n')
			s--;
		e = (size_t)((const char *)memchr(d + s, '\n', hi - s) - d);
		n = e - s;
		c = memcmp(key, d + s, n < klen ? n : klen);
		if (c == 0 && n < klen)
			c = 1;
		if (c == 0) {
			*ls = s;
			*le = e;
			return 0;
		}
		if (c < 0)
			hi = s;
		else
			lo = e + 1;
	}
	return -ENOENT;
}

int
ecs_usermap_find_name(const struct ecs_usermap *db, const char *name, struct ecs_usermap_user *u)
{
	char key[ECS_NAME_USER_MAX + 4];
	size_t ls, le;
	int r;

	if (!ecs_name_user_ok(name))
		return -ENOENT;
	snprintf(key, sizeof(key), "u %s:", name);
	r = search(db->data, db->usr_begin, db->usr_end, key, strlen(key), &ls, &le);
	if (r < 0)
		return r;
	return ecs_usermap_parse_user(db->data + ls, le - ls, u);
}

int
ecs_usermap_find_uid(const struct ecs_usermap *db, uint32_t uid, struct ecs_usermap_uidref *ref,
		    struct ecs_usermap_user *u)
{
	char key[2 + UID_DIGITS + 2];
	struct ecs_usermap_user own;
	size_t ls, le;
	int r;

	snprintf(key, sizeof(key), "i %010u:", uid);
	r = search(db->data, db->idx_begin, db->idx_end, key, strlen(key), &ls, &le);
	if (r < 0)
		return r;
	r = ecs_usermap_parse_uidref(db->data + ls, le - ls, ref);
	if (r < 0 || ref->retired)
		return r;
	/* The two sections must agree, or the map is corrupt. */
	if (u == NULL)
		u = &own;
	r = ecs_usermap_find_name(db, ref->name, u);
	if (r < 0 || u->uid != uid)
		return -EBADMSG;
	return 0;
}

int
ecs_usermap_next_user(const struct ecs_usermap *db, size_t *cursor, struct ecs_usermap_user *u)
{
	size_t s = *cursor < db->usr_begin ? db->usr_begin : *cursor;
	const char *nl;
	int r;

	if (s >= db->usr_end)
		return -ENOENT;
	nl = memchr(db->data + s, '\n', db->usr_end - s);
	if (nl == NULL)
		return -EBADMSG;
	r = ecs_usermap_parse_user(db->data + s, (size_t)(nl - (db->data + s)), u);
	if (r < 0)
		return r;
	*cursor = (size_t)(nl - db->data) + 1;
	return 0;
}

/* Expand a home template: "%u" is the name, "%%" a percent sign; the result must be a valid
 * home (see ecs_usermap_user_ok). 0, -EINVAL or -ENAMETOOLONG. */
static int
ecs_usermap_expand_home(const char *tmpl, const char *name, char *out, size_t outsz)
{
	const char *piece;
	size_t o = 0;
	size_t n;
	const char *s;

	for (s = tmpl; *s != '\0'; s++) {
		piece = s;
		n = 1;
		if (*s == '%') {
			s++;
			if (*s == 'u') {
				piece = name;
				n = strlen(name);
			} else if (*s != '%') {
				return -EINVAL;	/* also a lone '%' at the end */
			}
		}
		if (o + n >= outsz)
			return -ENAMETOOLONG;
		memcpy(out + o, piece, n);
		o += n;
	}
	out[o] = '\0';
	return path_ok(out) ? 0 : -EINVAL;
}

int
ecs_usermap_fill_new(const char *name, uint32_t uid, uint32_t gid, const char *home_tmpl,
		    const char *shell, struct ecs_usermap_user *u)
{
	int r;

	memset(u, 0, sizeof(*u));
	if (ecs_strlcpy(u->name, name, sizeof(u->name)) < 0 ||
	    ecs_strlcpy(u->shell, shell, sizeof(u->shell)) < 0)
		return -EINVAL;
	r = ecs_usermap_expand_home(home_tmpl, name, u->home, sizeof(u->home));
	if (r < 0)
		return -EINVAL;
	u->uid = uid;
	u->gid = gid;
	u->origin = ECS_USERMAP_DERIVED;
	return ecs_usermap_user_ok(u) ? 0 : -EINVAL;
}

void
ecs_usermap_gecos_from(const char *display, char out[ECS_USERMAP_FIELD_MAX + 1])
{
	size_t i;
	size_t n = 0;

	for (i = 0; display[i] != '\0' && n < ECS_USERMAP_FIELD_MAX; i++)
		out[n++] = gecos_byte_ok((unsigned char)display[i]) ? display[i] : '_';
	/* Never end inside a UTF-8 sequence: back off over a cut lead/continuation run. */
	if (display[i] != '\0') {
		while (n > 0 && ((unsigned char)out[n - 1] & 0xc0) == 0x80)
			n--;
		if (n > 0 && ((unsigned char)out[n - 1] & 0xc0) == 0xc0)
			n--;
	}
	out[n] = '\0';
}
