/* test_aws_snippet.c — aws_config_snippet: the lines a site may add to the session's AWS
 * config file, and the ones that would change its credentials, profile or region. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aws_snippet.h"
#include "ecs_err.h"
#include "tap.h"

static char why[256];

static int
ok(const char *text)
{
	return ecs_aws_snippet_check(text, strlen(text), why, sizeof(why)) == NULL;
}

/* Refused, with want in the reason. */
static int
refused(const char *text, const char *want)
{
	const char *r = ecs_aws_snippet_check(text, strlen(text), why, sizeof(why));

	if (r == NULL || strstr(r, want) == NULL) {
		printf("# got '%s'\n", r ? r : "(accepted)");
		return 0;
	}
	return 1;
}

static void
test_check(void)
{
	T_OK(ok(""), "an empty snippet");
	T_OK(ok("cli_pager =\noutput = json\nca_bundle = /etc/ssl/corp.pem\n"),
	     "cli_pager (empty value), output, ca_bundle");
	T_OK(ok("# a comment\n; another\n\nretry_mode = standard\nmax_attempts=5"),
	     "comments, a blank line, no spaces around '=', no final newline");
	T_OK(ok("use_fips_endpoint = true\nsts_regional_endpoints = regional\n"),
	     "endpoint settings");
	T_OK(refused("[profile other]\n", "line 1: a section header"), "a section header");
	T_OK(refused("output = json\n[default]\n", "line 2: a section header"),
	     "a [default] header later on");
	T_OK(refused("s3 =\n  max_concurrent_requests = 4\n", "line 2: an indented line"),
	     "a nested setting");
	static const char *const denied[] = {
		"region = us-east-1", "aws_access_key_id = AKIA", "aws_secret_access_key = x",
		"aws_session_token = x", "credential_process = /bin/evil", "credential_source = Ec2InstanceMetadata",
		"role_arn = arn:aws:iam::123456789012:role/X", "source_profile = other",
		"role_session_name = x", "external_id = x", "mfa_serial = x", "duration_seconds = 900",
		"web_identity_token_file = /tmp/t", "sso_start_url = https://x", "sso_session = x",
	};
	for (size_t i = 0; i < sizeof(denied) / sizeof(denied[0]); i++) {
		char text[128];

		snprintf(text, sizeof(text), "output = json\n%s\n", denied[i]);
		T_OK(refused(text, "line 2: a key that would change"), "refused: %s", denied[i]);
	}
	T_OK(refused("output = json\noutput = text\n", "a key given twice"), "a repeated key");
	T_OK(refused("Output = json\n", "not 'key = value'"), "an upper-case key");
	T_OK(refused("output json\n", "not 'key = value'"), "no '='");
	T_OK(refused("= json\n", "not 'key = value'"), "no key");
	T_OK(refused("output = json\r\n", "control character"), "a CR");
	T_OK(refused("cli_pager = l\xc3\xa9ss\n", "non-ASCII"), "a non-ASCII byte");
}

static void
test_load(void)
{
	char dir[] = "/tmp/ecs-test-snippet.XXXXXX";
	char path[128];
	struct ecs_buf b;
	int fd;

	if (!mkdtemp(dir)) {
		T_OK(0, "mkdtemp");
		return;
	}
	chmod(dir, 0755);
	snprintf(path, sizeof(path), "%s/snippet", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	T_OK(fd >= 0 && write(fd, "cli_pager =", 11) == 11 && close(fd) == 0, "snippet written");
	T_OK(ecs_aws_snippet_load(path, &b, why, sizeof(why)) == 0 && b.len == 12 &&
		     memcmp(b.data, "cli_pager =\n", 12) == 0,
	     "a root-owned snippet loads; its last line gets its newline");
	ecs_buf_free(&b);
	chmod(path, 0666);
	T_OK(ecs_aws_snippet_load(path, &b, why, sizeof(why)) == -ECS_ECONFIG &&
		     strstr(why, "writable by group or others"),
	     "a snippet others can write is refused");
	chmod(path, 0644);
	fd = open(path, O_WRONLY | O_TRUNC);
	T_OK(fd >= 0 && write(fd, "role_arn = x\n", 13) == 13 && close(fd) == 0,
	     "snippet rewritten");
	T_OK(ecs_aws_snippet_load(path, &b, why, sizeof(why)) == -ECS_ECONFIG &&
		     strstr(why, "aws_config_snippet") && strstr(why, "line 1"),
	     "a snippet with a refused key: the file and the line are named");
	unlink(path);
	T_OK(ecs_aws_snippet_load(path, &b, why, sizeof(why)) == -ECS_ECONFIG &&
		     strstr(why, "no such file"),
	     "a missing snippet is refused");
	rmdir(dir);
}

int
main(void)
{
	test_check();
	test_load();
	T_DONE();
}
