/* replay_main.c — main() for the gcc "replay" build of a fuzz target: feeds each file named
 * on the command line to LLVMFuzzerTestOneInput once. With the normal CFLAGS (and under
 * `make asan` with ASan+UBSan) it turns every seed and every past crash into a regression
 * test that needs neither clang nor libFuzzer. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

/* Read the whole file into a block of exactly its size, so ASan sees any over-read. */
static int
replay_read(const char *path, uint8_t **out, size_t *len)
{
	struct stat st;
	uint8_t *buf = NULL;
	size_t got = 0;
	int fd;
	int r;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		r = -EINVAL;
		goto out;
	}
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!buf) {
		r = -ENOMEM;
		goto out;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			r = n < 0 ? -errno : -EIO;
			goto out;
		}
		got += (size_t)n;
	}
	*out = buf;
	*len = got;
	buf = NULL;	/* ownership moved to the caller */
	r = 0;
out:
	free(buf);
	close(fd);
	return r;
}

int
main(int argc, char **argv)
{
	uint8_t *data = NULL;
	size_t len = 0;
	int i;
	int r;

	for (i = 1; i < argc; i++) {
		r = replay_read(argv[i], &data, &len);
		if (r < 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(-r));
			return 2;
		}
		LLVMFuzzerTestOneInput(data, len);
		free(data);
	}
	printf("# replayed %d inputs\n", argc - 1);
	return 0;
}
