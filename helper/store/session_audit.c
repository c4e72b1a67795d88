/* session_audit.c — the session's audit facts between open and close (session_audit.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ecs_buf.h"
#include "ecs_io.h"
#include "ecs_kvrec.h"
#include "ecs_names.h"
#include "ecs_safefile.h"
#include "ecs_str.h"
#include "session_audit.h"
#include "spool.h"

#define REC_MAGIC "ecs-saml-session-audit 1"
#define REC_MAX 2048
#define NONE "-"	/* a record's values are never empty: an unknown one is "-" */

enum { K_USER, K_SERVICE, K_RHOST, K_OPENED, K_AKID, K_COUNT };

static const char *const keys[K_COUNT] = { "user", "service", "rhost", "opened",
					    "access_key_id" };

/* A value fit for a line of its own: non-empty, no newline, no NUL, no "-" alone (that
 * means unknown). NULL and "" are stored as unknown. */
static int
put_value(struct ecs_buf *b, const char *key, const char *v)
{
	if (v == NULL || v[0] == '\0')
		v = NONE;
	else if (strchr(v, '\n') != NULL || strcmp(v, NONE) == 0)
		return -EINVAL;
	return ecs_buf_printf(b, "%s=%s\n", key, v);
}

int
ecs_session_audit_put(const char *spool, const char *tag, const struct ecs_session_audit *s)
{
	struct ecs_buf body;
	int dfd = -1;
	int r;

	if (!ecs_name_token_ok(tag) || !ecs_name_user_ok(s->user) || s->service == NULL)
		return -EINVAL;
	ecs_buf_init(&body, REC_MAX);
	r = ecs_buf_puts(&body, REC_MAGIC "\n");
	if (r == 0)
		r = put_value(&body, keys[K_USER], s->user);
	if (r == 0)
		r = put_value(&body, keys[K_SERVICE], s->service);
	if (r == 0)
		r = put_value(&body, keys[K_RHOST], s->rhost);
	if (r == 0)
		r = ecs_buf_printf(&body, "%s=%lld\n", keys[K_OPENED], (long long)s->opened);
	if (r == 0)
		r = put_value(&body, keys[K_AKID], s->access_key_id);
	if (r == 0)
		r = ecs_spool_open(spool, ECS_SESSION_AUDIT_SUB, &dfd);
	/* created as the spool's other records are (no rename: the MAC policies allow the
	 * spool the same operations for every record); a leftover of the tag is replaced */
	if (r == 0 && unlinkat(dfd, tag, 0) < 0 && errno != ENOENT)
		r = -errno;
	if (r == 0)
		r = ecs_safe_create_excl(dfd, tag, body.data, body.len, 0600);
	ecs_buf_free(&body);
	ecs_close(&dfd);
	return r;
}

static char *
take(char **v)
{
	char *s = *v;

	*v = NULL;
	if (strcmp(s, NONE) == 0) {
		free(s);
		return NULL;
	}
	return s;
}

int
ecs_session_audit_get(const char *spool, const char *tag, struct ecs_session_audit *out)
{
	struct ecs_buf raw;
	char *v[K_COUNT];
	uint64_t opened;
	int dfd = -1;
	int r;

	memset(out, 0, sizeof(*out));
	if (!ecs_name_token_ok(tag))
		return -EINVAL;
	ecs_buf_init(&raw, REC_MAX);
	r = ecs_spool_open(spool, ECS_SESSION_AUDIT_SUB, &dfd);
	if (r == 0)
		r = ecs_safe_read_at(dfd, tag, 0, REC_MAX, &raw, NULL);
	if (r == 0)
		r = ecs_kvrec_parse((const char *)raw.data, raw.len, REC_MAGIC, keys, K_COUNT, v);
	ecs_buf_free(&raw);
	ecs_close(&dfd);
	if (r < 0)
		return r;
	if (!ecs_name_user_ok(v[K_USER]) ||
	    ecs_parse_u64(v[K_OPENED], 0, INT64_MAX, &opened) < 0) {
		ecs_kvrec_free(v, K_COUNT);
		return -EBADMSG;
	}
	out->user = take(&v[K_USER]);
	out->service = take(&v[K_SERVICE]);
	out->rhost = take(&v[K_RHOST]);
	out->access_key_id = take(&v[K_AKID]);
	out->opened = (time_t)opened;
	ecs_kvrec_free(v, K_COUNT);
	return 0;
}

int
ecs_session_audit_remove(const char *spool, const char *tag)
{
	int dfd = -1;
	int r;

	if (!ecs_name_token_ok(tag))
		return -EINVAL;
	r = ecs_spool_open(spool, ECS_SESSION_AUDIT_SUB, &dfd);
	if (r == 0 && unlinkat(dfd, tag, 0) < 0 && errno != ENOENT)
		r = -errno;
	ecs_close(&dfd);
	return r;
}

void
ecs_session_audit_free(struct ecs_session_audit *s)
{
	free(s->user);
	free(s->service);
	free(s->rhost);
	free(s->access_key_id);
	memset(s, 0, sizeof(*s));
}
