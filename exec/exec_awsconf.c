/* exec_awsconf.c — AWS credentials and settings, as the SDKs read them (see exec_awsconf.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ecs_buf.h"
#include "ecs_io.h"
#include "ecs_secmem.h"
#include "ecs_str.h"
#include "exec_awsconf.h"

#define LINE_MAX_LEN (64 * 1024)
#define SECTION_MAX 256

enum { K_AKID, K_SECRET, K_TOKEN, K_REGION, K_CA, K_N };
static const char *const keys[K_N] = { "aws_access_key_id", "aws_secret_access_key",
				       "aws_session_token", "region", "ca_bundle" };

const char *
ecs_awsconf_env(char *const *envp, const char *name)
{
	size_t n = strlen(name);

	for (; envp && *envp; envp++)
		if (strncmp(*envp, name, n) == 0 && (*envp)[n] == '=')
			return (*envp)[n + 1] ? *envp + n + 1 : NULL;
	return NULL;
}

static const char *
trim(const char *s, const char *end, const char **tend)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	*tend = end;
	return s;
}

/* One "key = value" line of the section being read. */
static int
take_pair(const char *line, const char *end, const char *const *want, size_t n, char **values)
{
	const char *delim = line;
	const char *k, *kend, *v, *vend;

	while (delim < end && *delim != '=' && *delim != ':')
		delim++;
	if (delim == end)
		return -EBADMSG;	/* neither a section, a comment nor a setting */
	k = trim(line, delim, &kend);
	v = trim(delim + 1, end, &vend);
	for (size_t i = 0; i < n; i++) {
		if (strlen(want[i]) != (size_t)(kend - k) ||
		    strncasecmp(want[i], k, (size_t)(kend - k)) != 0)
			continue;
		if (values[i])
			return -EBADMSG;
		values[i] = strndup(v, (size_t)(vend - v));
		return values[i] ? 0 : -ENOMEM;
	}
	return 0;
}

int
ecs_awsconf_ini_get(const char *text, size_t len, const char *section,
		    const char *const *want, size_t n, char **values, int *found)
{
	const char *p = text;
	const char *end = text + len;
	int in = 0;
	int r = 0;

	*found = 0;
	for (size_t i = 0; i < n; i++)
		values[i] = NULL;
	if (memchr(text, 0, len))
		return -EBADMSG;
	while (r == 0 && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *lend = nl ? nl : end;
		const char *s, *send;

		if (lend - p > LINE_MAX_LEN) {
			r = -EBADMSG;
			break;
		}
		s = trim(p, lend, &send);
		if (s == send || *s == '#' || *s == ';') {
			/* blank or comment */
		} else if (s != p) {
			/* indented: part of a nested setting ("s3 =" and its lines) */
		} else if (*s == '[') {
			const char *close = memchr(s, ']', (size_t)(send - s));
			const char *name, *nend;

			if (!close) {
				r = -EBADMSG;
				break;
			}
			name = trim(s + 1, close, &nend);
			in = (size_t)(nend - name) == strlen(section) &&
			     strncmp(name, section, (size_t)(nend - name)) == 0;
			if (in)
				*found = 1;
		} else {
			/* every setting line must parse, in any section, as the SDKs' parser
			 * refuses the whole file otherwise */
			if (in)
				r = take_pair(s, send, want, n, values);
			else if (!memchr(s, '=', (size_t)(send - s)) &&
				 !memchr(s, ':', (size_t)(send - s)))
				r = -EBADMSG;
		}
		p = nl ? nl + 1 : end;
	}
	if (r < 0) {
		for (size_t i = 0; i < n; i++) {
			ecs_free_secret_str(values[i]);
			values[i] = NULL;
		}
	}
	return r;
}

void
ecs_aws_settings_free(struct ecs_aws_settings *s)
{
	free(s->access_key_id);
	ecs_free_secret_str(s->secret_access_key);
	ecs_free_secret_str(s->session_token);
	free(s->region);
	free(s->ca_bundle);
	free(s->endpoint_url);
	free(s->profile);
	free(s->credentials_file);
	memset(s, 0, sizeof(*s));
}

/* A file the SDKs would read: ENV's path (a leading "~/" is HOME's) or HOME/.aws/NAME.
 * The path goes to a new string in *out; NULL when neither is known. */
static int
file_path(char *const *envp, const char *env, const char *name, char **out)
{
	const char *v = ecs_awsconf_env(envp, env);
	const char *home = ecs_awsconf_env(envp, "HOME");
	int n;

	*out = NULL;
	if (v && ecs_startswith(v, "~/") && home)
		n = asprintf(out, "%s/%s", home, v + 2);
	else if (v)
		n = asprintf(out, "%s", v);
	else if (home)
		n = asprintf(out, "%s/.aws/%s", home, name);
	else
		return 0;
	if (n < 0) {
		*out = NULL;
		return -ENOMEM;
	}
	return 0;
}

/* Read path into b (wiped by the caller's ecs_buf_free). A missing file is -ENOENT. */
static int
read_file(const char *path, struct ecs_buf *b)
{
	struct stat st;
	int fd;
	int r;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		r = -errno;
	else if (!S_ISREG(st.st_mode))
		r = -EBADMSG;
	else
		r = ecs_read_all(fd, b);
	ecs_close(&fd);
	return r;
}

/* One file's section: values[K_*] filled from it (NULL where absent). A missing file is a
 * file without the section. */
static int
read_section(const char *path, const char *section, char **values, int *found, char *err)
{
	struct ecs_buf b;
	int r;

	*found = 0;
	for (int i = 0; i < K_N; i++)
		values[i] = NULL;
	if (!path)
		return 0;
	ecs_buf_init(&b, ECS_AWSCONF_FILE_MAX);
	r = read_file(path, &b);
	if (r == -ENOENT) {
		r = 0;
		goto out;
	}
	if (r == 0)
		r = ecs_awsconf_ini_get(b.data ? (const char *)b.data : "", b.len, section, keys,
					K_N, values, found);
	if (r == -EBADMSG || r == -E2BIG)
		snprintf(err, ECS_AWSCONF_ERRSZ,
			 "%s cannot be read as an AWS configuration file (a line that is not a "
			 "[section], key = value or comment, a key given twice in [%s], or over "
			 "%d bytes); fix or remove it.", path, section, ECS_AWSCONF_FILE_MAX);
	else if (r < 0)
		snprintf(err, ECS_AWSCONF_ERRSZ, "cannot read %s: %s.", path, strerror(-r));
out:
	ecs_buf_free(&b);
	return r == -E2BIG ? -EBADMSG : r;
}

static void
free_values(char **v)
{
	for (int i = 0; i < K_N; i++) {
		ecs_free_secret_str(v[i]);
		v[i] = NULL;
	}
}

/* Move v[k] to *dst if *dst is unset and v[k] is non-empty. */
static void
adopt(char **dst, char **v, int k)
{
	if (!*dst && v[k] && *v[k]) {
		*dst = v[k];
		v[k] = NULL;
	}
}

static int
dup_env(char *const *envp, const char *name, char **dst)
{
	const char *v = ecs_awsconf_env(envp, name);

	if (*dst || !v)
		return 0;
	*dst = strdup(v);
	return *dst ? 0 : -ENOMEM;
}

/* Credentials from the environment, when AWS_ACCESS_KEY_ID is set. */
static int
from_env(char *const *envp, struct ecs_aws_settings *s, char *err)
{
	const char *id = ecs_awsconf_env(envp, "AWS_ACCESS_KEY_ID");
	const char *secret = ecs_awsconf_env(envp, "AWS_SECRET_ACCESS_KEY");
	const char *token = ecs_awsconf_env(envp, "AWS_SESSION_TOKEN");

	if (!id && !secret)
		return 0;
	if (!id || !secret) {
		snprintf(err, ECS_AWSCONF_ERRSZ,
			 "%s is set but %s is not: set both, or unset both to use the session's "
			 "credentials file.", id ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
			 id ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID");
		return -EBADMSG;
	}
	if (!token)
		token = ecs_awsconf_env(envp, "AWS_SECURITY_TOKEN");	/* the legacy name */
	s->access_key_id = strdup(id);
	s->secret_access_key = strdup(secret);
	s->session_token = token ? strdup(token) : NULL;
	if (!s->access_key_id || !s->secret_access_key || (token && !s->session_token))
		return -ENOMEM;
	s->source = "environment";
	return 0;
}

/* Credentials from one file's section; *partial when it had some but not both keys. */
static int
adopt_creds(struct ecs_aws_settings *s, char **v, const char *path, const char *source,
	    char *err)
{
	if (s->access_key_id || (!v[K_AKID] && !v[K_SECRET]))
		return 0;
	if (!v[K_AKID] || !*v[K_AKID] || !v[K_SECRET] || !*v[K_SECRET]) {
		snprintf(err, ECS_AWSCONF_ERRSZ,
			 "%s has aws_access_key_id or aws_secret_access_key for profile %s but not "
			 "both: log in again for a fresh file.", path, s->profile);
		return -EBADMSG;
	}
	adopt(&s->access_key_id, v, K_AKID);
	adopt(&s->secret_access_key, v, K_SECRET);
	adopt(&s->session_token, v, K_TOKEN);
	s->source = source;
	return 0;
}

static int
load(char *const *envp, struct ecs_aws_settings *s, char *err)
{
	char *cred_path = NULL, *conf_path = NULL;
	char *cv[K_N] = { 0 }, *fv[K_N] = { 0 };
	char section[SECTION_MAX];
	const char *named = ecs_awsconf_env(envp, "AWS_PROFILE");
	int cfound = 0, ffound = 0;
	int r;

	if (!named)
		named = ecs_awsconf_env(envp, "AWS_DEFAULT_PROFILE");
	s->profile = strdup(named ? named : "default");
	r = s->profile ? 0 : -ENOMEM;
	if (r == 0)
		r = from_env(envp, s, err);
	if (r == 0)
		r = file_path(envp, "AWS_SHARED_CREDENTIALS_FILE", "credentials", &cred_path);
	if (r == 0)
		r = file_path(envp, "AWS_CONFIG_FILE", "config", &conf_path);
	if (r == 0)
		r = read_section(cred_path, s->profile, cv, &cfound, err);
	if (r == 0) {
		snprintf(section, sizeof(section), "%s%s",
			 strcmp(s->profile, "default") ? "profile " : "", s->profile);
		r = read_section(conf_path, section, fv, &ffound, err);
	}
	if (r == 0 && named && !cfound && !ffound) {
		snprintf(err, ECS_AWSCONF_ERRSZ,
			 "AWS_PROFILE names profile %s, which is in neither %s nor %s: unset it "
			 "or name a profile that exists.", s->profile,
			 cred_path ? cred_path : "the credentials file",
			 conf_path ? conf_path : "the config file");
		r = -EBADMSG;
	}
	if (r == 0)
		r = adopt_creds(s, cv, cred_path, "credentials file", err);
	if (r == 0)
		r = adopt_creds(s, fv, conf_path, "config file", err);
	if (r == 0 && !s->access_key_id) {
		snprintf(err, ECS_AWSCONF_ERRSZ,
			 "no AWS credentials: neither AWS_ACCESS_KEY_ID nor %s has them. Run this "
			 "in the bastion session pam_ecs_saml opened (it exports "
			 "AWS_SHARED_CREDENTIALS_FILE), or log in again.",
			 cred_path ? cred_path : "a credentials file");
		r = -ENOENT;
	}
	if (r == 0)
		r = dup_env(envp, "AWS_SHARED_CREDENTIALS_FILE", &s->credentials_file);
	if (r == 0)
		r = dup_env(envp, "AWS_REGION", &s->region);
	if (r == 0)
		r = dup_env(envp, "AWS_DEFAULT_REGION", &s->region);
	if (r == 0)
		r = dup_env(envp, "AWS_CA_BUNDLE", &s->ca_bundle);
	if (r == 0)
		r = dup_env(envp, "AWS_ENDPOINT_URL_ECS", &s->endpoint_url);
	if (r == 0)
		r = dup_env(envp, "AWS_ENDPOINT_URL", &s->endpoint_url);
	if (r == 0) {
		adopt(&s->region, fv, K_REGION);
		adopt(&s->ca_bundle, fv, K_CA);
	}
	if (r == -ENOMEM)
		snprintf(err, ECS_AWSCONF_ERRSZ, "out of memory reading the AWS settings.");
	free_values(cv);
	free_values(fv);
	free(cred_path);
	free(conf_path);
	return r;
}

int
ecs_aws_settings_load(char *const *envp, struct ecs_aws_settings *s, char *err)
{
	int r;

	memset(s, 0, sizeof(*s));
	err[0] = 0;
	r = load(envp, s, err);
	if (r < 0)
		ecs_aws_settings_free(s);
	return r;
}
