/* test_awsconf.c — credentials and settings read the way the AWS SDKs read them: the INI
 * dialect, the order of sources (environment, credentials file, config file), profiles,
 * region and CA bundle, and a sentence for each way it can fail. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ecs_secmem.h"
#include "exec_awsconf.h"
#include "tap.h"

static char dir[] = "/tmp/test_awsconf.XXXXXX";
static char cred[256], conf[256], env_cred[300], env_conf[300], env_home[300];

static void
put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void
test_ini(void)
{
	static const char *const k[] = { "aws_access_key_id", "region" };
	static const char text[] = "# comment\n; other comment\n[default]\nregion = us-east-1\n"
				   "[profile ops]\r\nRegion=eu-west-1 \r\ns3 =\n  region = x\n"
				   "aws_access_key_id: AKIAOPS\n[other]\nregion = ap-south-1\n";
	char *v[2];
	int found;

	T_OK(ecs_awsconf_ini_get(text, strlen(text), "profile ops", k, 2, v, &found) == 0 &&
		     found && v[0] && strcmp(v[0], "AKIAOPS") == 0 && v[1] &&
		     strcmp(v[1], "eu-west-1") == 0,
	     "section chosen by exact name; CRLF, ':' and key case accepted; nested lines skipped");
	ecs_free_secret_str(v[0]);
	ecs_free_secret_str(v[1]);
	T_OK(ecs_awsconf_ini_get(text, strlen(text), "ops", k, 2, v, &found) == 0 && !found &&
		     !v[0] && !v[1],
	     "a section that is not there: found = 0, nothing set");
	T_OK(ecs_awsconf_ini_get("[a]\nregion=x\nregion=y\n", 22, "a", k, 2, v, &found) ==
		     -EBADMSG && !v[1],
	     "a key twice in the section read is refused");
	T_OK(ecs_awsconf_ini_get("[a]\nregion=x\n[b]\njunk\n", 22, "a", k, 2, v, &found) ==
		     -EBADMSG,
	     "a line that is no setting, anywhere, spoils the file (as in the SDKs)");
	T_OK(ecs_awsconf_ini_get("[a\nregion=x\n", 12, "a", k, 2, v, &found) == -EBADMSG,
	     "an unclosed section header is refused");
	T_OK(ecs_awsconf_ini_get("[a]\nregion=x\0y\n", 15, "a", k, 2, v, &found) == -EBADMSG,
	     "a NUL byte is refused");
}

static int
load(char **envp, struct ecs_aws_settings *s, char *err)
{
	return ecs_aws_settings_load(envp, s, err);
}

static void
test_sources(void)
{
	struct ecs_aws_settings s;
	char err[ECS_AWSCONF_ERRSZ];
	int r;

	put(cred, "[default]\naws_access_key_id = ASIAFILE\naws_secret_access_key = fsecret\n"
		  "aws_session_token = ftoken\n[ops]\naws_access_key_id = ASIAOPS\n"
		  "aws_secret_access_key = osecret\n");
	put(conf, "[default]\nregion = eu-central-1\nca_bundle = /etc/ca.pem\n"
		  "[profile ops]\nregion = us-west-2\n[profile conf]\n"
		  "aws_access_key_id = AKIACONF\naws_secret_access_key = csecret\n");

	{
		char *envp[] = { env_cred, env_conf, NULL };

		r = load(envp, &s, err);
		T_OK(r == 0 && strcmp(s.access_key_id, "ASIAFILE") == 0 &&
			     strcmp(s.secret_access_key, "fsecret") == 0 &&
			     strcmp(s.session_token, "ftoken") == 0 &&
			     strcmp(s.region, "eu-central-1") == 0 &&
			     strcmp(s.ca_bundle, "/etc/ca.pem") == 0 &&
			     strcmp(s.source, "credentials file") == 0 &&
			     strcmp(s.credentials_file, cred) == 0,
		     "the module's files: default profile, region and CA from config (%s)", err);
		ecs_aws_settings_free(&s);
	}
	{
		char *envp[] = { env_cred, env_conf, "AWS_ACCESS_KEY_ID=ASIAENV",
				 "AWS_SECRET_ACCESS_KEY=esecret", "AWS_SESSION_TOKEN=etoken",
				 "AWS_REGION=ap-northeast-1", "AWS_DEFAULT_REGION=sa-east-1",
				 "AWS_CA_BUNDLE=/env/ca.pem", NULL };

		r = load(envp, &s, err);
		T_OK(r == 0 && strcmp(s.access_key_id, "ASIAENV") == 0 &&
			     strcmp(s.session_token, "etoken") == 0 &&
			     strcmp(s.region, "ap-northeast-1") == 0 &&
			     strcmp(s.ca_bundle, "/env/ca.pem") == 0 &&
			     strcmp(s.source, "environment") == 0,
		     "environment variables win over the files, AWS_REGION over the rest");
		ecs_aws_settings_free(&s);
	}
	{
		char *envp[] = { env_cred, env_conf, "AWS_DEFAULT_REGION=sa-east-1",
				 "AWS_PROFILE=ops", "AWS_ENDPOINT_URL=https://a.example",
				 "AWS_ENDPOINT_URL_ECS=https://ecs.example", NULL };

		r = load(envp, &s, err);
		T_OK(r == 0 && strcmp(s.access_key_id, "ASIAOPS") == 0 && !s.session_token &&
			     strcmp(s.region, "sa-east-1") == 0 &&
			     strcmp(s.endpoint_url, "https://ecs.example") == 0,
		     "AWS_PROFILE picks [ops] and [profile ops]; AWS_DEFAULT_REGION before "
		     "config; the ECS endpoint variable before the general one");
		ecs_aws_settings_free(&s);
	}
	{
		char *envp[] = { env_cred, env_conf, "AWS_PROFILE=conf", NULL };

		r = load(envp, &s, err);
		T_OK(r == 0 && strcmp(s.access_key_id, "AKIACONF") == 0 &&
			     strcmp(s.source, "config file") == 0 && !s.region,
		     "credentials in the config file's profile are read too");
		ecs_aws_settings_free(&s);
	}
	{
		char *envp[] = { env_home, NULL };

		mkdir(env_home + 5, 0700);
		r = load(envp, &s, err);
		T_OK(r == -ENOENT && strstr(err, "no AWS credentials") && !s.access_key_id,
		     "nothing anywhere: %s", err);
	}
	{
		char *envp[] = { env_cred, env_conf, "AWS_PROFILE=nosuch", NULL };

		r = load(envp, &s, err);
		T_OK(r == -EBADMSG && strstr(err, "profile nosuch"), "an unknown profile: %s",
		     err);
	}
	{
		char *envp[] = { env_cred, env_conf, "AWS_ACCESS_KEY_ID=ASIAENV", NULL };

		r = load(envp, &s, err);
		T_OK(r == -EBADMSG && strstr(err, "AWS_SECRET_ACCESS_KEY is not"),
		     "a key id without its secret in the environment: %s", err);
	}
	put(cred, "[default]\naws_access_key_id = ASIAFILE\n");
	{
		char *envp[] = { env_cred, env_conf, NULL };

		r = load(envp, &s, err);
		T_OK(r == -EBADMSG && strstr(err, "not both"), "a file with half the keys: %s",
		     err);
	}
	put(cred, "[default]\naws_access_key_id = A\naws_access_key_id = B\n"
		  "aws_secret_access_key = s\n");
	{
		char *envp[] = { env_cred, env_conf, NULL };

		r = load(envp, &s, err);
		T_OK(r == -EBADMSG && strstr(err, "cannot be read as an AWS configuration file") &&
			     strstr(err, cred),
		     "a key given twice names the file: %s", err);
	}
}

int
main(void)
{
	if (!mkdtemp(dir))
		return 99;
	snprintf(cred, sizeof(cred), "%s/credentials", dir);
	snprintf(conf, sizeof(conf), "%s/config", dir);
	snprintf(env_cred, sizeof(env_cred), "AWS_SHARED_CREDENTIALS_FILE=%s", cred);
	snprintf(env_conf, sizeof(env_conf), "AWS_CONFIG_FILE=%s", conf);
	snprintf(env_home, sizeof(env_home), "HOME=%s/home", dir);
	test_ini();
	test_sources();
	unlink(cred);
	unlink(conf);
	rmdir(env_home + 5);
	rmdir(dir);
	T_DONE();
}
