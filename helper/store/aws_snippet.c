/* aws_snippet.c — the site's lines for the session's AWS config file (see aws_snippet.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "aws_snippet.h"
#include "ecs_err.h"
#include "ecs_safefile.h"
#include "ecs_str.h"

#define KEY_MAX 64

/* Keys that choose where credentials come from or what the module itself writes. */
static bool
key_refused(const char *key)
{
	static const char *const exact[] = {
		"region", "credential_process", "credential_source", "role_arn", "source_profile",
		"role_session_name", "external_id", "mfa_serial", "duration_seconds",
		"web_identity_token_file",
	};

	if (ecs_startswith(key, "aws_") || ecs_startswith(key, "sso_"))
		return true;
	for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
		if (strcmp(key, exact[i]) == 0)
			return true;
	return false;
}

static bool
key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* One line (without its newline). NULL or why not. key[] receives a setting's key, "" else. */
static const char *
check_line(const char *s, size_t n, char key[KEY_MAX + 1])
{
	size_t k = 0;

	key[0] = '\0';
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
			return "a control character or non-ASCII byte";
	if (n == 0 || s[0] == '#' || s[0] == ';')
		return NULL;
	if (s[0] == '[')
		return "a section header (the snippet goes into the session's [default] profile)";
	if (s[0] == ' ' || s[0] == '\t')
		return "an indented line (nested settings and continuations are not taken)";
	while (k < n && key_char(s[k]))
		k++;
	if (k == 0 || k > KEY_MAX)
		return "not 'key = value' with a key of a-z, 0-9 and _";
	memcpy(key, s, k);
	key[k] = '\0';
	while (k < n && s[k] == ' ')
		k++;
	if (k == n || s[k] != '=')
		return "not 'key = value' with a key of a-z, 0-9 and _";
	if (key_refused(key))
		return "a key that would change the session's credentials, profile or region";
	return NULL;
}

const char *
ecs_aws_snippet_check(const char *text, size_t len, char *why, size_t whysz)
{
	char keys[64][KEY_MAX + 1];
	unsigned nkeys = 0;
	char key[KEY_MAX + 1];
	const char *bad;
	size_t line = 0;
	size_t n;

	while (len > 0) {
		const char *nl = memchr(text, '\n', len);

		n = nl ? (size_t)(nl - text) : len;
		line++;
		bad = check_line(text, n, key);
		if (bad == NULL && key[0] != '\0') {
			for (unsigned i = 0; i < nkeys && bad == NULL; i++)
				if (strcmp(keys[i], key) == 0)
					bad = "a key given twice";
			if (bad == NULL && nkeys == sizeof(keys) / sizeof(keys[0]))
				bad = "more than 64 settings";
			if (bad == NULL)
				memcpy(keys[nkeys++], key, sizeof(key));
		}
		if (bad != NULL) {
			snprintf(why, whysz, "line %zu: %s", line, bad);
			return why;
		}
		text += n + (nl != NULL);
		len -= n + (nl != NULL);
	}
	return NULL;
}

int
ecs_aws_snippet_load(const char *path, struct ecs_buf *out, char *why, size_t whysz)
{
	char line_why[160], rw[96];
	const char *bad;
	int r;

	ecs_buf_init(out, ECS_AWS_SNIPPET_MAX + 1);
	r = ecs_safe_read_path(path, 0, ECS_AWS_SNIPPET_MAX, out, NULL);
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		snprintf(why, whysz, "aws_config_snippet %s: %s", path,
			 ecs_safe_read_why(r, ECS_AWS_SNIPPET_MAX, rw, sizeof(rw)));
		r = -ECS_ECONFIG;
		goto out;
	}
	bad = ecs_aws_snippet_check((const char *)out->data, out->len, line_why,
				    sizeof(line_why));
	if (bad != NULL) {
		snprintf(why, whysz, "aws_config_snippet %s: %s", path, bad);
		r = -ECS_ECONFIG;
		goto out;
	}
	/* the file's last line may lack its newline: the config file's next line needs one */
	if (out->len > 0 && out->data[out->len - 1] != '\n')
		r = ecs_buf_append(out, "\n", 1);
out:
	if (r < 0)
		ecs_buf_free(out);
	return r;
}
