/* verb_sessions.c — `ecs-saml-helper sessions [--json]`: the live logins of this host.
 *
 * One line (or JSON object) per session record (session_rec.h): user, session tag, PAM
 * service and rhost, when it opened, the role, the credentials' AccessKeyId, SourceIdentity
 * and expiry, the pid of the process that opened it and whether that process still runs
 * (a dead one is what gc reaps), and the exec sessions recorded in its credential directory
 * (ecs_exec_rec.h), which are read as the session's user. Everything comes from root's
 * records except the exec records, which the user's ecs-saml-exec writes: they are the
 * user's claim, shown as such (their IDs only). */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "credfile.h"
#include "ecs_err.h"
#include "ecs_exec_rec.h"
#include "ecs_io.h"
#include "ecs_str.h"
#include "ecs_time.h"
#include "privs.h"
#include "session_rec.h"
#include "ticket.h"
#include "verbs.h"

#define EXECS_MAX 3500	/* bytes of exec session IDs reported: within PIPE_BUF */

struct listing {
	bool json;
	unsigned n;
};

/* Run as the session's user: the IDs of the exec sessions recorded in its credential
 * directory, space-separated, on report_fd; "?" when the directory cannot be read (a
 * missing one, after a close, has none). */
static int
exec_ids(void *ctx, int report_fd)
{
	const struct ecs_session_rec *s = ctx;
	struct dirent *de;
	size_t used = 0, len;
	DIR *d = NULL;
	int dfd = -1;
	int r;

	r = ecs_cred_open_session(NULL, s->uid, s->tag, &dfd);
	if (r == -ENOENT)
		return 0;
	if (r == 0 && (d = fdopendir(dfd)) == NULL)
		r = -errno;
	if (r < 0) {
		ecs_close(&dfd);
		dprintf(report_fd, "?");
		return 0;
	}
	while ((de = readdir(d)) != NULL) {
		if (!ecs_exec_rec_name_ok(de->d_name))
			continue;
		len = strlen(de->d_name) - strlen(ECS_EXEC_REC_PREFIX);
		if (used + len + 1 > EXECS_MAX)
			break;
		dprintf(report_fd, "%s%s", used > 0 ? " " : "",
			de->d_name + strlen(ECS_EXEC_REC_PREFIX));
		used += len + 1;
	}
	closedir(d);	/* closes dfd */
	return 0;
}

/* A JSON string, or null for a field not known ("-"). Record values need no escaping
 * (session_rec.c keeps them to printable ASCII without quote or backslash). */
static void
json_str(const char *key, const char *v, bool last)
{
	if (v == NULL || strcmp(v, "-") == 0)
		printf("\"%s\": null%s", key, last ? "" : ", ");
	else
		printf("\"%s\": \"%s\"%s", key, v, last ? "" : ", ");
}

static void
json_time(const char *key, time_t t)
{
	char buf[ECS_TIME_BUFSZ];

	ecs_time_format(t, buf);
	json_str(key, t > 0 ? buf : NULL, false);
}

static void
print_json(const struct ecs_session_rec *s, bool alive, const char *execs)
{
	const char *p = execs;
	size_t len;
	bool first = true;

	printf("    {");
	json_str("user", s->user, false);
	printf("\"uid\": %u, ", (unsigned)s->uid);
	json_str("session", s->tag, false);
	json_str("service", s->service, false);
	json_str("rhost", s->rhost, false);
	json_time("opened", s->opened);
	json_str("role", s->role, false);
	json_str("access_key_id", s->access_key_id, false);
	json_str("source_identity", s->source_identity, false);
	json_time("expiration", s->expiration);
	printf("\"pid\": %ld, \"pid_alive\": %s, ", (long)s->pid, alive ? "true" : "false");
	if (strcmp(execs, "?") == 0) {
		printf("\"exec_sessions\": null}");
		return;
	}
	printf("\"exec_sessions\": [");
	while (*p != '\0') {
		len = strcspn(p, " ");
		printf("%s\"%.*s\"", first ? "" : ", ", (int)len, p);
		first = false;
		p += len + (p[len] == ' ');
	}
	printf("]}");
}

static void
print_line(const struct ecs_session_rec *s, bool alive, const char *execs)
{
	char exp[ECS_TIME_BUFSZ] = "-";
	unsigned n = 0;

	if (s->expiration > 0)
		ecs_time_format(s->expiration, exp);
	for (const char *p = execs; *p != '\0'; p++)
		n += p == execs || p[-1] == ' ';
	printf("%-16s %s %-8s %-20s %s %s %s %s %ld %-4s ", s->user, s->tag,
	       s->service ? s->service : "-", s->rhost ? s->rhost : "-",
	       s->role ? s->role : "-", s->access_key_id ? s->access_key_id : "-",
	       s->source_identity ? s->source_identity : "-", exp, (long)s->pid,
	       alive ? "yes" : "no");
	if (strcmp(execs, "?") == 0)
		printf("?\n");
	else
		printf("%u%s%s\n", n, n > 0 ? " " : "", execs);
}

static int
list_one(const struct ecs_session_rec *s, void *ctx)
{
	struct listing *l = ctx;
	char execs[EXECS_MAX + 64], who[96];
	bool alive = ecs_session_rec_alive(s);

	snprintf(who, sizeof(who), "sessions: session %s of %s", s->tag, s->user);
	if (ecs_privs_run_as_report(s->uid, s->gid, who, exec_ids, (void *)s, execs,
				    sizeof(execs)) < 0)
		ecs_strlcpy(execs, "?", sizeof(execs));
	if (l->json) {
		printf("%s", l->n > 0 ? ",\n" : "\n");
		print_json(s, alive, execs);
	} else {
		print_line(s, alive, execs);
	}
	l->n++;
	return 0;
}

int
ecs_verb_sessions(int argc, char **argv)
{
	struct listing l = { 0 };
	int r;

	if (argc == 2 && strcmp(argv[1], "--json") == 0) {
		l.json = true;
	} else if (argc != 1) {
		fprintf(stderr, "usage: ecs-saml-helper sessions [--json]\n");
		return -EINVAL;
	}
	if (l.json)
		printf("{\"sessions\": [");
	else
		printf("USER SESSION SERVICE RHOST ROLE ACCESS_KEY_ID SOURCE_IDENTITY EXPIRES PID "
		       "ALIVE EXEC_SESSIONS\n");
	fflush(stdout);	/* the children's stdout is ours: nothing buffered twice */
	r = ecs_session_rec_each(ECS_TICKET_SPOOL, list_one, &l);
	if (r == -ENOENT)	/* no session was ever opened here */
		r = 0;
	if (l.json)
		printf("%s]}\n", l.n > 0 ? "\n  " : "");
	if (r < 0)
		fprintf(stderr, "sessions: cannot read the session records in %s/%s: %s\n",
			ECS_TICKET_SPOOL, ECS_SESSION_SUB, ecs_strerror(r));
	if (fflush(stdout) != 0 && r == 0)
		r = -EIO;
	return r;
}
