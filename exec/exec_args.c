/* exec_args.c — ecs-saml-exec's command line (see exec_args.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ecs_str.h"
#include "exec_args.h"

#define NAME_MAX_LEN 255
#define ARN_MAX_LEN 1600
#define COMMAND_MAX 4096
#define REASON_MAX 256
#define REGION_MAX 32
#define URL_MAX 512

const char ecs_exec_usage[] =
	"usage: ecs-saml-exec [--cluster CLUSTER] --task TASK [--container NAME]\n"
	"                     [--command COMMAND] [--reason TEXT] [--region REGION]\n"
	"                     [--endpoint-url URL]\n"
	"       ecs-saml-exec --help | --version\n"
	"Opens an ECS Exec session into TASK with this bastion session's AWS credentials.\n"
	"See ecs-saml-exec(1).\n";

bool
ecs_exec_line_ok(const char *s, size_t max)
{
	size_t n = 0;

	if (!s || !*s)
		return false;
	for (; s[n]; n++)
		if ((unsigned char)s[n] < 0x20 || (unsigned char)s[n] >= 0x7f)
			return false;
	return n <= max;
}

bool
ecs_exec_name_ok(const char *s)
{
	size_t n;

	if (!s)
		return false;
	n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_");
	return n > 0 && n <= NAME_MAX_LEN && s[n] == 0;
}

/* arn:PARTITION:ecs:REGION:ACCOUNT:KIND/REST, REST made of names joined by '/'. */
static bool
ecs_arn_ok(const char *s, const char *kind)
{
	const char *p;
	int colons = 0;

	if (!s || strlen(s) > ARN_MAX_LEN || !ecs_startswith(s, "arn:"))
		return false;
	for (p = s; *p && colons < 5; p++)
		if (*p == ':')
			colons++;
	if (colons != 5 || !strstr(s, ":ecs:") || !ecs_startswith(p, kind) ||
	    p[strlen(kind)] != '/')
		return false;
	p += strlen(kind) + 1;
	if (!*p)
		return false;
	for (; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_/", *p))
			return false;
	return ecs_exec_line_ok(s, ARN_MAX_LEN);
}

bool
ecs_exec_cluster_ok(const char *s)
{
	return ecs_exec_name_ok(s) || ecs_arn_ok(s, "cluster");
}

bool
ecs_exec_task_ok(const char *s)
{
	return ecs_exec_name_ok(s) || ecs_arn_ok(s, "task");
}

static bool
region_ok(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-");

	return n > 0 && n <= REGION_MAX && s[n] == 0;
}

struct option_def {
	const char *name;
	size_t offset;
};

#define OPT(n, field) { n, offsetof(struct ecs_exec_args, field) }
static const struct option_def options[] = {
	OPT("--cluster", cluster),	 OPT("--task", task),	  OPT("--container", container),
	OPT("--command", command),	 OPT("--reason", reason), OPT("--region", region),
	OPT("--endpoint-url", endpoint_url),
};
#undef OPT

static const char **
slot(struct ecs_exec_args *a, const struct option_def *o)
{
	return (const char **)(void *)((char *)a + o->offset);
}

/* The option argv[*i] names, with its value; advances *i past what it used. */
static int
take_option(int argc, char *const *argv, int *i, struct ecs_exec_args *a, char *err)
{
	const char *arg = argv[*i];
	const char *eq = strchr(arg, '=');
	size_t nlen = eq ? (size_t)(eq - arg) : strlen(arg);
	const char *value;

	for (size_t k = 0; k < sizeof(options) / sizeof(options[0]); k++) {
		const struct option_def *o = &options[k];

		if (strlen(o->name) != nlen || strncmp(o->name, arg, nlen) != 0)
			continue;
		if (eq) {
			value = eq + 1;
		} else if (*i + 1 < argc) {
			value = argv[++*i];
		} else {
			snprintf(err, ECS_EXEC_ERRSZ, "%s needs a value.", o->name);
			return -EINVAL;
		}
		if (*slot(a, o)) {
			snprintf(err, ECS_EXEC_ERRSZ, "%s is given twice; give it once.", o->name);
			return -EINVAL;
		}
		*slot(a, o) = value;
		return 0;
	}
	snprintf(err, ECS_EXEC_ERRSZ, "unknown option %.*s (see ecs-saml-exec --help).",
		 (int)(nlen > 64 ? 64 : nlen), arg);
	return -EINVAL;
}

/* Each value's shape, so that a typo is told here, not as AWS's InvalidParameterException,
 * and no value can break the JSON or the log line it goes into. */
static int
check_values(const struct ecs_exec_args *a, char *err)
{
	if (!a->task) {
		snprintf(err, ECS_EXEC_ERRSZ, "--task is required: the task ID or ARN to exec into.");
		return -EINVAL;
	}
	if (!ecs_exec_task_ok(a->task)) {
		snprintf(err, ECS_EXEC_ERRSZ,
			 "--task takes a task ID (letters, digits, '-', '_') or a task ARN.");
		return -EINVAL;
	}
	if (a->cluster && !ecs_exec_cluster_ok(a->cluster)) {
		snprintf(err, ECS_EXEC_ERRSZ,
			 "--cluster takes a cluster name (letters, digits, '-', '_', at most 255) "
			 "or a cluster ARN.");
		return -EINVAL;
	}
	if (a->container && !ecs_exec_name_ok(a->container)) {
		snprintf(err, ECS_EXEC_ERRSZ,
			 "--container takes a container name (letters, digits, '-', '_').");
		return -EINVAL;
	}
	if (!ecs_exec_line_ok(a->command, COMMAND_MAX)) {
		snprintf(err, ECS_EXEC_ERRSZ,
			 "--command takes one line of printable text, at most %d bytes.",
			 COMMAND_MAX);
		return -EINVAL;
	}
	if (a->reason && !ecs_exec_line_ok(a->reason, REASON_MAX)) {
		snprintf(err, ECS_EXEC_ERRSZ,
			 "--reason takes one line of printable text, at most %d bytes.", REASON_MAX);
		return -EINVAL;
	}
	if (a->region && !region_ok(a->region)) {
		snprintf(err, ECS_EXEC_ERRSZ,
			 "--region takes a region name such as eu-west-1.");
		return -EINVAL;
	}
	if (a->endpoint_url && (!ecs_exec_line_ok(a->endpoint_url, URL_MAX) ||
				!ecs_startswith(a->endpoint_url, "https://") ||
				strchr(a->endpoint_url, ' '))) {
		snprintf(err, ECS_EXEC_ERRSZ,
			 "--endpoint-url takes an https:// URL: credentials are never sent "
			 "in the clear.");
		return -EINVAL;
	}
	return 0;
}

int
ecs_exec_args_parse(int argc, char *const *argv, struct ecs_exec_args *a, char *err)
{
	int r;

	memset(a, 0, sizeof(*a));
	err[0] = 0;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			a->help = true;
			return 0;
		}
		if (strcmp(arg, "--version") == 0) {
			a->version = true;
			return 0;
		}
		if (!ecs_startswith(arg, "--")) {
			snprintf(err, ECS_EXEC_ERRSZ,
				 "unexpected argument \"%.64s\": give the command with --command.",
				 arg);
			return -EINVAL;
		}
		r = take_option(argc, argv, &i, a, err);
		if (r < 0)
			return r;
	}
	if (!a->command)
		a->command = ECS_EXEC_DEFAULT_COMMAND;
	return check_values(a, err);
}
