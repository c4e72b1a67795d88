/* audit.c — the audit records (audit.h): their schema, and one record to three sinks. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "caller.h"
#include "audit_json.h"
#include "audit_sink.h"
#include "ecs_buf.h"
#include "ecs_err.h"
#include "ecs_time.h"
#include "logging.h"
#include "session_audit.h"
#include "ticket.h"

/* The fields of each record, in order. Changing a list changes what compliance tooling
 * reads: the README's logging paragraph lists them (suite 35 compares). */
static const char *const k_auth_accepted[] = {
	"user", "service", "rhost", "assertion", "issuer", "nameid", "role", "session_name",
	"source_identity", "pid", NULL
};
static const char *const k_auth_refused[] = {
	"user", "service", "rhost", "code", "reason", "issuer", "nameid", "pid", NULL
};
static const char *const k_session_open[] = {
	"user", "service", "rhost", "session", "assertion", "issuer", "nameid", "role",
	"session_name", "source_identity", "request_id", "access_key_id", "expiration", "pid",
	NULL
};
static const char *const k_exec_terminated[] = {
	"user", "session", "access_key_id", "ended_by", "result", "code", "ssm_request_id",
	"plugin", "claim", "exec_session_id", "cluster", "task", "container", "region",
	"exec_pid", "exec_started", "exec_reason", NULL
};
static const char *const k_session_close[] = {
	"user", "session", "service", "rhost", "access_key_id", "opened", "duration",
	"closed_by", "pid", NULL
};

/* MESSAGE_IDs: random 128-bit values, fixed for good (journalctl MESSAGE_ID=...). */
static const struct ecs_audit_schema schemas[ECS_AUDIT_NEVENTS] = {
	[ECS_AUDIT_AUTH_ACCEPTED] = { "auth_accepted", "auth ok",
				      "fb4388ead2b7471e030df283f48093da", LOG_INFO,
				      k_auth_accepted },
	[ECS_AUDIT_AUTH_REFUSED] = { "auth_refused", "auth refused",
				     "3fed4ae0f24c4789faf51aefd7c73337", LOG_NOTICE,
				     k_auth_refused },
	[ECS_AUDIT_SESSION_OPEN] = { "session_open", "session open",
				     "225db6f69209c2d3a3c9c3179eab9c0d", LOG_INFO,
				     k_session_open },
	[ECS_AUDIT_EXEC_TERMINATED] = { "exec_terminated", "exec terminated",
					"8db8ba5fe13bcea1a79c46df6311b408", LOG_INFO,
					k_exec_terminated },
	[ECS_AUDIT_SESSION_CLOSE] = { "session_close", "session close",
				      "fe27dbb00c19fce287508e8af990e45a", LOG_INFO,
				      k_session_close },
};

static char *audit_file;	/* this run's audit_log, NULL for none */
static char *verified_issuer;	/* ecs_audit_verified: this run's verified Response */
static char *verified_nameid;

const struct ecs_audit_schema *
ecs_audit_schema(enum ecs_audit_event event)
{
	return (unsigned)event < ECS_AUDIT_NEVENTS ? &schemas[event] : NULL;
}

void
ecs_audit_use_file(const char *path)
{
	free(audit_file);
	audit_file = path != NULL ? strdup(path) : NULL;
}

void
ecs_audit_init(struct ecs_audit_rec *a, enum ecs_audit_event event)
{
	memset(a, 0, sizeof(*a));
	a->event = event;
	a->prio = schemas[event].prio;
}

static int
key_index(enum ecs_audit_event event, const char *key)
{
	const char *const *k = schemas[event].keys;

	for (int i = 0; k[i] != NULL; i++)
		if (strcmp(k[i], key) == 0)
			return i;
	return -1;
}

void
ecs_audit_set(struct ecs_audit_rec *a, const char *key, const char *value)
{
	int i = key_index(a->event, key);

	if (i < 0) {	/* a program error: the schema is the contract */
		ecs_log(LOG_ERR, "audit field not in the record's schema", "event",
			schemas[a->event].name, "key", key, (char *)NULL);
		return;
	}
	a->values[i] = value;
}

void
ecs_audit_setf(struct ecs_audit_rec *a, const char *key, const char *fmt, ...)
{
	size_t room = sizeof(a->own) - a->own_len;
	char *dst = a->own + a->own_len;
	va_list ap;
	int n;

	if (room < 2)
		return;
	va_start(ap, fmt);
	n = vsnprintf(dst, room, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	a->own_len += (size_t)n < room ? (size_t)n + 1 : room;
	ecs_audit_set(a, key, dst);
}

/* A value as the file and the journal carry it: at most ECS_AUDIT_VALUE_MAX bytes. */
static size_t
value_len(const char *v, int *cut)
{
	size_t n = strnlen(v, ECS_AUDIT_VALUE_MAX + 1);

	if (n > ECS_AUDIT_VALUE_MAX) {
		*cut = 1;
		n = ECS_AUDIT_VALUE_MAX;
	}
	return n;
}

int
ecs_audit_render_json(const struct ecs_audit_rec *a, time_t now, const char *host,
		      struct ecs_buf *out)
{
	const struct ecs_audit_schema *s = &schemas[a->event];
	char when[ECS_TIME_BUFSZ];
	int cut = 0, r;

	ecs_time_format(now, when);
	r = ecs_buf_printf(out, "{\"time\":\"%s\",\"host\":", when);
	if (r == 0)
		r = ecs_json_put_str(out, host, strlen(host));
	if (r == 0)
		r = ecs_buf_printf(out, ",\"event\":\"%s\",\"message_id\":\"%s\"", s->name,
				   s->message_id);
	for (int i = 0; r == 0 && s->keys[i] != NULL; i++) {
		r = ecs_buf_printf(out, ",\"%s\":", s->keys[i]);
		if (r == 0 && a->values[i] == NULL)
			r = ecs_buf_puts(out, "null");
		else if (r == 0)
			r = ecs_json_put_str(out, a->values[i], value_len(a->values[i], &cut));
	}
	if (r == 0 && cut)
		r = ecs_buf_puts(out, ",\"cut\":true");
	if (r == 0)
		r = ecs_buf_puts(out, "}\n");
	return r;
}

static void
to_syslog(const struct ecs_audit_rec *a, struct ecs_logrec *rec)
{
	const struct ecs_audit_schema *s = &schemas[a->event];

	ecs_logrec_init(rec, s->syslog_event);
	for (int i = 0; s->keys[i] != NULL; i++)
		ecs_logrec_add(rec, s->keys[i], a->values[i] != NULL ? a->values[i] : "-");
	ecs_log_rec(a->prio, rec);
}

static void
to_file(const struct ecs_audit_rec *a, const char *host)
{
	struct ecs_buf line;
	const char *why = "";
	int r;

	ecs_buf_init(&line, ECS_AUDIT_RECORD_MAX);
	r = ecs_audit_render_json(a, time(NULL), host, &line);
	if (r == 0)
		r = ecs_audit_file_append(audit_file, (const char *)line.data, line.len, &why);
	else
		why = "record too large";
	if (r < 0)
		ecs_log(LOG_ERR, "audit record not written", "code", ECS_AUDIT_CODE, "audit_log",
			audit_file, "event", schemas[a->event].name, "reason", why, "error",
			ecs_strerror(r), (char *)NULL);
	ecs_buf_free(&line);
}

/* ECS_<KEY>=value fields for the journal, built in one buffer. */
static void
to_journal(const struct ecs_audit_rec *a, const char *message)
{
	const struct ecs_audit_schema *s = &schemas[a->event];
	struct iovec iov[ECS_AUDIT_MAX_KEYS + 8];
	struct ecs_buf b;
	size_t off[ECS_AUDIT_MAX_KEYS + 8];
	int n = 0, cut = 0, r;

	ecs_buf_init(&b, ECS_AUDIT_RECORD_MAX * 2);
#define FIELD(...)                                                                         \
	do {                                                                               \
		off[n] = b.len;                                                            \
		if (r == 0)                                                                \
			r = ecs_buf_printf(&b, __VA_ARGS__);                              \
		iov[n].iov_len = b.len - off[n];                                           \
		n++;                                                                       \
	} while (0)
	r = 0;
	FIELD("MESSAGE=%s", message);
	FIELD("MESSAGE_ID=%s", s->message_id);
	FIELD("PRIORITY=%d", a->prio);
	FIELD("SYSLOG_FACILITY=%d", LOG_AUTHPRIV >> 3);
	FIELD("SYSLOG_IDENTIFIER=ecs-saml-helper");
	FIELD("ECS_EVENT=%s", s->name);
	for (int i = 0; s->keys[i] != NULL; i++) {
		char name[64];
		size_t j;

		if (a->values[i] == NULL)
			continue;
		for (j = 0; s->keys[i][j] != '\0' && j < sizeof(name) - 1; j++)
			name[j] = (char)toupper((unsigned char)s->keys[i][j]);
		name[j] = '\0';
		off[n] = b.len;
		if (r == 0)
			r = ecs_buf_printf(&b, "ECS_%s=", name);
		/* the value's bytes as they are: the native protocol carries any byte */
		if (r == 0)
			r = ecs_buf_append(&b, a->values[i], value_len(a->values[i], &cut));
		iov[n].iov_len = b.len - off[n];
		n++;
	}
#undef FIELD
	if (r == 0) {
		for (int i = 0; i < n; i++)
			iov[i].iov_base = b.data + off[i];
		r = ecs_audit_journal_send(iov, n);
	}
	if (r < 0)
		ecs_log(LOG_WARNING, "audit record not sent to the journal", "event", s->name,
			"error", ecs_strerror(r), (char *)NULL);
	ecs_buf_free(&b);
}

void
ecs_audit_emit(const struct ecs_audit_rec *a)
{
	struct ecs_logrec rec;
	char host[256] = "";

	if ((unsigned)a->event >= ECS_AUDIT_NEVENTS)
		return;
	if (gethostname(host, sizeof(host) - 1) < 0)
		host[0] = '\0';
	to_syslog(a, &rec);
	to_journal(a, ecs_logrec_text(&rec));
	if (audit_file != NULL)
		to_file(a, host);
}

void
ecs_audit_verified(const char *issuer, const char *nameid)
{
	free(verified_issuer);
	free(verified_nameid);
	verified_issuer = issuer != NULL ? strdup(issuer) : NULL;
	verified_nameid = nameid != NULL ? strdup(nameid) : NULL;
}

void
ecs_audit_auth_refused(const char *user, const char *service, const char *rhost, int prio,
		       const char *code, const char *reason)
{
	struct ecs_audit_rec a;

	ecs_audit_init(&a, ECS_AUDIT_AUTH_REFUSED);
	a.prio = prio;
	ecs_audit_set(&a, "user", user);
	ecs_audit_set(&a, "service", service);
	ecs_audit_set(&a, "rhost", rhost);
	ecs_audit_setf(&a, "pid", "%ld", (long)ecs_caller_pid());
	ecs_audit_set(&a, "code", code);
	ecs_audit_set(&a, "reason", reason);
	ecs_audit_set(&a, "issuer", verified_issuer);
	ecs_audit_set(&a, "nameid", verified_nameid);
	ecs_audit_emit(&a);
}

void
ecs_audit_exec_terminated(const char *user, const char *session,
			  const struct ecs_exec_rec *claim, const struct ecs_audit_exec_result *res)
{
	struct ecs_session_audit sa = { 0 };
	struct ecs_audit_rec a;
	char started[ECS_TIME_BUFSZ];

	ecs_audit_init(&a, ECS_AUDIT_EXEC_TERMINATED);
	if (!res->terminated)
		a.prio = LOG_WARNING;
	ecs_audit_set(&a, "user", user);
	ecs_audit_set(&a, "session", session);
	/* root's own record of the session: the AccessKeyId STS issued (absent when the
	 * session opened before this record existed) */
	if (session != NULL && ecs_session_audit_get(ECS_TICKET_SPOOL, session, &sa) == 0)
		ecs_audit_set(&a, "access_key_id", sa.access_key_id);
	ecs_audit_set(&a, "ended_by", res->ended_by);
	ecs_audit_set(&a, "result", res->terminated ? "terminated" : "not-terminated");
	ecs_audit_set(&a, "code", res->code);
	ecs_audit_set(&a, "ssm_request_id", res->ssm_request_id);
	ecs_audit_set(&a, "plugin", res->plugin);
	ecs_audit_set(&a, "claim", "user");
	ecs_audit_set(&a, "exec_session_id", claim->session_id);
	ecs_audit_set(&a, "cluster", claim->cluster);
	ecs_audit_set(&a, "task", claim->task);
	ecs_audit_set(&a, "container", claim->container);
	ecs_audit_set(&a, "region", claim->region);
	ecs_audit_setf(&a, "exec_pid", "%ld", (long)claim->pid);
	ecs_time_format((time_t)claim->start, started);
	ecs_audit_set(&a, "exec_started", started);
	ecs_audit_set(&a, "exec_reason", strcmp(claim->reason, "-") != 0 ? claim->reason : NULL);
	ecs_audit_emit(&a);
	ecs_session_audit_free(&sa);
}
