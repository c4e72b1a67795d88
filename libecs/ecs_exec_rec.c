/* ecs_exec_rec.c — the record of one ECS Exec session (see ecs_exec_rec.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ecs_exec_rec.h"
#include "ecs_kvrec.h"
#include "ecs_safefile.h"
#include "ecs_str.h"

enum { K_ID, K_CLUSTER, K_TASK, K_CONTAINER, K_REGION, K_ENDPOINT, K_PID, K_PID_START, K_UID,
       K_START, K_REASON, K_COUNT };
static const char *const keys[K_COUNT] = { "session_id", "cluster", "task", "container",
					   "region", "ssm_endpoint", "pid", "pid_start", "uid",
					   "start", "reason" };

bool
ecs_exec_session_id_ok(const char *id)
{
	size_t n;

	if (!id)
		return false;
	n = strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_");
	return n > 0 && n <= ECS_EXEC_SESSION_ID_MAX && id[n] == 0;
}

bool
ecs_exec_rec_name_ok(const char *name)
{
	return ecs_startswith(name, ECS_EXEC_REC_PREFIX) &&
	       ecs_exec_session_id_ok(name + strlen(ECS_EXEC_REC_PREFIX));
}

/* A value on one line of its own: non-empty, printable, no newline. */
static bool
value_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

int
ecs_exec_rec_render(const struct ecs_exec_rec *rec, struct ecs_buf *out)
{
	const char *reason = rec->reason[0] ? rec->reason : "-";

	if (!ecs_exec_session_id_ok(rec->session_id) || !value_ok(rec->cluster) ||
	    !value_ok(rec->task) || !value_ok(rec->container) || !value_ok(rec->region) ||
	    !value_ok(rec->ssm_endpoint) || !value_ok(reason) || rec->pid <= 0)
		return -EINVAL;
	return ecs_buf_printf(out,
			      ECS_EXEC_REC_MAGIC "\nsession_id=%s\ncluster=%s\ntask=%s\n"
			      "container=%s\nregion=%s\nssm_endpoint=%s\npid=%ld\npid_start=%llu\n"
			      "uid=%lu\nstart=%lld\nreason=%s\n",
			      rec->session_id, rec->cluster, rec->task, rec->container, rec->region,
			      rec->ssm_endpoint, (long)rec->pid, rec->pid_start,
			      (unsigned long)rec->uid, rec->start, reason);
}

static int
copy(char *dst, size_t size, const char *src)
{
	return value_ok(src) && ecs_strlcpy(dst, src, size) == 0 ? 0 : -EBADMSG;
}

/* A number as render writes it: no leading zero, so a record has one spelling. */
static int
number(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	if (s && s[0] == '0' && s[1])
		return -EBADMSG;
	return ecs_parse_u64(s, min, max, out);
}

int
ecs_exec_rec_parse(const char *text, size_t len, struct ecs_exec_rec *rec)
{
	char *v[K_COUNT];
	uint64_t pid, start_ticks, uid, start;
	int r;

	memset(rec, 0, sizeof(*rec));
	if (len > ECS_EXEC_REC_MAX)
		return -EBADMSG;
	r = ecs_kvrec_parse(text, len, ECS_EXEC_REC_MAGIC, keys, K_COUNT, v);
	if (r < 0)
		return r;
	r = -EBADMSG;
	if (!ecs_exec_session_id_ok(v[K_ID]) ||
	    number(v[K_PID], 1, INT_MAX, &pid) < 0 ||
	    number(v[K_PID_START], 0, UINT64_MAX, &start_ticks) < 0 ||
	    number(v[K_UID], 0, UINT32_MAX - 1, &uid) < 0 ||
	    number(v[K_START], 0, INT64_MAX, &start) < 0)
		goto out;
	if (ecs_strlcpy(rec->session_id, v[K_ID], sizeof(rec->session_id)) < 0 ||
	    copy(rec->cluster, sizeof(rec->cluster), v[K_CLUSTER]) < 0 ||
	    copy(rec->task, sizeof(rec->task), v[K_TASK]) < 0 ||
	    copy(rec->container, sizeof(rec->container), v[K_CONTAINER]) < 0 ||
	    copy(rec->region, sizeof(rec->region), v[K_REGION]) < 0 ||
	    copy(rec->ssm_endpoint, sizeof(rec->ssm_endpoint), v[K_ENDPOINT]) < 0 ||
	    copy(rec->reason, sizeof(rec->reason), v[K_REASON]) < 0)
		goto out;
	if (strcmp(rec->reason, "-") == 0)
		rec->reason[0] = 0;
	rec->pid = (pid_t)pid;
	rec->pid_start = start_ticks;
	rec->uid = (uid_t)uid;
	rec->start = (long long)start;
	r = 0;
out:
	ecs_kvrec_free(v, K_COUNT);
	if (r < 0)
		memset(rec, 0, sizeof(*rec));
	return r;
}

static int
rec_name(const char *session_id, char *name, size_t size)
{
	if (!ecs_exec_session_id_ok(session_id))
		return -EINVAL;
	snprintf(name, size, ECS_EXEC_REC_PREFIX "%s", session_id);
	return 0;
}

int
ecs_exec_rec_write(int dfd, const struct ecs_exec_rec *rec)
{
	char name[sizeof(ECS_EXEC_REC_PREFIX) + ECS_EXEC_SESSION_ID_MAX];
	struct ecs_buf b;
	int r;

	ecs_buf_init(&b, ECS_EXEC_REC_MAX);
	r = rec_name(rec->session_id, name, sizeof(name));
	if (r == 0)
		r = ecs_exec_rec_render(rec, &b);
	if (r == 0)
		r = ecs_safe_write_atomic(dfd, name, b.data, b.len, 0600);
	ecs_buf_free(&b);
	return r;
}

int
ecs_exec_rec_remove(int dfd, const char *session_id)
{
	char name[sizeof(ECS_EXEC_REC_PREFIX) + ECS_EXEC_SESSION_ID_MAX];
	int r = rec_name(session_id, name, sizeof(name));

	if (r < 0)
		return r;
	if (unlinkat(dfd, name, 0) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}
