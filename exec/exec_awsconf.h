/* exec_awsconf.h — the session's AWS credentials and settings, read the way the AWS SDKs
 * and the AWS CLI read them.
 *
 * Credentials, first that applies:
 *   1. AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (with AWS_SESSION_TOKEN) in the
 *      environment; one without the other is an error, as in the SDKs;
 *   2. the profile's section of the shared credentials file (AWS_SHARED_CREDENTIALS_FILE,
 *      else ~/.aws/credentials): aws_access_key_id, aws_secret_access_key,
 *      aws_session_token;
 *   3. the same keys in the profile's section of the config file (AWS_CONFIG_FILE, else
 *      ~/.aws/config), whose sections are "[default]" and "[profile NAME]".
 * The profile is AWS_PROFILE, else AWS_DEFAULT_PROFILE, else "default"; a profile that was
 * named but is in neither file is an error. pam_ecs_saml writes both files and exports
 * their paths; other credential sources of the SDKs (SSO, processes, instance roles) are
 * not read: the bastion session's own credentials are the point.
 *
 * Region: AWS_REGION, else AWS_DEFAULT_REGION, else the profile's `region` (the caller
 * puts --region before all of them). CA bundle: AWS_CA_BUNDLE, else the profile's
 * `ca_bundle`. Endpoint: AWS_ENDPOINT_URL_ECS, else AWS_ENDPOINT_URL (--endpoint-url
 * before both).
 *
 * The files are parsed as the SDKs' INI dialect: "[section]" lines, "key = value" lines
 * (key case-insensitive, value trimmed, nothing stripped from inside it), comment lines
 * starting with '#' or ';', and indented lines, which belong to a nested setting such as
 * "s3 =" and are skipped. A key given twice in the section read is refused: which one an
 * SDK would use is not worth guessing with credentials. */
#ifndef ECS_EXEC_AWSCONF_H
#define ECS_EXEC_AWSCONF_H

#include <stddef.h>

#define ECS_AWSCONF_FILE_MAX (1024 * 1024)
#define ECS_AWSCONF_ERRSZ 512

struct ecs_aws_settings {
	char *access_key_id;
	char *secret_access_key;	/* secret: wiped by ecs_aws_settings_free */
	char *session_token;		/* secret; NULL for long-term keys */
	char *region;			/* NULL when nothing names one */
	char *ca_bundle;		/* NULL: the system's CA store */
	char *endpoint_url;		/* NULL: AWS's endpoint for the region */
	char *profile;
	char *credentials_file;		/* AWS_SHARED_CREDENTIALS_FILE as exported, else NULL:
					 * its directory is the session's (exec records) */
	const char *source;		/* "environment", "credentials file", "config file" */
};

/* Read the settings, looking variables up in envp (NULL-terminated "NAME=value" strings,
 * normally environ). 0, or a negative value with err[ECS_AWSCONF_ERRSZ] saying what is
 * missing or wrong and what to do: -ENOENT (no credentials anywhere), -EBADMSG (a file or
 * a variable that cannot be used), -EIO, -ENOMEM. s is filled only on success; release it
 * with ecs_aws_settings_free. */
int ecs_aws_settings_load(char *const *envp, struct ecs_aws_settings *s, char *err);

void ecs_aws_settings_free(struct ecs_aws_settings *s);

/* Look keys[0..n) up in section `section` of the INI text text[len]: values[i] gets a
 * malloc'd copy (free with ecs_free_secret_str) or stays NULL. *found says whether the
 * section exists. 0, -EBADMSG (a key twice in the section, a NUL byte, a line over 64 KiB),
 * -ENOMEM. On failure nothing is allocated. */
int ecs_awsconf_ini_get(const char *text, size_t len, const char *section,
			const char *const *keys, size_t n, char **values, int *found);

/* The value of NAME in envp, or NULL (an empty value counts as unset, as in the SDKs). */
const char *ecs_awsconf_env(char *const *envp, const char *name);

#endif
