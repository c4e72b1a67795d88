/* ecs_proc.c — identifying a process across pid reuse (see ecs_proc.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ecs_proc.h"

/* The command name (field 2) may hold spaces and parentheses, so counting starts after its
 * last ')'. */
int
ecs_proc_start_time(pid_t pid, unsigned long long *out)
{
	char path[64], buf[1024];
	char *p, *end;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -ESRCH;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (p == NULL)
		return -EBADMSG;
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
