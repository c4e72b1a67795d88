/* ecs_proc.c — identifying a process across pid reuse (see ecs_proc.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ecs_proc.h"

/* Read /proc/PID/NAME (at most size - 1 bytes) into buf, NUL-terminated. */
static int
read_proc(pid_t pid, const char *name, char *buf, size_t size)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%ld/%s", (long)pid, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return -ESRCH;
	buf[n] = '\0';
	return 0;
}

/* The command name (field 2) may hold spaces and parentheses, so counting starts after its
 * last ')'. comm (may be NULL) receives the name. */
static int
parse_stat(char *buf, unsigned long long *out, char comm[16])
{
	char *open_paren, *p, *end;

	open_paren = strchr(buf, '(');
	p = strrchr(buf, ')');
	if (open_paren == NULL || p == NULL || p < open_paren || p - open_paren - 1 > 15)
		return -EBADMSG;
	if (comm) {
		memcpy(comm, open_paren + 1, (size_t)(p - open_paren - 1));
		comm[p - open_paren - 1] = '\0';
	}
	/* the k-th space after ')' opens field 2 + k: field 22 is after the 20th */
	for (int field = 3; field <= 22; field++) {
		p = strchr(p + 1, ' ');
		if (p == NULL)
			return -EBADMSG;
	}
	errno = 0;
	*out = strtoull(p + 1, &end, 10);
	if (errno != 0 || end == p + 1)
		return -EBADMSG;
	return 0;
}

int
ecs_proc_start_time(pid_t pid, unsigned long long *out)
{
	char buf[1024];
	int r;

	r = read_proc(pid, "stat", buf, sizeof(buf));
	return r < 0 ? r : parse_stat(buf, out, NULL);
}

int
ecs_proc_identity(pid_t pid, struct ecs_proc_identity *id)
{
	char buf[4096];
	char *p, *end;
	unsigned long uid;
	int r;

	memset(id, 0, sizeof(*id));
	r = read_proc(pid, "stat", buf, sizeof(buf));
	if (r == 0)
		r = parse_stat(buf, &id->start, id->comm);
	if (r == 0)
		r = read_proc(pid, "status", buf, sizeof(buf));
	if (r < 0)
		return r;
	p = strstr(buf, "\nUid:\t");
	if (p == NULL)
		return -EBADMSG;
	errno = 0;
	uid = strtoul(p + 6, &end, 10);
	if (errno != 0 || end == p + 6 || uid > (unsigned long)(uid_t)-1)
		return -EBADMSG;
	id->uid = (uid_t)uid;
	return 0;
}
