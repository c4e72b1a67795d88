/* verb_verify.c — `ecs-saml-helper verify`: validate one Response read from stdin and say
 * exactly why it is refused. The admin's diagnostic tool, and the reference for what
 * `auth` accepts.
 *
 *   stdout on accept: key=value lines (user, nameid, session_name, [source_identity],
 *                     [session_duration], role=ROLE,PROVIDER..., assertion_id, issuer,
 *                     not_on_or_after, [session_not_on_or_after])
 *   stderr on refusal: "reject: CODE: explanation"
 *
 * Without --consume it is a dry run: the replay cache is neither consulted nor written.
 * With --consume the assertion ID is recorded, and a second --consume is "replay".
 *
 * The Response is validated as `auth` validates it: in the sandboxed child (privsep.h). */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "ecs_buf.h"
#include "ecs_err.h"
#include "ecs_limits.h"
#include "ecs_secmem.h"
#include "ecs_str.h"
#include "ecs_time.h"
#include "logging.h"
#include "privsep.h"
#include "replay.h"
#include "replay_cache.h"
#include "saml_verify.h"
#include "verbs.h"

/* Raw stdin cap: the base64 cap plus room for any wrapping a paste adds. */
#define READ_MAX (4 * ECS_RESPONSE_MAX_B64)
#define REPEAT_MAX 100000

struct opts {
	const char *config;
	const char *user;
	time_t now;
	bool consume;
	unsigned long repeat;
};

static int
parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "at", required_argument, NULL, 'a' },
		{ "consume", no_argument, NULL, 'C' },
		{ "user", required_argument, NULL, 'u' },
		{ "repeat", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t n;
	int c;

	o->config = ECS_CONF_PATH;
	o->user = NULL;
	o->now = time(NULL);
	o->consume = false;
	o->repeat = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->config = optarg;
			break;
		case 'a':
			if (ecs_time_parse(optarg, &o->now) < 0) {
				fprintf(stderr, "verify: --at wants an RFC 3339 time such as "
					"2025-01-15T12:02:30Z\n");
				return -EINVAL;
			}
			break;
		case 'C':
			o->consume = true;
			break;
		case 'u':
			o->user = optarg;
			break;
		case 'r':
			if (ecs_parse_u64(optarg, 1, REPEAT_MAX, &n) < 0) {
				fprintf(stderr, "verify: --repeat wants 1..%d\n", REPEAT_MAX);
				return -EINVAL;
			}
			o->repeat = (unsigned long)n;
			break;
		default:
			return -EINVAL;
		}
	}
	if (optind != argc || (o->consume && o->repeat)) {
		fprintf(stderr, "verify: %s\n", optind != argc ? "unexpected argument" :
			"--repeat never consumes; drop --consume");
		return -EINVAL;
	}
	return 0;
}

/* All of stdin, secret; more than READ_MAX bytes is refused before any parsing. */
static int
read_input(struct ecs_buf *in)
{
	char chunk[4096];
	ssize_t n;
	int r = 0;

	ecs_buf_init(in, READ_MAX);
	for (;;) {
		n = read(STDIN_FILENO, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			r = n < 0 ? -errno : 0;
			break;
		}
		r = ecs_buf_append(in, chunk, (size_t)n);
		if (r < 0)
			break;
	}
	ECS_WIPE_OBJ(chunk);
	return r;
}

static int
cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

static long
elapsed_us(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000000L + (b->tv_nsec - a->tv_nsec) / 1000L;
}

/* Validate once, or o->repeat times reporting the median wall time per validation. The last
 * run's outcome is the answer. */
static int
run_verify(const struct ecs_conf *conf, const struct ecs_verifier *v, const struct ecs_buf *in,
	   const struct opts *o, struct ecs_saml_result *res, struct ecs_reject *rej)
{
	unsigned long i, runs = o->repeat ? o->repeat : 1;
	struct timespec t0, t1;
	long *us;
	int r = 0;

	us = calloc(runs, sizeof(*us));
	if (!us)
		return -ENOMEM;
	for (i = 0; i < runs; i++) {
		ecs_saml_result_free(res);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		r = ecs_privsep_validate(conf, v, (const char *)in->data, in->len, false, o->now, res,
					 rej);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		us[i] = elapsed_us(&t0, &t1);
	}
	if (o->repeat) {
		qsort(us, runs, sizeof(*us), cmp_long);
		fprintf(stderr, "verify_us=%ld\n", us[runs / 2]);
	}
	free(us);
	return r;
}

static void
print_result(const struct ecs_saml_result *res)
{
	char when[ECS_TIME_BUFSZ];
	size_t i;

	printf("user=%s\nnameid=%s\nsession_name=%s\n", res->user, res->nameid,
	       res->session_name);
	if (res->source_identity)
		printf("source_identity=%s\n", res->source_identity);
	if (res->session_duration)
		printf("session_duration=%u\n", res->session_duration);
	for (i = 0; i < res->nroles; i++)
		printf("role=%s,%s\n", res->roles[i].role_arn, res->roles[i].provider_arn);
	ecs_time_format(res->not_on_or_after, when);
	printf("assertion_id=%s\nissuer=%s\nnot_on_or_after=%s\n", res->assertion_id,
	       res->issuer, when);
	if (res->session_not_on_or_after) {
		ecs_time_format(res->session_not_on_or_after, when);
		printf("session_not_on_or_after=%s\n", when);
	}
}

/* The checks that need more than the Response: the expected user, then one-time use. */
static int
post_checks(const struct opts *o, const struct ecs_conf *conf,
	    const struct ecs_saml_result *res, struct ecs_reject *rej)
{
	struct ecs_redis_fail rf;
	time_t until;
	int r;

	if (o->user && strcmp(o->user, res->user) != 0)
		return ecs_reject(rej, ECS_REJ_USER_MISMATCH, "the Response maps to user %s, "
				  "not %s", res->user, o->user);
	if (!o->consume)
		return 0;
	until = ecs_replay_expiry(res->issue_instant, res->not_on_or_after,
				  conf->max_assertion_age, conf->clock_skew);
	r = ecs_replay_cache_consume(conf, res->issuer, res->assertion_id, until, o->now, &rf);
	if (r == -ECS_EREPLAY)
		return ecs_reject(rej, ECS_REJ_REPLAY, "assertion %s was already used: fetch a "
				  "fresh SAML response", res->assertion_id);
	if (r < 0 && rf.code != NULL) {
		fprintf(stderr, "error: replay cache: code=%s: %s\n", rf.code, rf.detail);
		ecs_log(LOG_ERR, "verify replay cache unusable", "code", rf.code, "reason",
			rf.detail, (char *)NULL);
	} else if (r < 0) {
		fprintf(stderr, "error: replay cache under %s: %s\n", conf->state_dir,
			strerror(-r));
	}
	return r;
}

int
ecs_verb_verify(int argc, char **argv)
{
	struct ecs_saml_result res = { 0 };
	struct ecs_reject rej = { 0 };
	struct ecs_verifier *v = NULL;
	struct ecs_conf conf;
	struct ecs_buf in;
	struct opts o;
	int r;

	ecs_conf_init(&conf);
	ecs_buf_init(&in, READ_MAX);
	r = parse_opts(argc, argv, &o);
	if (r < 0)
		goto out;
	r = ecs_helper_conf_load(o.config, NULL, 0, &conf);
	if (r < 0)
		goto out;
	r = ecs_verifier_new(&conf, &v, &rej);
	if (r < 0) {
		fprintf(stderr, "config: %s\n", r == -ECS_ECONFIG ? rej.msg : strerror(-r));
		goto out;
	}
	r = read_input(&in);
	if (r == -E2BIG)
		r = ecs_reject(&rej, ECS_REJ_SIZE, "more than %d bytes on stdin", READ_MAX);
	else if (r < 0)
		fprintf(stderr, "error: reading stdin: %s\n", strerror(-r));
	if (r == 0)
		r = run_verify(&conf, v, &in, &o, &res, &rej);
	if (r == 0)
		r = post_checks(&o, &conf, &res, &rej);
	if (r == -ECS_ECONFIG && rej.code != NULL) {	/* the sandbox: the administrator's */
		fprintf(stderr, "config: %s: %s\n", rej.code, rej.msg);
		ecs_log(LOG_ERR, "verify refused", "code", rej.code, "reason", rej.msg,
			(char *)NULL);
	} else if (r == -ECS_EREJECT) {
		fprintf(stderr, "reject: %s: %s\n", rej.code, rej.msg);
		ecs_log(LOG_NOTICE, "verify reject", "code", rej.code, "reason", rej.msg,
			(char *)NULL);
	} else if (r == 0) {
		print_result(&res);
		ecs_log(LOG_INFO, "verify accept", "assertion", res.assertion_id, "issuer",
			res.issuer, "user", res.user, "consumed", o.consume ? "yes" : "no",
			(char *)NULL);
	}
out:
	ecs_saml_result_free(&res);
	ecs_verifier_free(v);
	ecs_buf_free(&in);
	ecs_conf_free(&conf);
	return r;
}
