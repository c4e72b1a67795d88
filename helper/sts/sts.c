/* sts.c — one AssumeRoleWithSAML exchange: retries within a budget, logging, the result
 * (see sts.h). The request, the transport and the reply parser live in sts_request.c,
 * sts_http.c and sts_reply.c; this file only decides what to do with each outcome. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "ecs_err.h"
#include "ecs_limits.h"
#include "logging.h"
#include "sts.h"
#include "sts_errmap.h"
#include "sts_http.h"
#include "sts_request.h"
#include "sts_reply.h"
#include "xml_lib.h"

#define MAX_TRANSIENT_RETRIES 3
#define BACKOFF_BASE_MS 100
#define BACKOFF_CAP_MS 2000
#define MIN_ATTEMPT_MS 200	/* no point starting a request with less time than this left */

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

unsigned
ecs_sts_duration(unsigned configured, unsigned session_duration, time_t session_not_on_or_after,
		 time_t now)
{
	unsigned long long d = configured;

	if (session_duration && session_duration < d)
		d = session_duration;
	if (session_not_on_or_after) {
		/* the IdP says the session is over: no credentials at all, not 900 s of them */
		if (session_not_on_or_after <= now)
			return 0;
		if ((unsigned long long)(session_not_on_or_after - now) < d)
			d = (unsigned long long)(session_not_on_or_after - now);
	}
	if (d < ECS_STS_MIN_DURATION)
		d = ECS_STS_MIN_DURATION;
	if (d > ECS_STS_MAX_DURATION)
		d = ECS_STS_MAX_DURATION;
	return (unsigned)d;
}

/* Forget what the previous attempt said; keep the counters. */
static void
reset_error(struct ecs_sts_error *err)
{
	err->code[0] = 0;
	err->message[0] = 0;
	err->request_id[0] = 0;
	err->cause = NULL;
	err->http_status = 0;
}

/* The code= of a log line: STS's own error code, or the CODE of why none came. */
static const char *
log_code(const struct ecs_sts_error *err)
{
	if (err->code[0])
		return err->code;
	return err->cause ? err->cause : "-";
}

/* One request. 0 (success, *out filled), -ECS_ESTS (error document), or a transport or
 * parse error, with err describing the outcome either way. */
static int
attempt(struct ecs_sts_http *h, const struct ecs_sts_call *call,
	const struct ecs_strlist *arns, long long deadline, struct ecs_sts_creds *out,
	struct ecs_sts_error *err)
{
	struct ecs_buf body;
	struct ecs_sts_http_reply reply;
	long long left = deadline - now_ms();
	int r;

	ecs_buf_init(&body, ECS_STS_BODY_MAX);
	ecs_sts_http_reply_init(&reply);
	reset_error(err);
	if (left <= 0) {
		snprintf(err->message, sizeof(err->message), "time budget used up");
		err->cause = ECS_STS_CAUSE_TIMEOUT;
		r = -ETIMEDOUT;
		goto out;
	}
	r = ecs_sts_request_body(call, arns, &body);
	if (r < 0)
		goto out;
	err->attempts++;
	r = ecs_sts_http_post(h, body.data, body.len, (long)left, &reply);
	if (r < 0) {
		snprintf(err->message, sizeof(err->message), "%s", reply.reason);
		err->cause = reply.cause;
		goto out;
	}
	err->http_status = (int)reply.status;
	snprintf(err->request_id, sizeof(err->request_id), "%s", reply.request_id);
	r = ecs_sts_reply_parse(reply.body.data, reply.body.len, out, err);
	if (r == 0 && reply.status != 200) {
		ecs_sts_creds_free(out);
		snprintf(err->message, sizeof(err->message),
			 "STS sent credentials with HTTP status %ld", reply.status);
		r = -EBADMSG;
	}
	if (r == -EBADMSG || r == -EFBIG)
		err->cause = ECS_STS_CAUSE_BAD_REPLY;
	if (r == 0 && !out->request_id && reply.request_id[0]) {
		out->request_id = strdup(reply.request_id);
		if (!out->request_id) {
			ecs_sts_creds_free(out);
			r = -ENOMEM;
		}
	}
out:
	ecs_buf_free(&body);
	ecs_sts_http_reply_free(&reply);
	return r;
}

/* Throttling, 5xx and transport failures may pass; a claim, policy or TLS trust failure
 * never does, and retrying it would only repeat it. */
static bool
transient(int r, const struct ecs_sts_error *err)
{
	switch (r) {
	case -ECS_ESTS:
		return ecs_sts_code_transient(err->code) || err->http_status >= 500;
	case -EBADMSG:
		return err->http_status >= 500;
	case -ECONNREFUSED:
	case -EHOSTUNREACH:
	case -EPROTO:
		return true;
	default:
		return false;
	}
}

/* Sleep a full-jitter backoff before retry number n (1-based), unless the budget would not
 * leave room for another attempt afterwards. 0 or -ETIMEDOUT. */
static int
backoff(unsigned n, long long deadline)
{
	long long cap = BACKOFF_BASE_MS << n;
	long long ms;
	struct timespec ts;

	if (cap > BACKOFF_CAP_MS)
		cap = BACKOFF_CAP_MS;
	ms = 1 + arc4random_uniform((uint32_t)cap);
	if (now_ms() + ms + MIN_ATTEMPT_MS > deadline)
		return -ETIMEDOUT;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	return 0;
}

/* What the records of an outcome share: the role, STS's answer and how many tries. */
static void
add_outcome(struct ecs_logrec *rec, const char *role_arn, const struct ecs_sts_error *err)
{
	ecs_logrec_add(rec, "role", role_arn != NULL ? role_arn : "-");
	ecs_logrec_add(rec, "code", log_code(err));
	ecs_logrec_addf(rec, "http", "%d", err->http_status);
	ecs_logrec_add(rec, "request_id", err->request_id[0] ? err->request_id : "-");
	ecs_logrec_addf(rec, "attempts", "%u", err->attempts);
}

static void
log_result(int r, const struct ecs_sts_call *call, const struct ecs_sts_creds *c,
	   const struct ecs_sts_error *err)
{
	struct ecs_logrec rec;

	if (r == 0) {
		ecs_logrec_init(&rec, "sts AssumeRoleWithSAML ok");
		ecs_logrec_add(&rec, "role", call->role_arn);
		ecs_logrec_add(&rec, "arn", c->assumed_role_arn);
		ecs_logrec_add(&rec, "access_key_id", c->access_key_id);
		ecs_logrec_add(&rec, "request_id", c->request_id ? c->request_id : "-");
		ecs_logrec_add(&rec, "expiration", c->expiration_str);
		ecs_logrec_addf(&rec, "duration", "%u", c->duration);
		ecs_logrec_addf(&rec, "attempts", "%u", err->attempts);
		ecs_logrec_addf(&rec, "packed_policy_size", "%u%%", c->packed_policy_size);
		ecs_log_rec(LOG_NOTICE, &rec);
		if (c->packed_policy_size >= 90) {
			ecs_logrec_init(&rec, "sts session policy and tags near the packed size limit");
			ecs_logrec_addf(&rec, "packed_policy_size", "%u%%", c->packed_policy_size);
			ecs_log_rec(LOG_WARNING, &rec);
		}
		return;
	}
	ecs_logrec_init(&rec, "sts AssumeRoleWithSAML failed");
	add_outcome(&rec, call->role_arn, err);
	ecs_logrec_add(&rec, "error", ecs_strerror(r));
	/* STS's own message, or the transport's: text from the peer, escaped like any other */
	ecs_logrec_add(&rec, "reason", err->message);
	ecs_log_rec(LOG_ERR, &rec);
}

int
ecs_sts_assume(const struct ecs_conf *conf, const struct ecs_sts_trust *trust,
	       const struct ecs_sts_call *call, struct ecs_sts_creds *out,
	       struct ecs_sts_error *err)
{
	struct ecs_sts_http *h = NULL;
	struct ecs_sts_call cur = *call;
	const struct ecs_strlist *arns = conf->policy_arns.n ? &conf->policy_arns : NULL;
	long long deadline = now_ms() + (long long)conf->sts_timeout * 1000;
	struct ecs_logrec rec;
	unsigned retries = 0;
	int r;

	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	r = ecs_sts_request_check(&cur, arns, err->message, sizeof(err->message));
	if (r < 0) {
		err->cause = ECS_STS_CAUSE_REQUEST;
		goto out;
	}
	if (!conf->sts_endpoint) {
		snprintf(err->message, sizeof(err->message), "no sts_endpoint (and no region)");
		err->cause = ECS_STS_CAUSE_CONFIG;
		r = -ECS_ECONFIG;
		goto out;
	}
	/* STS answers in XML: without libxml2 its credentials could not be read, so STS is not
	 * called (xml_lib.h; the first verb of a login that needs libxml2 loads it here) */
	r = ecs_xml_load();
	if (r < 0) {
		snprintf(err->message, sizeof(err->message), "%s", ecs_xml_load_error());
		err->cause = ECS_XML_LIB_CODE;
		goto out;
	}
	r = ecs_sts_http_open(conf->sts_endpoint, trust, &h);
	if (r < 0) {
		snprintf(err->message, sizeof(err->message), "sts_endpoint %s",
			 r == -EPERM ? "is not https://" : "or the STS trust is unusable");
		err->cause = ecs_sts_http_open_cause(r, err->message, sizeof(err->message));
		goto out;
	}
	for (;;) {
		r = attempt(h, &cur, arns, deadline, out, err);
		if (r == 0)
			break;
		if (r == -ECS_ESTS && !err->retried_duration &&
		    cur.duration > ECS_STS_FALLBACK_DURATION &&
		    ecs_sts_duration_too_long(err->code, err->message)) {
			ecs_logrec_init(&rec, "sts DurationSeconds exceeds the role's "
					      "MaxSessionDuration, retrying once");
			ecs_logrec_add(&rec, "role", cur.role_arn);
			ecs_logrec_addf(&rec, "duration", "%u", cur.duration);
			ecs_logrec_add(&rec, "request_id",
				       err->request_id[0] ? err->request_id : "-");
			ecs_logrec_addf(&rec, "retry_duration", "%u", ECS_STS_FALLBACK_DURATION);
			ecs_log_rec(LOG_WARNING, &rec);
			cur.duration = ECS_STS_FALLBACK_DURATION;
			err->retried_duration = ECS_STS_FALLBACK_DURATION;
			continue;
		}
		if (!transient(r, err) || retries >= MAX_TRANSIENT_RETRIES)
			break;
		retries++;
		ecs_logrec_init(&rec, "sts attempt failed, retrying");
		add_outcome(&rec, cur.role_arn, err);
		ecs_logrec_add(&rec, "reason", err->message);
		ecs_log_rec(LOG_NOTICE, &rec);
		if (backoff(retries, deadline) < 0)
			break;
	}
	if (r == 0) {
		out->duration = cur.duration;
		out->duration_shortened = err->retried_duration != 0;
	}
out:
	if (r < 0)
		err->user_msg = r == -ECS_ESTS ? ecs_sts_code_user_msg(err->code) :
						 ecs_sts_cause_user_msg(err->cause);
	log_result(r, call, out, err);
	ecs_sts_http_close(h);
	return r;
}
