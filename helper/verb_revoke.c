/* verb_revoke.c — `ecs-saml-helper revoke [--config PATH] [--source-identity ID] USER`:
 * end an engineer's access.
 *
 * 1. With replay_cache on Redis, first the fleet-wide entry (revoke_redis.h): from then on
 *    every bastion refuses USER's auth, this one included, and each one's next gc ends
 *    USER's live logins there.
 * 2. On this host, every live login of USER ends (login_end.h: its process is signalled,
 *    so that the PAM application closes the session, whose close ends its ECS Exec
 *    sessions and removes the credentials), and the sweep then reaps whatever a close that
 *    never came left behind, exec sessions included, with gc's reaper (ecs_login_reap).
 *    Each ended login is logged with code=revoked.
 * 3. On stdout, the IAM policy that makes the credentials already issued to USER useless
 *    at AWS: a Deny of everything for sessions with USER's SourceIdentity issued before
 *    now (aws:TokenIssueTime), for the operator to attach to the role(s). Credentials live
 *    up to 12 hours: neither this host nor Redis can recall ones copied off the bastion.
 *    The SourceIdentity is taken from USER's session records here, or --source-identity.
 *
 * Status lines go to stderr, so that stdout is the policy alone. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "audit.h"
#include "conf.h"
#include "ecs_conf.h"
#include "ecs_err.h"
#include "ecs_names.h"
#include "ecs_str.h"
#include "ecs_time.h"
#include "logging.h"
#include "login_end.h"
#include "revoke_redis.h"
#include "session_rec.h"
#include "sts_trust.h"
#include "ticket.h"
#include "verbs.h"

#define SRCIDS_MAX 8

struct revoke {
	const char *user;
	unsigned ended, failed;
	char srcid[SRCIDS_MAX][ECS_NAME_SESSION_MAX + 1];
	size_t nsrcid;
};

static void
add_srcid(struct revoke *rv, const char *id)
{
	if (id == NULL || !ecs_name_source_identity_ok(id))
		return;
	for (size_t i = 0; i < rv->nsrcid; i++)
		if (strcmp(rv->srcid[i], id) == 0)
			return;
	if (rv->nsrcid < SRCIDS_MAX)
		ecs_strlcpy(rv->srcid[rv->nsrcid++], id, sizeof(rv->srcid[0]));
}

static int
end_one(const struct ecs_session_rec *s, void *ctx)
{
	struct revoke *rv = ctx;
	int r;

	if (strcmp(s->user, rv->user) != 0)
		return 0;
	add_srcid(rv, s->source_identity);
	if (!ecs_session_rec_alive(s))
		return 0;	/* the sweep reaps it */
	r = ecs_login_kill(s);
	ecs_log(r < 0 ? LOG_ERR : LOG_NOTICE, r < 0 ? "revoked login not ended" :
		"revoked login ended", "code", ECS_REVOKED_CODE, "by", "revoke", "user", s->user,
		"session", s->tag, "reason", r < 0 ? ecs_strerror(r) : "revoked by an administrator",
		(char *)NULL);
	if (r < 0) {
		fprintf(stderr, "revoke: login %s of %s (pid %ld) not ended: %s\n", s->tag,
			s->user, (long)s->pid, ecs_strerror(r));
		rv->failed++;
	} else {
		rv->ended++;
	}
	return 0;
}

/* The IAM deny. Every value is known to need no JSON escaping: SourceIdentity matches
 * [A-Za-z0-9_+=,.@-] (ecs_name_source_identity_ok), the time is RFC 3339. */
static void
print_deny(const struct revoke *rv, time_t now)
{
	char t[ECS_TIME_BUFSZ];

	ecs_time_format(now, t);
	printf("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n"
	       "      \"Sid\": \"RevokeBastionCredentials%lld\",\n"
	       "      \"Effect\": \"Deny\",\n      \"Action\": \"*\",\n      \"Resource\": \"*\",\n"
	       "      \"Condition\": {\n        \"StringEquals\": {\"aws:SourceIdentity\": ",
	       (long long)now);
	if (rv->nsrcid == 1) {
		printf("\"%s\"", rv->srcid[0]);
	} else {
		printf("[");
		for (size_t i = 0; i < rv->nsrcid; i++)
			printf("%s\"%s\"", i > 0 ? ", " : "", rv->srcid[i]);
		printf("]");
	}
	printf("},\n        \"DateLessThan\": {\"aws:TokenIssueTime\": \"%s\"}\n      }\n"
	       "    }\n  ]\n}\n", t);
}

static int
usage(void)
{
	fprintf(stderr, "usage: ecs-saml-helper revoke [--config PATH] [--source-identity ID] "
		"USER\n");
	return -EINVAL;
}

int
ecs_verb_revoke(int argc, char **argv)
{
	struct ecs_conf conf;
	struct revoke rv = { 0 };
	struct ecs_redis_fail f;
	struct ecs_logrec rec;
	struct ecs_sts_trust trust = { 0 };
	struct ecs_login_reaper g = { &conf, NULL, "revoke" };
	const char *path = ECS_CONF_PATH, *code = NULL;
	char why[512] = "";
	char until[ECS_TIME_BUFSZ];
	bool fleet;
	time_t now = time(NULL);
	unsigned swept = 0;
	int i, r = 0, rf = 0;

	ecs_conf_init(&conf);
	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--config") == 0)
			path = argv[i + 1];
		else if (strcmp(argv[i], "--source-identity") == 0 &&
			 ecs_name_source_identity_ok(argv[i + 1]))
			add_srcid(&rv, argv[i + 1]);
		else
			break;
	}
	if (i != argc - 1 || !ecs_name_user_ok(argv[i])) {
		r = usage();
		goto out;
	}
	rv.user = argv[i];
	r = ecs_helper_conf_load(path, NULL, 0, &conf);
	if (r < 0)
		goto out;
	/* the logins it reaps end with audit records, in audit_log too */
	ecs_audit_use_file(conf.audit_log);
	fleet = ecs_revoked_fleet(&conf);
	if (fleet) {
		rf = ecs_revoked_put(&conf, rv.user, ecs_revoked_ttl(&conf), now, &f);
		ecs_time_format(now + ecs_revoked_ttl(&conf), until);
		if (rf < 0) {
			fprintf(stderr, "revoke: the fleet-wide revocation of %s was NOT written: "
				"code=%s: %s\n", rv.user, f.code, f.detail);
			ecs_log(LOG_ERR, "fleet-wide revocation not written", "code", f.code,
				"user", rv.user, "reason", f.detail, (char *)NULL);
		} else {
			fprintf(stderr, "revoke: %s is refused on every bastion of this Redis until "
				"%s; their gc ends %s's live logins there\n", rv.user, until,
				rv.user);
		}
	}
	/* what reaping a login whose close never came needs: its exec sessions end too */
	if (ecs_sts_trust_load(&conf, &trust, &code, why, sizeof(why)) == 0)
		g.trust = &trust;
	else
		fprintf(stderr, "revoke: exec sessions of logins that ended without a close are "
			"not terminated: %s\n", why);
	r = ecs_session_rec_each(ECS_TICKET_SPOOL, end_one, &rv);
	if (r == 0)
		r = ecs_session_rec_sweep(ECS_TICKET_SPOOL, ecs_login_reap, &g, &swept);
	if (r < 0) {
		fprintf(stderr, "revoke: session records in %s: %s\n", ECS_TICKET_SPOOL,
			ecs_strerror(r));
		goto out;
	}
	fprintf(stderr, "revoke: ended %u live logins of %s on this host%s\n", rv.ended,
		rv.user, rv.failed > 0 ? " (some could not be ended: see above)" : "");
	ecs_logrec_init(&rec, "user revoked");
	ecs_logrec_add(&rec, "code", ECS_REVOKED_CODE);
	ecs_logrec_add(&rec, "user", rv.user);
	ecs_logrec_add(&rec, "scope", fleet && rf == 0 ? "fleet" : "host");
	ecs_logrec_addf(&rec, "logins_ended", "%u", rv.ended);
	ecs_log_rec(LOG_NOTICE, &rec);
	if (rv.nsrcid == 0) {
		fprintf(stderr, "revoke: no SourceIdentity of %s is known on this host, so no IAM "
			"deny is printed: give --source-identity (the SourceIdentity attribute the "
			"IdP sends for %s) to get one\n", rv.user, rv.user);
	} else {
		fprintf(stderr, "revoke: attach this policy to the bastion's role(s) to revoke "
			"the credentials already issued (they live up to 12 hours):\n");
		print_deny(&rv, now);
	}
	if (rf < 0)
		r = rf;
	else if (rv.failed > 0)
		r = -EIO;
out:
	ecs_sts_trust_free(&trust);
	ecs_conf_free(&conf);
	return r;
}
