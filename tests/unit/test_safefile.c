/* test_safefile.c — fd-relative file access: symlinks planted, wrong owners and modes,
 * atomic replacement never torn, exclusive creation, tree removal that never follows links. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ecs_buf.h"
#include "ecs_safefile.h"
#include "tap.h"

#define NOBODY 65534
#define TORN_SIZE 65536

static char dir[] = "/tmp/ecs-test-safe.XXXXXX";

static const char *
at(const char *name)
{
	static char path[4][256];
	static unsigned i;

	i = (i + 1) % 4;
	snprintf(path[i], sizeof(path[i]), "%s/%s", dir, name);
	return path[i];
}

/* A failed fixture step is a visible failure, never a silently weaker test. */
static void
setup(int ok, const char *what)
{
	if (!ok)
		T_OK(0, "setup: %s", what);
}

static void
put(const char *name, const char *text, mode_t mode, uid_t uid)
{
	int fd = open(at(name), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0600);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text) ||
	    fchown(fd, uid, 0) < 0 || fchmod(fd, mode) < 0)
		printf("# setup of %s failed\n", name);
	if (fd >= 0)
		close(fd);
}

static void
test_open_dir(int dfd)
{
	int fd = -1;

	T_OK(ecs_safe_open_dir(dir, 0, &fd) == 0 && fd >= 0, "walk to a root-owned dir in /tmp");
	ecs_close(&fd);
	T_OK(fd == -1, "ecs_close resets the descriptor");
	mkdir(at("real"), 0755);
	mkdir(at("real/sub"), 0755);
	setup(symlink("real", at("link")) == 0, "symlink('real', at('link'))");
	T_OK(ecs_safe_open_dir(at("link/sub"), 0, &fd) == -ELOOP && fd == -1,
	     "symlinked component is -ELOOP");
	T_OK(ecs_safe_open_dir(at("link"), 0, &fd) == -ELOOP, "symlinked last component is -ELOOP");
	mkdir(at("open"), 0777);
	chmod(at("open"), 0777);
	T_OK(ecs_safe_open_dir(at("open"), 0, &fd) == -EPERM,
	     "world-writable directory without sticky bit is -EPERM");
	mkdir(at("user"), 0755);
	setup(chown(at("user"), NOBODY, NOBODY) == 0, "chown(at('user'), NOBODY, NOBODY)");
	T_OK(ecs_safe_open_dir(at("user"), 0, &fd) == -EPERM,
	     "directory owned by another user is -EPERM");
	T_OK(ecs_safe_open_dir(at("user"), NOBODY, &fd) == 0, "... unless that user is trusted");
	ecs_close(&fd);
	T_OK(ecs_safe_open_dir(at("user"), ECS_UID_ANY, &fd) == 0, "... or any owner is allowed");
	ecs_close(&fd);
	T_OK(ecs_safe_open_dir("tmp", 0, &fd) == -EINVAL, "relative path is -EINVAL");
	T_OK(ecs_safe_open_dir(at("real/../real"), 0, &fd) == -EINVAL, "'..' component is -EINVAL");
	T_OK(ecs_safe_open_dir(at("nothere"), 0, &fd) == -ENOENT, "missing directory is -ENOENT");
	(void)dfd;
}

static void
test_mkdirat(int dfd)
{
	struct stat st;
	int fd = -1;

	T_OK(ecs_safe_mkdirat(dfd, "new", 0700, NOBODY, NOBODY, &fd) == 0 && fd >= 0 &&
		     fstat(fd, &st) == 0 && st.st_uid == NOBODY && (st.st_mode & 07777) == 0700,
	     "created with the given owner and exact mode");
	ecs_close(&fd);
	T_OK(ecs_safe_mkdirat(dfd, "new", 0700, NOBODY, NOBODY, &fd) == 0, "existing one accepted");
	ecs_close(&fd);
	T_OK(ecs_safe_mkdirat(dfd, "new", 0755, NOBODY, NOBODY, &fd) == -EPERM && fd == -1 &&
		     stat(at("new"), &st) == 0 && (st.st_mode & 07777) == 0700,
	     "existing with another mode is -EPERM and is not changed");
	T_OK(ecs_safe_mkdirat(dfd, "new", 0700, 0, 0, &fd) == -EPERM && stat(at("new"), &st) == 0 &&
		     st.st_uid == NOBODY,
	     "existing with another owner is -EPERM and is not changed");
	setup(symlink("real", at("planted")) == 0, "symlink('real', at('planted'))");
	T_OK(ecs_safe_mkdirat(dfd, "planted", 0700, 0, 0, &fd) == -ELOOP,
	     "a symlink planted at the name is -ELOOP");
	T_OK(ecs_safe_mkdirat(dfd, "a/b", 0700, 0, 0, &fd) == -EINVAL, "name with '/' is -EINVAL");
	T_OK(ecs_safe_mkdirat(dfd, "..", 0700, 0, 0, &fd) == -EINVAL, "'..' is -EINVAL");
}

static void
test_read(int dfd)
{
	struct ecs_buf b;
	struct stat st;
	int pid;

	ecs_buf_init(&b, 1024);
	put("f", "hello", 0644, 0);
	T_OK(ecs_safe_read_at(dfd, "f", 0, 100, &b, &st) == 0 && b.len == 5 &&
		     strcmp((char *)b.data, "hello") == 0 && st.st_size == 5,
	     "read a root-owned file, stat returned");
	ecs_buf_clear(&b);
	setup(symlink("f", at("fl")) == 0, "symlink('f', at('fl'))");
	T_OK(ecs_safe_read_at(dfd, "fl", 0, 100, &b, NULL) == -ELOOP && b.len == 0,
	     "symlink is -ELOOP");
	put("u", "hello", 0644, NOBODY);
	T_OK(ecs_safe_read_at(dfd, "u", 0, 100, &b, NULL) == -EPERM, "wrong owner is -EPERM");
	T_OK(ecs_safe_read_at(dfd, "u", ECS_UID_ANY, 100, &b, NULL) == 0 && b.len == 5,
	     "any owner when ECS_UID_ANY");
	ecs_buf_clear(&b);
	put("gw", "hello", 0664, 0);
	T_OK(ecs_safe_read_at(dfd, "gw", 0, 100, &b, NULL) == -EPERM, "group-writable is -EPERM");
	ecs_buf_puts(&b, "keep");
	T_OK(ecs_safe_read_at(dfd, "f", 0, 4, &b, NULL) == -EFBIG && b.len == 4 &&
		     strcmp((char *)b.data, "keep") == 0,
	     "over the cap is -EFBIG, buffer unchanged");
	ecs_buf_clear(&b);
	mkfifo(at("fifo"), 0600);
	/* a blocking open would hang here: the alarm turns that into a failure */
	pid = fork();
	if (pid == 0) {
		alarm(5);
		_exit(ecs_safe_read_at(dfd, "fifo", 0, 100, &b, NULL) == -EINVAL ? 0 : 1);
	}
	T_OK(pid > 0 && waitpid(pid, &pid, 0) > 0 && WIFEXITED(pid) && WEXITSTATUS(pid) == 0,
	     "FIFO is -EINVAL without blocking");
	T_OK(ecs_safe_read_at(dfd, "real", 0, 100, &b, NULL) == -EINVAL, "directory is -EINVAL");
	T_OK(ecs_safe_read_path(at("f"), 0, 100, &b, NULL) == 0 && b.len == 5,
	     "read by absolute path");
	ecs_buf_clear(&b);
	put("real/g", "x", 0644, 0);
	T_OK(ecs_safe_read_path(at("link/g"), 0, 100, &b, NULL) == -ELOOP,
	     "read by path through a symlinked directory is -ELOOP");
	T_OK(ecs_safe_read_path(at("user/none"), 0, 100, &b, NULL) == -EPERM,
	     "read by path inside a directory of another owner is -EPERM");
	ecs_buf_free(&b);
}

/* Count directory entries whose name starts with '.' other than . and .. (temporaries). */
static int
temporaries(void)
{
	char cmd[300];
	FILE *p;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "ls -A '%s' | grep -c '^\\.' || true", dir);
	p = popen(cmd, "r");
	if (p && fscanf(p, "%d", &n) != 1)
		n = -1;
	if (p)
		pclose(p);
	return n;
}

static void
test_write(int dfd)
{
	struct ecs_buf b;
	struct stat st;

	ecs_buf_init(&b, 1024);
	T_OK(ecs_safe_write_atomic(dfd, "w", "one", 3, 0640) == 0 && stat(at("w"), &st) == 0 &&
		     (st.st_mode & 07777) == 0640 && st.st_size == 3,
	     "atomic write creates with the exact mode");
	T_OK(ecs_safe_write_atomic(dfd, "w", "second", 6, 0600) == 0 &&
		     ecs_safe_read_at(dfd, "w", 0, 100, &b, &st) == 0 &&
		     strcmp((char *)b.data, "second") == 0 && (st.st_mode & 07777) == 0600,
	     "atomic write replaces");
	ecs_buf_clear(&b);
	put("target", "untouched", 0644, 0);
	setup(symlink("target", at("wl")) == 0, "symlink('target', at('wl'))");
	T_OK(ecs_safe_write_atomic(dfd, "wl", "new", 3, 0600) == 0 && lstat(at("wl"), &st) == 0 &&
		     S_ISREG(st.st_mode) &&
		     ecs_safe_read_at(dfd, "target", 0, 100, &b, NULL) == 0 &&
		     strcmp((char *)b.data, "untouched") == 0,
	     "a planted symlink is replaced, its target untouched");
	ecs_buf_clear(&b);
	T_OK(ecs_safe_write_atomic(dfd, "real", "x", 1, 0600) < 0 && temporaries() == 0,
	     "failed replace of a directory leaves no temporary");
	T_OK(ecs_safe_write_atomic(dfd, "../x", "x", 1, 0600) == -EINVAL, "name with '/' refused");
	T_OK(ecs_safe_create_excl(dfd, "m", "1", 1, 0600) == 0 && stat(at("m"), &st) == 0 &&
		     (st.st_mode & 07777) == 0600,
	     "exclusive create");
	T_OK(ecs_safe_create_excl(dfd, "m", "2", 1, 0600) == -EEXIST, "second create is -EEXIST");
	setup(symlink("excl-target", at("ml")) == 0, "symlink('excl-target', at('ml'))");
	T_OK(ecs_safe_create_excl(dfd, "ml", "1", 1, 0600) == -EEXIST &&
		     access(at("excl-target"), F_OK) != 0,
	     "a dangling symlink planted at the name is not followed");
	ecs_buf_free(&b);
}

/* One process replaces a file with all-'A' or all-'B' contents while this one reads it. */
static void
test_never_torn(int dfd)
{
	static char a[TORN_SIZE], bb[TORN_SIZE];
	struct ecs_buf b;
	int i, pid, status, torn = 0, reads = 0;

	memset(a, 'A', sizeof(a));
	memset(bb, 'B', sizeof(bb));
	ecs_safe_write_atomic(dfd, "torn", a, sizeof(a), 0644);
	pid = fork();
	if (pid == 0) {
		for (i = 0; i < 400; i++)
			if (ecs_safe_write_atomic(dfd, "torn", i % 2 ? a : bb, TORN_SIZE, 0644) < 0)
				_exit(1);
		_exit(0);
	}
	ecs_buf_init(&b, TORN_SIZE);
	for (;;) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		if (ecs_safe_read_at(dfd, "torn", 0, TORN_SIZE, &b, NULL) != 0 ||
		    b.len != TORN_SIZE || memcmp(b.data, b.data[0] == 'A' ? a : bb, TORN_SIZE))
			torn++;
		reads++;
		ecs_buf_clear(&b);
	}
	ecs_buf_free(&b);
	printf("# %d reads during 400 replacements\n", reads);
	T_OK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "400 atomic replacements succeed");
	T_OK(torn == 0 && reads > 0, "no read saw a missing, short or mixed file");
	T_OK(temporaries() == 0, "no temporaries left behind");
}

static void
test_remove(int dfd)
{
	char deep[256];
	int i, n = 0;

	put("outside", "keep", 0644, 0);
	mkdir(at("tree"), 0755);
	mkdir(at("tree/a"), 0755);
	put("tree/a/f", "x", 0644, 0);
	setup(symlink(at("outside"), at("tree/a/l")) == 0, "symlink tree/a/l");
	setup(symlink(dir, at("tree/dirlink")) == 0, "symlink tree/dirlink");
	T_OK(ecs_safe_remove_at(dfd, "tree") == 0 && access(at("tree"), F_OK) != 0,
	     "tree removed");
	T_OK(access(at("outside"), F_OK) == 0 && access(at("f"), F_OK) == 0,
	     "symlinks inside the tree were removed, not followed");
	T_OK(ecs_safe_remove_at(dfd, "tree") == 0, "removing what is gone succeeds");
	T_OK(ecs_safe_remove_at(dfd, "outside") == 0 && access(at("outside"), F_OK) != 0,
	     "a plain file is removed");
	n = snprintf(deep, sizeof(deep), "%s/deep", dir);
	for (i = 0; i < 10; i++) {
		mkdir(deep, 0755);
		n += snprintf(deep + n, sizeof(deep) - (size_t)n, "/d");
	}
	T_OK(ecs_safe_remove_at(dfd, "deep") == -ENOTEMPTY, "a tree deeper than 8 is refused");
	T_OK(ecs_safe_remove_at(dfd, "..") == -EINVAL, "'..' refused");
}

/* The operator's reading of each refusal; the size names the read's own limit. */
static void
test_read_why(void)
{
	char b[96];

	T_OK(strcmp(ecs_safe_read_why(-ELOOP, 10, b, sizeof(b)),
		    "it is, or its path passes through, a symbolic link") == 0, "why: symlink");
	T_OK(strcmp(ecs_safe_read_why(-EFBIG, 4096, b, sizeof(b)), "larger than 4096 bytes") == 0,
	     "why: too large names the limit");
	T_OK(strcmp(ecs_safe_read_why(-EINVAL, 1, b, sizeof(b)), "not a regular file") == 0,
	     "why: not a regular file");
	T_OK(strstr(ecs_safe_read_why(-EPERM, 1, b, sizeof(b)), "not root's") != NULL,
	     "why: owner or mode");
	T_OK(strcmp(ecs_safe_read_why(-EIO, 1, b, sizeof(b)), strerror(EIO)) == 0,
	     "why: anything else is the system's word");
}

int
main(void)
{
	char cmd[300];
	int dfd = -1;

	if (!mkdtemp(dir) || chmod(dir, 0755) < 0 || ecs_safe_open_dir(dir, 0, &dfd) < 0) {
		T_OK(0, "scratch directory");
		T_DONE();
	}
	test_open_dir(dfd);
	test_mkdirat(dfd);
	test_read(dfd);
	test_read_why();
	test_write(dfd);
	test_never_torn(dfd);
	test_remove(dfd);
	ecs_close(&dfd);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	T_DONE();
}
