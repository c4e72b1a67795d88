/* exec_plugin.c — session-manager-plugin with the session in its environment (see
 * exec_plugin.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ecs_io.h"
#include "ecs_secmem.h"
#include "ecs_str.h"
#include "exec_plugin.h"

int
ecs_exec_plugin_find(const char *path_var, char **out)
{
	const char *p = path_var ? path_var : "";
	struct stat st;
	char *cand = NULL;

	*out = NULL;
	while (*p) {
		size_t n = strcspn(p, ":");

		if (n > 0 && p[0] == '/') {
			if (asprintf(&cand, "%.*s/%s", (int)n, p, ECS_EXEC_PLUGIN_NAME) < 0)
				return -ENOMEM;
			if (stat(cand, &st) == 0 && S_ISREG(st.st_mode) && access(cand, X_OK) == 0) {
				*out = cand;
				return 0;
			}
			free(cand);
			cand = NULL;
		}
		p += n;
		if (*p == ':')
			p++;
	}
	return -ENOENT;
}

void
ecs_exec_plugin_argv(const struct ecs_exec_plugin_args *a, const char *argv[8])
{
	argv[0] = a->path;
	argv[1] = ECS_EXEC_HANDOVER_VAR;
	argv[2] = a->region;
	argv[3] = "StartSession";
	argv[4] = "";	/* the profile: the plugin then reads the environment, as we did */
	argv[5] = a->target_json;
	argv[6] = a->endpoint;
	argv[7] = NULL;
}

int
ecs_exec_plugin_env(char *const *envp, const char *handover, char ***out)
{
	size_t n = 0, k = 0;
	char **env;
	size_t vlen = strlen(ECS_EXEC_HANDOVER_VAR);

	while (envp && envp[n])
		n++;
	env = calloc(n + 2, sizeof(*env));
	if (!env)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (!(strncmp(envp[i], ECS_EXEC_HANDOVER_VAR, vlen) == 0 && envp[i][vlen] == '='))
			env[k++] = envp[i];
	if (asprintf(&env[k], "%s=%s", ECS_EXEC_HANDOVER_VAR, handover) < 0) {
		free(env);
		return -ENOMEM;
	}
	*out = env;
	return 0;
}

void
ecs_exec_plugin_env_free(char **env)
{
	size_t n = 0;

	if (!env)
		return;
	while (env[n])
		n++;
	if (n > 0)
		ecs_free_secret_str(env[n - 1]);	/* ours: the handover */
	free(env);
}

static volatile sig_atomic_t child_pid;

static void
pass_on(int sig)
{
	if (child_pid > 0)
		kill((pid_t)child_pid, sig);
}

/* In the child: wait for the go byte, then become the plugin. Never returns. The parent's
 * ends of both pipes are closed first: a write end of its own would keep the go pipe open
 * when the parent closes it without a byte. */
static void
child(const struct ecs_exec_plugin_args *a, char **env, int go[2], int err[2])
{
	const char *argv[8];
	int go_fd = go[0], err_fd = err[1];
	char c = 0;
	ssize_t n;
	int e;

	ecs_close(&go[1]);
	ecs_close(&err[0]);
	do
		n = read(go_fd, &c, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1 || c != 'g')
		_exit(127);
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	signal(SIGTSTP, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	ecs_exec_plugin_argv(a, argv);
	execve(a->path, (char *const *)argv, env);
	e = errno;
	if (write(err_fd, &e, sizeof(e)) < 0) {
		/* nothing more to tell */
	}
	_exit(127);
}

/* The parent's signal setup while the plugin runs, and its undoing. */
static void
signals(bool running, struct sigaction old[5])
{
	static const int sigs[5] = { SIGINT, SIGQUIT, SIGTSTP, SIGTERM, SIGHUP };
	struct sigaction sa;

	for (int i = 0; i < 5; i++) {
		if (!running) {
			sigaction(sigs[i], &old[i], NULL);
			continue;
		}
		memset(&sa, 0, sizeof(sa));
		sigemptyset(&sa.sa_mask);
		sa.sa_handler = i < 3 ? SIG_IGN : pass_on;
		sigaction(sigs[i], &sa, &old[i]);
	}
}

int
ecs_exec_plugin_run(const struct ecs_exec_plugin_args *a,
		    int (*on_started)(pid_t pid, void *ctx), void *ctx, int *status,
		    int *exec_errno)
{
	struct sigaction old[5];
	char **env = NULL;
	int go[2] = { -1, -1 }, err[2] = { -1, -1 };
	pid_t pid = -1;
	int e = 0;
	ssize_t n;
	int r;

	*status = 0;
	*exec_errno = 0;
	r = ecs_exec_plugin_env(a->envp, a->handover, &env);
	if (r < 0)
		return r;
	if (pipe2(go, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) {
		r = -errno;
		goto out;
	}
	signals(true, old);
	pid = fork();
	if (pid < 0) {
		r = -errno;
		signals(false, old);
		goto out;
	}
	if (pid == 0)
		child(a, env, go, err);
	child_pid = pid;
	ecs_close(&go[0]);
	ecs_close(&err[1]);
	/* the handover was copied into the child by fork: ours goes now */
	ecs_exec_plugin_env_free(env);
	env = NULL;
	r = on_started(pid, ctx);
	if (r == 0 && write(go[1], "g", 1) != 1)
		r = -errno;
	ecs_close(&go[1]);	/* without 'g' the child exits 127 without exec'ing */
	if (r == 0) {
		do
			n = read(err[0], &e, sizeof(e));
		while (n < 0 && errno == EINTR);
		if (n == (ssize_t)sizeof(e)) {
			*exec_errno = e;
			r = -e;
		}
	}
	while (waitpid(pid, status, 0) < 0 && errno == EINTR) {
		/* the plugin's end is what we wait for */
	}
	child_pid = 0;
	signals(false, old);
out:
	ecs_close(&go[0]);
	ecs_close(&go[1]);
	ecs_close(&err[0]);
	ecs_close(&err[1]);
	ecs_exec_plugin_env_free(env);
	return r;
}
