/* exec_teardown.c — a login's ECS Exec sessions end with the login (see exec_teardown.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"

#include "aws_request.h"
#include "credfile.h"
#include "credread.h"
#include "ecs_err.h"
#include "ecs_exec_rec.h"
#include "ecs_io.h"
#include "ecs_names.h"
#include "ecs_safefile.h"
#include "exec_stop.h"
#include "exec_teardown.h"
#include "logging.h"
#include "privs.h"
#include "ssm_terminate.h"

#define REC_NAME_MAX (sizeof(ECS_EXEC_REC_PREFIX) + ECS_EXEC_SESSION_ID_MAX)
#define PLUGIN_GRACE_MS 500L	/* after TerminateSession the plugin ends by itself */
#define PLUGIN_WAIT_MS 1000L	/* after each signal */

struct teardown {
	const struct ecs_conf *conf;
	const struct ecs_sts_trust *trust;
	const struct ecs_exec_login *login;
	long long deadline;		/* CLOCK_MONOTONIC, ms */
	struct ecs_sts_creds creds;
	int creds_r;			/* 1: not read yet */
	int dfd;			/* the login's credential directory */
	int report_fd;			/* root's pipe for the audit records (-1: none) */
	unsigned failed;
};

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long
left_ms(const struct teardown *td)
{
	long long left = td->deadline - now_ms();

	return left > 0 ? (long)left : 0;
}

static long
min_l(long a, long b)
{
	return a < b ? a : b;
}

/* The fields every record of one exec session carries. */
static void
rec_fields(struct ecs_logrec *lr, const struct teardown *td, const struct ecs_exec_rec *rec)
{
	ecs_logrec_add(lr, "user", td->login->user);
	ecs_logrec_add(lr, "session", td->login->tag);
	ecs_logrec_add(lr, "by", td->login->by);
	ecs_logrec_add(lr, "exec_session", rec->session_id);
	ecs_logrec_add(lr, "cluster", rec->cluster);
	ecs_logrec_add(lr, "task", rec->task);
	ecs_logrec_add(lr, "container", rec->container);
}

/* Read record `name` strictly: the user's own regular file, bounded, in the record's form,
 * named after its own session ID, run by the login's uid. */
static int
read_record(struct teardown *td, const char *name, struct ecs_exec_rec *rec, const char **why)
{
	struct ecs_buf b;
	int r;

	ecs_buf_init(&b, ECS_EXEC_REC_MAX);
	*why = "not a regular file of the user's, or unreadable";
	r = ecs_safe_read_at(td->dfd, name, td->login->uid, ECS_EXEC_REC_MAX, &b, NULL);
	if (r == 0) {
		*why = "not in the record's form";
		r = ecs_exec_rec_parse(b.data ? (const char *)b.data : "", b.len, rec);
	}
	if (r == 0 && strcmp(name + strlen(ECS_EXEC_REC_PREFIX), rec->session_id) != 0) {
		*why = "its session ID is not its file's";
		r = -EBADMSG;
	}
	if (r == 0 && rec->uid != td->login->uid) {
		*why = "it names another uid";
		r = -EPERM;
	}
	ecs_buf_free(&b);
	return r;
}

/* Where TerminateSession goes, and the region it is signed for. */
static int
ssm_target(const struct teardown *td, const struct ecs_exec_rec *rec, char url[ECS_AWS_URL_MAX + 1],
	   const char **region)
{
	*region = ecs_name_region_ok(rec->region) ? rec->region : td->conf->region;
	if (!*region)
		return -EINVAL;
	if (td->conf->ssm_endpoint)
		return snprintf(url, ECS_AWS_URL_MAX + 1, "%s", td->conf->ssm_endpoint) <=
			       ECS_AWS_URL_MAX ? 0 : -EINVAL;
	return ecs_aws_default_endpoint("ssm", *region, url);
}

static void
log_not_terminated(const struct teardown *td, const struct ecs_exec_rec *rec, const char *code,
		   const char *reason, const struct ecs_sts_http_reply *reply)
{
	struct ecs_logrec lr;

	ecs_logrec_init(&lr, "exec session not terminated");
	rec_fields(&lr, td, rec);
	ecs_logrec_add(&lr, "code", code);
	if (reply && reply->status)
		ecs_logrec_addf(&lr, "status", "%ld", reply->status);
	if (reply && reply->error_type[0])
		ecs_logrec_add(&lr, "error", reply->error_type);
	if (reply && reply->cause)
		ecs_logrec_add(&lr, "transport", reply->cause);
	if (reply && reply->request_id[0])
		ecs_logrec_add(&lr, "request_id", reply->request_id);
	ecs_logrec_add(&lr, "reason", reason);
	ecs_log_rec(LOG_ERR, &lr);
}

/* TerminateSession for rec. true when SSM says the session is terminated. */
static bool
terminate(struct teardown *td, const struct ecs_exec_rec *rec, char request_id[80],
	  const char **code)
{
	struct ecs_ssm_terminate t = { .session_id = rec->session_id, .creds = &td->creds };
	struct ecs_sts_http_reply reply;
	char url[ECS_AWS_URL_MAX + 1];
	char why[1024];
	long left = left_ms(td);
	bool ok = false;
	int r;

	if (!td->conf || !td->trust) {
		*code = ECS_TEARDOWN_E_CONFIG;
		log_not_terminated(td, rec, ECS_TEARDOWN_E_CONFIG,
				   "the configuration or sts_ca_file could not be read", NULL);
		return false;
	}
	if (td->creds_r == 1)
		td->creds_r = ecs_cred_read_at(td->dfd, td->login->uid, &td->creds);
	if (td->creds_r < 0) {
		*code = ECS_TEARDOWN_E_CREDS;
		snprintf(why, sizeof(why), "the login's credentials file: %s",
			 ecs_strerror(td->creds_r));
		log_not_terminated(td, rec, ECS_TEARDOWN_E_CREDS, why, NULL);
		return false;
	}
	if (left < 100) {
		*code = ECS_TEARDOWN_E_TIMEOUT;
		log_not_terminated(td, rec, ECS_TEARDOWN_E_TIMEOUT,
				   "no time left in the teardown's budget", NULL);
		return false;
	}
	if (ssm_target(td, rec, url, &t.region) < 0) {
		*code = ECS_TEARDOWN_E_CONFIG;
		log_not_terminated(td, rec, ECS_TEARDOWN_E_CONFIG,
				   "no SSM endpoint: set region or ssm_endpoint", NULL);
		return false;
	}
	t.endpoint = url;
	t.timeout_ms = min_l(ECS_TEARDOWN_CALL_MS, left);
	ecs_sts_http_reply_init(&reply);
	r = ecs_ssm_terminate(&t, td->trust, &reply);
	if (r < 0) {
		*code = ECS_TEARDOWN_E_UNREACHABLE;
		snprintf(why, sizeof(why), "%s: %s", url, reply.reason[0] ? reply.reason :
			 ecs_strerror(r));
		log_not_terminated(td, rec, ECS_TEARDOWN_E_UNREACHABLE, why, &reply);
	} else if (reply.status != 200) {
		*code = ECS_TEARDOWN_E_REFUSED;
		snprintf(why, sizeof(why), "%s answered HTTP %ld", url, reply.status);
		log_not_terminated(td, rec, ECS_TEARDOWN_E_REFUSED, why, &reply);
	} else {
		ok = true;
	}
	snprintf(request_id, 80, "%s", reply.request_id[0] ? reply.request_id : "-");
	ecs_sts_http_reply_free(&reply);
	return ok;
}

/* The pipe's message for one exec session, from the user's side to root:
 *   "teardown LEN RESULT PLUGIN REQUEST_ID CODE\n" then LEN bytes: the record as ecs_exec_rec
 * renders it. RESULT is "terminated" or "not-terminated"; PLUGIN ecs_plugin_end_name or
 * "running"; REQUEST_ID SSM's or "-"; CODE the failure's or "-". One write of at most
 * PIPE_BUF bytes, so a message arrives whole or not at all; the pipe never blocks this side
 * (a full pipe loses the message, logged). */
#define REPORT_TOKEN_MAX 79

static bool
token_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > REPORT_TOKEN_MAX)
		return false;
	for (; *s != '\0'; s++)
		if (*s <= 0x20 || *s >= 0x7f)
			return false;
	return true;
}

static void
report(struct teardown *td, const struct ecs_exec_rec *rec, bool terminated, const char *code,
       const char *request_id, const char *plugin)
{
	struct ecs_buf text, msg;
	int r;

	if (td->report_fd < 0)
		return;		/* no pipe: logged by root */
	ecs_buf_init(&text, ECS_EXEC_REC_MAX);
	ecs_buf_init(&msg, PIPE_BUF);
	r = ecs_exec_rec_render(rec, &text);
	if (r == 0)
		r = ecs_buf_printf(&msg, "teardown %zu %s %s %s %s\n", text.len,
				   terminated ? "terminated" : "not-terminated", plugin,
				   token_ok(request_id) ? request_id : "-", code ? code : "-");
	if (r == 0)
		r = ecs_buf_append(&msg, text.data, text.len);
	if (r == 0 && write(td->report_fd, msg.data, msg.len) != (ssize_t)msg.len)
		r = -errno;
	if (r < 0)
		ecs_log(LOG_ERR, "exec session not reported for the audit record", "user",
			td->login->user, "session", td->login->tag, "exec_session", rec->session_id,
			"reason", ecs_strerror(r), (char *)NULL);
	ecs_buf_free(&msg);
	ecs_buf_free(&text);
}

/* Root's side: the exec_terminated audit record of each whole message on fd (the user's
 * side has ended). A message that does not parse ends the reading, logged: what came
 * before it stands. */
static void
audit_reports(int fd, const struct ecs_exec_login *login)
{
	struct ecs_buf in;
	char chunk[PIPE_BUF];
	size_t off = 0;
	ssize_t n;
	int r = 0;

	ecs_buf_init(&in, (size_t)ECS_TEARDOWN_MAX_RECORDS * PIPE_BUF);
	while (r == 0 && (n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0)
			r = errno == EINTR ? 0 : -errno;
		else
			r = ecs_buf_append(&in, chunk, (size_t)n);
	}
	while (r == 0 && off < in.len) {
		char line[256], result[32], plugin[32], rid[REPORT_TOKEN_MAX + 1];
		char code[REPORT_TOKEN_MAX + 1];
		const char *p = (const char *)in.data + off;
		const char *nl = memchr(p, '\n', in.len - off);
		struct ecs_exec_rec rec;
		struct ecs_audit_exec_result res = { .ended_by = login->by };
		size_t len, hl;

		r = -EBADMSG;
		if (nl == NULL || (hl = (size_t)(nl - p)) >= sizeof(line))
			break;
		memcpy(line, p, hl);
		line[hl] = '\0';
		if (sscanf(line, "teardown %zu %31s %31s %79s %79s", &len, result, plugin, rid,
			   code) != 5 || len > ECS_EXEC_REC_MAX || len > in.len - off - hl - 1)
			break;
		if (ecs_exec_rec_parse(nl + 1, len, &rec) < 0 || rec.uid != login->uid)
			break;
		if (strcmp(result, "terminated") != 0 && strcmp(result, "not-terminated") != 0)
			break;
		res.terminated = strcmp(result, "terminated") == 0;
		res.plugin = plugin;
		res.ssm_request_id = strcmp(rid, "-") != 0 ? rid : NULL;
		res.code = strcmp(code, "-") != 0 ? code : NULL;
		ecs_audit_exec_terminated(login->user, login->tag, &rec, &res);
		off += hl + 1 + len;
		r = 0;
	}
	if (r < 0)
		ecs_log(LOG_ERR, "exec teardown's report not read", "user", login->user, "session",
			login->tag, "by", login->by, "reason", ecs_strerror(r), (char *)NULL);
	ecs_buf_free(&in);
}

/* End one recorded exec session: TerminateSession, then its plugin. */
static void
end_one(struct teardown *td, const char *name)
{
	struct ecs_exec_rec rec;
	struct ecs_logrec lr;
	enum ecs_plugin_end end = ECS_PLUGIN_GONE;
	char request_id[80] = "-";
	const char *why = "", *code = NULL;
	bool terminated;
	int r;

	r = read_record(td, name, &rec, &why);
	if (r < 0) {
		td->failed++;
		ecs_log(LOG_ERR, "exec record not read", "user", td->login->user, "session",
			td->login->tag, "by", td->login->by, "file", name, "code",
			ECS_TEARDOWN_E_RECORD, "reason", why, (char *)NULL);
		return;
	}
	terminated = terminate(td, &rec, request_id, &code);
	r = ecs_plugin_stop(rec.pid, rec.pid_start, td->login->uid,
			    terminated ? min_l(PLUGIN_GRACE_MS, left_ms(td)) : 0,
			    min_l(PLUGIN_WAIT_MS, left_ms(td) + 200), &end);
	if (r < 0) {
		ecs_logrec_init(&lr, "exec plugin not stopped");
		rec_fields(&lr, td, &rec);
		ecs_logrec_addf(&lr, "pid", "%ld", (long)rec.pid);
		ecs_logrec_add(&lr, "code", ECS_TEARDOWN_E_PLUGIN);
		ecs_logrec_add(&lr, "reason", ecs_strerror(r));
		ecs_log_rec(LOG_ERR, &lr);
		if (terminated)
			code = ECS_TEARDOWN_E_PLUGIN;
	}
	report(td, &rec, terminated, code, request_id,
	       r < 0 ? "running" : ecs_plugin_end_name(end));
	ecs_logrec_init(&lr, "exec session ended");
	rec_fields(&lr, td, &rec);
	ecs_logrec_add(&lr, "terminate", terminated ? "ok" : "failed");
	ecs_logrec_add(&lr, "request_id", request_id);
	ecs_logrec_addf(&lr, "pid", "%ld", (long)rec.pid);
	ecs_logrec_add(&lr, "plugin", r < 0 ? "running" : ecs_plugin_end_name(end));
	if (rec.reason[0])
		ecs_logrec_add(&lr, "reason", rec.reason);
	ecs_log_rec(terminated && r == 0 ? LOG_INFO : LOG_WARNING, &lr);
	if (!terminated || r < 0)
		td->failed++;
	else
		ecs_exec_rec_remove(td->dfd, rec.session_id);	/* nothing is left of it */
}

/* The names of the records in the credential directory, at most ECS_TEARDOWN_MAX_RECORDS. */
static int
list_records(struct teardown *td, char names[][REC_NAME_MAX], unsigned *n)
{
	struct dirent *de;
	unsigned more = 0;
	DIR *d;
	int fd;

	*n = 0;
	fd = openat(td->dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -errno;
	}
	while ((de = readdir(d)) != NULL) {
		if (!ecs_exec_rec_name_ok(de->d_name))
			continue;
		if (*n == ECS_TEARDOWN_MAX_RECORDS) {
			more++;
			continue;
		}
		/* ecs_exec_rec_name_ok bounds it: prefix + at most ECS_EXEC_SESSION_ID_MAX */
		memcpy(names[(*n)++], de->d_name, strlen(de->d_name) + 1);
	}
	closedir(d);
	if (more) {
		char count[16];

		td->failed++;
		snprintf(count, sizeof(count), "%u", more);
		ecs_log(LOG_ERR, "exec records not read", "user", td->login->user, "session",
			td->login->tag, "by", td->login->by, "count", count, "code",
			ECS_TEARDOWN_E_RECORD, "reason", "more records than a login can have",
			(char *)NULL);
	}
	return 0;
}

/* The user's side: everything, as the user. */
int
ecs_exec_teardown_run(struct ecs_exec_teardown *t)
{
	static char names[ECS_TEARDOWN_MAX_RECORDS][REC_NAME_MAX];
	struct teardown td = {
		.conf = t->conf,
		.trust = t->trust,
		.login = t->login,
		.deadline = now_ms() + ECS_TEARDOWN_BUDGET_MS,
		.creds_r = 1,
		.dfd = -1,
		.report_fd = t->report_fd,
	};
	unsigned n = 0;
	int r;

	ecs_close(&t->report_rfd);	/* root's end */
	r = ecs_cred_open_session(NULL, td.login->uid, td.login->tag, &td.dfd);
	if (r == -ENOENT) {
		r = 0;	/* no credential directory: no exec session was recorded */
		goto out;
	}
	if (r == 0)
		r = list_records(&td, names, &n);
	if (r < 0) {
		ecs_log(LOG_ERR, "exec records not read", "user", td.login->user, "session",
			td.login->tag, "by", td.login->by, "code", ECS_TEARDOWN_E_RECORD,
			"reason", ecs_strerror(r), (char *)NULL);
		goto out;
	}
	for (unsigned i = 0; i < n; i++)
		end_one(&td, names[i]);
	r = td.failed ? -EIO : 0;
out:
	ecs_sts_creds_free(&td.creds);
	ecs_close(&td.dfd);
	return r;
}

void
ecs_exec_teardown_begin(struct ecs_exec_teardown *t, const struct ecs_conf *conf,
			const struct ecs_sts_trust *trust, const struct ecs_exec_login *login)
{
	int fds[2] = { -1, -1 };

	/* What the user's side did comes back on root's pipe for root's audit records. It is
	 * sized for every message a login can have, and never blocks that side: a side that
	 * cannot report still ends the sessions. */
	if (pipe2(fds, O_CLOEXEC) == 0) {
		(void)fcntl(fds[0], F_SETPIPE_SZ, ECS_TEARDOWN_MAX_RECORDS * PIPE_BUF);
		(void)fcntl(fds[1], F_SETFL, O_NONBLOCK);
	} else {
		ecs_log(LOG_ERR, "exec teardown's report pipe not made", "user", login->user,
			"session", login->tag, "reason", ecs_strerror(-errno), (char *)NULL);
	}
	*t = (struct ecs_exec_teardown){ conf, trust, login, fds[1], fds[0] };
}

void
ecs_exec_teardown_end(struct ecs_exec_teardown *t)
{
	ecs_close(&t->report_fd);	/* the child's copy went with it: the read ends at EOF */
	if (t->report_rfd >= 0)
		audit_reports(t->report_rfd, t->login);
	ecs_close(&t->report_rfd);
}
