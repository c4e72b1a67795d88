/* verb_audit.c — `ecs-saml-helper audit`: the audit trail read back.
 *
 *   audit sessions [--config PATH] [--audit-log PATH]... [--since T] [--until T] [--user U]
 *                  [--json]
 *       The bastion's logins from the JSON-lines audit file: open, close, who, from where, as
 *       whom at AWS. A login is listed when it overlaps [--since, --until] (a login still
 *       open extends to now).
 *   audit exec [--config PATH] [--audit-log PATH]... --cloudtrail PATH... [--since T]
 *              [--until T] [--json]
 *       Every ecs:ExecuteCommand of the CloudTrail files, with the bastion login it came from,
 *       joined on AccessKeyId (then SourceIdentity within the login's lifetime), and every
 *       sts:AssumeRoleWithSAML joined on the issued AccessKeyId (then the assertion ID).
 *       Events with no bastion login, and ssm:StartSession events (which the session policy
 *       should have denied), are listed as such, never dropped.
 *   audit fields
 *       The audit records' types, MESSAGE_IDs and fields (audit.h), one type a line.
 *
 * T is RFC 3339 (2026-03-01T10:00:00Z) or a date (2026-03-01, midnight UTC). --audit-log
 * defaults to the configuration's audit_log; give rotated files with more --audit-log. */
#include <errno.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "audit_read.h"
#include "cloudtrail.h"
#include "conf.h"
#include "ecs_conf.h"
#include "ecs_err.h"
#include "ecs_logrec.h"
#include "ecs_time.h"
#include "verbs.h"

#define MAX_PATHS 256

struct audit_args {
	const char *conf_path;
	const char *logs[MAX_PATHS];
	size_t nlogs;
	const char *trails[MAX_PATHS];
	size_t ntrails;
	time_t since, until;		/* until 0: none */
	const char *user;
	bool json;
};

static void
usage(void)
{
	fprintf(stderr,
		"usage: ecs-saml-helper audit sessions [--config PATH] [--audit-log PATH]... "
		"[--since T] [--until T] [--user U] [--json]\n"
		"       ecs-saml-helper audit exec [--config PATH] [--audit-log PATH]... "
		"--cloudtrail PATH... [--since T] [--until T] [--json]\n"
		"       ecs-saml-helper audit fields\n"
		"T: 2026-03-01T10:00:00Z or 2026-03-01 (UTC)\n");
}

static int
parse_when(const char *s, time_t *out)
{
	char full[32];

	if (strlen(s) == 10 && s[4] == '-' && s[7] == '-') {
		snprintf(full, sizeof(full), "%sT00:00:00Z", s);
		s = full;
	}
	return ecs_time_parse(s, out);
}

static int
parse_args(int argc, char **argv, bool exec, struct audit_args *a)
{
	const char *what = "";

	memset(a, 0, sizeof(*a));
	a->conf_path = ECS_CONF_PATH;
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		what = o;
		if (strcmp(o, "--json") == 0) {
			a->json = true;
			continue;
		}
		if (strcmp(o, "--cloudtrail") == 0 && exec) {
			/* every following argument up to the next option is a path */
			while (i + 1 < argc && strncmp(argv[i + 1], "--", 2) != 0 &&
			       a->ntrails < MAX_PATHS)
				a->trails[a->ntrails++] = argv[++i];
			continue;
		}
		if (v == NULL)
			goto bad;
		i++;
		if (strcmp(o, "--config") == 0)
			a->conf_path = v;
		else if (strcmp(o, "--audit-log") == 0 && a->nlogs < MAX_PATHS)
			a->logs[a->nlogs++] = v;
		else if (strcmp(o, "--since") == 0 && parse_when(v, &a->since) == 0)
			continue;
		else if (strcmp(o, "--until") == 0 && parse_when(v, &a->until) == 0)
			continue;
		else if (strcmp(o, "--user") == 0 && !exec)
			a->user = v;
		else
			goto bad;
	}
	if (exec && a->ntrails == 0) {
		fprintf(stderr, "ecs-saml-helper audit exec: --cloudtrail PATH... is required\n");
		goto usage;
	}
	return 0;
bad:
	fprintf(stderr, "ecs-saml-helper audit: bad or unknown argument, or a missing value: "
		"%s\n", what);
usage:
	usage();
	return -EINVAL;
}

/* The audit files into l: those given, or the configuration's audit_log. */
static int
load_logins(const struct audit_args *a, struct ecs_audit_logins *l)
{
	struct ecs_conf conf;
	int r = 0;

	ecs_conf_init(&conf);
	if (a->nlogs == 0) {
		r = ecs_helper_conf_load(a->conf_path, NULL, 0, &conf);
		if (r == 0 && conf.audit_log == NULL) {
			fprintf(stderr, "ecs-saml-helper audit: %s sets no audit_log: give "
				"--audit-log PATH\n", a->conf_path);
			r = -ECS_ECONFIG;
		}
		if (r == 0)
			r = ecs_audit_logins_add_file(l, conf.audit_log);
		if (r < 0 && r != -ECS_ECONFIG)
			fprintf(stderr, "ecs-saml-helper audit: %s: %s\n",
				conf.audit_log != NULL ? conf.audit_log : a->conf_path,
				ecs_strerror(r));
	}
	for (size_t i = 0; r == 0 && i < a->nlogs; i++) {
		r = ecs_audit_logins_add_file(l, a->logs[i]);
		if (r < 0)
			fprintf(stderr, "ecs-saml-helper audit: %s: %s (the audit file must be "
				"root's, not a symlink)\n", a->logs[i], ecs_strerror(r));
	}
	if (r == 0)
		r = ecs_audit_logins_index(l);
	if (r == 0 && l->bad_lines > 0)
		fprintf(stderr, "ecs-saml-helper audit: %zu malformed audit lines skipped\n",
			l->bad_lines);
	ecs_conf_free(&conf);
	return r;
}

/* A value for a text line: escaped as log values are, "-" when absent. */
static const char *
show(const char *v, char *buf, size_t n)
{
	if (v == NULL || v[0] == '\0')
		return "-";
	ecs_log_escape(buf, n, v, strlen(v));
	return buf;
}

static void
set_str(json_t *o, const char *key, const char *v)
{
	json_object_set_new(o, key, v != NULL ? json_string(v) : json_null());
}

/* A login as one JSON object (a new reference). */
static json_t *
login_json(const struct ecs_audit_login *g)
{
	static const char *const from_open[] = {
		"session", "user", "service", "rhost", "pid", "assertion", "issuer", "nameid",
		"role", "session_name", "source_identity", "request_id", "access_key_id",
		"expiration", NULL
	};
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	for (int i = 0; from_open[i] != NULL; i++) {
		json_t *v = json_object_get(g->open, from_open[i]);

		json_object_set(o, from_open[i], json_is_string(v) ? v : json_null());
	}
	set_str(o, "opened", ecs_audit_str(g->open, "time"));
	set_str(o, "closed", ecs_audit_str(g->close, "time"));
	set_str(o, "closed_by", ecs_audit_str(g->close, "closed_by"));
	set_str(o, "duration", ecs_audit_str(g->close, "duration"));
	return o;
}

static void
print_json(json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);

	if (s != NULL)
		puts(s);
	free(s);
}

static bool
overlaps(const struct ecs_audit_login *g, const struct audit_args *a, time_t now)
{
	time_t end = g->close != NULL ? g->closed : now;

	return end >= a->since && (a->until == 0 || g->opened < a->until);
}

static int
audit_sessions(int argc, char **argv)
{
	struct ecs_audit_logins l = { 0 };
	struct audit_args a;
	time_t now = time(NULL);
	size_t shown = 0;
	int r;

	r = parse_args(argc, argv, false, &a);
	if (r == 0)
		r = load_logins(&a, &l);
	if (r < 0)
		goto out;
	if (!a.json)
		printf("%-20s %-20s %8s %-12s %-15s %-8s %-20s %-20s %s\n", "OPENED", "CLOSED",
		       "SECONDS", "USER", "RHOST", "SERVICE", "ACCESS_KEY_ID", "SOURCE_IDENTITY",
		       "NAMEID");
	for (size_t i = 0; i < l.n; i++) {
		const struct ecs_audit_login *g = &l.v[i];
		char b1[256], b2[256], b3[256], b4[256], b5[256];

		if (!overlaps(g, &a, now) ||
		    (a.user != NULL && strcmp(ecs_audit_str(g->open, "user") ?: "", a.user) != 0))
			continue;
		shown++;
		if (a.json) {
			json_t *o = login_json(g);

			print_json(o);
			json_decref(o);
			continue;
		}
		printf("%-20s %-20s %8s %-12s %-15s %-8s %-20s %-20s %s\n",
		       ecs_audit_str(g->open, "time"),
		       g->close != NULL ? ecs_audit_str(g->close, "time") : "(open)",
		       g->close != NULL ? show(ecs_audit_str(g->close, "duration"), b5, sizeof(b5))
					: "-",
		       show(ecs_audit_str(g->open, "user"), b1, sizeof(b1)),
		       show(ecs_audit_str(g->open, "rhost"), b2, sizeof(b2)),
		       ecs_audit_str(g->open, "service") ?: "-",
		       ecs_audit_str(g->open, "access_key_id") ?: "-",
		       show(ecs_audit_str(g->open, "source_identity"), b3, sizeof(b3)),
		       show(ecs_audit_str(g->open, "nameid"), b4, sizeof(b4)));
	}
	if (!a.json)
		printf("%zu logins\n", shown);
out:
	ecs_audit_logins_free(&l);
	return r;
}

/* ------------------------------------------------------------------ audit exec */

struct exec_ctx {
	const struct audit_args *a;
	const struct ecs_audit_logins *l;
	size_t matched, unmatched, start_sessions, assumes, execs;
};

/* The login an event came from, and on what it was matched. */
static const struct ecs_audit_login *
login_of(const struct exec_ctx *c, const struct ecs_ct_event *ev, const char **on)
{
	const struct ecs_audit_login *g = ecs_audit_logins_by_akid(c->l, ev->access_key_id);

	*on = "access_key_id";
	if (g != NULL)
		return g;
	for (size_t i = c->l->n; i-- > 0;) {
		const struct ecs_audit_login *h = &c->l->v[i];
		const char *aid = ecs_audit_str(h->open, "assertion");
		const char *sid = ecs_audit_str(h->open, "source_identity");
		time_t exp = 0, end;

		if (ev->kind == ECS_CT_ASSUME_ROLE_WITH_SAML && ev->assertion_id != NULL &&
		    aid != NULL && strcmp(aid, ev->assertion_id) == 0) {
			*on = "assertion";
			return h;
		}
		/* the same SourceIdentity while the login's credentials lived */
		if (ev->kind == ECS_CT_ASSUME_ROLE_WITH_SAML || ev->source_identity == NULL ||
		    sid == NULL || strcmp(sid, ev->source_identity) != 0)
			continue;
		if (ecs_audit_str(h->open, "expiration") == NULL ||
		    ecs_time_parse(ecs_audit_str(h->open, "expiration"), &exp) < 0)
			exp = h->opened + 43200;
		end = exp;
		if (ev->time >= h->opened && ev->time <= end) {
			*on = "source_identity";
			return h;
		}
	}
	*on = NULL;
	return NULL;
}

static const char *
kind_name(enum ecs_ct_kind k)
{
	return k == ECS_CT_EXECUTE_COMMAND ? "ExecuteCommand" :
	       k == ECS_CT_ASSUME_ROLE_WITH_SAML ? "AssumeRoleWithSAML" : "StartSession";
}

static void
exec_json(const struct ecs_ct_event *ev, const struct ecs_audit_login *g, const char *on)
{
	json_t *o = json_object(), *login;

	if (o == NULL)
		return;
	set_str(o, "time", ev->event_time);
	set_str(o, "event", kind_name(ev->kind));
	set_str(o, "event_id", ev->event_id);
	set_str(o, "region", ev->region);
	set_str(o, "error_code", ev->error_code);
	set_str(o, "access_key_id", ev->access_key_id);
	set_str(o, "arn", ev->arn);
	set_str(o, "source_identity", ev->source_identity);
	if (ev->kind == ECS_CT_EXECUTE_COMMAND) {
		set_str(o, "cluster", ev->cluster);
		set_str(o, "task", ev->task);
		set_str(o, "container", ev->container);
		set_str(o, "command", ev->command);
		set_str(o, "ecs_session_id", ev->ecs_session_id);
	} else if (ev->kind == ECS_CT_ASSUME_ROLE_WITH_SAML) {
		set_str(o, "assertion", ev->assertion_id);
		set_str(o, "role_session_name", ev->role_session_name);
		set_str(o, "role", ev->role_arn);
		set_str(o, "subject", ev->subject);
		set_str(o, "issuer", ev->issuer);
	} else {
		set_str(o, "target", ev->target);
		set_str(o, "ecs_session_id", ev->ecs_session_id);
		json_object_set_new(o, "policy_should_deny", json_true());
	}
	login = g != NULL ? login_json(g) : json_null();
	json_object_set_new(o, "login", login);
	set_str(o, "matched_on", on);
	print_json(o);
	json_decref(o);
}

static void
exec_text(const struct ecs_ct_event *ev, const struct ecs_audit_login *g, const char *on)
{
	char b[8][256];

	printf("%s %s", ev->event_time, kind_name(ev->kind));
	if (ev->error_code != NULL)
		printf(" FAILED(%s)", show(ev->error_code, b[0], sizeof(b[0])));
	if (ev->kind == ECS_CT_EXECUTE_COMMAND)
		printf(" cluster=%s task=%s container=%s command=\"%s\" ecs_session=%s",
		       show(ev->cluster, b[0], sizeof(b[0])), show(ev->task, b[1], sizeof(b[1])),
		       show(ev->container, b[2], sizeof(b[2])),
		       show(ev->command, b[3], sizeof(b[3])),
		       show(ev->ecs_session_id, b[4], sizeof(b[4])));
	else if (ev->kind == ECS_CT_ASSUME_ROLE_WITH_SAML)
		printf(" assertion=%s role_session_name=%s",
		       show(ev->assertion_id, b[0], sizeof(b[0])),
		       show(ev->role_session_name, b[1], sizeof(b[1])));
	else
		printf(" target=%s (StartSession: the session policy should deny it)",
		       show(ev->target, b[0], sizeof(b[0])));
	printf(" key=%s source_identity=%s", show(ev->access_key_id, b[5], sizeof(b[5])),
	       show(ev->source_identity, b[6], sizeof(b[6])));
	if (g == NULL) {
		printf(" <- NO BASTION LOGIN\n");
		return;
	}
	printf(" <- %s from %s, login %s..%s nameid=%s session=%s (matched on %s)\n",
	       show(ecs_audit_str(g->open, "user"), b[0], sizeof(b[0])),
	       show(ecs_audit_str(g->open, "rhost"), b[1], sizeof(b[1])),
	       ecs_audit_str(g->open, "time"),
	       g->close != NULL ? ecs_audit_str(g->close, "time") : "(open)",
	       show(ecs_audit_str(g->open, "nameid"), b[2], sizeof(b[2])),
	       show(ecs_audit_str(g->open, "session"), b[3], sizeof(b[3])), on);
}

static int
on_event(const struct ecs_ct_event *ev, void *ctx)
{
	struct exec_ctx *c = ctx;
	const struct ecs_audit_login *g;
	const char *on = NULL;

	if (ev->time < c->a->since || (c->a->until != 0 && ev->time >= c->a->until))
		return 0;
	g = login_of(c, ev, &on);
	if (g != NULL)
		c->matched++;
	else
		c->unmatched++;
	c->start_sessions += ev->kind == ECS_CT_START_SESSION;
	c->assumes += ev->kind == ECS_CT_ASSUME_ROLE_WITH_SAML;
	c->execs += ev->kind == ECS_CT_EXECUTE_COMMAND;
	if (c->a->json)
		exec_json(ev, g, on);
	else
		exec_text(ev, g, on);
	return 0;
}

static int
audit_exec(int argc, char **argv)
{
	static char outbuf[1 << 16];
	struct ecs_audit_logins l = { 0 };
	struct ecs_ct_stats st = { 0 };
	struct audit_args a;
	struct exec_ctx c = { 0 };
	int r;

	r = parse_args(argc, argv, true, &a);
	if (r == 0)
		r = load_logins(&a, &l);
	if (r < 0)
		goto out;
	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	c.a = &a;
	c.l = &l;
	for (size_t i = 0; r == 0 && i < a.ntrails; i++) {
		r = ecs_ct_read_path(a.trails[i], on_event, &c, &st);
		if (r < 0)
			fprintf(stderr, "ecs-saml-helper audit exec: %s: %s\n", a.trails[i],
				ecs_strerror(r));
	}
	fflush(stdout);
	fprintf(stderr, "audit exec: %zu files (%zu skipped), %zu bytes, %zu records; "
		"%zu ExecuteCommand, %zu AssumeRoleWithSAML, %zu StartSession; %zu with a "
		"bastion login, %zu without\n", st.files, st.bad_files, st.bytes, st.records,
		c.execs, c.assumes, c.start_sessions, c.matched, c.unmatched);
out:
	ecs_audit_logins_free(&l);
	return r;
}

static int
audit_fields(void)
{
	for (int e = 0; e < ECS_AUDIT_NEVENTS; e++) {
		const struct ecs_audit_schema *s = ecs_audit_schema(e);

		printf("%s %s", s->name, s->message_id);
		for (int i = 0; s->keys[i] != NULL; i++)
			printf(" %s", s->keys[i]);
		printf("\n");
	}
	return 0;
}

int
ecs_verb_audit(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "sessions") == 0)
		return audit_sessions(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "exec") == 0)
		return audit_exec(argc - 1, argv + 1);
	if (argc == 2 && strcmp(argv[1], "fields") == 0)
		return audit_fields();
	usage();
	return -EINVAL;
}
