/* test_exec_rec.c — the exec session record (ecs_exec_rec.h): render and parse agree, the
 * parser takes exactly one spelling, the file is written 0600 and atomically under its
 * name, removed once; and ecs_proc_start_time reads field 22 of /proc/PID/stat. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ecs_exec_rec.h"
#include "ecs_proc.h"
#include "tap.h"

static struct ecs_exec_rec
sample(void)
{
	struct ecs_exec_rec r = { .pid = 4242, .pid_start = 987654, .uid = 1000,
				  .start = 1767225600 };

	strcpy(r.session_id, "ecs-execute-command-0123456789abcdef0");
	strcpy(r.cluster, "prod");
	strcpy(r.task, "0123456789abcdef0123456789abcdef");
	strcpy(r.container, "app");
	strcpy(r.region, "eu-west-1");
	strcpy(r.ssm_endpoint, "https://ssm.eu-west-1.amazonaws.com");
	strcpy(r.reason, "INC-42 restart = yes");
	return r;
}

static int
same(const struct ecs_exec_rec *a, const struct ecs_exec_rec *b)
{
	return strcmp(a->session_id, b->session_id) == 0 && strcmp(a->cluster, b->cluster) == 0 &&
	       strcmp(a->task, b->task) == 0 && strcmp(a->container, b->container) == 0 &&
	       strcmp(a->region, b->region) == 0 && strcmp(a->ssm_endpoint, b->ssm_endpoint) == 0 &&
	       strcmp(a->reason, b->reason) == 0 && a->pid == b->pid &&
	       a->pid_start == b->pid_start && a->uid == b->uid && a->start == b->start;
}

static void
test_text(void)
{
	struct ecs_exec_rec r = sample(), back;
	struct ecs_buf b;
	char *t;

	ecs_buf_init(&b, ECS_EXEC_REC_MAX);
	T_OK(ecs_exec_rec_render(&r, &b) == 0, "a record renders");
	T_OK(strncmp((char *)b.data, "ecs-saml-exec 1\nsession_id=ecs-execute-command-", 47) == 0,
	     "it starts with the magic line and the session ID");
	T_OK(ecs_exec_rec_parse((char *)b.data, b.len, &back) == 0 && same(&r, &back),
	     "parse gives back every field");
	t = strndup((char *)b.data, b.len);
	strstr(t, "pid=4242")[4] = 'x';
	T_OK(ecs_exec_rec_parse(t, b.len, &back) == -EBADMSG, "a pid that is not a number");
	free(t);
	t = strndup((char *)b.data, b.len);
	memcpy(strstr(t, "pid=4242") + 4, "0424", 4);
	T_OK(ecs_exec_rec_parse(t, b.len, &back) == -EBADMSG,
	     "a number with a leading zero (not the one spelling render writes)");
	free(t);
	T_OK(ecs_exec_rec_parse((char *)b.data, b.len - 1, &back) == -EBADMSG,
	     "a record without its last newline");
	ecs_buf_clear(&b);

	r.reason[0] = 0;
	T_OK(ecs_exec_rec_render(&r, &b) == 0 && strstr((char *)b.data, "\nreason=-\n") &&
		     ecs_exec_rec_parse((char *)b.data, b.len, &back) == 0 && back.reason[0] == 0,
	     "no reason is written '-' and read back empty");
	ecs_buf_clear(&b);
	r = sample();
	strcpy(r.session_id, "../etc/passwd");
	T_OK(ecs_exec_rec_render(&r, &b) == -EINVAL, "a session ID that is a path is refused");
	r = sample();
	strcpy(r.reason, "a\nsession_id=other");
	T_OK(ecs_exec_rec_render(&r, &b) == -EINVAL, "a value with a newline is refused");
	r = sample();
	r.pid = 0;
	T_OK(ecs_exec_rec_render(&r, &b) == -EINVAL, "pid 0 is refused");
	ecs_buf_free(&b);
	T_OK(ecs_exec_rec_name_ok("exec-ecs-execute-command-01") && !ecs_exec_rec_name_ok("exec-") &&
		     !ecs_exec_rec_name_ok("exec-a.b") && !ecs_exec_rec_name_ok("credentials"),
	     "record names are told from other files");
}

static void
test_file(void)
{
	char dir[] = "/tmp/test_exec_rec.XXXXXX";
	struct ecs_exec_rec r = sample(), back;
	char path[256], buf[ECS_EXEC_REC_MAX];
	struct stat st;
	ssize_t n = -1;
	int dfd, fd;

	if (!mkdtemp(dir)) {
		T_OK(0, "scratch directory");
		return;
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	T_OK(ecs_exec_rec_write(dfd, &r) == 0, "the record is written");
	snprintf(path, sizeof(path), "%s/exec-%s", dir, r.session_id);
	T_OK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0600, "as exec-<id>, mode 0600");
	fd = open(path, O_RDONLY);
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf));
		close(fd);
	}
	T_OK(n > 0 && ecs_exec_rec_parse(buf, (size_t)n, &back) == 0 &&
		     strcmp(back.session_id, r.session_id) == 0,
	     "and reads back");
	T_OK(ecs_exec_rec_remove(dfd, r.session_id) == 0 && stat(path, &st) < 0,
	     "remove takes it away");
	T_OK(ecs_exec_rec_remove(dfd, r.session_id) == 0, "removing it again is success");
	close(dfd);
	rmdir(dir);
}

/* Field 22 of /proc/self/stat, counted independently of the code under test. */
static unsigned long long
field22(void)
{
	char buf[1024];
	char *p, *save = NULL;
	FILE *f = fopen("/proc/self/stat", "r");
	int field = 3;

	if (!f || !fgets(buf, sizeof(buf), f))
		return 0;
	fclose(f);
	p = strrchr(buf, ')') + 2;
	for (p = strtok_r(p, " ", &save); p && field < 22; p = strtok_r(NULL, " ", &save))
		field++;
	return p ? strtoull(p, NULL, 10) : 0;
}

int
main(void)
{
	unsigned long long st = 0;

	test_text();
	test_file();
	T_OK(ecs_proc_start_time(getpid(), &st) == 0 && st == field22() && st > 0,
	     "ecs_proc_start_time is field 22 (starttime), not its neighbour (%llu)", st);
	T_OK(ecs_proc_start_time(999999999, &st) == -ESRCH, "a pid that does not exist");
	T_DONE();
}
