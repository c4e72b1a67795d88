/* verb_session.c — `ecs-saml-helper session-open` and `session-close`.
 *
 * session-open  request: USER, SERVICE, TICKET, UID, GID, RHOST?, CONF_ARG*
 *               reply:   TAG, CRED_FILE, CONFIG_FILE, REGION, EXPIRATION; MESSAGE on failure
 * session-close request: USER, TAG, UID, GID, SERVICE?, RHOST?, CONF_ARG*
 *
 * At close, before the credentials go, the login's ECS Exec sessions end with it
 * (exec_teardown.h: TerminateSession with the login's credentials, its plugins stopped);
 * whatever fails there is logged with its CODE and the close goes on.
 *
 * Without /run/user/UID the credentials go to the fallback runtime directory (credfile.h),
 * which the user's last session removes (login_end.h; gc does it for sessions that ended
 * without a close).
 *
 * The session tag is minted here, as the ticket id is at auth: it names the session's
 * record and credential directory, and the module only carries it to close.
 *
 * Root is needed only for the root-owned state: reading sts_ca_file (the STS call's trust),
 * consuming the ticket, preparing the fallback runtime directory, writing or removing the
 * session record. Everything else runs
 * as the user (ecs_privs_run_as; at close one child does all of it: ecs_login_end), before
 * it talks to STS or touches the user's runtime tree, so the kernel itself keeps it inside what the user may do; at open that side
 * answers the module itself. The root side only waits, so that a session that failed to
 * open leaves no record behind.
 * No secret goes back over the pipe: the module learns paths, the region and the expiry. */
#include <errno.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "aws_snippet.h"
#include "audit.h"
#include "caller.h"
#include "credfile.h"
#include "exec_teardown.h"
#include "ecs_err.h"
#include "ecs_io.h"
#include "ecs_misconf.h"
#include "ecs_secmem.h"
#include "ecs_time.h"
#include "logging.h"
#include "login_end.h"
#include "privs.h"
#include "refusal.h"
#include "session_audit.h"
#include "session_rec.h"
#include "sts.h"
#include "sts_policy.h"
#include "ticket.h"
#include "request.h"
#include "verbs.h"

#define IDS (ECS_REQ_BIT(ECS_HELPER_PROTO_UID) | ECS_REQ_BIT(ECS_HELPER_PROTO_GID))
#define OPEN_REQUIRED                                                                      \
	(ECS_REQ_BIT(ECS_HELPER_PROTO_USER) | ECS_REQ_BIT(ECS_HELPER_PROTO_SERVICE) |      \
	 ECS_REQ_BIT(ECS_HELPER_PROTO_TICKET) | IDS)
#define OPEN_ALLOWED                                                                       \
	(OPEN_REQUIRED | ECS_REQ_BIT(ECS_HELPER_PROTO_RHOST) | ECS_REQ_BIT(ECS_HELPER_PROTO_CONF_ARG))
#define CLOSE_REQUIRED                                                                     \
	(ECS_REQ_BIT(ECS_HELPER_PROTO_USER) | ECS_REQ_BIT(ECS_HELPER_PROTO_TAG) | IDS)
#define CLOSE_ALLOWED                                                                      \
	(CLOSE_REQUIRED | ECS_REQ_BIT(ECS_HELPER_PROTO_SERVICE) |                           \
	 ECS_REQ_BIT(ECS_HELPER_PROTO_RHOST) | ECS_REQ_BIT(ECS_HELPER_PROTO_CONF_ARG))

/* The user's ids, from this process's own NSS lookup; the ids the PAM application resolved
 * (UID, GID frames) must be the same, so that the credentials belong to the uid the
 * session will run as. The application's view is never taken on trust: a user the helper
 * cannot resolve gets no session. Root is refused: federated credentials are never root's. */
static int
lookup_user(const struct ecs_request *rq, uid_t *uid, gid_t *gid)
{
	struct passwd pw, *res = NULL;
	struct ecs_logrec rec;
	char buf[4096];
	int e;

	e = getpwnam_r(rq->user, &pw, buf, sizeof(buf), &res);
	if (e != 0 && e != ENOENT) {
		ecs_log(LOG_ERR, "user lookup failed", "user", rq->user, "reason", strerror(e),
			(char *)NULL);
		return -e;
	}
	if (res == NULL) {
		ecs_log(LOG_ERR, "user unknown to the system", "user", rq->user, "reason",
			"no passwd entry (passwd in nsswitch.conf)", (char *)NULL);
		return -ENOENT;
	}
	if (pw.pw_uid != rq->uid || pw.pw_gid != rq->gid) {
		ecs_logrec_init(&rec, "user ids differ between the PAM application and the helper");
		ecs_logrec_add(&rec, "user", rq->user);
		ecs_logrec_addf(&rec, "application_ids", "%u:%u", (unsigned)rq->uid,
				(unsigned)rq->gid);
		ecs_logrec_addf(&rec, "helper_ids", "%u:%u", (unsigned)pw.pw_uid,
				(unsigned)pw.pw_gid);
		ecs_log_rec(LOG_ERR, &rec);
		return -EPERM;
	}
	if (pw.pw_uid == 0) {
		ecs_log(LOG_ERR, "user refused", "user", rq->user, "reason", "uid 0", (char *)NULL);
		return -EPERM;
	}
	*uid = pw.pw_uid;
	*gid = pw.pw_gid;
	return 0;
}

/* The user's side tells the root side what STS issued, on ecs_privs_run_as_report's pipe,
 * in one line: "ACCESS_KEY_ID SOURCE_IDENTITY EXPIRATION_EPOCH REQUEST_ID EXPIRATION\n"
 * ("-" for an unknown value). Root's session record takes the first three (record_creds:
 * `sessions`, revoke), root's session_open audit record the key, STS's RequestId and the
 * expiry (read_facts). Nothing secret: the secret key and token never leave that side. */
#define FACTS_MAX 512

static void
report_facts(int fd, const struct ecs_sts_creds *creds, const char *exp)
{
	dprintf(fd, "%s %s %lld %s %s\n", creds->access_key_id,
		creds->source_identity != NULL ? creds->source_identity : "-",
		(long long)creds->expiration, creds->request_id != NULL ? creds->request_id : "-",
		exp);
}

struct sts_facts {
	char buf[FACTS_MAX];
	const char *access_key_id, *request_id, *expiration;	/* into buf; NULL: unknown */
};

/* Root's session_open audit record, and root's note of it for session_close. */
static void
audit_open(const struct ecs_request *rq, const char *tag, const struct ecs_ticket *t,
	   const struct sts_facts *f)
{
	struct ecs_session_audit sa = {
		.user = rq->user,
		.service = rq->service,
		.rhost = rq->rhost,
		.access_key_id = (char *)f->access_key_id,
		.opened = time(NULL),
	};
	struct ecs_audit_rec a;
	int r;

	ecs_audit_init(&a, ECS_AUDIT_SESSION_OPEN);
	ecs_audit_set(&a, "user", rq->user);
	ecs_audit_set(&a, "service", rq->service);
	ecs_audit_set(&a, "rhost", rq->rhost);
	ecs_audit_setf(&a, "pid", "%ld", (long)ecs_caller_pid());
	ecs_audit_set(&a, "session", tag);
	ecs_audit_set(&a, "assertion", t->assertion_id);
	ecs_audit_set(&a, "issuer", t->issuer);
	ecs_audit_set(&a, "nameid", t->nameid);
	ecs_audit_set(&a, "role", t->role_arn);
	ecs_audit_set(&a, "session_name", t->session_name);
	ecs_audit_set(&a, "source_identity", t->source_identity);
	ecs_audit_set(&a, "request_id", f->request_id);
	ecs_audit_set(&a, "access_key_id", f->access_key_id);
	ecs_audit_set(&a, "expiration", f->expiration);
	ecs_audit_emit(&a);
	r = ecs_session_audit_put(ECS_TICKET_SPOOL, tag, &sa);
	if (r < 0)
		ecs_log(LOG_ERR, "session audit note not written", "user", rq->user, "session",
			tag, "reason", ecs_strerror(r), (char *)NULL);
}

/* Root's session_close audit record; closed_by is "pam", "gc" or "revoke". */
void
ecs_session_audit_close(const char *tag, const char *user, const char *closed_by)
{
	struct ecs_session_audit sa = { 0 };
	struct ecs_audit_rec a;
	char opened[ECS_TIME_BUFSZ];
	time_t now = time(NULL);

	ecs_audit_init(&a, ECS_AUDIT_SESSION_CLOSE);
	ecs_audit_set(&a, "user", user);
	ecs_audit_set(&a, "session", tag);
	ecs_audit_set(&a, "closed_by", closed_by);
	if (strcmp(closed_by, "pam") == 0)
		ecs_audit_setf(&a, "pid", "%ld", (long)ecs_caller_pid());
	if (ecs_session_audit_get(ECS_TICKET_SPOOL, tag, &sa) == 0 &&
	    strcmp(sa.user, user) == 0) {
		ecs_audit_set(&a, "service", sa.service);
		ecs_audit_set(&a, "rhost", sa.rhost);
		ecs_audit_set(&a, "access_key_id", sa.access_key_id);
		ecs_time_format(sa.opened, opened);
		ecs_audit_set(&a, "opened", opened);
		ecs_audit_setf(&a, "duration", "%lld",
			       (long long)(now > sa.opened ? now - sa.opened : 0));
	}
	ecs_audit_emit(&a);
	ecs_session_audit_free(&sa);
	ecs_session_audit_remove(ECS_TICKET_SPOOL, tag);
}

/* Everything after the privilege drop: STS, then the files. */
static int
fetch_and_write(const struct ecs_request *rq, const char *tag, const struct ecs_conf *conf,
		const struct ecs_sts_trust *trust, const struct ecs_ticket *t, const char *policy,
		const char *site, uid_t uid, gid_t gid, int report_fd, struct ecs_buf *reply)
{
	struct ecs_sts_call call = {
		.role_arn = t->role_arn,
		.principal_arn = t->provider_arn,
		.saml_b64 = t->response_b64,
		.saml_len = t->response_len,
		.duration = ecs_sts_duration(conf->duration_seconds, t->session_duration,
					     t->session_not_on_or_after, time(NULL)),
		.policy = policy,
	};
	struct ecs_sts_creds creds = { 0 };
	struct ecs_sts_error err = { 0 };
	struct ecs_cred_paths paths;
	struct ecs_logrec rec;
	char exp[ECS_TIME_BUFSZ];
	int r;

	if (call.duration == 0) {
		ecs_log(LOG_NOTICE, "session refused", "user", rq->user, "service", rq->service,
			"session", tag, "assertion", t->assertion_id, "reason",
			"SessionNotOnOrAfter has passed", (char *)NULL);
		ecs_reply_message(reply, "Your SAML session has already ended: log in again.");
		r = -ECS_EREJECT;
		goto out;
	}
	ecs_logrec_init(&rec, "session-open calls STS");
	ecs_logrec_add(&rec, "user", rq->user);
	ecs_logrec_add(&rec, "session", tag);
	ecs_logrec_add(&rec, "endpoint", conf->sts_endpoint);
	ecs_logrec_addf(&rec, "duration", "%u", call.duration);
	ecs_log_rec(LOG_DEBUG, &rec);
	r = ecs_sts_assume(conf, trust, &call, &creds, &err);
	if (r < 0) {
		ecs_reply_message(reply, err.user_msg != NULL ? err.user_msg
							      : "AWS STS refused the session.");
		goto out;
	}
	r = ecs_cred_write(NULL, uid, gid, tag, &creds, conf->region, site, &paths);
	if (r == -ENOSPC || r == -EDQUOT) {
		ecs_refuse(reply, rq, "session", LOG_ERR, ECS_MISCONF_RUNTIME_FULL,
			   "session %s: cannot write credentials: %s", tag, ecs_strerror(r));
		goto out;
	}
	if (r < 0) {
		ecs_log(LOG_ERR, "cannot write credentials", "user", rq->user, "session", tag,
			"reason", ecs_strerror(r), (char *)NULL);
		ecs_reply_message(reply, "Cannot store the session's AWS credentials.");
		goto out;
	}
	ecs_time_format(creds.expiration, exp);
	r = ecs_helper_proto_put_str(reply, ECS_HELPER_PROTO_CRED_FILE, paths.credentials);
	if (r == 0)
		r = ecs_helper_proto_put_str(reply, ECS_HELPER_PROTO_CONFIG_FILE, paths.config);
	if (r == 0)
		r = ecs_helper_proto_put_str(reply, ECS_HELPER_PROTO_REGION, conf->region);
	if (r == 0)
		r = ecs_helper_proto_put_str(reply, ECS_HELPER_PROTO_EXPIRATION, exp);
	/* for root's side: the session record gets what `sessions` shows and revoke needs,
	 * root's session_open audit record what STS answered (report_facts) */
	if (r == 0)
		report_facts(report_fd, &creds, exp);
out:
	ecs_sts_creds_free(&creds);
	return r;
}

/* A fact as the audit record takes it: printable ASCII, or unknown. */
static const char *
fact(char *s)
{
	if (s == NULL || s[0] == '\0' || strcmp(s, "-") == 0)
		return NULL;
	for (char *p = s; *p != '\0'; p++)
		if (*p <= 0x20 || *p >= 0x7f)
			return NULL;
	return s;
}

static void
read_facts(const char *report, struct sts_facts *f)
{
	char *save = NULL;

	memset(f, 0, sizeof(*f));
	snprintf(f->buf, sizeof(f->buf), "%s", report);
	f->access_key_id = fact(strtok_r(f->buf, " \n", &save));
	(void)strtok_r(NULL, " \n", &save);	/* SourceIdentity: the ticket's, verified */
	(void)strtok_r(NULL, " \n", &save);	/* the expiry as a number: record_creds' */
	f->request_id = fact(strtok_r(NULL, " \n", &save));
	f->expiration = fact(strtok_r(NULL, " \n", &save));
}

struct user_side {
	const struct ecs_request *rq;
	const char *tag;
	const struct ecs_conf *conf;
	const struct ecs_sts_trust *trust;	/* read as root: the user's side cannot */
	struct ecs_ticket *t;
	const char *policy;
	const char *site;		/* aws_config_snippet, read as root, or NULL */
	uid_t uid;
	gid_t gid;
	struct ecs_buf *reply;
};

/* The user's side of session-open, run as the user (ecs_privs_run_as): call STS, write the
 * files, answer the module. */
static int
user_side(void *ctx, int report_fd)
{
	struct user_side *u = ctx;
	int r;

	r = fetch_and_write(u->rq, u->tag, u->conf, u->trust, u->t, u->policy, u->site, u->uid,
			    u->gid, report_fd, u->reply);
	/* this copy of the ticket holds the Response: wiped before anything else happens */
	ecs_ticket_free(u->t);
	ecs_reply_send(u->reply);
	return r;
}

/* sts_ca_file, read here as root like every trust file (the user's side could not, and must
 * not choose what it trusts), before the ticket is consumed: a broken file costs the user
 * nothing but this session. */
static int
load_trust(const struct ecs_request *rq, const struct ecs_conf *conf,
	   struct ecs_sts_trust *trust, struct ecs_buf *reply)
{
	const char *code = NULL;
	char why[512] = "";
	int r;

	r = ecs_sts_trust_load(conf, trust, &code, why, sizeof(why));
	if (r == -ECS_ECONFIG)
		ecs_refuse(reply, rq, "session", LOG_ERR, code, "%s", why);
	return r;
}

/* aws_config_snippet, read as root for the same reasons (the user's side writes it into the
 * session's config file); a bad one refuses the session before the ticket is used. */
static int
load_snippet(const struct ecs_request *rq, const struct ecs_conf *conf, struct ecs_buf *site,
	     struct ecs_buf *reply)
{
	char why[512] = "";
	int r;

	ecs_buf_init(site, ECS_AWS_SNIPPET_MAX + 1);
	if (conf->aws_config_snippet == NULL)
		return 0;
	r = ecs_aws_snippet_load(conf->aws_config_snippet, site, why, sizeof(why));
	if (r == -ECS_ECONFIG)
		ecs_refuse(reply, rq, "session", LOG_ERR, ECS_MISCONF_AWS_CONFIG_SNIPPET, "%s",
			   why);
	return r;
}

/* Make the user's runtime directory and record the session, under the fallback's lock: a
 * last session closing meanwhile (release_if_last) then sees this one's record and leaves
 * the directory. */
static int
prepare_runtime(const struct ecs_request *rq, uid_t uid, gid_t gid, const char *role,
		char tag[ECS_NAME_TOKEN_LEN + 1], struct ecs_buf *reply)
{
	struct ecs_session_info info = { rq->service, rq->rhost, role };
	int lfd = -1;
	int r = 0;

	if (ecs_cred_uses_fallback(NULL, uid)) {
		r = ecs_cred_fallback_apart(NULL, ECS_TICKET_SPOOL);
		if (r == -EXDEV) {
			ecs_refuse(reply, rq, "session", LOG_ERR, ECS_MISCONF_RUNTIME_DIR,
				   "no %s/%u, and the fallback %s is on the file system of the "
				   "spool %s, which users could then fill: mount a tmpfs on its "
				   "parent, or use pam_systemd", ECS_CRED_RUN_USER, (unsigned)uid,
				   ECS_CRED_FALLBACK, ECS_TICKET_SPOOL);
			goto out;
		}
		if (r == 0)
			r = ecs_cred_fallback_lock(NULL, true, &lfd);
		if (r == -EPERM || r == -ELOOP || r == -ENOTDIR) {
			ecs_refuse(reply, rq, "session", LOG_ERR, ECS_MISCONF_RUNTIME_DIR,
				   "the fallback %s is not a root-owned 0755 directory: %s",
				   ECS_CRED_FALLBACK, ecs_strerror(r));
			goto out;
		}
	}
	if (r == 0)
		r = ecs_cred_prepare(NULL, uid, gid);
	if (r == 0)
		r = ecs_session_rec_put(ECS_TICKET_SPOOL, rq->user, uid, gid, ecs_caller_pid(), &info,
					tag);
	if (r < 0)
		ecs_log(LOG_ERR, "session not prepared", "user", rq->user, "reason",
			ecs_strerror(r), (char *)NULL);
out:
	ecs_close(&lfd);	/* releases the lock */
	return r;
}

/* The root side: consume the ticket, render the policy, prepare the runtime directory and
 * record the session under a tag minted here, which goes into the reply (the module only
 * carries it, to the environment and back at close). *t and *policy are filled (the caller
 * frees them either way). */
static int
prepare_as_root(const struct ecs_request *rq, const struct ecs_conf *conf, uid_t uid,
		gid_t gid, struct ecs_ticket *t, char **policy,
		char tag[ECS_NAME_TOKEN_LEN + 1], struct ecs_buf *reply)
{
	struct ecs_policy_vars vars;
	char err[256] = "";
	const char *why = "";
	int r;

	r = ecs_ticket_take(ECS_TICKET_SPOOL, rq->ticket, rq->user, rq->service, time(NULL), t,
			    &why);
	if (r < 0) {
		ecs_log(LOG_NOTICE, "session refused", "user", rq->user, "service", rq->service,
			"reason", r == -ECS_ETICKET ? why : ecs_strerror(r), (char *)NULL);
		ecs_reply_message(reply, "No valid login ticket for this session: log in again.");
		return r;
	}
	vars.role_arn = t->role_arn;
	vars.user = rq->user;
	r = ecs_policy_render(conf, &vars, policy, err, sizeof(err));
	if (r < 0) {
		ecs_refuse(reply, rq, "session", LOG_ERR, ECS_MISCONF_SESSION_POLICY, "%s", err);
		return r;
	}
	r = prepare_runtime(rq, uid, gid, t->role_arn, tag, reply);
	if (r < 0)
		return r;
	r = ecs_helper_proto_put_str(reply, ECS_HELPER_PROTO_TAG, tag);
	if (r < 0)
		ecs_session_rec_remove(ECS_TICKET_SPOOL, tag, uid);
	return r;
}

/* Root's side, after the user's: what STS issued (the user's side's report, "AKID
 * SOURCE_IDENTITY EXPIRATION") into the session record. The session is open by now: a
 * failure here only leaves the record without them, logged. */
static void
record_creds(const struct ecs_request *rq, const char *tag, uid_t uid, const char *report)
{
	char akid[129], srcid[129];
	long long exp;
	int r = -EBADMSG;

	if (sscanf(report, "%128s %128s %lld", akid, srcid, &exp) == 3)
		r = ecs_session_rec_set_creds(ECS_TICKET_SPOOL, tag, uid, akid,
					      strcmp(srcid, "-") == 0 ? NULL : srcid, (time_t)exp);
	if (r < 0)
		ecs_log(LOG_WARNING, "session record without its credentials' key id", "user",
			rq->user, "session", tag, "reason", ecs_strerror(r), (char *)NULL);
}

int
ecs_verb_session_open(int argc, char **argv)
{
	struct ecs_request rq = { 0 };
	struct ecs_conf conf;
	struct ecs_ticket t = { 0 };
	struct ecs_buf reply;
	struct user_side u;
	struct ecs_sts_trust trust = { 0 };
	struct ecs_buf site;
	struct ecs_logrec rec;
	char *policy = NULL, who[96], tag[ECS_NAME_TOKEN_LEN + 1] = "", report[FACTS_MAX];
	struct sts_facts f;
	bool answered = false;
	uid_t uid = 0;
	gid_t gid = 0;
	int r, rr;

	ecs_conf_init(&conf);
	ecs_buf_init(&site, ECS_AWS_SNIPPET_MAX + 1);
	r = ecs_reply_begin(&reply);
	if (r == 0)
		r = ecs_request_read(argc, argv, OPEN_REQUIRED, OPEN_ALLOWED, &rq);
	if (r == 0) {
		r = ecs_request_conf(&rq, &conf);	/* logged there, with its code */
		if (r == -ECS_ECONFIG)
			ecs_refusal_tell(&reply, conf.err_code);
	}
	if (r == 0 && conf.region == NULL) {
		ecs_refuse(&reply, &rq, "session", LOG_ERR, ECS_MISCONF_REGION,
			   "region is required for sessions");
		r = -ECS_ECONFIG;
	}
	if (r == 0)
		r = load_trust(&rq, &conf, &trust, &reply);
	if (r == 0)
		r = load_snippet(&rq, &conf, &site, &reply);
	if (r == 0)
		r = lookup_user(&rq, &uid, &gid);
	if (r == 0) {
		ecs_logrec_init(&rec, "session-open user resolved");
		ecs_logrec_add(&rec, "user", rq.user);
		ecs_logrec_add(&rec, "service", rq.service);
		ecs_logrec_addf(&rec, "uid", "%u", (unsigned)uid);
		ecs_logrec_addf(&rec, "gid", "%u", (unsigned)gid);
		ecs_log_rec(LOG_DEBUG, &rec);
	}
	if (r == 0)
		r = prepare_as_root(&rq, &conf, uid, gid, &t, &policy, tag, &reply);
	if (r < 0)
		goto out;
	/* From here the user's side answers the module. If it never ran, no answer says what
	 * this side's empty reply would: nothing for the user, the exit status for the module. */
	answered = true;
	u = (struct user_side){ &rq, tag, &conf, &trust, &t, policy,
				site.len > 0 ? (const char *)site.data : NULL, uid, gid, &reply };
	snprintf(who, sizeof(who), "session %s of %s", tag, rq.user);
	r = ecs_privs_run_as_report(uid, gid, who, user_side, &u, report, sizeof(report));
	if (r == 0) {
		record_creds(&rq, tag, uid, report);
		read_facts(report, &f);
		audit_open(&rq, tag, &t, &f);
	}
	if (r < 0) {
		rr = ecs_session_rec_remove(ECS_TICKET_SPOOL, tag, uid);
		if (rr < 0)
			ecs_log(LOG_ERR, "session record left for gc", "user", rq.user, "session",
				tag, "reason", ecs_strerror(rr), (char *)NULL);
		else	/* a first session that failed leaves no fallback directory either */
			ecs_session_release_if_last(uid, gid, who);
	}
out:
	if (answered)
		ecs_buf_free(&reply);
	else
		ecs_reply_send(&reply);
	free(policy);
	ecs_ticket_free(&t);
	ecs_sts_trust_free(&trust);
	ecs_buf_free(&site);
	ecs_conf_free(&conf);
	ecs_request_free(&rq);
	return r;
}

/* sts_ca_file for TerminateSession's trust, read here as root; without it (logged) the
 * plugins are still stopped. Never fails the close. */
static bool
load_teardown_trust(const struct ecs_request *rq, const struct ecs_conf *conf,
		    struct ecs_sts_trust *trust)
{
	const char *code = NULL;
	char why[512] = "";

	if (ecs_sts_trust_load(conf, trust, &code, why, sizeof(why)) == 0)
		return true;
	ecs_log(LOG_ERR, "exec teardown without sts_ca_file", "user", rq->user, "session",
		rq->tag, "code", code ? code : ECS_TEARDOWN_E_CONFIG, "reason", why, (char *)NULL);
	return false;
}

int
ecs_verb_session_close(int argc, char **argv)
{
	struct ecs_request rq = { 0 };
	struct ecs_conf conf;
	struct ecs_sts_trust trust = { 0 };
	struct ecs_exec_login login;
	struct ecs_login_ended res;
	struct ecs_buf reply;
	bool have_conf = false, have_trust = false;
	uid_t uid = 0;
	gid_t gid = 0;
	int r;

	ecs_conf_init(&conf);
	r = ecs_reply_begin(&reply);
	if (r == 0)
		r = ecs_request_read(argc, argv, CLOSE_REQUIRED, CLOSE_ALLOWED, &rq);
	/* for audit_log and the exec teardown's endpoint and trust: a configuration that no
	 * longer loads (logged) never keeps a session from closing */
	if (r == 0)
		have_conf = ecs_request_conf(&rq, &conf) == 0;
	if (r == 0)
		r = lookup_user(&rq, &uid, &gid);
	if (r < 0)
		goto out;
	/* the record says whose session the tag is: another user's stays untouched */
	r = ecs_session_rec_remove(ECS_TICKET_SPOOL, rq.tag, uid);
	if (r < 0) {
		ecs_log(LOG_ERR, "session close refused", "user", rq.user, "session", rq.tag,
			"reason", ecs_strerror(r), (char *)NULL);
		goto out;
	}
	if (have_conf)
		have_trust = load_teardown_trust(&rq, &conf, &trust);
	/* one child as the user: the login's exec sessions end (whatever fails there is logged
	 * with its CODE and the close goes on), its credentials go, and the user's last session
	 * takes the fallback directory with it (a failure there is logged and left for gc) */
	login = (struct ecs_exec_login){ rq.user, uid, gid, rq.tag, "session-close" };
	r = ecs_login_end(have_conf ? &conf : NULL, have_trust ? &trust : NULL, &login, true,
			  &res);
	if (r == 0)
		r = res.creds;
	if (r < 0)
		ecs_log(LOG_ERR, "session close failed", "user", rq.user, "session", rq.tag,
			"reason", ecs_strerror(r), (char *)NULL);
	else
		ecs_session_audit_close(rq.tag, rq.user, "pam");
out:
	ecs_reply_send(&reply);
	ecs_sts_trust_free(&trust);
	ecs_conf_free(&conf);
	ecs_request_free(&rq);
	return r;
}
