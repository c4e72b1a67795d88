/* test_sts_proxy.c — sts_proxy_auth_file: USER:PASSWORD in a root-only file. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ecs_err.h"
#include "sts_proxy.h"
#include "tap.h"

static char dir[] = "/tmp/ecs-test-proxy.XXXXXX";
static char path[128];
static char why[256];

/* Write text at path with mode, then load it: the result. */
static int
load(const char *text, mode_t mode, struct ecs_buf *b)
{
	int fd;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text) || close(fd) < 0)
		return -1000;
	chmod(path, mode);
	why[0] = '\0';
	return ecs_sts_proxy_auth_load(path, b, why, sizeof(why));
}

int
main(void)
{
	struct ecs_buf b;

	if (!mkdtemp(dir)) {
		T_OK(0, "mkdtemp");
		T_DONE();
	}
	chmod(dir, 0755);
	snprintf(path, sizeof(path), "%s/auth", dir);
	T_OK(load("bastion:s3cr:et\n", 0600, &b) == 0 &&
		     strcmp((const char *)b.data, "bastion") == 0 &&
		     strcmp(ecs_sts_proxy_password(&b), "s3cr:et") == 0,
	     "USER:PASSWORD split at the first ':', the newline dropped");
	ecs_buf_free(&b);
	T_OK(load("u:p", 0400, &b) == 0 && strcmp(ecs_sts_proxy_password(&b), "p") == 0,
	     "mode 0400 and no final newline");
	ecs_buf_free(&b);
	T_OK(load("u:p\n", 0640, &b) == -ECS_ECONFIG && strstr(why, "mode 0600 or 0400"),
	     "a file the group can read is refused");
	T_OK(load("u:p\n", 0644, &b) == -ECS_ECONFIG, "a file everyone can read is refused");
	T_OK(load("nopassword\n", 0600, &b) == -ECS_ECONFIG && strstr(why, "no ':'"),
	     "no ':' is refused");
	T_OK(load(":p\n", 0600, &b) == -ECS_ECONFIG && strstr(why, "no user"), "no user");
	T_OK(load("u:\n", 0600, &b) == -ECS_ECONFIG && strstr(why, "no password"), "no password");
	T_OK(load("u:p\nsecond:line\n", 0600, &b) == -ECS_ECONFIG && strstr(why, "one line"),
	     "a second line is refused");
	T_OK(load("", 0600, &b) == -ECS_ECONFIG && strstr(why, "empty"), "an empty file");
	T_OK(load("u:p\n", 0600, &b) == 0 && strstr(why, "p") == NULL,
	     "loaded: nothing of it in the reason buffer");
	ecs_buf_free(&b);
	unlink(path);
	T_OK(load("", 0600, &b) == -ECS_ECONFIG && unlink(path) == 0 &&
		     ecs_sts_proxy_auth_load(path, &b, why, sizeof(why)) == -ECS_ECONFIG &&
		     strstr(why, "no such file"),
	     "a missing file is refused");
	rmdir(dir);
	T_DONE();
}
