/* test_exec_plugin.c — session-manager-plugin gets the session through its environment and
 * never through argv; it runs only after the record hook said yes; PATH search skips
 * relative directories. A shell script stands in for the plugin and writes down its argv
 * and its AWS_SSM_START_SESSION_RESPONSE. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec_plugin.h"
#include "tap.h"

#define HANDOVER "{\"sessionId\":\"ecs-execute-command-01\",\"streamUrl\":\"wss://x\"," \
		 "\"tokenValue\":\"SECRET-TOKEN-VALUE\"}"

static char dir[] = "/tmp/test_exec_plugin.XXXXXX";
static char plugin[256], out[256];
static pid_t seen_pid;

static char *
slurp(const char *path)
{
	static char buf[8192];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	return buf;
}

static int
started_ok(pid_t pid, void *ctx)
{
	seen_pid = pid;
	return access(out, F_OK) == 0 ? -EEXIST : 0;	/* the plugin has not run yet */
}

static int
started_fail(pid_t pid, void *ctx)
{
	return -ENOSPC;
}

static void
test_find(void)
{
	char path_var[600];
	char *found = NULL;
	char cwd[256];

	snprintf(path_var, sizeof(path_var), "/nonexistent::relative:%s", dir);
	T_OK(ecs_exec_plugin_find(path_var, &found) == 0 && strcmp(found, plugin) == 0,
	     "found in the first absolute PATH directory that has it");
	free(found);
	if (getcwd(cwd, sizeof(cwd)) && chdir(dir) == 0) {
		T_OK(ecs_exec_plugin_find(".:/nonexistent", &found) == -ENOENT,
		     "a plugin in '.' is not taken: relative PATH entries are skipped");
		if (chdir(cwd) < 0)
			T_OK(0, "back to the working directory");
	}
	T_OK(ecs_exec_plugin_find(NULL, &found) == -ENOENT, "no PATH: not found");
}

static void
test_run(void)
{
	char *const envp[] = { "PATH=/usr/bin:/bin", "AWS_SSM_START_SESSION_RESPONSE=stale", NULL };
	struct ecs_exec_plugin_args a = { plugin, "eu-west-1", "{\"Target\": \"ecs:c_t_r\"}",
					  "https://ssm.eu-west-1.amazonaws.com", HANDOVER, envp };
	const char *argv[8];
	char **env = NULL;
	int status = -1, exec_errno = -1;
	char *text;
	size_t n = 0;

	ecs_exec_plugin_argv(&a, argv);
	T_OK(strcmp(argv[1], "AWS_SSM_START_SESSION_RESPONSE") == 0 &&
		     strcmp(argv[3], "StartSession") == 0 && strcmp(argv[4], "") == 0 &&
		     argv[7] == NULL,
	     "argv: the variable's name, region, StartSession, empty profile, target, endpoint");
	T_OK(ecs_exec_plugin_env(envp, HANDOVER, &env) == 0, "environment built");
	while (env && env[n])
		n++;
	T_OK(n == 2 && strcmp(env[0], "PATH=/usr/bin:/bin") == 0 &&
		     strcmp(env[1], "AWS_SSM_START_SESSION_RESPONSE=" HANDOVER) == 0,
	     "a stale AWS_SSM_START_SESSION_RESPONSE is replaced, not doubled");
	ecs_exec_plugin_env_free(env);

	T_OK(ecs_exec_plugin_run(&a, started_ok, NULL, &status, &exec_errno) == 0 &&
		     WIFEXITED(status) && WEXITSTATUS(status) == 3 && seen_pid > 0,
	     "the plugin runs after the hook and its status comes back");
	text = slurp(out);
	T_OK(text && strstr(text, "arg1=AWS_SSM_START_SESSION_RESPONSE\n") &&
		     strstr(text, "arg5={\"Target\": \"ecs:c_t_r\"}\n") &&
		     strstr(text, "arg6=https://ssm.eu-west-1.amazonaws.com\n"),
	     "the plugin saw the AWS CLI's arguments");
	T_OK(text && strstr(text, "env=" HANDOVER "\n"), "the session came in the environment");
	T_OK(text && !strstr(strstr(text, "env=") ? strstr(text, "env=") + 4 : text, "argv") &&
		     !strstr(text, "arg1=" HANDOVER) && !strstr(text, "arg1={"),
	     "and not in argv");
	{
		char *argpart = text ? strndup(text, (size_t)(strstr(text, "env=") - text)) : NULL;

		T_OK(argpart && !strstr(argpart, "SECRET-TOKEN-VALUE"),
		     "the token is in no argument");
		free(argpart);
	}
	unlink(out);
	T_OK(ecs_exec_plugin_run(&a, started_fail, NULL, &status, &exec_errno) == -ENOSPC &&
		     access(out, F_OK) < 0,
	     "a failed record hook: the plugin never runs");
	chmod(plugin, 0644);
	T_OK(ecs_exec_plugin_run(&a, started_ok, NULL, &status, &exec_errno) == -EACCES &&
		     exec_errno == EACCES,
	     "a plugin that cannot be executed: exec's errno comes back");
}

int
main(void)
{
	FILE *f;

	if (!mkdtemp(dir))
		return 99;
	snprintf(plugin, sizeof(plugin), "%s/session-manager-plugin", dir);
	snprintf(out, sizeof(out), "%s/seen", dir);
	f = fopen(plugin, "w");
	if (!f)
		return 99;
	fprintf(f, "#!/bin/sh\n{ i=0; for a in \"$@\"; do i=$((i+1)); echo \"arg$i=$a\"; done\n"
		   "  echo \"env=$AWS_SSM_START_SESSION_RESPONSE\"; } > %s\nexit 3\n", out);
	fclose(f);
	chmod(plugin, 0755);
	test_find();
	test_run();
	unlink(out);
	unlink(plugin);
	rmdir(dir);
	T_DONE();
}
