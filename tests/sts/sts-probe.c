/* sts-probe — drives the helper core's STS client and credential files for the tests.
 *
 *   sts-probe assume --config F [--set key=value]... --role ARN --principal ARN --saml FILE
 *                    --user NAME [--duration N] [--session-duration N] [--not-after TIME]
 *                    [--raw-endpoint URL] [--uid U --gid G --tag T [--run-user D] [--fallback D]]
 *                    [--repeat N] [--quiet]
 *       The session-open path in miniature: render the session policy, (as root) read the
 *       STS trust (sts_ca_file) and prepare the runtime directory, drop privileges to U:G for
 *       good, call STS, write the files. A trust file the helper refuses ends at
 *       stage=trust with its CODE as cause=.
 *       Prints key=value lines (never a secret); --repeat N times N calls and prints
 *       sts_us_p50/p99 instead. --raw-endpoint bypasses the configuration's https:// check,
 *       to show that the client refuses plain http on its own.
 *   sts-probe render --config F [--set key=value]... --role ARN --user NAME
 *       Prints the filled session policy.
 *   sts-probe creds (prepare|write|remove) --uid U --gid G --tag T [--run-user D]
 *                   [--fallback D] [--region R] [--expires-in S]
 *       write reads the access key id, secret key and session token from stdin (one a line)
 *       and writes them as the user U (after dropping), like session open.
 *
 * Syslog lines go to stderr too (LOG_PERROR) so a suite can assert what is logged.
 * Exit status: 0 success, 1 the operation failed (result=error lines say how), 2 usage. */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "credfile.h"
#include "ecs_buf.h"
#include "ecs_conf.h"
#include "ecs_err.h"
#include "ecs_secmem.h"
#include "ecs_str.h"
#include "ecs_time.h"
#include "sts.h"
#include "sts_policy.h"

struct opts {
	const char *config;
	const char *sets[16];
	unsigned nsets;
	const char *raw_endpoint;
	const char *role;
	const char *principal;
	const char *saml;
	const char *user;
	unsigned duration;
	unsigned session_duration;
	time_t not_after;
	long uid;
	long gid;
	const char *tag;
	struct ecs_cred_roots roots;
	const char *region;
	unsigned expires_in;
	unsigned repeat;
	int quiet;
};

static int
usage(void)
{
	fprintf(stderr, "usage: sts-probe assume|render|creds ... (see the source header)\n");
	return 2;
}

/* A decimal 0..2^31-1. */
static int
num(const char *s, unsigned *out)
{
	uint64_t v;
	int r = ecs_parse_u64(s, 0, 0x7fffffff, &v);

	if (r == 0)
		*out = (unsigned)v;
	return r;
}

static int
parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "config", 1, NULL, 'c' },	  { "set", 1, NULL, 's' },
		{ "raw-endpoint", 1, NULL, 'E' }, { "role", 1, NULL, 'r' },
		{ "principal", 1, NULL, 'p' },	  { "saml", 1, NULL, 'a' },
		{ "user", 1, NULL, 'u' },	  { "duration", 1, NULL, 'd' },
		{ "session-duration", 1, NULL, 'D' }, { "not-after", 1, NULL, 'N' },
		{ "uid", 1, NULL, 'U' },	  { "gid", 1, NULL, 'G' },
		{ "tag", 1, NULL, 't' },	  { "run-user", 1, NULL, 'R' },
		{ "fallback", 1, NULL, 'F' },	  { "region", 1, NULL, 'g' },
		{ "expires-in", 1, NULL, 'x' },	  { "repeat", 1, NULL, 'n' },
		{ "quiet", 0, NULL, 'q' },	  { NULL, 0, NULL, 0 },
	};
	unsigned n = 0;
	int r = 0;
	int c;

	o->uid = -1;
	o->gid = -1;
	o->repeat = 0;
	o->expires_in = 3600;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->config = optarg;
			break;
		case 's':
			if (o->nsets == 16)
				return -EINVAL;
			o->sets[o->nsets++] = optarg;
			break;
		case 'E':
			o->raw_endpoint = optarg;
			break;
		case 'r':
			o->role = optarg;
			break;
		case 'p':
			o->principal = optarg;
			break;
		case 'a':
			o->saml = optarg;
			break;
		case 'u':
			o->user = optarg;
			break;
		case 't':
			o->tag = optarg;
			break;
		case 'R':
			o->roots.run_user = optarg;
			break;
		case 'F':
			o->roots.fallback = optarg;
			break;
		case 'g':
			o->region = optarg;
			break;
		case 'q':
			o->quiet = 1;
			break;
		case 'N':
			if (ecs_time_parse(optarg, &o->not_after) < 0)
				return -EINVAL;
			break;
		case 'd':
			r = num(optarg, &o->duration);
			break;
		case 'D':
			r = num(optarg, &o->session_duration);
			break;
		case 'x':
			r = num(optarg, &o->expires_in);
			break;
		case 'n':
			r = num(optarg, &o->repeat);
			break;
		case 'U':
			r = num(optarg, &n);
			o->uid = n;
			break;
		case 'G':
			r = num(optarg, &n);
			o->gid = n;
			break;
		default:
			return -EINVAL;
		}
		if (r < 0)
			return r;
	}
	return 0;
}

/* The configuration as the helper loads it; why[] says what is wrong. */
static int
load_conf(const struct opts *o, struct ecs_conf *conf, char *why, size_t whysz)
{
	unsigned i;
	int r;

	ecs_conf_init(conf);
	r = o->config ? ecs_conf_load_file(conf, o->config, why, whysz) : 0;
	for (i = 0; r == 0 && i < o->nsets; i++)
		r = ecs_conf_set_arg(conf, o->sets[i], why, whysz);
	if (r == 0)
		r = ecs_conf_finish(conf, why, whysz);
	if (r == 0 && o->raw_endpoint) {
		free(conf->sts_endpoint);
		conf->sts_endpoint = strdup(o->raw_endpoint);
		if (!conf->sts_endpoint)
			r = -ENOMEM;
	}
	return r;
}

/* The permanent drop the session-open verb does before any network or user-tree I/O. */
static int
drop_to(uid_t uid, gid_t gid)
{
	if (setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0)
		return -errno;
	if (uid != 0 && setresuid(0, 0, 0) == 0)
		return -EPERM;
	return 0;
}

/* The assertion file, whitespace removed (the helper hands STS the normalised base64). */
static int
read_saml(const char *path, struct ecs_buf *out)
{
	char chunk[4096];
	FILE *f = fopen(path, "re");
	size_t n;
	size_t i;
	int r = 0;

	if (!f)
		return -errno;
	while (r == 0 && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		for (i = 0; r == 0 && i < n; i++)
			if (chunk[i] != ' ' && chunk[i] != '\n' && chunk[i] != '\r' && chunk[i] != '\t')
				r = ecs_buf_append(out, &chunk[i], 1);
	if (r == 0 && ferror(f))
		r = -EIO;
	fclose(f);
	ECS_WIPE_OBJ(chunk);
	return r;
}

/* result=error lines: the stage that failed, why, and what STS said (e may be NULL). */
static void
print_error(const char *stage, int r, const char *why, const struct ecs_sts_error *e)
{
	printf("result=error\nstage=%s\nerror=%s\n", stage, ecs_strerror(r));
	if (why && why[0])
		printf("reason=%s\n", why);
	if (!e)
		return;
	printf("code=%s\ncause=%s\nhttp=%d\nattempts=%u\nretried_duration=%u\nrequest_id=%s\n"
	       "user_msg=%s\n",
	       e->code, e->cause ? e->cause : "", e->http_status, e->attempts, e->retried_duration,
	       e->request_id, e->user_msg ? e->user_msg : "");
}

static int
cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a;
	long long y = *(const long long *)b;

	return (x > y) - (x < y);
}

static long long
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* --repeat: N calls, latency percentiles. e holds the failure, if any. */
static int
bench(const struct ecs_conf *conf, const struct ecs_sts_trust *trust,
      const struct ecs_sts_call *call, unsigned n, struct ecs_sts_error *e)
{
	struct ecs_sts_creds cr;
	long long *us = calloc(n, sizeof(*us));
	long long t0;
	unsigned i;
	int r = 0;

	if (!us)
		return -ENOMEM;
	for (i = 0; i < n && r == 0; i++) {
		t0 = now_us();
		r = ecs_sts_assume(conf, trust, call, &cr, e);
		us[i] = now_us() - t0;
		ecs_sts_creds_free(&cr);
	}
	if (r == 0) {
		qsort(us, n, sizeof(*us), cmp_ll);
		printf("calls=%u\nsts_us_p50=%lld\nsts_us_p99=%lld\nsts_us_max=%lld\n", n,
		       us[n / 2], us[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1], us[n - 1]);
	}
	free(us);
	return r;
}

static int
cmd_assume(const struct opts *o)
{
	struct ecs_conf conf;
	struct ecs_buf saml;
	struct ecs_sts_call call;
	struct ecs_sts_creds cr;
	struct ecs_sts_error e;
	const struct ecs_sts_error *sts_err = NULL;	/* set once STS has been asked */
	struct ecs_cred_paths paths;
	struct ecs_policy_vars vars = { .role_arn = o->role, .user = o->user };
	struct ecs_sts_trust trust = { 0 };
	const char *trust_code = NULL;
	char why[512] = "";
	char *policy = NULL;
	const char *stage = "config";
	int r;

	memset(&cr, 0, sizeof(cr));
	ecs_buf_init(&saml, 200000);
	r = load_conf(o, &conf, why, sizeof(why));
	if (r < 0)
		goto out;
	stage = "saml";
	r = o->saml ? read_saml(o->saml, &saml) : -EINVAL;
	if (r < 0)
		goto out;
	stage = "policy";
	r = ecs_policy_render(&conf, &vars, &policy, why, sizeof(why));
	if (r < 0)
		goto out;
	stage = "trust";
	r = ecs_sts_trust_load(&conf, &trust, &trust_code, why, sizeof(why));
	if (r < 0)
		goto out;
	if (o->uid >= 0) {
		stage = "prepare";
		r = ecs_cred_prepare(&o->roots, (uid_t)o->uid, (gid_t)o->gid);
		if (r < 0)
			goto out;
		stage = "drop";
		r = drop_to((uid_t)o->uid, (gid_t)o->gid);
		if (r < 0)
			goto out;
	}
	call = (struct ecs_sts_call){
		.role_arn = o->role,
		.principal_arn = o->principal,
		.saml_b64 = (const char *)saml.data,
		.saml_len = saml.len,
		.duration = ecs_sts_duration(o->duration ? o->duration : conf.duration_seconds,
					     o->session_duration, o->not_after, time(NULL)),
		.policy = policy,
	};
	stage = "sts";
	sts_err = &e;
	if (o->repeat) {
		r = bench(&conf, &trust, &call, o->repeat, &e);
		goto out;
	}
	r = ecs_sts_assume(&conf, &trust, &call, &cr, &e);
	if (r < 0)
		goto out;
	printf("access_key_id=%s\narn=%s\nrole_id=%s\nrequest_id=%s\nexpiration=%s\nduration=%u\n"
	       "duration_shortened=%d\nattempts=%u\npacked_policy_size=%u\n",
	       cr.access_key_id, cr.assumed_role_arn, cr.assumed_role_id,
	       cr.request_id ? cr.request_id : "", cr.expiration_str, cr.duration,
	       cr.duration_shortened, e.attempts, cr.packed_policy_size);
	if (o->uid >= 0) {
		stage = "write";
		sts_err = NULL;
		r = ecs_cred_write(&o->roots, (uid_t)o->uid, (gid_t)o->gid, o->tag, &cr,
				   conf.region, NULL, &paths);
		if (r < 0)
			goto out;
		printf("credentials=%s\nconfig=%s\n", paths.credentials, paths.config);
	}
	printf("result=ok\n");
out:
	if (r < 0)
		print_error(stage, r, why, sts_err);
	if (trust_code != NULL)
		printf("cause=%s\n", trust_code);
	ecs_sts_trust_free(&trust);
	ecs_sts_creds_free(&cr);
	free(policy);
	ecs_buf_free(&saml);
	ecs_conf_free(&conf);
	return r;
}

static int
cmd_render(const struct opts *o)
{
	struct ecs_conf conf;
	struct ecs_policy_vars vars = { .role_arn = o->role, .user = o->user };
	char why[512] = "";
	char *policy = NULL;
	const char *stage = "config";
	int r;

	r = load_conf(o, &conf, why, sizeof(why));
	if (r < 0)
		goto out;
	stage = "policy";
	r = ecs_policy_render(&conf, &vars, &policy, why, sizeof(why));
	if (r == 0 && policy)
		fputs(policy, stdout);
out:
	if (r < 0)
		print_error(stage, r, why, NULL);
	free(policy);
	ecs_conf_free(&conf);
	return r;
}

/* Three lines from stdin: access key id, secret key, session token. */
static int
read_creds(struct ecs_sts_creds *c)
{
	char *line[3] = { NULL, NULL, NULL };
	size_t cap = 0;
	ssize_t n;
	int i;

	for (i = 0; i < 3; i++) {
		cap = 0;
		n = getline(&line[i], &cap, stdin);
		if (n <= 0)
			break;
		if (line[i][n - 1] == '\n')
			line[i][n - 1] = 0;
	}
	c->access_key_id = line[0];
	c->secret_access_key = line[1];
	c->session_token = line[2];
	return i == 3 ? 0 : -EINVAL;
}

static int
cmd_creds(const char *verb, const struct opts *o)
{
	struct ecs_sts_creds cr;
	struct ecs_cred_paths paths;
	int r;

	memset(&cr, 0, sizeof(cr));
	if (o->uid < 0 || o->gid < 0)
		return -EINVAL;
	if (strcmp(verb, "prepare") == 0) {
		r = ecs_cred_prepare(&o->roots, (uid_t)o->uid, (gid_t)o->gid);
		goto out;
	}
	r = drop_to((uid_t)o->uid, (gid_t)o->gid);
	if (r < 0)
		goto out;
	if (strcmp(verb, "remove") == 0) {
		r = ecs_cred_remove(&o->roots, (uid_t)o->uid, o->tag);
		goto out;
	}
	r = -EINVAL;
	if (strcmp(verb, "write") != 0)
		goto out;
	r = read_creds(&cr);
	if (r < 0)
		goto out;
	cr.expiration = time(NULL) + o->expires_in;
	r = ecs_cred_write(&o->roots, (uid_t)o->uid, (gid_t)o->gid, o->tag, &cr, o->region, NULL,
			   &paths);
	if (r == 0)
		printf("credentials=%s\nconfig=%s\n", paths.credentials, paths.config);
out:
	if (r == 0)
		printf("result=ok\n");
	else
		printf("result=error\nerror=%s\n", ecs_strerror(r));
	ecs_sts_creds_free(&cr);
	return r;
}

int
main(int argc, char **argv)
{
	struct opts o;
	const char *cmd;
	const char *verb = NULL;
	int r;

	memset(&o, 0, sizeof(o));
	if (argc < 2)
		return usage();
	cmd = argv[1];
	argv++;
	argc--;
	if (strcmp(cmd, "creds") == 0) {
		if (argc < 2)
			return usage();
		verb = argv[1];
		argv++;
		argc--;
	}
	if (parse_opts(argc, argv, &o) < 0)
		return usage();
	openlog("sts-probe", LOG_PID | (o.quiet ? 0 : LOG_PERROR), LOG_AUTHPRIV);
	if (strcmp(cmd, "assume") == 0)
		r = cmd_assume(&o);
	else if (strcmp(cmd, "render") == 0)
		r = cmd_render(&o);
	else if (verb)
		r = cmd_creds(verb, &o);
	else
		return usage();
	fflush(stdout);
	return r < 0 ? 1 : 0;
}
