/* session_rec.c — which PAM session owns which credential directory, for gc. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ecs_buf.h"
#include "ecs_kvrec.h"
#include "ecs_names.h"
#include "ecs_proc.h"
#include "ecs_safefile.h"
#include "ecs_str.h"
#include "session_rec.h"
#include "spool.h"

#define REC_MAGIC_V1 "ecs-saml-session 1"
#define REC_MAGIC "ecs-saml-session 2"
#define REC_MAX 2048
#define FIELD_MAX 512

enum {
	K_USER, K_UID, K_GID, K_PID, K_START, K_V1_COUNT = K_START + 1,
	K_OPENED = K_V1_COUNT, K_SERVICE, K_RHOST, K_ROLE, K_AKID, K_SRCID, K_EXPIRATION, K_COUNT
};

static const char *const keys[K_COUNT] = {
	"user", "uid", "gid", "pid", "start", "opened", "service", "rhost", "role",
	"access_key_id", "source_identity", "expiration",
};

/* A value the record can hold and `sessions` can print as it is: 1..FIELD_MAX printable
 * ASCII characters, no space, quote or backslash (so that a JSON string or a column needs no
 * escaping), else "-". rhost comes from the PAM application and may be anything. */
static const char *
field(const char *v)
{
	size_t n = 0;

	if (v == NULL || v[0] == '\0')
		return "-";
	for (; v[n] != '\0'; n++)
		if (v[n] <= 0x20 || v[n] >= 0x7f || v[n] == '"' || v[n] == '\\' || n >= FIELD_MAX)
			return "-";
	return v;
}

static int
render(struct ecs_buf *body, const struct ecs_session_rec *s)
{
	return ecs_buf_printf(body, REC_MAGIC "\nuser=%s\nuid=%u\ngid=%u\npid=%ld\nstart=%llu\n"
			      "opened=%lld\nservice=%s\nrhost=%s\nrole=%s\naccess_key_id=%s\n"
			      "source_identity=%s\nexpiration=%lld\n", s->user, (unsigned)s->uid,
			      (unsigned)s->gid, (long)s->pid, s->start, (long long)s->opened,
			      field(s->service), field(s->rhost), field(s->role),
			      field(s->access_key_id), field(s->source_identity),
			      (long long)s->expiration);
}

void
ecs_session_rec_free(struct ecs_session_rec *s)
{
	free(s->user);
	free(s->service);
	free(s->rhost);
	free(s->role);
	free(s->access_key_id);
	free(s->source_identity);
	memset(s, 0, sizeof(*s));
}

int
ecs_session_rec_put(const char *spool, const char *user, uid_t uid, gid_t gid, pid_t pid,
		    const struct ecs_session_info *info, char tag[ECS_NAME_TOKEN_LEN + 1])
{
	struct ecs_session_rec s = {
		.user = (char *)user, .uid = uid, .gid = gid, .pid = pid, .opened = time(NULL),
		.service = info ? (char *)info->service : NULL,
		.rhost = info ? (char *)info->rhost : NULL,
		.role = info ? (char *)info->role : NULL,
	};
	struct ecs_buf body;
	int dfd = -1;
	int r;

	tag[0] = '\0';
	ecs_buf_init(&body, REC_MAX);
	if (!ecs_name_user_ok(user))
		return -EINVAL;
	r = ecs_proc_start_time(pid, &s.start);
	if (r == 0)
		r = render(&body, &s);
	if (r == 0)
		r = ecs_spool_new_id(tag);
	if (r == 0)
		r = ecs_spool_open(spool, ECS_SESSION_SUB, &dfd);
	if (r == 0)
		r = ecs_safe_create_excl(dfd, tag, body.data, body.len, 0600);
	if (r < 0)
		tag[0] = '\0';
	ecs_buf_free(&body);
	ecs_close(&dfd);
	return r;
}

static int
parse_time(const char *v, time_t *out)
{
	uint64_t t;

	if (ecs_parse_u64(v, 0, INT64_MAX, &t) < 0)
		return -EBADMSG;
	*out = (time_t)t;
	return 0;
}

/* Take value v[k] into *dst ("-" stays "-"). */
static void
take(char **v, int k, char **dst)
{
	*dst = v[k];
	v[k] = NULL;
}

static int
read_rec(int dfd, const char *tag, struct ecs_session_rec *s)
{
	struct ecs_buf raw;
	char *v[K_COUNT] = { 0 };
	uint64_t uid, gid, pid, start;
	int r;

	memset(s, 0, sizeof(*s));
	ecs_buf_init(&raw, REC_MAX);
	r = ecs_safe_read_at(dfd, tag, 0, REC_MAX, &raw, NULL);
	if (r == 0)
		r = ecs_kvrec_parse((const char *)raw.data, raw.len, REC_MAGIC, keys, K_COUNT, v);
	if (r == -EBADMSG)	/* a record an older helper wrote */
		r = ecs_kvrec_parse((const char *)raw.data, raw.len, REC_MAGIC_V1, keys,
				    K_V1_COUNT, v);
	ecs_buf_free(&raw);
	if (r < 0)
		return r;
	if (!ecs_name_user_ok(v[K_USER]) || ecs_parse_u64(v[K_UID], 1, UINT32_MAX - 1, &uid) < 0 ||
	    ecs_parse_u64(v[K_GID], 0, UINT32_MAX - 1, &gid) < 0 ||
	    ecs_parse_u64(v[K_PID], 1, INT32_MAX, &pid) < 0 ||
	    ecs_parse_u64(v[K_START], 0, UINT64_MAX, &start) < 0 ||
	    (v[K_OPENED] != NULL && (parse_time(v[K_OPENED], &s->opened) < 0 ||
				    parse_time(v[K_EXPIRATION], &s->expiration) < 0))) {
		ecs_kvrec_free(v, K_COUNT);
		memset(s, 0, sizeof(*s));
		return -EBADMSG;
	}
	ecs_strlcpy(s->tag, tag, sizeof(s->tag));
	take(v, K_USER, &s->user);
	take(v, K_SERVICE, &s->service);
	take(v, K_RHOST, &s->rhost);
	take(v, K_ROLE, &s->role);
	take(v, K_AKID, &s->access_key_id);
	take(v, K_SRCID, &s->source_identity);
	s->uid = (uid_t)uid;
	s->gid = (gid_t)gid;
	s->pid = (pid_t)pid;
	s->start = start;
	ecs_kvrec_free(v, K_COUNT);
	return 0;
}

int
ecs_session_rec_set_creds(const char *spool, const char *tag, uid_t uid,
			  const char *access_key_id, const char *source_identity,
			  time_t expiration)
{
	struct ecs_session_rec s = { 0 };
	struct ecs_buf body;
	int dfd = -1;
	int r;

	ecs_buf_init(&body, REC_MAX);
	if (!ecs_name_token_ok(tag) || strcmp(field(access_key_id), "-") == 0)
		return -EINVAL;
	r = ecs_spool_open(spool, ECS_SESSION_SUB, &dfd);
	if (r == 0)
		r = read_rec(dfd, tag, &s);
	if (r == 0 && s.uid != uid)
		r = -EPERM;
	if (r < 0)
		goto out;
	free(s.access_key_id);
	free(s.source_identity);
	s.access_key_id = strdup(access_key_id);
	s.source_identity = strdup(source_identity != NULL ? source_identity : "-");
	s.expiration = expiration;
	if (s.access_key_id == NULL || s.source_identity == NULL)
		r = -ENOMEM;
	if (r == 0)
		r = render(&body, &s);
	if (r == 0)
		r = ecs_safe_write_atomic(dfd, tag, body.data, body.len, 0600);
out:
	ecs_session_rec_free(&s);
	ecs_buf_free(&body);
	ecs_close(&dfd);
	return r;
}

int
ecs_session_rec_remove(const char *spool, const char *tag, uid_t uid)
{
	struct ecs_session_rec s = { 0 };
	int dfd = -1;
	int r;

	if (!ecs_name_token_ok(tag))
		return -EINVAL;
	r = ecs_spool_open(spool, ECS_SESSION_SUB, &dfd);
	if (r == 0)
		r = read_rec(dfd, tag, &s);
	if (r == 0 && s.uid != uid)
		r = -EPERM;
	if (r == 0 && unlinkat(dfd, tag, 0) < 0)
		r = -errno;
	if (r == -ENOENT)
		r = 0;
	ecs_session_rec_free(&s);
	ecs_close(&dfd);
	return r;
}

bool
ecs_session_rec_alive(const struct ecs_session_rec *s)
{
	unsigned long long start;

	return ecs_proc_start_time(s->pid, &start) == 0 && start == s->start;
}

/* Each record of the spool: fn gets its name, what read_rec said of it (0, or -errno with
 * *s empty) and the record. A non-zero return of fn ends the walk and is returned. */
typedef int walk_fn(int dfd, const char *tag, int rr, const struct ecs_session_rec *s,
		    void *ctx);

static int
walk(const char *spool, walk_fn *fn, void *ctx)
{
	struct ecs_session_rec s;
	struct dirent *de;
	DIR *d = NULL;
	int dfd = -1;
	int r;

	r = ecs_spool_opendir(spool, ECS_SESSION_SUB, &dfd, &d);
	while (r == 0 && (de = readdir(d)) != NULL) {
		if (!ecs_name_token_ok(de->d_name))
			continue;
		r = fn(dfd, de->d_name, read_rec(dfd, de->d_name, &s), &s, ctx);
		ecs_session_rec_free(&s);
	}
	if (d != NULL)
		closedir(d);
	ecs_close(&dfd);
	return r;
}

struct sweep {
	int (*reap)(const struct ecs_session_rec *s, void *ctx);
	void *ctx;
	unsigned n;
};

static int
sweep_one(int dfd, const char *tag, int rr, const struct ecs_session_rec *s, void *ctx)
{
	struct sweep *w = ctx;
	bool drop;

	/* Only a corrupt record goes unreaped: one that could not be read now (a refused
	 * owner or mode, a full descriptor table, EIO) may still be the only pointer to live
	 * credentials, so it stays for the next run. */
	if (rr == -EBADMSG)
		drop = true;
	else
		drop = rr == 0 && !ecs_session_rec_alive(s) && w->reap(s, w->ctx) == 0;
	if (drop && unlinkat(dfd, tag, 0) == 0)
		w->n++;
	return 0;
}

int
ecs_session_rec_sweep(const char *spool, int (*reap)(const struct ecs_session_rec *s, void *ctx),
		      void *ctx, unsigned *removed)
{
	struct sweep w = { reap, ctx, 0 };
	int r;

	r = walk(spool, sweep_one, &w);
	if (removed != NULL)
		*removed = w.n;
	return r;
}

struct count {
	uid_t uid;
	unsigned n;
};

/* a record that cannot be read counts: it may be that user's */
static int
count_one(int dfd, const char *tag, int rr, const struct ecs_session_rec *s, void *ctx)
{
	struct count *c = ctx;

	(void)dfd;
	(void)tag;
	if (rr < 0 || s->uid == c->uid)
		c->n++;
	return 0;
}

int
ecs_session_rec_count(const char *spool, uid_t uid, unsigned *n)
{
	struct count c = { uid, 0 };
	int r;

	r = walk(spool, count_one, &c);
	*n = c.n;
	return r;
}

struct each {
	int (*fn)(const struct ecs_session_rec *s, void *ctx);
	void *ctx;
};

static int
each_one(int dfd, const char *tag, int rr, const struct ecs_session_rec *s, void *ctx)
{
	const struct each *e = ctx;

	(void)dfd;
	(void)tag;
	return rr < 0 ? 0 : e->fn(s, e->ctx);
}

int
ecs_session_rec_each(const char *spool, int (*fn)(const struct ecs_session_rec *s, void *ctx),
		     void *ctx)
{
	struct each e = { fn, ctx };

	return walk(spool, each_one, &e);
}
