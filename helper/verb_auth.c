/* verb_auth.c — `ecs-saml-helper auth`: validate the Response a PAM user handed over and
 * leave a ticket for the session.
 *
 * Request: USER, SERVICE, RHOST, CONF_ARG*, RESPONSE, ROLE_CHOICE?  (ecs_helper_proto.h)
 * Reply:   TICKET on success; ROLE* when the user must choose (exit 0 without a ticket);
 *          MESSAGE for the user on refusal.
 *
 * Role choice and one-time use: when several allowed roles remain and no choice was sent,
 * the helper answers with the list and consumes nothing, so a user who takes a moment to
 * choose is not locked out of their own assertion. The module then sends the same Response
 * again with the choice; that run validates everything afresh (clock included) and only then
 * consumes the assertion ID. A replayed Response can therefore get a role list, which tells
 * its holder nothing they could not read in it, but never a second ticket. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include <unistd.h>

#include "audit.h"
#include "caller.h"
#include "ecs_err.h"
#include "ecs_misconf.h"
#include "ecs_names.h"
#include "logging.h"
#include "privsep.h"
#include "refusal.h"
#include "replay.h"
#include "replay_cache.h"
#include "revoke_redis.h"
#include "saml_reject.h"
#include "saml_verify.h"
#include "ticket.h"
#include "usermap_file.h"
#include "request.h"
#include "verbs.h"

#define AUTH_REQUIRED                                                                      \
	(ECS_REQ_BIT(ECS_HELPER_PROTO_USER) | ECS_REQ_BIT(ECS_HELPER_PROTO_SERVICE) |                          \
	 ECS_REQ_BIT(ECS_HELPER_PROTO_RESPONSE))
#define AUTH_ALLOWED                                                                       \
	(AUTH_REQUIRED | ECS_REQ_BIT(ECS_HELPER_PROTO_RHOST) | ECS_REQ_BIT(ECS_HELPER_PROTO_CONF_ARG) |        \
	 ECS_REQ_BIT(ECS_HELPER_PROTO_ROLE_CHOICE))

/* A refusal after the Response was verified: the audit record carries its Issuer and NameID
 * (ecs_audit_verified, set once the validator accepted it). */
static int
refuse(const struct ecs_request *rq, struct ecs_buf *reply, const char *code, const char *why)
{
	ecs_refuse(reply, rq, "auth", LOG_NOTICE, code, "%s", why);
	return -ECS_EREJECT;
}

/* With replay_cache on Redis: a user revoked fleet-wide (`ecs-saml-helper revoke` on any
 * bastion) is refused, and so is everyone when Redis cannot say (fail closed). Checked
 * before the role is offered and before anything is consumed. */
static int
check_revoked(const struct ecs_request *rq, const struct ecs_conf *conf, struct ecs_buf *reply)
{
	struct ecs_redis_fail f;
	int r;

	if (!ecs_revoked_fleet(conf))
		return 0;
	r = ecs_revoked_check(conf, rq->user, &f);
	if (r == 1)
		return refuse(rq, reply, ECS_REVOKED_CODE, "revoked fleet-wide by an administrator "
			      "(ecs-saml-helper revoke)");
	if (r < 0)
		ecs_refuse(reply, rq, "auth", LOG_ERR, f.code != NULL ? f.code :
			   ECS_REDIS_E_UNREACHABLE, "revocation check: %s: failing closed",
			   f.detail);
	return r;
}

/* The auth_accepted audit record (audit.h). */
static void
audit_accepted(const struct ecs_request *rq, const struct ecs_saml_result *res,
	       const struct ecs_saml_role *role)
{
	struct ecs_audit_rec a;

	ecs_audit_init(&a, ECS_AUDIT_AUTH_ACCEPTED);
	ecs_audit_set(&a, "user", res->user);
	ecs_audit_set(&a, "service", rq->service);
	ecs_audit_set(&a, "rhost", rq->rhost);
	ecs_audit_setf(&a, "pid", "%ld", (long)ecs_caller_pid());
	ecs_audit_set(&a, "assertion", res->assertion_id);
	ecs_audit_set(&a, "issuer", res->issuer);
	ecs_audit_set(&a, "nameid", res->nameid);
	ecs_audit_set(&a, "role", role->role_arn);
	ecs_audit_set(&a, "session_name", res->session_name);
	ecs_audit_set(&a, "source_identity", res->source_identity);
	ecs_audit_emit(&a);
}

/* Pick the role: 0 with *role set, 1 when the list went back for the user to choose. */
static int
pick_role(const struct ecs_request *rq, const struct ecs_saml_result *res,
	  struct ecs_buf *reply, const struct ecs_saml_role **role)
{
	int r = 0;

	if (res->nroles == 0)
		return refuse(rq, reply, ECS_REJ_ROLE, "no allowed role");
	if (rq->role_choice > res->nroles)
		return refuse(rq, reply, ECS_REJ_ROLE, "role choice out of range");
	if (rq->role_choice > 0) {
		*role = &res->roles[rq->role_choice - 1];
		return 0;
	}
	if (res->nroles == 1) {
		*role = &res->roles[0];
		return 0;
	}
	if (res->nroles > ECS_HELPER_PROTO_MAX_ROLES) {
		char why[96];

		snprintf(why, sizeof(why), "%zu roles to choose from (at most %u)", res->nroles,
			 ECS_HELPER_PROTO_MAX_ROLES);
		ecs_audit_auth_refused(rq->user, rq->service, rq->rhost, LOG_NOTICE, ECS_REJ_ROLE, why);
		ecs_reply_message(reply, "Too many roles to choose from: ask for a narrower "
					 "allowed_roles on this host.");
		return -ECS_EREJECT;
	}
	for (size_t i = 0; r == 0 && i < res->nroles; i++)
		r = ecs_helper_proto_put_str(reply, ECS_HELPER_PROTO_ROLE, res->roles[i].role_arn);
	return r < 0 ? r : 1;
}

/* A write that failed for want of space: the administrator's to fix, and the user's Response
 * is still unused (issue_ticket), which the sentence says. */
static int
no_space(const struct ecs_request *rq, struct ecs_buf *reply, const char *what, int r)
{
	ecs_refuse(reply, rq, "auth", LOG_ERR, ECS_MISCONF_NO_SPACE, "%s: %s", what,
		   ecs_strerror(r));
	return r;
}

static bool
is_no_space(int r)
{
	return r == -ENOSPC || r == -EDQUOT;
}

/* Record the user for NSS, store the ticket, then consume the assertion.
 *
 * The replay entry is the commit point and comes last: everything that can fail for an
 * ordinary reason (a full file system, a user map that will not take the user) fails
 * before it, so such a failure leaves the Response usable for a retry. The ticket is
 * written first but its id is handed out only after the consumption succeeded; when it
 * does not (a replay, a replay cache that cannot record), the ticket is withdrawn. The
 * consumption itself is one exclusive create under the cache's lock, so of any number of
 * concurrent runs with one Response exactly one gets its ticket out: there is no moment at
 * which the same Response can log in twice. */
static int
issue_ticket(const struct ecs_request *rq, const struct ecs_conf *conf,
	     const struct ecs_saml_result *res, const struct ecs_saml_role *role, time_t now,
	     struct ecs_buf *reply)
{
	struct ecs_ticket t = {
		.user = res->user,
		.service = rq->service,
		.created = now,
		.expires = ecs_ticket_expiry(res->issue_instant, res->not_on_or_after),
		.role_arn = role->role_arn,
		.provider_arn = role->provider_arn,
		.assertion_id = res->assertion_id,
		.issuer = res->issuer,
		.nameid = res->nameid,
		.session_name = res->session_name,
		.source_identity = res->source_identity,
		.session_duration = res->session_duration,
		.session_not_on_or_after = res->session_not_on_or_after,
		.response_b64 = res->response_b64,
		.response_len = res->response_b64_len,
	};
	struct ecs_redis_fail rf;
	char why[256] = "";
	char id[ECS_NAME_TOKEN_LEN + 1];
	time_t until;
	int r, rr;

	if (t.expires <= now)
		return refuse(rq, reply, ECS_REJ_STALE, "too late for STS to redeem it");
	r = ecs_usermap_record(conf, res->user, res->issuer, res->display_name, now, why,
			       sizeof(why));
	if (is_no_space(r))
		return no_space(rq, reply, "user map", r);
	if (r == -ECS_EREJECT) {	/* the name belongs to another IdP's user */
		ecs_refuse(reply, rq, "auth", LOG_NOTICE, ECS_MISCONF_USER_OTHER_IDP, "%s", why);
		return r;
	}
	if (r < 0) {
		ecs_audit_auth_refused(rq->user, rq->service, rq->rhost, LOG_ERR, ECS_AUDIT_CODE_USERMAP,
				       why[0] != '\0' ? why : ecs_strerror(r));
		ecs_reply_message(reply, why[0] != '\0' ? why : "Cannot record this user.");
		return r;
	}
	r = ecs_ticket_put(ECS_TICKET_SPOOL, &t, id);
	if (is_no_space(r))
		return no_space(rq, reply, "ticket spool " ECS_TICKET_SPOOL, r);
	if (r < 0) {
		ecs_log(LOG_ERR, "cannot store a ticket", "reason", ecs_strerror(r), (char *)NULL);
		return r;
	}
	until = ecs_replay_expiry(res->issue_instant, res->not_on_or_after,
				  conf->max_assertion_age, conf->clock_skew);
	r = ecs_replay_cache_consume(conf, res->issuer, res->assertion_id, until, now, &rf);
	if (r < 0) {
		rr = ecs_ticket_drop(ECS_TICKET_SPOOL, id);
		if (rr < 0)	/* nobody knows its id; gc removes it when it expires */
			ecs_log(LOG_ERR, "unused ticket left for gc", "reason",
				ecs_strerror(rr), (char *)NULL);
	}
	if (r == -ECS_EREPLAY)
		return refuse(rq, reply, ECS_REJ_REPLAY, res->assertion_id);
	if (r < 0 && rf.code != NULL) {	/* Redis: unreachable, slow, refusing, garbled */
		ecs_refuse(reply, rq, "auth", LOG_ERR, rf.code, "replay cache: %s: failing closed",
			   rf.detail);
		return r;
	}
	if (is_no_space(r))
		return no_space(rq, reply, "replay cache in state_dir", r);
	if (r < 0) {
		ecs_log(LOG_ERR, "replay cache unusable, failing closed", "reason",
			ecs_strerror(r), (char *)NULL);
		return r;
	}
	audit_accepted(rq, res, role);
	return ecs_helper_proto_put_str(reply, ECS_HELPER_PROTO_TICKET, id);
}

int
ecs_verb_auth(int argc, char **argv)
{
	struct ecs_request rq = { 0 };
	struct ecs_conf conf;
	struct ecs_verifier *v = NULL;
	struct ecs_saml_result res = { 0 };
	struct ecs_reject rej = { 0 };
	const struct ecs_saml_role *role = NULL;
	struct ecs_buf reply;
	struct ecs_logrec rec;
	time_t now = time(NULL);
	int r;

	ecs_conf_init(&conf);
	r = ecs_reply_begin(&reply);
	if (r == 0)
		r = ecs_request_read(argc, argv, AUTH_REQUIRED, AUTH_ALLOWED, &rq);
	if (r == 0) {
		r = ecs_request_conf(&rq, &conf);	/* logged there, with its code */
		if (r == -ECS_ECONFIG)
			ecs_refusal_tell(&reply, conf.err_code);
	}
	if (r == 0) {
		ecs_logrec_init(&rec, "auth request");
		ecs_logrec_add(&rec, "user", rq.user);
		ecs_logrec_add(&rec, "service", rq.service);
		ecs_logrec_addf(&rec, "response_bytes", "%zu", rq.response_len);
		ecs_logrec_add(&rec, "encoding", ecs_kbd_encoding_name(rq.response_encoding));
		ecs_logrec_add(&rec, "role_choice", rq.role_choice > 0 ? "yes" : "no");
		ecs_log_rec(LOG_DEBUG, &rec);
		r = ecs_verifier_new(&conf, &v, &rej);
		/* no Response can be checked: the administrator must act, and the user must
		 * learn that it is not their Response at fault */
		if (r == -ECS_ECONFIG)
			ecs_refuse(&reply, &rq, "auth", LOG_ERR,
				   rej.code != NULL ? rej.code : ECS_CONF_E_VALUE, "%s", rej.msg);
	}
	if (r < 0)
		goto out;
	/* parsed and verified in a sandboxed child, never as root (privsep.h) */
	r = ecs_privsep_validate(&conf, v, rq.response, rq.response_len, rq.response_encoding, now,
				 &res, &rej);
	if (r == -ECS_EREJECT || r == -ECS_ECONFIG) {
		ecs_refuse(&reply, &rq, "auth", r == -ECS_EREJECT ? LOG_NOTICE : LOG_ERR, rej.code,
			   "%s", rej.msg);
		goto out;
	}
	if (r < 0)
		goto out;
	ecs_audit_verified(res.issuer, res.nameid);
	ecs_logrec_init(&rec, "auth verified");
	ecs_logrec_add(&rec, "user", rq.user);
	ecs_logrec_add(&rec, "service", rq.service);
	ecs_logrec_add(&rec, "assertion", res.assertion_id);
	ecs_logrec_add(&rec, "issuer", res.issuer);
	ecs_logrec_addf(&rec, "allowed_roles", "%zu", res.nroles);
	ecs_log_rec(LOG_DEBUG, &rec);
	/* the assertion proves who it is for; the SSH user must be exactly that user */
	if (strcmp(res.user, rq.user) != 0) {
		r = refuse(&rq, &reply, ECS_REJ_USER_MISMATCH, "the assertion maps to another user");
		goto out;
	}
	r = check_revoked(&rq, &conf, &reply);
	if (r == 0)
		r = pick_role(&rq, &res, &reply, &role);
	if (r == 1) {
		ecs_logrec_init(&rec, "auth role choice asked");
		ecs_logrec_add(&rec, "user", rq.user);
		ecs_logrec_addf(&rec, "roles", "%zu", res.nroles);
		ecs_log_rec(LOG_INFO, &rec);
		r = 0;
		goto out;
	}
	if (r == 0)
		r = issue_ticket(&rq, &conf, &res, role, now, &reply);
out:
	ecs_reply_send(&reply);
	ecs_saml_result_free(&res);
	ecs_verifier_free(v);
	ecs_conf_free(&conf);
	ecs_request_free(&rq);
	return r;
}
