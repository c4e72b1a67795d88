/* test_exec_args.c — ecs-saml-exec's command line: every option in both spellings, the
 * defaults, and a refusal (with a sentence) for each kind of bad value. */
#include <errno.h>
#include <string.h>

#include "exec_args.h"
#include "tap.h"

#define ARGV(...) ((char *const[]){ "ecs-saml-exec", __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((char *const[]){ "ecs-saml-exec", __VA_ARGS__ }) / sizeof(char *)))
#define PARSE(a, err, ...) ecs_exec_args_parse(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), a, err)

static int
refused(const char *want, int r, const char *err)
{
	return r == -EINVAL && strstr(err, want) != NULL;
}

int
main(void)
{
	struct ecs_exec_args a;
	char err[ECS_EXEC_ERRSZ];
	int r;

	r = PARSE(&a, err, "--cluster", "prod", "--task", "0123456789abcdef0123456789abcdef",
		  "--container=app", "--command", "/bin/bash -l", "--reason=INC-42 restart",
		  "--region", "eu-west-1", "--endpoint-url", "https://127.0.0.1:18443");
	T_OK(r == 0, "every option parses (%s)", err);
	T_OK(r == 0 && strcmp(a.cluster, "prod") == 0 && strcmp(a.container, "app") == 0 &&
		     strcmp(a.command, "/bin/bash -l") == 0 &&
		     strcmp(a.reason, "INC-42 restart") == 0 && strcmp(a.region, "eu-west-1") == 0 &&
		     strcmp(a.endpoint_url, "https://127.0.0.1:18443") == 0,
	     "values land in their fields, '=' or next argument alike");

	r = PARSE(&a, err, "--task", "abc");
	T_OK(r == 0 && !a.cluster && !a.container && !a.reason && !a.region && !a.endpoint_url &&
		     strcmp(a.command, "/bin/sh") == 0,
	     "only --task: default cluster, only container, /bin/sh");
	r = PARSE(&a, err, "--task", "arn:aws:ecs:eu-west-1:123456789012:task/prod/0123abcd",
		  "--cluster", "arn:aws:ecs:eu-west-1:123456789012:cluster/prod");
	T_OK(r == 0, "task and cluster ARNs are accepted (%s)", err);

	r = PARSE(&a, err, "--help");
	T_OK(r == 0 && a.help, "--help");
	r = PARSE(&a, err, "--task", "t", "--version");
	T_OK(r == 0 && a.version, "--version");

	r = PARSE(&a, err, "--cluster", "prod");
	T_OK(refused("--task is required", r, err), "no --task: %s", err);
	r = PARSE(&a, err, "--task", "t", "--task", "u");
	T_OK(refused("given twice", r, err), "an option twice: %s", err);
	r = PARSE(&a, err, "--task");
	T_OK(refused("needs a value", r, err), "an option without its value: %s", err);
	r = PARSE(&a, err, "--task", "t", "--profile", "x");
	T_OK(refused("unknown option --profile", r, err), "an unknown option: %s", err);
	r = PARSE(&a, err, "--task", "t", "ls");
	T_OK(refused("--command", r, err), "a bare word: %s", err);
	r = PARSE(&a, err, "--task", "t/../x");
	T_OK(refused("--task takes", r, err), "a task with '/': %s", err);
	r = PARSE(&a, err, "--task", "arn:aws:ecs:eu-west-1:123456789012:cluster/prod");
	T_OK(refused("--task takes", r, err), "a cluster ARN as --task: %s", err);
	r = PARSE(&a, err, "--task", "t", "--cluster", "a\"b");
	T_OK(refused("--cluster takes", r, err), "a cluster with a quote: %s", err);
	r = PARSE(&a, err, "--task", "t", "--container", "a b");
	T_OK(refused("--container takes", r, err), "a container with a space: %s", err);
	r = PARSE(&a, err, "--task", "t", "--command", "");
	T_OK(refused("--command takes", r, err), "an empty command: %s", err);
	r = PARSE(&a, err, "--task", "t", "--command", "sh\n-c id");
	T_OK(refused("--command takes", r, err), "a command with a newline: %s", err);
	r = PARSE(&a, err, "--task", "t", "--reason", "a\x1b[31m");
	T_OK(refused("--reason takes", r, err), "a reason with an escape sequence: %s", err);
	r = PARSE(&a, err, "--task", "t", "--region", "EU_WEST");
	T_OK(refused("--region takes", r, err), "a malformed region: %s", err);
	r = PARSE(&a, err, "--task", "t", "--endpoint-url", "http://127.0.0.1:1");
	T_OK(refused("https://", r, err), "a plain-http endpoint: %s", err);
	T_DONE();
}
