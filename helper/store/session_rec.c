/* session_rec.c — which PAM session owns which credential directory, for gc. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ecs_buf.h"
#include "ecs_kvrec.h"
#include "ecs_names.h"
#include "ecs_proc.h"
#include "ecs_safefile.h"
#include "ecs_str.h"
#include "session_rec.h"
#include "spool.h"

#define REC_MAGIC "ecs-saml-session 1"
#define REC_MAX 1024

enum { K_USER, K_UID, K_GID, K_PID, K_START, K_COUNT };

static const char *const keys[K_COUNT] = { "user", "uid", "gid", "pid", "start" };

int
ecs_session_rec_put(const char *spool, const char *user, uid_t uid, gid_t gid, pid_t pid,
		    char tag[ECS_NAME_TOKEN_LEN + 1])
{
	struct ecs_buf body;
	unsigned long long start;
	int dfd = -1;
	int r;

	tag[0] = '\0';
	ecs_buf_init(&body, REC_MAX);
	if (!ecs_name_user_ok(user))
		return -EINVAL;
	r = ecs_proc_start_time(pid, &start);
	if (r == 0)
		r = ecs_buf_printf(&body, REC_MAGIC "\nuser=%s\nuid=%u\ngid=%u\npid=%ld\nstart=%llu\n",
				   user, (unsigned)uid, (unsigned)gid, (long)pid, start);
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
read_rec(int dfd, const char *tag, struct ecs_session_rec *s)
{
	struct ecs_buf raw;
	char *v[K_COUNT];
	uint64_t uid, gid, pid, start;
	int r;

	memset(s, 0, sizeof(*s));
	ecs_buf_init(&raw, REC_MAX);
	r = ecs_safe_read_at(dfd, tag, 0, REC_MAX, &raw, NULL);
	if (r == 0)
		r = ecs_kvrec_parse((const char *)raw.data, raw.len, REC_MAGIC, keys, K_COUNT, v);
	ecs_buf_free(&raw);
	if (r < 0)
		return r;
	if (!ecs_name_user_ok(v[K_USER]) || ecs_parse_u64(v[K_UID], 1, UINT32_MAX - 1, &uid) < 0 ||
	    ecs_parse_u64(v[K_GID], 0, UINT32_MAX - 1, &gid) < 0 ||
	    ecs_parse_u64(v[K_PID], 1, INT32_MAX, &pid) < 0 ||
	    ecs_parse_u64(v[K_START], 0, UINT64_MAX, &start) < 0) {
		ecs_kvrec_free(v, K_COUNT);
		return -EBADMSG;
	}
	ecs_strlcpy(s->tag, tag, sizeof(s->tag));
	s->user = v[K_USER];
	v[K_USER] = NULL;	/* moved into s */
	s->uid = (uid_t)uid;
	s->gid = (gid_t)gid;
	s->pid = (pid_t)pid;
	s->start = start;
	ecs_kvrec_free(v, K_COUNT);
	return 0;
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
	free(s.user);
	ecs_close(&dfd);
	return r;
}

bool
ecs_session_rec_alive(const struct ecs_session_rec *s)
{
	unsigned long long start;

	return ecs_proc_start_time(s->pid, &start) == 0 && start == s->start;
}

int
ecs_session_rec_sweep(const char *spool, int (*reap)(const struct ecs_session_rec *s, void *ctx),
		      void *ctx, unsigned *removed)
{
	struct ecs_session_rec s;
	struct dirent *de;
	DIR *d = NULL;
	int dfd = -1;
	unsigned n = 0;
	int r;

	r = ecs_spool_opendir(spool, ECS_SESSION_SUB, &dfd, &d);
	if (r < 0)
		goto out;
	while ((de = readdir(d)) != NULL) {
		bool drop;
		int rr;

		if (!ecs_name_token_ok(de->d_name))
			continue;
		/* Only a corrupt record goes unreaped: one that could not be read now (a
		 * refused owner or mode, a full descriptor table, EIO) may still be the only
		 * pointer to live credentials, so it stays for the next run. */
		rr = read_rec(dfd, de->d_name, &s);
		if (rr == -EBADMSG)
			drop = true;
		else
			drop = rr == 0 && !ecs_session_rec_alive(&s) && reap(&s, ctx) == 0;
		free(s.user);
		if (drop && unlinkat(dfd, de->d_name, 0) == 0)
			n++;
	}
out:
	if (d != NULL)
		closedir(d);
	ecs_close(&dfd);
	if (removed != NULL)
		*removed = n;
	return r;
}

int
ecs_session_rec_count(const char *spool, uid_t uid, unsigned *n)
{
	struct ecs_session_rec s;
	struct dirent *de;
	DIR *d = NULL;
	int dfd = -1;
	int r;

	*n = 0;
	r = ecs_spool_opendir(spool, ECS_SESSION_SUB, &dfd, &d);
	if (r < 0)
		goto out;
	while ((de = readdir(d)) != NULL) {
		if (!ecs_name_token_ok(de->d_name))
			continue;
		if (read_rec(dfd, de->d_name, &s) < 0 || s.uid == uid)
			(*n)++;
		free(s.user);
	}
out:
	if (d != NULL)
		closedir(d);
	ecs_close(&dfd);
	return r;
}
