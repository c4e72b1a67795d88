/* serve.c — the helper kept warm (serve.h). */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "aws_curl.h"
#include "caller.h"
#include "ecs_err.h"
#include "ecs_helper_server.h"
#include "ecs_io.h"
#include "ecs_safefile.h"
#include "logging.h"
#include "serve.h"
#include "serve_warm.h"
#include "xml_lib.h"

#define LISTEN_BACKLOG 512	/* a shift change: a hundred logins, three requests each */

struct child {
	pid_t pid;
	int fd;			/* the connection: the trailer goes here */
	time_t deadline;	/* CLOCK_MONOTONIC seconds */
	bool killed;
};

struct server {
	int lfd;		/* listening socket */
	int sfd;		/* signalfd: SIGCHLD, SIGTERM, SIGINT, SIGHUP */
	bool bound_here;	/* our own socket file, removed when we stop */
	bool stopping;
	const char *path;
	int (*run_verb)(const char *verb);
	size_t n;
	struct child kids[ECS_SERVE_MAX_CHILDREN];
};

static time_t
now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec;
}

/* The socket systemd passed (ecs-saml-helper.socket), as sd_listen_fds(3) describes the
 * hand-over: fd 3 when LISTEN_PID is us and LISTEN_FDS is 1. -ENOENT when none was passed;
 * -EINVAL for one that is not a listening stream socket of the Unix family. */
static int
passed_socket(int *fd)
{
	const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
	int acc = 0, dom = 0, type = 0;
	socklen_t len = sizeof(int);
	char want[24];

	snprintf(want, sizeof(want), "%ld", (long)getpid());
	if (pid == NULL || fds == NULL || strcmp(pid, want) != 0)
		return -ENOENT;
	if (strcmp(fds, "1") != 0)
		return -EINVAL;
	if (getsockopt(3, SOL_SOCKET, SO_ACCEPTCONN, &acc, &len) < 0 || !acc ||
	    getsockopt(3, SOL_SOCKET, SO_DOMAIN, &dom, &len) < 0 || dom != AF_UNIX ||
	    getsockopt(3, SOL_SOCKET, SO_TYPE, &type, &len) < 0 || type != SOCK_STREAM)
		return -EINVAL;
	if (fcntl(3, F_SETFD, FD_CLOEXEC) < 0)
		return -errno;
	*fd = 3;
	return 0;
}

/* The socket's directory, made as the spool makes it (root's, 0755; helper/store/spool.c)
 * when nothing made it yet, and refused when someone else could write in it. */
static int
socket_dir(const char *path)
{
	char parent[sizeof(((struct sockaddr_un *)0)->sun_path)];
	const char *base, *dir;
	int pfd = -1, dfd = -1;
	int r;

	dir = strrchr(path, '/');
	if (path[0] != '/' || dir == NULL || dir == path || (size_t)(dir - path) >= sizeof(parent))
		return -EINVAL;
	base = dir;
	while (base > path && base[-1] != '/')
		base--;
	memcpy(parent, path, (size_t)(base - path));
	parent[base - path] = '\0';
	r = ecs_safe_open_dir(parent, 0, &pfd);
	if (r == 0) {
		char name[sizeof(parent)];

		memcpy(name, base, (size_t)(dir - base));
		name[dir - base] = '\0';
		r = ecs_safe_mkdirat(pfd, name, 0755, 0, 0, &dfd);
	}
	ecs_close(&dfd);
	ecs_close(&pfd);
	return r;
}

/* Bind and listen on path. A socket file left by a server that died is removed; a live
 * server there (-EADDRINUSE) or anything but a socket (-EEXIST) is left alone. */
static int
listen_on(const char *path, int *lfd)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct stat st;
	int fd = -1, probe = -1;
	int r;

	if (strlen(path) >= sizeof(a.sun_path))
		return -ENAMETOOLONG;
	memcpy(a.sun_path, path, strlen(path) + 1);
	r = socket_dir(path);
	if (r < 0)
		goto out;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		r = -errno;
		goto out;
	}
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			r = -EEXIST;
			goto out;
		}
		probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (probe >= 0 && connect(probe, (struct sockaddr *)&a, sizeof(a)) == 0) {
			r = -EADDRINUSE;
			goto out;
		}
		if (unlink(path) < 0) {
			r = -errno;
			goto out;
		}
	}
	/* the directory is root's (tmpfiles.d, or the spool's own mkdir); the file root's 0600:
	 * only root may connect (the check on each connection says the same) */
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || chmod(path, 0600) < 0 ||
	    listen(fd, LISTEN_BACKLOG) < 0) {
		r = -errno;
		goto out;
	}
	*lfd = fd;
	fd = -1;
out:
	ecs_close(&probe);
	ecs_close(&fd);
	return r;
}

/* The verb's name, from the preamble on stdin: read a byte at a time, so that the request
 * after it is still unread when the verb reads its stdin. 0 or -EBADMSG. */
static int
read_verb(char *verb, size_t size)
{
	size_t n = 0;
	char c;

	for (;;) {
		ssize_t k = read(STDIN_FILENO, &c, 1);

		if (k < 0 && errno == EINTR)
			continue;
		if (k != 1 || n + 1 >= size)
			return -EBADMSG;
		if (c == '\n')
			break;
		verb[n++] = c;
	}
	verb[n] = '\0';
	return ecs_helper_server_verb_ok(verb, n) ? 0 : -EBADMSG;
}

/* The child: the helper as the module would have started it (pam_spawn.c), then the verb. */
static void __attribute__((noreturn))
run_child(struct server *s, int cfd, pid_t caller)
{
	char verb[ECS_HELPER_SERVER_VERB_MAX + 2];
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t none;
	int null;
	int code = ECS_EXIT_INTERNAL;

	sigemptyset(&dfl.sa_mask);
	sigaction(SIGTERM, &dfl, NULL);
	sigaction(SIGINT, &dfl, NULL);
	sigaction(SIGHUP, &dfl, NULL);
	sigaction(SIGCHLD, &dfl, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* the server's log socket is about to be closed under syslog's feet: let go of it first,
	 * or syslog would later close whatever file got its number */
	closelog();
	null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (null < 0 || dup2(cfd, STDIN_FILENO) < 0 || dup2(cfd, STDOUT_FILENO) < 0 ||
	    dup2(null, STDERR_FILENO) < 0 || close_range(STDERR_FILENO + 1, ~0U, 0) < 0)
		_exit(ECS_EXIT_INTERNAL);
	ecs_caller_set(caller);
	if (read_verb(verb, sizeof(verb)) == 0)
		code = s->run_verb(verb);
	else
		code = ECS_EXIT_USAGE;
	/* _exit: the server's atexit handlers (OpenSSL's, libcurl's) are the server's */
	fflush(NULL);
	_exit(code);
}

/* Accept one connection and fork its child. Failures cost that connection only. */
static void
accept_one(struct server *s)
{
	struct ucred peer;
	socklen_t len = sizeof(peer);
	struct child *k;
	pid_t pid;
	int cfd;

	cfd = accept4(s->lfd, NULL, NULL, SOCK_CLOEXEC);
	if (cfd < 0)
		return;
	if (getsockopt(cfd, SOL_SOCKET, SO_PEERCRED, &peer, &len) < 0 || peer.uid != 0) {
		struct ecs_logrec rec;

		ecs_logrec_init(&rec, "helper server refused a connection");
		ecs_logrec_addf(&rec, "uid", "%ld", len == sizeof(peer) ? (long)peer.uid : -1L);
		ecs_logrec_add(&rec, "reason", "only root's processes (the PAM module) may ask");
		ecs_log_rec(LOG_WARNING, &rec);
		close(cfd);
		return;
	}
	pid = fork();
	if (pid == 0)
		run_child(s, cfd, peer.pid);
	if (pid < 0) {
		/* the module reads no trailer: a failed exchange, refused there */
		ecs_log(LOG_ERR, "helper server cannot fork", "reason", ecs_strerror(-errno),
			(char *)NULL);
		close(cfd);
		return;
	}
	k = &s->kids[s->n++];
	k->pid = pid;
	k->fd = cfd;
	k->deadline = now_s() + ECS_SERVE_CHILD_LIMIT_S;
	k->killed = false;
}

/* A child has exited: hand its wait status to the module and forget it. */
static void
finish(struct server *s, size_t i, int status)
{
	uint8_t t[ECS_HELPER_SERVER_TRAILER_LEN];

	ecs_helper_server_trailer(status, t);
	/* the child's output is already queued on the socket; a module that has gone gets
	 * EPIPE here, which is nobody's problem */
	(void)send(s->kids[i].fd, t, sizeof(t), MSG_NOSIGNAL | MSG_DONTWAIT);
	close(s->kids[i].fd);
	s->kids[i] = s->kids[--s->n];
}

static void
reap(struct server *s)
{
	pid_t pid;
	int status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (size_t i = 0; i < s->n; i++) {
			if (s->kids[i].pid == pid) {
				finish(s, i, status);
				break;
			}
		}
	}
}

static void
on_signals(struct server *s)
{
	struct signalfd_siginfo si;

	while (read(s->sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT)
			s->stopping = true;
		/* SIGHUP: nothing to reload, every child reads the configuration afresh */
	}
	reap(s);
}

/* Kill the children whose module hung up (it timed out or died: nobody reads the answer)
 * and those past the limit; they are reaped and finished like any other. */
static void
watch(struct server *s, const struct pollfd *p)
{
	time_t now = now_s();

	for (size_t i = 0; i < s->n; i++) {
		struct child *k = &s->kids[i];

		if (k->killed)
			continue;
		if ((p[i].revents & (POLLHUP | POLLERR)) || now >= k->deadline) {
			kill(k->pid, SIGKILL);
			k->killed = true;
		}
	}
}

static int
loop(struct server *s)
{
	static struct pollfd p[2 + ECS_SERVE_MAX_CHILDREN];

	while (!s->stopping || s->n > 0) {
		bool listening = !s->stopping && s->n < ECS_SERVE_MAX_CHILDREN;
		size_t kids = s->n;

		p[0] = (struct pollfd){ .fd = s->sfd, .events = POLLIN };
		p[1] = (struct pollfd){ .fd = listening ? s->lfd : -1, .events = POLLIN };
		/* events 0: only POLLHUP, the module's side closed */
		for (size_t i = 0; i < kids; i++)
			p[2 + i] = (struct pollfd){ .fd = s->kids[i].fd, .events = 0 };
		/* a 1 s tick is enough to enforce a 300 s limit */
		if (poll(p, 2 + kids, 1000) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		watch(s, p + 2);
		if (p[0].revents & POLLIN)
			on_signals(s);
		if (listening && (p[1].revents & POLLIN))
			accept_one(s);
	}
	return 0;
}

/* What every module verb would load on its own: loaded here once, inherited by each child.
 * A library that does not load is left to the verbs to refuse with their own codes, as a
 * fresh helper would (the server has to be restarted once it is installed). */
static void
preload(void)
{
	const struct ecs_curl *curl;

	/* NSS: each lookup source's module, loaded by a name no source has (every request
	 * resolves its user; the modules check their own files for changes at each lookup) */
	(void)getpwnam("ecs-saml-helper-server-preload");
	(void)getgrnam("ecs-saml-helper-server-preload");

	if (ecs_xmlsec_load() < 0)
		ecs_log(LOG_WARNING, "helper server cannot load a library", "reason",
			ecs_xml_load_error(), (char *)NULL);
	if (ecs_curl_load(&curl) < 0)
		ecs_log(LOG_WARNING, "helper server cannot load a library", "reason",
			ecs_curl_load_error(), (char *)NULL);
	ecs_serve_warm();
}

int
ecs_serve(const char *path, int (*run_verb)(const char *verb))
{
	static struct server s;
	sigset_t set;
	int r;

	s.lfd = s.sfd = -1;
	s.path = path;
	s.run_verb = run_verb;
	r = passed_socket(&s.lfd);
	if (r == -ENOENT) {
		r = listen_on(path, &s.lfd);
		s.bound_here = r == 0;
	}
	/* the helper's environment is empty, as the module starts it */
	clearenv();
	if (r < 0) {
		fprintf(stderr, "ecs-saml-helper serve: cannot listen on %s: %s\n", path,
			r == -EADDRINUSE ? "another server is listening there" : ecs_strerror(r));
		goto out;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0 ||
	    (s.sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK)) < 0) {
		r = -errno;
		fprintf(stderr, "ecs-saml-helper serve: %s\n", ecs_strerror(r));
		goto out;
	}
	preload();
	ecs_log(LOG_INFO, "helper server listening", "socket", path, (char *)NULL);
	r = loop(&s);
	ecs_log(LOG_INFO, "helper server stopped", "socket", path, (char *)NULL);
out:
	if (s.bound_here)
		unlink(path);
	ecs_close(&s.sfd);
	ecs_close(&s.lfd);
	return r;
}
