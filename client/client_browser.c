/* client_browser.c — the browser process of ecs-saml-ssh --browser (client_browser.h). */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "client_browser.h"
#include "client_cdp.h"
#include "ecs_io.h"
#include "ecs_secmem.h"

#define PROG "ecs-saml-ssh"
#define CLOSE_GRACE_MS 5000	/* for the browser to close once told to */

struct run {
	const struct ecs_client_browser *b;
	char program[PATH_MAX];
	char profile[PATH_MAX];	/* the throwaway profile; "" when none was made */
	pid_t pid;
	int pidfd, cmdfd, evfd, sigfd;
	int status;		/* the browser's wait status, once reaped */
	bool reaped;
	sigset_t saved;
	struct sigaction pipe_saved;	/* SIGPIPE's disposition before the sign-in */
};

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
ecs_client_browser_arg_ok(const char *arg)
{
	return strncmp(arg, "--remote-debugging", strlen("--remote-debugging")) != 0 &&
	       strncmp(arg, "--user-data-dir", strlen("--user-data-dir")) != 0;
}

static bool
is_executable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* The program to run: name as given when it holds a '/', else the first PATH entry that
 * has it. 0 or -ENOENT. */
static int
find_on_path(const char *name, char out[PATH_MAX])
{
	const char *path = getenv("PATH");
	const char *p, *colon;

	if (strchr(name, '/') != NULL) {
		if (!is_executable(name) || strlen(name) >= PATH_MAX)
			return -ENOENT;
		strcpy(out, name);
		return 0;
	}
	for (p = path ? path : "/usr/local/bin:/usr/bin:/bin"; *p; p = colon + 1) {
		int n;

		colon = strchr(p, ':');
		if (colon == NULL)
			colon = p + strlen(p);
		/* an empty entry is the current directory: not searched, as no one means it */
		if (colon > p) {
			n = snprintf(out, PATH_MAX, "%.*s/%s", (int)(colon - p), p, name);
			if (n > 0 && n < PATH_MAX && is_executable(out))
				return 0;
		}
		if (*colon == '\0')
			break;
	}
	return -ENOENT;
}

static int
find_browser(struct run *r)
{
	static const char *const names[] = { ECS_BROWSER_CANDIDATES };

	if (r->b->program != NULL) {
		if (find_on_path(r->b->program, r->program) == 0)
			return 0;
		fprintf(stderr, PROG ": the browser %s is not an executable program (set by "
			"--browser-program or browser_program in the configuration file)\n",
			r->b->program);
		return -1;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (find_on_path(names[i], r->program) == 0)
			return 0;
	fprintf(stderr, PROG ": --browser needs a Chromium-family browser and none is on PATH "
		"(looked for chromium, chromium-browser, google-chrome, google-chrome-stable, "
		"microsoft-edge, microsoft-edge-stable, brave-browser): install one, or name "
		"yours with --browser-program PATH\n");
	return -1;
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(path) < 0 && errno != ENOENT ? -1 : 0;
	return unlink(path) < 0 && errno != ENOENT ? -1 : 0;
}

/* Remove the throwaway profile (cookies of the IdP's session live there). FTW_PHYS: a link
 * in it is removed, never followed. */
static void
remove_profile(struct run *r)
{
	if (r->profile[0] == '\0')
		return;
	if (nftw(r->profile, rm_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) < 0 && errno != ENOENT)
		fprintf(stderr, PROG ": warning: cannot remove the browser profile %s: %s\n",
			r->profile, strerror(errno));
	r->profile[0] = '\0';
}

/* In the child: the browser, with the command pipe on fd 3 and the event pipe on fd 4. */
static void
exec_browser(struct run *r, int cmd_rd, int ev_wr)
{
	const char *argv[ECS_BROWSER_ARGS_MAX + 10];
	char dirarg[PATH_MAX + 32];
	size_t n = 0;
	int null = open("/dev/null", O_RDWR);

	/* its own process group: everything it starts is ended with it */
	setpgid(0, 0);
	sigaction(SIGPIPE, &r->pipe_saved, NULL);
	sigprocmask(SIG_SETMASK, &r->saved, NULL);
	/* out of 3 and 4's way first, then into them */
	cmd_rd = fcntl(cmd_rd, F_DUPFD, 10);
	ev_wr = fcntl(ev_wr, F_DUPFD, 10);
	if (null < 0 || cmd_rd < 0 || ev_wr < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 ||
	    dup2(null, 2) < 0 || dup2(cmd_rd, 3) < 0 || dup2(ev_wr, 4) < 0)
		_exit(127);
	close_range(5, ~0U, 0);
	snprintf(dirarg, sizeof(dirarg), "--user-data-dir=%s",
		 r->b->profile ? r->b->profile : r->profile);
	argv[n++] = r->program;
	argv[n++] = "--remote-debugging-pipe";
	argv[n++] = dirarg;
	argv[n++] = "--no-first-run";
	argv[n++] = "--no-default-browser-check";
	for (size_t i = 0; i < r->b->nargs; i++)
		argv[n++] = r->b->args[i];
	/* a blank page first: the sign-in URL is opened only once interception is on */
	argv[n++] = "about:blank";
	argv[n] = NULL;
	execv(r->program, (char *const *)argv);
	_exit(127);
}

static int
start(struct run *r)
{
	const char *tmp = getenv("TMPDIR");
	int cmd[2] = { -1, -1 }, ev[2] = { -1, -1 };
	sigset_t sigs;
	int rc = -1;

	if (r->b->profile == NULL) {
		if (tmp == NULL || tmp[0] != '/')
			tmp = "/tmp";
		if (snprintf(r->profile, sizeof(r->profile), "%s/ecs-saml-ssh-browser.XXXXXX",
			     tmp) >= (int)sizeof(r->profile) || mkdtemp(r->profile) == NULL) {
			fprintf(stderr, PROG ": cannot make a browser profile directory in %s: %s\n",
				tmp, strerror(errno));
			r->profile[0] = '\0';
			goto out;
		}
	}
	if (pipe2(cmd, O_CLOEXEC) < 0 || pipe2(ev, O_CLOEXEC) < 0) {
		fprintf(stderr, PROG ": pipe: %s\n", strerror(errno));
		goto out;
	}
	/* ^C, a hangup or a termination end the sign-in through the loop, so the browser and
	 * its profile go too */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	sigprocmask(SIG_BLOCK, &sigs, &r->saved);
	r->sigfd = signalfd(-1, &sigs, SFD_CLOEXEC | SFD_NONBLOCK);
	if (r->sigfd < 0) {
		fprintf(stderr, PROG ": signalfd: %s\n", strerror(errno));
		goto out;
	}
	r->pid = fork();
	if (r->pid < 0) {
		fprintf(stderr, PROG ": cannot start %s: %s\n", r->program, strerror(errno));
		goto out;
	}
	if (r->pid == 0)
		exec_browser(r, cmd[0], ev[1]);
	setpgid(r->pid, r->pid);	/* as the child does: whichever runs first */
	r->pidfd = (int)syscall(SYS_pidfd_open, r->pid, 0);
	if (r->pidfd < 0) {
		fprintf(stderr, PROG ": pidfd_open: %s\n", strerror(errno));
		goto out;
	}
	r->cmdfd = cmd[1];
	r->evfd = ev[0];
	cmd[1] = ev[0] = -1;
	if (fcntl(r->cmdfd, F_SETFL, O_NONBLOCK) < 0 || fcntl(r->evfd, F_SETFL, O_NONBLOCK) < 0) {
		fprintf(stderr, PROG ": fcntl: %s\n", strerror(errno));
		goto out;
	}
	rc = 0;
out:
	ecs_close(&cmd[0]);
	ecs_close(&cmd[1]);
	ecs_close(&ev[0]);
	ecs_close(&ev[1]);
	return rc;
}

/* Reap the browser if it has exited (wait for up to ms), then end whatever is left of its
 * process group. */
static void
finish(struct run *r, int ms)
{
	struct pollfd p = { .fd = r->pidfd, .events = POLLIN };
	long long until = now_ms() + ms;

	if (r->pid <= 0)
		return;
	while (!r->reaped && r->pidfd >= 0) {
		long long left = until - now_ms();

		if (left <= 0 || poll(&p, 1, (int)left) == 0)
			break;
		if (waitpid(r->pid, &r->status, WNOHANG) == r->pid)
			r->reaped = true;
	}
	kill(-r->pid, SIGKILL);
	if (!r->reaped && waitpid(r->pid, &r->status, 0) == r->pid)
		r->reaped = true;
	r->pid = 0;
}

static void
report(const struct run *r, int res, const struct ecs_client_cdp *c)
{
	switch (res) {
	case ECS_CDP_E_PROTOCOL:
		fprintf(stderr, PROG ": the browser sent a DevTools message this program cannot "
			"read; the sign-in was stopped and nothing was sent to AWS\n");
		break;
	case ECS_CDP_E_COMMAND:
		fprintf(stderr, PROG ": the browser %s refused a DevTools command this program "
			"needs to keep the sign-in from AWS (\"%s\"): use a recent Chromium, "
			"Chrome, Edge or Brave\n", r->program, c->detail);
		break;
	case ECS_CDP_E_NAVIGATE:
		fprintf(stderr, PROG ": the browser cannot open %s: %s (check the sign-in link "
			"given to --browser or as browser_url in the configuration file)\n",
			r->b->url, c->detail);
		break;
	case ECS_CDP_E_NOT_SAML:
		fprintf(stderr, PROG ": the sign-in posted to AWS, but not a SAML response%s; "
			"it was stopped here, nothing was sent to AWS (is the link the IdP's AWS "
			"application?)\n", c->parse_error == -E2BIG
						    ? " (it is over the STS limit of 100000 characters)"
						    : "");
		break;
	case ECS_CDP_E_NO_BODY:
		fprintf(stderr, PROG ": the browser did not hand over the body of the sign-in's "
			"POST to AWS; nothing was sent to AWS\n");
		break;
	case ECS_CDP_E_TOO_MANY:
		fprintf(stderr, PROG ": the sign-in opened more windows than this program tracks; "
			"it was stopped and nothing was sent to AWS\n");
		break;
	default:
		fprintf(stderr, PROG ": out of memory during the browser sign-in\n");
		break;
	}
}

static void
report_exit(const struct run *r)
{
	char how[64];

	if (WIFEXITED(r->status))
		snprintf(how, sizeof(how), "exit status %d", WEXITSTATUS(r->status));
	else if (WIFSIGNALED(r->status))
		snprintf(how, sizeof(how), "signal %d", WTERMSIG(r->status));
	else
		snprintf(how, sizeof(how), "for no reason it gave");
	fprintf(stderr, PROG ": the browser %s ended (%s) before the sign-in posted to AWS%s\n",
		r->program, how,
		r->b->profile ? ": if a browser already runs with that profile, it took the "
				"window over; close it, or leave out --browser-profile"
			      : ": was its window closed? run again to sign in");
}

/* Take each complete message out of in and feed it; the rest stays for the next read. */
static int
feed_all(struct ecs_client_cdp *c, struct ecs_buf *in)
{
	size_t used = 0;
	int res = ECS_CDP_RUNNING;

	while (res == ECS_CDP_RUNNING && used < in->len) {
		const uint8_t *nul = memchr(in->data + used, '\0', in->len - used);

		if (nul == NULL)
			break;
		res = ecs_client_cdp_feed(c, (const char *)in->data + used,
					  (size_t)(nul - in->data) - used);
		used = (size_t)(nul - in->data) + 1;
	}
	if (used > 0) {
		memmove(in->data, in->data + used, in->len - used);
		ecs_buf_truncate(in, in->len - used);
	}
	return res;
}

/* Write what is queued, as far as the pipe takes it. 0, or -1 when the browser is gone. */
static int
flush(struct run *r, struct ecs_client_cdp *c, size_t *done)
{
	while (*done < c->out.len) {
		ssize_t n = write(r->cmdfd, c->out.data + *done, c->out.len - *done);

		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -1;
		*done += (size_t)n;
	}
	ecs_buf_clear(&c->out);
	*done = 0;
	return 0;
}

/* The conversation until a result, the time limit, a signal or the browser's end.
 * An ecs_cdp_result, or 2 (time limit), 3 (signal), 4 (the browser ended). */
static int
converse(struct run *r, struct ecs_client_cdp *c)
{
	long long deadline = now_ms() + (long long)r->b->timeout * 1000;
	struct ecs_buf in;
	size_t done = 0;
	int res = ECS_CDP_RUNNING;

	ecs_buf_init(&in, ECS_CDP_MSG_MAX + 1);
	while (res == ECS_CDP_RUNNING) {
		struct pollfd p[3] = {
			{ .fd = r->evfd, .events = POLLIN },
			{ .fd = r->sigfd, .events = POLLIN },
			{ .fd = r->cmdfd, .events = c->out.len > done ? POLLOUT : 0 },
		};
		long long left = deadline - now_ms();
		uint8_t chunk[65536];
		ssize_t n;

		if (left <= 0) {
			res = 2;
			break;
		}
		if (poll(p, 3, left > INT_MAX ? INT_MAX : (int)left) < 0) {
			if (errno == EINTR)
				continue;
			res = 4;
			break;
		}
		if (p[1].revents) {
			struct signalfd_siginfo si;

			/* taken, so it is not delivered once unblocked */
			while (read(r->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
				;
			res = 3;
			break;
		}
		if (p[2].revents && flush(r, c, &done) < 0) {
			res = 4;
			break;
		}
		if (!p[0].revents)
			continue;
		n = read(r->evfd, chunk, sizeof(chunk));
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0) {
			res = 4;	/* the browser closed its end: it is ending */
			break;
		}
		if (ecs_buf_append(&in, chunk, (size_t)n) < 0) {
			res = ECS_CDP_E_PROTOCOL;	/* a message past ECS_CDP_MSG_MAX */
			break;
		}
		ecs_wipe(chunk, (size_t)n);
		res = feed_all(c, &in);
		if (res == ECS_CDP_RUNNING && flush(r, c, &done) < 0)
			res = 4;
	}
	ecs_buf_free(&in);
	/* What is queued now (the answer to the page) goes out before Browser.close. */
	if (res != 4) {
		ecs_client_cdp_close(c);
		for (long long until = now_ms() + 1000; c->out.len > 0 && now_ms() < until;) {
			struct pollfd w = { .fd = r->cmdfd, .events = POLLOUT };

			if (flush(r, c, &done) < 0 || poll(&w, 1, 100) < 0)
				break;
		}
	}
	return res;
}

int
ecs_client_browser_capture(const struct ecs_client_browser *b, struct ecs_client_response *resp)
{
	struct run r = { .b = b, .pidfd = -1, .cmdfd = -1, .evfd = -1, .sigfd = -1 };
	struct ecs_client_cdp c;
	int res, rc = -1;

	sigprocmask(SIG_SETMASK, NULL, &r.saved);
	/* A browser that ends before it reads a command turns the write into EPIPE, answered
	 * as "the browser ended", not a SIGPIPE that kills us with its profile left behind. */
	sigaction(SIGPIPE, &(struct sigaction){ .sa_handler = SIG_IGN }, &r.pipe_saved);
	ecs_client_cdp_init(&c, b->url);
	if (find_browser(&r) < 0)
		goto out;
	if (start(&r) < 0)
		goto out;
	fprintf(stderr, PROG ": sign in in the browser window (%s); waiting up to %u s\n",
		b->url, b->timeout);
	res = converse(&r, &c);
	finish(&r, CLOSE_GRACE_MS);
	switch (res) {
	case ECS_CDP_CAPTURED:
		*resp = c.resp;	/* moved: c no longer owns it */
		ecs_client_response_init(&c.resp);
		rc = 0;
		break;
	case 2:
		fprintf(stderr, PROG ": no sign-in within %u seconds: the browser never posted a "
			"SAML response to AWS (--browser-timeout SECONDS sets the limit)\n",
			b->timeout);
		break;
	case 3:
		fprintf(stderr, PROG ": interrupted: the browser sign-in was stopped\n");
		rc = -2;
		break;
	case 4:
		report_exit(&r);
		break;
	default:
		report(&r, res, &c);
		break;
	}
out:
	finish(&r, 0);
	remove_profile(&r);
	ecs_close(&r.pidfd);
	ecs_close(&r.cmdfd);
	ecs_close(&r.evfd);
	ecs_close(&r.sigfd);
	sigprocmask(SIG_SETMASK, &r.saved, NULL);
	sigaction(SIGPIPE, &r.pipe_saved, NULL);
	ecs_client_cdp_free(&c);
	return rc;
}
