/* test_credread.c — the login's credentials read back for the teardown (credread.h): the
 * file exactly as credfile.c writes it is read, anything else is refused; and the exec
 * plugin check (exec_stop.h): only the recorded process, of the uid, named
 * session-manager-plugin, is stopped, by pidfd. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "credread.h"
#include "ecs_proc.h"
#include "exec_stop.h"
#include "tap.h"

static const char good[] =
	"# pam_ecs_saml session 0123: arn\n"
	"# These credentials expire at 2026-12-05T15:00:00Z; log in again for new ones.\n"
	"[default]\n"
	"aws_access_key_id = ASIAEXAMPLE\n"
	"aws_secret_access_key = secret/KEY+x\n"
	"aws_session_token = tok+en/==\n";

static int
parse(const char *text)
{
	struct ecs_sts_creds c;
	int r = ecs_cred_parse(text, strlen(text), &c);

	if (r == 0)
		ecs_sts_creds_free(&c);
	else if (c.access_key_id || c.secret_access_key || c.session_token)
		return -999;
	return r;
}

static void
test_parse(void)
{
	struct ecs_sts_creds c;
	char buf[1024];

	T_OK(ecs_cred_parse(good, strlen(good), &c) == 0 &&
		     strcmp(c.access_key_id, "ASIAEXAMPLE") == 0 &&
		     strcmp(c.secret_access_key, "secret/KEY+x") == 0 &&
		     strcmp(c.session_token, "tok+en/==") == 0,
	     "the file as credfile.c writes it is read");
	ecs_sts_creds_free(&c);
	T_OK(parse("[default]\naws_access_key_id = A\naws_secret_access_key = B\n") == -EBADMSG,
	     "no token: refused");
	snprintf(buf, sizeof(buf), "%saws_session_token = again\n", good);
	T_OK(parse(buf) == -EBADMSG, "a key twice: refused");
	T_OK(parse(good + strlen("# pam_ecs_saml session 0123: arn\n") +
		   strlen("# These credentials expire at 2026-12-05T15:00:00Z; log in again "
			  "for new ones.\n") + strlen("[default]\n")) == -EBADMSG,
	     "keys before [default]: refused");
	snprintf(buf, sizeof(buf), "%s[other]\n", good);
	T_OK(parse(buf) == -EBADMSG, "another section: refused");
	snprintf(buf, sizeof(buf), "%.*s", (int)strlen(good) - 1, good);
	T_OK(parse(buf) == -EBADMSG, "a last line without its newline: refused");
	T_OK(parse("[default]\naws_access_key_id = A B\naws_secret_access_key = B\n"
		   "aws_session_token = C\n") == -EBADMSG,
	     "a value with a space: refused");
	T_OK(parse("[default]\naws_access_key_id=A\naws_secret_access_key = B\n"
		   "aws_session_token = C\n") == -EBADMSG,
	     "another spelling of the separator: refused");
	T_OK(parse("[default]\nregion = x\naws_access_key_id = A\naws_secret_access_key = B\n"
		   "aws_session_token = C\n") == -EBADMSG,
	     "an unknown key: refused");
	T_OK(ecs_cred_parse("[default]\n\0", 11, &c) == -EBADMSG, "a NUL byte: refused");
}

static void
test_read_at(void)
{
	char dir[] = "/tmp/test_credread.XXXXXX";
	struct ecs_sts_creds c;
	int dfd, fd;

	T_OK(mkdtemp(dir) != NULL, "scratch directory");
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	fd = openat(dfd, "credentials", O_WRONLY | O_CREAT | O_EXCL, 0600);
	T_OK(fd >= 0 && write(fd, good, strlen(good)) == (ssize_t)strlen(good), "file written");
	close(fd);
	T_OK(ecs_cred_read_at(dfd, getuid(), &c) == 0 && strcmp(c.session_token, "tok+en/==") == 0,
	     "read fd-relative, owned by the uid");
	ecs_sts_creds_free(&c);
	T_OK(ecs_cred_read_at(dfd, getuid() + 1, &c) == -EPERM, "another owner: refused");
	unlinkat(dfd, "credentials", 0);
	T_OK(symlinkat("/etc/passwd", dfd, "credentials") == 0 &&
		     ecs_cred_read_at(dfd, getuid(), &c) < 0 && c.access_key_id == NULL,
	     "a symbolic link is not followed");
	unlinkat(dfd, "credentials", 0);
	close(dfd);
	rmdir(dir);
}

/* A child that runs a copy of sleep under the name NAME (the kernel's comm is its base
 * name). */
static pid_t
spawn_named(const char *dir, const char *name)
{
	char path[256], cmd[600];
	pid_t pid;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(cmd, sizeof(cmd), "cp /bin/sleep '%s'", path);
	if (system(cmd) != 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		execl(path, name, "30", (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* Until pid's comm is the program's (after its exec). */
static void
wait_exec(pid_t pid, const char *comm)
{
	struct ecs_proc_identity id;

	for (int i = 0; i < 200; i++) {
		if (ecs_proc_identity(pid, &id) == 0 && strncmp(id.comm, comm, 15) == 0)
			return;
		usleep(10000);
	}
}

static void
test_stop(void)
{
	char dir[] = "/tmp/test_stop.XXXXXX";
	struct ecs_proc_identity id;
	enum ecs_plugin_end end = ECS_PLUGIN_GONE;
	pid_t plugin, other;
	int status;

	T_OK(mkdtemp(dir) != NULL, "scratch directory");
	plugin = spawn_named(dir, "session-manager-plugin");
	other = spawn_named(dir, "not-the-plugin");
	T_OK(plugin > 0 && other > 0, "two processes started");
	wait_exec(plugin, ECS_PLUGIN_COMM);
	wait_exec(other, "not-the-plugin");
	T_OK(ecs_proc_identity(plugin, &id) == 0 && strcmp(id.comm, ECS_PLUGIN_COMM) == 0 &&
		     id.uid == getuid(),
	     "its identity: the plugin's name, our uid");
	T_OK(ecs_plugin_check(plugin, id.start, getuid()) == 0, "the recorded process matches");
	T_OK(ecs_plugin_check(plugin, id.start + 1, getuid()) == -ESRCH,
	     "another start time: a reused pid, not the recorded process");
	T_OK(ecs_plugin_check(plugin, id.start, getuid() + 1) == -EPERM, "another uid: not ours");
	T_OK(ecs_proc_identity(other, &id) == 0 &&
		     ecs_plugin_check(other, id.start, getuid()) == -EPERM,
	     "another program under the pid: not ours");
	T_OK(ecs_plugin_stop(other, id.start, getuid(), 0, 500, &end) == 0 &&
		     end == ECS_PLUGIN_NOT_OURS && kill(other, 0) == 0,
	     "stop leaves another program alone");
	T_OK(ecs_proc_identity(plugin, &id) == 0 &&
		     ecs_plugin_stop(plugin, id.start + 1, getuid(), 0, 500, &end) == 0 &&
		     end == ECS_PLUGIN_GONE && kill(plugin, 0) == 0,
	     "stop leaves a process with another start time alone");
	T_OK(ecs_plugin_stop(plugin, id.start, getuid(), 0, 1000, &end) == 0 &&
		     end == ECS_PLUGIN_STOPPED,
	     "the recorded plugin is stopped by SIGTERM through its pidfd");
	T_OK(waitpid(plugin, &status, 0) == plugin && WIFSIGNALED(status) &&
		     WTERMSIG(status) == SIGTERM,
	     "... and it died of SIGTERM");
	T_OK(ecs_plugin_stop(plugin, id.start, getuid(), 0, 100, &end) == 0 &&
		     end == ECS_PLUGIN_GONE,
	     "a plugin already gone: gone");
	kill(other, SIGKILL);
	waitpid(other, &status, 0);
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		T_OK(system(cmd) == 0, "scratch removed");
	}
}

int
main(void)
{
	test_parse();
	test_read_at();
	test_stop();
	T_DONE();
}
