/* fuzz_awsconf.c — libFuzzer target for ecs-saml-exec's reader of the AWS credentials and
 * config files (the SDKs' INI dialect). The input is one file; the sections [default] and
 * [profile ops] are read from it.
 *
 * Properties beyond "no crash" and no leak: a value never spans a line and never carries
 * the blanks around it; a failure sets nothing. */
#include <stdlib.h>
#include <string.h>

#include "ecs_secmem.h"
#include "exec_awsconf.h"
#include "fuzz.h"

static void
read_section(const char *text, size_t len, const char *section)
{
	static const char *const keys[] = { "aws_access_key_id", "aws_secret_access_key",
					    "aws_session_token", "region" };
	char *v[4];
	int found;
	int r = ecs_awsconf_ini_get(text, len, section, keys, 4, v, &found);

	for (int i = 0; i < 4; i++) {
		if (r < 0 && v[i])
			abort();
		if (!v[i])
			continue;
		if (strchr(v[i], '\n') || (*v[i] && (v[i][0] == ' ' || v[i][strlen(v[i]) - 1] == ' ')))
			abort();
		ecs_free_secret_str(v[i]);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > ECS_AWSCONF_FILE_MAX)
		return 0;
	read_section((const char *)data, size, "default");
	read_section((const char *)data, size, "profile ops");
	return 0;
}
