/* verb_gc.c — `ecs-saml-helper gc [--config PATH] [--sshd-config PATH]`: sweep what ended
 * without a goodbye.
 *
 * Run by root from a timer. It removes expired tickets (auths whose session never opened),
 * the credentials of sessions whose PAM application is gone (killed sshd monitors, crashed
 * sudo: close_session never ran), the fallback runtime directories of users without a
 * session left, and expired replay-cache entries. With replay_cache on Redis it first
 * ends the live logins of users revoked fleet-wide (revoke_redis.h, login_end.h). Each
 * session ends as at a close, by the same code (ecs_login_end): its ECS Exec sessions,
 * then its files, in one child as that user (login_end.h, exec_teardown.h).
 *
 * Being the one thing that runs regularly on the bastion, it also reads sshd's
 * configuration (--sshd-config, default /etc/ssh/sshd_config) for what would stop every
 * federated login before PAM is reached, and logs it with its CODE (sshd_check.h): in that
 * state nothing else of pam_ecs_saml runs to say so. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "audit.h"
#include "conf.h"
#include "credfile.h"
#include "exec_teardown.h"
#include "ecs_conf.h"
#include "ecs_err.h"
#include "logging.h"
#include "login_end.h"
#include "privs.h"
#include "replay.h"
#include "revoke_redis.h"
#include "session_rec.h"
#include "sshd_check.h"
#include "sts_trust.h"
#include "ticket.h"
#include "verbs.h"

/* A live login of a user revoked fleet-wide (revoke_redis.h) is ended here, on this
 * bastion's next run; the sweep that follows reaps what its close left. */
struct revoked_pass {
	const struct ecs_conf *conf;
	unsigned ended;
	int err;
};

static int
end_if_revoked(const struct ecs_session_rec *s, void *ctx)
{
	struct revoked_pass *p = ctx;
	struct ecs_redis_fail f;
	int r;

	if (!ecs_session_rec_alive(s))
		return 0;
	r = ecs_revoked_check(p->conf, s->user, &f);
	if (r < 0) {
		/* the other sessions and the rest of gc still run; the next run tries again */
		ecs_log(LOG_ERR, "gc cannot check revocations", "code", f.code, "user", s->user,
			"reason", f.detail, (char *)NULL);
		p->err = r;
		return 0;
	}
	if (r == 0)
		return 0;
	r = ecs_login_kill(s);
	ecs_log(r < 0 ? LOG_ERR : LOG_NOTICE, r < 0 ? "revoked login not ended" :
		"revoked login ended", "code", ECS_REVOKED_CODE, "by", "gc", "user", s->user,
		"session", s->tag, "reason", r < 0 ? ecs_strerror(r) : "revoked fleet-wide",
		(char *)NULL);
	if (r == 0)
		p->ended++;
	return 0;
}

/* A fallback runtime directory whose user has no session left (its last one ended without
 * a close, or the close could not remove it). Checked again under the lock by
 * ecs_session_release_if_last; a failure is logged there and does not stop the sweep. */
static int
release_fallback(uid_t uid, gid_t gid, void *ctx)
{
	unsigned *count = ctx;
	unsigned n = 1;
	char who[64];

	if (ecs_session_rec_count(ECS_TICKET_SPOOL, uid, &n) < 0 || n > 0)
		return 0;
	snprintf(who, sizeof(who), "gc: uid %u", (unsigned)uid);
	if (ecs_session_release_if_last(uid, gid, who) == 0)
		(*count)++;
	return 0;
}

/* Log, at every run, a sshd configuration that no federated login gets through. */
static void
check_sshd(const char *path)
{
	const char *code = NULL;
	char why[512];
	int r;

	r = ecs_sshd_check(path, &code, why, sizeof(why));
	if (r < 0) {
		fprintf(stderr, "gc: sshd configuration not checked: %s\n", why);
		ecs_log(LOG_WARNING, "gc sshd configuration not checked", "reason", why,
			(char *)NULL);
	} else if (code != NULL) {
		fprintf(stderr, "gc: sshd refuses every federated login: code=%s: %s\n", code, why);
		ecs_log(LOG_ERR, "gc sshd refuses every federated login", "code", code, "reason",
			why, (char *)NULL);
	}
}

int
ecs_verb_gc(int argc, char **argv)
{
	struct ecs_conf conf;
	const char *path = ECS_CONF_PATH, *sshd_config = ECS_SSHD_CONFIG_PATH;
	unsigned tickets = 0, sessions = 0, replays = 0, fallbacks = 0;
	struct revoked_pass pass = { 0 };
	struct ecs_logrec rec;
	struct ecs_sts_trust trust = { 0 };
	struct ecs_login_reaper g = { &conf, NULL, "gc" };
	const char *code = NULL;
	char why[512] = "";
	time_t now = time(NULL);
	int r = 0;

	ecs_conf_init(&conf);
	for (int i = 1; r == 0 && i < argc; i += 2) {
		if (i + 1 < argc && strcmp(argv[i], "--config") == 0)
			path = argv[i + 1];
		else if (i + 1 < argc && strcmp(argv[i], "--sshd-config") == 0)
			sshd_config = argv[i + 1];
		else
			r = -EINVAL;
	}
	if (r < 0) {
		fprintf(stderr, "usage: ecs-saml-helper gc [--config PATH] [--sshd-config PATH]\n");
		goto out;
	}
	r = ecs_helper_conf_load(path, NULL, 0, &conf);
	if (r < 0)
		goto out;
	ecs_audit_use_file(conf.audit_log);
	if (ecs_sts_trust_load(&conf, &trust, &code, why, sizeof(why)) == 0) {
		g.trust = &trust;
	} else {
		fprintf(stderr, "gc: exec sessions of dead sessions are not terminated: %s\n", why);
		ecs_log(LOG_ERR, "gc exec teardown without sts_ca_file", "code",
			code ? code : ECS_TEARDOWN_E_CONFIG, "reason", why, (char *)NULL);
	}
	if (ecs_revoked_fleet(&conf)) {
		pass.conf = &conf;
		ecs_session_rec_each(ECS_TICKET_SPOOL, end_if_revoked, &pass);
	}
	r = ecs_ticket_purge(ECS_TICKET_SPOOL, now, &tickets);
	if (r == 0)
		r = ecs_session_rec_sweep(ECS_TICKET_SPOOL, ecs_login_reap, &g, &sessions);
	if (r == 0)
		r = ecs_cred_fallback_each(NULL, release_fallback, &fallbacks);
	if (r == 0)
		r = ecs_replay_purge(conf.state_dir, now, &replays);
	if (r < 0) {
		fprintf(stderr, "gc: %s\n", ecs_strerror(r));
		ecs_log(LOG_ERR, "gc failed", "reason", ecs_strerror(r), (char *)NULL);
		goto out;
	}
	printf("gc: removed %u expired tickets, %u dead sessions, %u replay entries, "
	       "%u fallback runtime directories\n", tickets, sessions, replays, fallbacks);
	if (pass.conf != NULL)
		printf("gc: ended %u revoked logins%s\n", pass.ended,
		       pass.err < 0 ? " (revocations could not all be checked: see the log)" : "");
	ecs_logrec_init(&rec, "gc done");
	ecs_logrec_addf(&rec, "tickets_removed", "%u", tickets);
	ecs_logrec_addf(&rec, "sessions_removed", "%u", sessions);
	ecs_logrec_addf(&rec, "replay_entries_removed", "%u", replays);
	ecs_logrec_addf(&rec, "fallback_dirs_removed", "%u", fallbacks);
	if (pass.conf != NULL)
		ecs_logrec_addf(&rec, "revoked_logins_ended", "%u", pass.ended);
	ecs_log_rec(LOG_INFO, &rec);
	check_sshd(sshd_config);
	if (r == 0 && pass.err < 0)
		r = pass.err;
out:
	ecs_sts_trust_free(&trust);
	ecs_conf_free(&conf);
	return r;
}
