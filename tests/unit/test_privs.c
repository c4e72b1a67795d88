/* Unit tests: dropping root for good (helper/privs). Needs root: each case runs in a
 * forked child, which reports back through its exit status, so the test keeps its ids. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ecs_err.h"
#include "privs.h"
#include "tap.h"

#define NOBODY 65534

/* What the child saw, as its exit status. */
enum { SAW_REFUSED = 10, SAW_DROPPED_CLEAN = 11, SAW_DROPPED_DIRTY = 12, SAW_SETUP = 13 };

static int
child_state_after_drop(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = { 0 };
	gid_t groups[4];
	int n = getgroups(4, groups);

	if (syscall(SYS_capget, &hdr, data) < 0)
		return SAW_SETUP;
	if (getuid() != NOBODY || geteuid() != NOBODY || getgid() != NOBODY || n != 1 ||
	    groups[0] != NOBODY || data[0].permitted || data[0].effective || data[1].permitted ||
	    data[1].effective)
		return SAW_DROPPED_DIRTY;
	return SAW_DROPPED_CLEAN;
}

/* Fork; the child sets securebits (and extra groups), drops, and says what happened. */
static int
drop_in_child(int securebits, int extra_groups)
{
	gid_t many[3] = { 0, 4, 100 };
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		if (extra_groups && setgroups(3, many) < 0)
			_exit(SAW_SETUP);
		if (securebits && prctl(PR_SET_SECUREBITS, securebits, 0, 0, 0) < 0)
			_exit(SAW_SETUP);
		if (ecs_privs_drop(NOBODY, NOBODY) != 0)
			_exit(SAW_REFUSED);
		_exit(child_state_after_drop());
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* ecs_privs_run_as: what fn sees and returns, through the exit status. */

static int
fn_state(void *ctx)
{
	return child_state_after_drop() == SAW_DROPPED_CLEAN ? 0 : -EPERM;
}

static int
fn_returns(void *ctx)
{
	return *(const int *)ctx;
}

/* fn writes one byte into the pipe whose write end is *ctx: proof, in the parent, it ran */
static int
fn_marks(void *ctx)
{
	return write(*(const int *)ctx, "x", 1) == 1 ? 0 : -EIO;
}

/* Run fn_marks as uid:gid; *ran says whether it ran. */
static int
run_marks(uid_t uid, gid_t gid, int *ran)
{
	char c;
	int p[2], r;

	*ran = -1;
	if (pipe2(p, O_NONBLOCK) < 0)
		return -999;
	r = ecs_privs_run_as(uid, gid, "test", fn_marks, &p[1]);
	*ran = read(p[0], &c, 1) == 1;
	close(p[0]);
	close(p[1]);
	return r;
}

static int
fn_root_again(void *ctx)
{
	return setuid(0) == 0 || seteuid(0) == 0 ? -EPERM : 0;
}

static void
test_run_as(void)
{
	int reject = -ECS_EREJECT, config = -ECS_ECONFIG, other = -ENOENT, ran;

	T_OK(ecs_privs_run_as(NOBODY, NOBODY, "test", fn_state, NULL) == 0,
	     "run as: fn runs with the user's ids, groups {gid} and no capabilities");
	T_OK(ecs_privs_run_as(NOBODY, NOBODY, "test", fn_root_again, NULL) == 0,
	     "run as: fn cannot get root back");
	T_OK(getuid() == 0 && geteuid() == 0 && getgid() == 0,
	     "run as: the caller keeps its ids");
	T_OK(ecs_privs_run_as(NOBODY, NOBODY, "test", fn_returns, &reject) == -ECS_EREJECT,
	     "run as: a refusal comes back as a refusal");
	T_OK(ecs_privs_run_as(NOBODY, NOBODY, "test", fn_returns, &config) == -ECS_ECONFIG,
	     "run as: a configuration error comes back as one");
	T_OK(ecs_privs_run_as(NOBODY, NOBODY, "test", fn_returns, &other) == -EIO,
	     "run as: any other failure comes back as a failure (-EIO)");
	T_OK(run_marks(NOBODY, NOBODY, &ran) == 0 && ran == 1, "run as: fn runs once");
	T_OK(run_marks(0, 0, &ran) == -EIO && ran == 0,
	     "run as: uid 0 is refused and fn does not run");
}

int
main(void)
{
	if (geteuid() != 0) {
		T_OK(0, "test_privs needs root");
		T_DONE();
	}
	T_OK(drop_in_child(0, 0) == SAW_DROPPED_CLEAN,
	     "drop: ids, groups {gid}, no capabilities left");
	T_OK(drop_in_child(0, 1) == SAW_DROPPED_CLEAN,
	     "drop from a process with supplementary groups leaves only {gid}");
	T_OK(drop_in_child(SECBIT_KEEP_CAPS, 0) == SAW_REFUSED,
	     "refused under SECBIT_KEEP_CAPS (permitted capabilities would survive)");
	T_OK(drop_in_child(SECBIT_NO_SETUID_FIXUP, 0) == SAW_REFUSED,
	     "refused under SECBIT_NO_SETUID_FIXUP (capabilities would survive)");
	T_OK(drop_in_child(SECBIT_NOROOT, 0) == SAW_REFUSED, "refused under SECBIT_NOROOT");
	T_OK(drop_in_child(0, 0) == SAW_DROPPED_CLEAN, "the test itself kept its ids");
	test_run_as();
	T_DONE();
}
