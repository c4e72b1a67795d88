/* cloudtrail.c — CloudTrail log files (cloudtrail.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "cloudtrail.h"
#include "ecs_buf.h"
#include "ecs_time.h"

/* a.b.c inside o, as a string, or NULL */
static const char *
str_at(const json_t *o, const char *path)
{
	char key[64];
	const char *dot;

	while ((dot = strchr(path, '.')) != NULL) {
		size_t n = (size_t)(dot - path);

		if (n >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		o = json_object_get(o, key);
		path = dot + 1;
	}
	return json_string_value(json_object_get(o, path));
}

static const char *
first(const char *a, const char *b)
{
	return a != NULL ? a : b;
}

/* One record: 1 when it is none of the three kinds, 0 when ev is filled, -EBADMSG. */
static int
event_of(const json_t *r, struct ecs_ct_event *ev)
{
	const char *name = str_at(r, "eventName"), *src = str_at(r, "eventSource");

	memset(ev, 0, sizeof(*ev));
	ev->event_time = str_at(r, "eventTime");
	if (!json_is_object(r) || name == NULL || src == NULL || ev->event_time == NULL ||
	    ecs_time_parse(ev->event_time, &ev->time) < 0)
		return -EBADMSG;
	if (strcmp(name, "ExecuteCommand") == 0 && strcmp(src, "ecs.amazonaws.com") == 0)
		ev->kind = ECS_CT_EXECUTE_COMMAND;
	else if (strcmp(name, "AssumeRoleWithSAML") == 0 && strcmp(src, "sts.amazonaws.com") == 0)
		ev->kind = ECS_CT_ASSUME_ROLE_WITH_SAML;
	else if (strcmp(name, "StartSession") == 0 && strcmp(src, "ssm.amazonaws.com") == 0)
		ev->kind = ECS_CT_START_SESSION;
	else
		return 1;
	ev->event_id = str_at(r, "eventID");
	ev->region = str_at(r, "awsRegion");
	ev->error_code = str_at(r, "errorCode");
	ev->access_key_id = str_at(r, "userIdentity.accessKeyId");
	ev->arn = str_at(r, "userIdentity.arn");
	ev->source_identity = str_at(r, "userIdentity.sessionContext.sourceIdentity");
	switch (ev->kind) {
	case ECS_CT_EXECUTE_COMMAND:
		ev->cluster = first(str_at(r, "responseElements.clusterArn"),
				    str_at(r, "requestParameters.cluster"));
		ev->task = first(str_at(r, "responseElements.taskArn"),
				 str_at(r, "requestParameters.task"));
		ev->container = first(str_at(r, "requestParameters.container"),
				      str_at(r, "responseElements.containerName"));
		ev->command = str_at(r, "requestParameters.command");
		ev->ecs_session_id = str_at(r, "responseElements.session.sessionId");
		break;
	case ECS_CT_ASSUME_ROLE_WITH_SAML:
		/* the caller is the IdP's user, not a key: the key is the one issued */
		ev->access_key_id = str_at(r, "responseElements.credentials.accessKeyId");
		ev->arn = str_at(r, "responseElements.assumedRoleUser.arn");
		ev->source_identity = first(str_at(r, "requestParameters.sourceIdentity"),
					    str_at(r, "responseElements.sourceIdentity"));
		ev->assertion_id = first(str_at(r, "requestParameters.sAMLAssertionID"),
					 str_at(r, "additionalEventData.sAMLAssertionID"));
		ev->role_session_name = str_at(r, "requestParameters.roleSessionName");
		ev->role_arn = str_at(r, "requestParameters.roleArn");
		ev->subject = first(str_at(r, "responseElements.subject"),
				    str_at(r, "userIdentity.userName"));
		ev->issuer = str_at(r, "responseElements.issuer");
		break;
	case ECS_CT_START_SESSION:
		ev->target = str_at(r, "requestParameters.target");
		ev->ecs_session_id = str_at(r, "responseElements.sessionId");
		break;
	}
	return 0;
}

/* The scanner below finds each record of the Records array without building it: only a
 * record that can be one of the three kinds (its text names one, or holds a \u escape that
 * could spell one) is handed to Jansson, which checks it fully. Most of a trail is other calls,
 * and skipping their trees is what makes a year of files fast. */

static size_t
skip_ws(const char *p, size_t n, size_t i)
{
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
		i++;
	return i;
}

/* The end of the string at p[i] == '"' (one past its closing quote), or 0 if unterminated. */
static size_t
skip_string(const char *p, size_t n, size_t i)
{
	for (i++; i < n; i++) {
		if (p[i] == '\\')
			i++;
		else if (p[i] == '"')
			return i + 1;
	}
	return 0;
}

/* The end of the value at p[i] (a string, an object or array with balanced brackets outside
 * strings, or a bare literal), or 0 if it does not end inside p. */
static size_t
skip_value(const char *p, size_t n, size_t i)
{
	size_t depth = 0, j;

	if (i >= n)
		return 0;
	if (p[i] == '"')
		return skip_string(p, n, i);
	if (p[i] != '{' && p[i] != '[') {
		for (j = i; j < n && strchr(",]} \t\r\n", p[j]) == NULL; j++)
			;
		return j > i ? j : 0;
	}
	for (; i < n; i++) {
		if (p[i] == '"') {
			j = skip_string(p, n, i);
			if (j == 0)
				return 0;
			i = j - 1;
		} else if (p[i] == '{' || p[i] == '[') {
			depth++;
		} else if (p[i] == '}' || p[i] == ']') {
			if (--depth == 0)
				return i + 1;
		}
	}
	return 0;
}

static bool
candidate(const char *r, size_t n)
{
	return memmem(r, n, "\"ExecuteCommand\"", 16) != NULL ||
	       memmem(r, n, "\"AssumeRoleWithSAML\"", 20) != NULL ||
	       memmem(r, n, "\"StartSession\"", 14) != NULL || memmem(r, n, "\\u", 2) != NULL;
}

/* One record's text: parsed and handed on when it may be one of the three kinds. */
static int
one_record(const char *r, size_t n, ecs_ct_cb cb, void *ctx, struct ecs_ct_stats *st)
{
	struct ecs_ct_event ev;
	json_error_t err;
	json_t *o;
	int k, rc = 0;

	st->records++;
	if (!candidate(r, n))
		return 0;
	o = json_loadb(r, n, 0, &err);
	k = o != NULL ? event_of(o, &ev) : -EBADMSG;
	if (k < 0)
		st->bad_records++;
	if (k == 0) {
		st->events++;
		rc = cb(&ev, ctx);
	}
	json_decref(o);
	return rc;
}

/* The elements of the array at p[i] == '['. */
static int
records(const char *p, size_t n, size_t i, ecs_ct_cb cb, void *ctx, struct ecs_ct_stats *st,
	size_t *end)
{
	size_t e;
	int r;

	i = skip_ws(p, n, i + 1);
	if (i < n && p[i] == ']') {
		*end = i + 1;
		return 0;
	}
	for (;;) {
		e = skip_value(p, n, i);
		if (e == 0)
			return -EBADMSG;
		r = one_record(p + i, e - i, cb, ctx, st);
		if (r != 0)
			return r;
		i = skip_ws(p, n, e);
		if (i < n && p[i] == ']') {
			*end = i + 1;
			return 0;
		}
		if (i >= n || p[i] != ',')
			return -EBADMSG;
		i = skip_ws(p, n, i + 1);
	}
}

int
ecs_ct_parse(const char *text, size_t n, ecs_ct_cb cb, void *ctx, struct ecs_ct_stats *st)
{
	bool seen = false;
	size_t i, k, e;
	int r;

	i = skip_ws(text, n, 0);
	if (i >= n || text[i] != '{')
		return -EBADMSG;
	i = skip_ws(text, n, i + 1);
	if (i < n && text[i] == '}')
		return -EBADMSG;	/* no Records */
	for (;;) {
		if (i >= n || text[i] != '"' || (k = skip_string(text, n, i)) == 0)
			return -EBADMSG;
		e = skip_ws(text, n, k);
		if (e >= n || text[e] != ':')
			return -EBADMSG;
		e = skip_ws(text, n, e + 1);
		if (k - i == 9 && memcmp(text + i, "\"Records\"", 9) == 0 && e < n &&
		    text[e] == '[' && !seen) {
			seen = true;
			r = records(text, n, e, cb, ctx, st, &e);
			if (r != 0)
				return r;
		} else {
			e = skip_value(text, n, e);
			if (e == 0)
				return -EBADMSG;
		}
		i = skip_ws(text, n, e);
		if (i < n && text[i] == '}')
			break;
		if (i >= n || text[i] != ',')
			return -EBADMSG;
		i = skip_ws(text, n, i + 1);
	}
	return seen && skip_ws(text, n, i + 1) == n ? 0 : -EBADMSG;
}

/* One file, whole, gunzipped if it is gzip. */
static int
read_file(const char *path, struct ecs_buf *out)
{
	char chunk[65536];
	gzFile gz;
	int fd, n, r = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	gz = gzdopen(fd, "rb");
	if (gz == NULL) {
		close(fd);
		return -ENOMEM;
	}
	gzbuffer(gz, 131072);
	while (r == 0 && (n = gzread(gz, chunk, sizeof(chunk))) > 0)
		r = ecs_buf_append(out, chunk, (size_t)n);
	if (r == 0 && n < 0)
		r = -EBADMSG;	/* a corrupt or truncated gzip stream */
	gzclose(gz);
	return r;
}

/* One file, read into b (reused from file to file: one allocation for the whole walk). */
static int
one_file(const char *path, struct ecs_buf *b, ecs_ct_cb cb, void *ctx, struct ecs_ct_stats *st)
{
	int r;

	ecs_buf_truncate(b, 0);
	r = read_file(path, b);
	st->files++;
	if (r == 0) {
		st->bytes += b->len;
		r = ecs_ct_parse((const char *)b->data, b->len, cb, ctx, st);
	}
	/* a file that cannot be read or is no log file is told and skipped; running out of
	 * memory, or the callback's stop, ends the walk */
	if (r < 0 && r != -ENOMEM) {
		fprintf(stderr, "ecs-saml-helper audit exec: %s: %s: skipped\n", path,
			r == -EBADMSG ? "not a CloudTrail log file" :
			r == -E2BIG ? "larger than 256 MiB uncompressed" : strerror(-r));
		st->bad_files++;
		r = 0;
	}
	return r;
}

static bool
log_name(const char *name)
{
	size_t n = strlen(name);

	return (n > 5 && strcmp(name + n - 5, ".json") == 0) ||
	       (n > 8 && strcmp(name + n - 8, ".json.gz") == 0);
}

static int
by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int
walk(const char *path, bool top, struct ecs_buf *b, ecs_ct_cb cb, void *ctx,
     struct ecs_ct_stats *st)
{
	struct dirent **names = NULL;
	struct stat sb;
	char *sub;
	int n, r = 0;

	if (lstat(path, &sb) < 0)
		return top ? -errno : 0;
	if (S_ISREG(sb.st_mode) || (top && stat(path, &sb) == 0 && S_ISREG(sb.st_mode)))
		return one_file(path, b, cb, ctx, st);
	if (!S_ISDIR(sb.st_mode) && !(top && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)))
		return top ? -EINVAL : 0;	/* inside a tree, symlinks are not followed */
	n = scandir(path, &names, NULL, by_name);
	if (n < 0)
		return -errno;
	for (int i = 0; i < n; i++) {
		const char *e = names[i]->d_name;

		if (r == 0 && e[0] != '.' && asprintf(&sub, "%s/%s", path, e) >= 0) {
			if (lstat(sub, &sb) == 0 &&
			    (S_ISDIR(sb.st_mode) || (S_ISREG(sb.st_mode) && log_name(e))))
				r = walk(sub, false, b, cb, ctx, st);
			free(sub);
		}
		free(names[i]);
	}
	free(names);
	return r;
}

int
ecs_ct_read_path(const char *path, ecs_ct_cb cb, void *ctx, struct ecs_ct_stats *st)
{
	struct ecs_buf b;
	int r;

	ecs_buf_init(&b, ECS_CT_FILE_MAX);
	r = walk(path, true, &b, cb, ctx, st);
	ecs_buf_free(&b);
	return r;
}
