/* exec_ecs.c — ECS DescribeTasks and ExecuteCommand bodies and replies (see exec_ecs.h). */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ecs_exec_rec.h"
#include "ecs_secmem.h"
#include "ecs_str.h"
#include "exec_args.h"
#include "exec_ecs.h"

#define URL_MAX 2048
#define TOKEN_MAX 8192
#define STATUS_MAX 64
#define ARN_MAX 1600

static void *
wipe_malloc(size_t n)
{
	return malloc(n);
}

/* Jansson frees without a size: the allocator knows it. */
static void
wipe_free(void *p)
{
	if (p)
		ecs_wipe(p, malloc_usable_size(p));
	free(p);
}

void
ecs_exec_json_init(void)
{
	json_set_alloc_funcs(wipe_malloc, wipe_free);
}

static int
dump(json_t *root, char **out)
{
	*out = root ? json_dumps(root, JSON_COMPACT) : NULL;
	json_decref(root);
	return *out ? 0 : -ENOMEM;
}

int
ecs_exec_describe_body(const char *cluster, const char *task, char **out)
{
	return dump(json_pack("{s:s*, s:[s]}", "cluster", cluster, "tasks", task), out);
}

int
ecs_exec_execute_body(const char *cluster, const char *task, const char *container,
		      const char *command, char **out)
{
	return dump(json_pack("{s:s*, s:s, s:s*, s:s, s:b}", "cluster", cluster, "task", task,
			      "container", container, "command", command, "interactive", 1),
		    out);
}

static json_t *
load(const char *body, size_t len)
{
	json_error_t jerr;

	if (len > ECS_EXEC_REPLY_MAX)
		return NULL;
	return json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
}

/* obj[key] as a new string if it is a string that passes ok (NULL: any printable line) and
 * is at most max bytes. A missing key is *out = NULL and 0 unless required. */
static int
get_str(json_t *obj, const char *key, bool required, bool (*ok)(const char *), size_t max,
	char **out)
{
	json_t *v = json_object_get(obj, key);
	const char *s;

	*out = NULL;
	if (!v || json_is_null(v))
		return required ? -EBADMSG : 0;
	if (!json_is_string(v))
		return -EBADMSG;
	s = json_string_value(v);
	if (strlen(s) != json_string_length(v) || !ecs_exec_line_ok(s, max) || (ok && !ok(s)))
		return -EBADMSG;
	*out = strdup(s);
	return *out ? 0 : -ENOMEM;
}

/* The part of an ECS ARN after "KIND/" and, for a task, after the cluster: its last part. */
static int
arn_last(const char *arn, const char *kind, char **out)
{
	const char *p = strstr(arn, kind);
	const char *last;

	*out = NULL;
	if (!ecs_startswith(arn, "arn:") || !p || p[strlen(kind)] != '/')
		return -EBADMSG;
	last = strrchr(p, '/') + 1;
	if (!ecs_exec_name_ok(last))
		return -EBADMSG;
	*out = strdup(last);
	return *out ? 0 : -ENOMEM;
}

static bool
word_ok(const char *s)
{
	return ecs_exec_name_ok(s);
}

static int
parse_container(json_t *c, struct ecs_exec_container *out)
{
	json_t *agents = json_object_get(c, "managedAgents");
	size_t i;
	json_t *a;
	int r;

	if (!json_is_object(c))
		return -EBADMSG;
	r = get_str(c, "name", true, word_ok, 255, &out->name);
	if (r == 0)
		r = get_str(c, "runtimeId", false, word_ok, 255, &out->runtime_id);
	if (r < 0 || !agents)
		return r;
	if (!json_is_array(agents))
		return -EBADMSG;
	json_array_foreach(agents, i, a) {
		json_t *name = json_object_get(a, "name");

		if (!json_is_object(a) || !json_is_string(name))
			return -EBADMSG;
		if (strcmp(json_string_value(name), "ExecuteCommandAgent") != 0 || out->agent_status)
			continue;
		r = get_str(a, "lastStatus", false, word_ok, STATUS_MAX, &out->agent_status);
		if (r < 0)
			return r;
	}
	return 0;
}

static int
parse_task(json_t *task, struct ecs_exec_task *t)
{
	json_t *containers = json_object_get(task, "containers");
	json_t *enabled = json_object_get(task, "enableExecuteCommand");
	char *cluster_arn = NULL;
	size_t i;
	json_t *c;
	int r;

	if (!json_is_object(task) || !json_is_array(containers) ||
	    json_array_size(containers) > ECS_EXEC_MAX_CONTAINERS ||
	    (enabled && !json_is_boolean(enabled)))
		return -EBADMSG;
	t->exec_enabled = json_is_true(enabled);
	r = get_str(task, "taskArn", true, NULL, ARN_MAX, &t->task_arn);
	if (r == 0)
		r = arn_last(t->task_arn, ":task", &t->task_id);
	if (r == 0)
		r = get_str(task, "clusterArn", true, NULL, ARN_MAX, &cluster_arn);
	if (r == 0)
		r = arn_last(cluster_arn, ":cluster", &t->cluster_name);
	if (r == 0)
		r = get_str(task, "lastStatus", false, word_ok, STATUS_MAX, &t->last_status);
	json_array_foreach(containers, i, c) {
		if (r < 0)
			break;
		r = parse_container(c, &t->containers[i]);
		t->ncontainers = i + 1;
	}
	free(cluster_arn);
	return r;
}

int
ecs_exec_parse_describe(const char *body, size_t len, struct ecs_exec_task *t)
{
	json_t *root = load(body, len);
	json_t *tasks = json_object_get(root, "tasks");
	json_t *failures = json_object_get(root, "failures");
	int r = -EBADMSG;

	memset(t, 0, sizeof(*t));
	if (!json_is_object(root) || !json_is_array(tasks) || (failures && !json_is_array(failures)))
		goto out;
	if (json_array_size(tasks) == 0 && json_array_size(failures) > 0) {
		json_t *f = json_array_get(failures, 0);

		if (!json_is_object(f))
			goto out;
		t->missing = true;
		r = get_str(f, "reason", false, NULL, 256, &t->failure_reason);
		goto out;
	}
	if (json_array_size(tasks) != 1)
		goto out;
	r = parse_task(json_array_get(tasks, 0), t);
out:
	json_decref(root);
	if (r < 0)
		ecs_exec_task_free(t);
	return r;
}

void
ecs_exec_task_free(struct ecs_exec_task *t)
{
	free(t->task_arn);
	free(t->task_id);
	free(t->cluster_name);
	free(t->last_status);
	free(t->failure_reason);
	for (size_t i = 0; i < t->ncontainers; i++) {
		free(t->containers[i].name);
		free(t->containers[i].runtime_id);
		free(t->containers[i].agent_status);
	}
	memset(t, 0, sizeof(*t));
}

static bool
session_id_ok(const char *s)
{
	return ecs_exec_session_id_ok(s);
}

static bool
stream_url_ok(const char *s)
{
	return (ecs_startswith(s, "wss://") || ecs_startswith(s, "https://")) && !strchr(s, ' ');
}

/* The session object exactly as the plugin reads it, from checked parts only. */
static int
handover(json_t *session, struct ecs_exec_session *s)
{
	char *url = NULL, *token = NULL;
	int r;

	r = get_str(session, "streamUrl", true, stream_url_ok, URL_MAX, &url);
	if (r == 0)
		r = get_str(session, "tokenValue", true, NULL, TOKEN_MAX, &token);
	if (r == 0)
		r = dump(json_pack("{s:s, s:s, s:s}", "sessionId", s->session_id, "streamUrl", url,
				   "tokenValue", token),
			 &s->handover);
	free(url);
	ecs_free_secret_str(token);
	return r;
}

int
ecs_exec_parse_execute(const char *body, size_t len, struct ecs_exec_session *s)
{
	json_t *root = load(body, len);
	json_t *session = json_object_get(root, "session");
	char *arn = NULL;
	int r = -EBADMSG;

	memset(s, 0, sizeof(*s));
	if (!json_is_object(root) || !json_is_object(session))
		goto out;
	r = get_str(session, "sessionId", true, session_id_ok, ECS_EXEC_SESSION_ID_MAX,
		    &s->session_id);
	if (r == 0)
		r = get_str(root, "clusterArn", true, NULL, ARN_MAX, &arn);
	if (r == 0)
		r = arn_last(arn, ":cluster", &s->cluster_name);
	free(arn);
	arn = NULL;
	if (r == 0)
		r = get_str(root, "taskArn", true, NULL, ARN_MAX, &arn);
	if (r == 0)
		r = arn_last(arn, ":task", &s->task_id);
	if (r == 0)
		r = get_str(root, "containerName", true, word_ok, 255, &s->container_name);
	if (r == 0)
		r = handover(session, s);
out:
	free(arn);
	json_decref(root);
	if (r < 0)
		ecs_exec_session_free(s);
	return r;
}

void
ecs_exec_session_free(struct ecs_exec_session *s)
{
	free(s->session_id);
	free(s->cluster_name);
	free(s->task_id);
	free(s->container_name);
	ecs_free_secret_str(s->handover);
	memset(s, 0, sizeof(*s));
}

/* Printable ASCII of s into dst[size]; anything else becomes '?'. */
static void
safe_copy(char *dst, size_t size, const char *s, size_t n)
{
	size_t j = 0;

	for (size_t i = 0; i < n && j + 1 < size; i++)
		dst[j++] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	dst[j] = 0;
}

/* "com.amazonaws.ecs#AccessDeniedException" and "AccessDeniedException:http://..." both
 * name AccessDeniedException. */
static void
set_code(struct ecs_aws_error *e, const char *t)
{
	const char *hash = strrchr(t, '#');
	size_t n;

	if (hash)
		t = hash + 1;
	n = strcspn(t, ":");
	safe_copy(e->code, sizeof(e->code), t, n);
}

void
ecs_exec_parse_error(const char *body, size_t len, const char *header_type,
		     struct ecs_aws_error *e)
{
	json_t *root = load(body, len);
	json_t *type = json_object_get(root, "__type");
	json_t *msg = json_object_get(root, "message");

	e->code[0] = 0;
	e->message[0] = 0;
	if (!msg)
		msg = json_object_get(root, "Message");
	if (json_is_string(type))
		set_code(e, json_string_value(type));
	else if (header_type)
		set_code(e, header_type);
	if (json_is_string(msg))
		safe_copy(e->message, sizeof(e->message), json_string_value(msg),
			  json_string_length(msg));
	json_decref(root);
}

/* "a, b, c" of the task's container names into buf[size]. */
static void
list_names(const struct ecs_exec_task *t, char *buf, size_t size)
{
	size_t off = 0;

	buf[0] = 0;
	for (size_t i = 0; i < t->ncontainers && off < size; i++)
		off += (size_t)snprintf(buf + off, size - off, "%s%s", i ? ", " : "",
					t->containers[i].name);
}

int
ecs_exec_choose_container(const struct ecs_exec_task *t, const char *want, size_t *idx,
			  char *err, size_t errsz)
{
	char names[512];

	list_names(t, names, sizeof(names));
	if (t->ncontainers == 0) {
		snprintf(err, errsz, "task %s has no containers to exec into.", t->task_id);
		return -ESRCH;
	}
	for (size_t i = 0; want && i < t->ncontainers; i++) {
		if (strcmp(t->containers[i].name, want) == 0) {
			*idx = i;
			return 0;
		}
	}
	if (want) {
		snprintf(err, errsz, "task %s has no container named %s; its containers are: %s.",
			 t->task_id, want, names);
		return -ENOENT;
	}
	if (t->ncontainers > 1) {
		snprintf(err, errsz,
			 "task %s has %zu containers (%s): name one with --container.", t->task_id,
			 t->ncontainers, names);
		return -EINVAL;
	}
	*idx = 0;
	return 0;
}

int
ecs_exec_check_ready(const struct ecs_exec_task *t, size_t idx, char *err, size_t errsz)
{
	const struct ecs_exec_container *c = &t->containers[idx];

	if (t->last_status && strcmp(t->last_status, "RUNNING") != 0) {
		snprintf(err, errsz, "task %s is %s, not RUNNING: exec needs a running task.",
			 t->task_id, t->last_status);
		return -EAGAIN;
	}
	if (!t->exec_enabled) {
		snprintf(err, errsz,
			 "task %s was started without enableExecuteCommand, so it cannot take an "
			 "exec session: its owners must enable it on the service or task "
			 "(--enable-execute-command) and start a new task.", t->task_id);
		return -EAGAIN;
	}
	if (!c->agent_status || strcmp(c->agent_status, "RUNNING") != 0 || !c->runtime_id) {
		snprintf(err, errsz,
			 "the exec agent (ExecuteCommandAgent) of container %s in task %s is %s: "
			 "wait a minute after the task starts and try again; if it stays so, the "
			 "task's role lacks the ssmmessages permissions or its network cannot reach "
			 "SSM.", c->name, t->task_id,
			 c->agent_status ? c->agent_status : "not running");
		return -EAGAIN;
	}
	return 0;
}

int
ecs_exec_target_json(const char *cluster, const char *task_id, const char *runtime_id,
		     char **out)
{
	*out = NULL;
	if (!ecs_exec_name_ok(cluster) || !ecs_exec_name_ok(task_id) ||
	    !ecs_exec_name_ok(runtime_id))
		return -EINVAL;
	if (asprintf(out, "{\"Target\": \"ecs:%s_%s_%s\"}", cluster, task_id, runtime_id) < 0) {
		*out = NULL;
		return -ENOMEM;
	}
	return 0;
}
