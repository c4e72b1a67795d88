/* redis_conn.c — one connection to Redis: connect, TLS, AUTH, SELECT, commands (redis_conn.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "ecs_err.h"
#include "ecs_io.h"
#include "ecs_redis_url.h"
#include "ecs_safefile.h"
#include "redis_conn.h"

#define IN_MAX (4 * ECS_RESP_BULK_MAX)	/* received and not yet parsed */
#define OUT_MAX 8192			/* one command: a key, a few words, a password */
#define PASSWORD_MAX 1024
#define CA_FILE_MAX (1024 * 1024)

struct ecs_redis {
	int fd;
	SSL_CTX *ctx;
	SSL *ssl;
	unsigned timeout_ms;
	struct ecs_buf in;
	struct ecs_buf out;
	size_t consumed;	/* bytes of in that the last reply took */
	char where[ECS_REDIS_HOST_MAX + 48];	/* for the log: redis://host:port, the socket */
	sigset_t old_mask;
	bool pipe_pending;	/* a SIGPIPE was pending before: not ours to consume */
};

static int
fail(struct ecs_redis_fail *f, const char *code, int r, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int
fail(struct ecs_redis_fail *f, const char *code, int r, const char *fmt, ...)
{
	va_list ap;

	f->code = code;
	va_start(ap, fmt);
	vsnprintf(f->detail, sizeof(f->detail), fmt, ap);
	va_end(ap);
	return r;
}

/* Redis's own words for the log: printable, one line, short. */
static void
quote_reply(const struct ecs_resp_reply *rep, char *buf, size_t bufsz)
{
	size_t i, n = rep->len < bufsz - 1 ? rep->len : bufsz - 1;

	for (i = 0; i < n; i++)
		buf[i] = rep->str[i] >= 0x20 && rep->str[i] < 0x7f ? (char)rep->str[i] : '?';
	buf[i] = '\0';
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait until fd is ready for ev or the deadline passes: 0, -ETIMEDOUT or -errno. */
static int
wait_fd(int fd, short ev, long long deadline)
{
	struct pollfd p = { .fd = fd, .events = ev };
	long long left;
	int n;

	for (;;) {
		left = deadline - now_ms();
		if (left <= 0)
			return -ETIMEDOUT;
		n = poll(&p, 1, (int)(left > 60000 ? 60000 : left));
		if (n > 0)
			return 0;	/* ready, or an error the next call reports */
		if (n < 0 && errno != EINTR)
			return -errno;
	}
}

/* A non-blocking connect of fd to sa, finished within the deadline: 0 or -errno. */
static int
connect_fd(int fd, const struct sockaddr *sa, socklen_t len, long long deadline)
{
	socklen_t elen = sizeof(int);
	int e = 0, r;

	if (connect(fd, sa, len) == 0)
		return 0;
	if (errno != EINPROGRESS && errno != EAGAIN)
		return -errno;
	r = wait_fd(fd, POLLOUT, deadline);
	if (r < 0)
		return r;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &elen) < 0)
		return -errno;
	return -e;
}

static int
open_unix(struct ecs_redis *rc, const struct ecs_redis_url *u, long long deadline,
	  struct ecs_redis_fail *f)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int r;

	snprintf(rc->where, sizeof(rc->where), "redis+unix://%s", u->path);
	memcpy(sun.sun_path, u->path, strlen(u->path) + 1);	/* fits: ECS_REDIS_PATH_MAX */
	rc->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (rc->fd < 0)
		return fail(f, ECS_REDIS_E_UNREACHABLE, -errno, "%s: socket: %s", rc->where,
			    strerror(errno));
	r = connect_fd(rc->fd, (struct sockaddr *)&sun, sizeof(sun), deadline);
	if (r == -ETIMEDOUT)
		return fail(f, ECS_REDIS_E_TIMEOUT, r, "%s: no connection within "
			    "redis_connect_timeout_ms", rc->where);
	if (r < 0)
		return fail(f, ECS_REDIS_E_UNREACHABLE, r, "%s: %s", rc->where, strerror(-r));
	return 0;
}

static int
open_inet(struct ecs_redis *rc, const struct ecs_redis_url *u, long long deadline,
	  struct ecs_redis_fail *f)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_NUMERICSERV };
	struct addrinfo *ai = NULL, *a;
	char port[8];
	int one = 1, r, g;

	snprintf(rc->where, sizeof(rc->where), "%s://%s%s%s:%u",
		 u->transport == ECS_REDIS_TLS ? "rediss" : "redis", strchr(u->host, ':') ? "[" : "",
		 u->host, strchr(u->host, ':') ? "]" : "", u->port);
	snprintf(port, sizeof(port), "%u", u->port);
	/* name resolution is bounded by resolv.conf's timeout and attempts, not by ours */
	g = getaddrinfo(u->host, port, &hints, &ai);
	if (g != 0)
		return fail(f, ECS_REDIS_E_UNREACHABLE, -EHOSTUNREACH, "%s: cannot resolve %s: %s",
			    rc->where, u->host, g == EAI_SYSTEM ? strerror(errno) : gai_strerror(g));
	r = -EHOSTUNREACH;
	for (a = ai; a != NULL; a = a->ai_next) {
		ecs_close(&rc->fd);
		rc->fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
				a->ai_protocol);
		if (rc->fd < 0) {
			r = -errno;
			continue;
		}
		r = connect_fd(rc->fd, a->ai_addr, a->ai_addrlen, deadline);
		if (r == 0 || r == -ETIMEDOUT)
			break;
	}
	freeaddrinfo(ai);
	if (r == -ETIMEDOUT)
		return fail(f, ECS_REDIS_E_TIMEOUT, r, "%s: no connection within "
			    "redis_connect_timeout_ms", rc->where);
	if (r < 0)
		return fail(f, ECS_REDIS_E_UNREACHABLE, r, "%s: %s", rc->where, strerror(-r));
	/* one small command and its answer: no Nagle delay */
	setsockopt(rc->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return 0;
}

/* The CA bundle: root's file in root's directories, every certificate in it trusted. */
static int
load_ca(SSL_CTX *ctx, const char *path, struct ecs_redis_fail *f)
{
	struct ecs_buf pem;
	X509_STORE *store = SSL_CTX_get_cert_store(ctx);
	BIO *bio = NULL;
	X509 *x;
	unsigned n = 0;
	int r;

	ecs_buf_init(&pem, CA_FILE_MAX);
	r = ecs_safe_read_path(path, 0, CA_FILE_MAX, &pem, NULL);
	if (r < 0) {
		fail(f, ECS_REDIS_E_CA_FILE, r, "redis_ca_file %s: %s", path,
		     r == -EPERM ? "not root's, or writable by group or others" : strerror(-r));
		goto out;
	}
	bio = BIO_new_mem_buf(pem.data, (int)pem.len);
	while (bio != NULL && (x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
		if (X509_STORE_add_cert(store, x) == 1)
			n++;
		X509_free(x);
	}
	ERR_clear_error();
	r = n > 0 ? 0 : fail(f, ECS_REDIS_E_CA_FILE, -EINVAL, "redis_ca_file %s: no PEM "
			     "certificate in it", path);
out:
	BIO_free(bio);
	ecs_buf_free(&pem);
	return r;
}

static int
tls_fail(struct ecs_redis *rc, struct ecs_redis_fail *f)
{
	long v = rc->ssl ? SSL_get_verify_result(rc->ssl) : X509_V_OK;
	char why[160] = "handshake failed";
	unsigned long e = ERR_get_error();

	if (v != X509_V_OK)
		snprintf(why, sizeof(why), "certificate: %s", X509_verify_cert_error_string(v));
	else if (e != 0)
		ERR_error_string_n(e, why, sizeof(why));
	ERR_clear_error();
	return fail(f, ECS_REDIS_E_TLS, -ECONNABORTED, "%s: TLS: %s", rc->where, why);
}

static int
start_tls(struct ecs_redis *rc, const struct ecs_conf *c, const struct ecs_redis_url *u,
	  long long deadline, struct ecs_redis_fail *f)
{
	unsigned char ip[16];
	int r, e;

	ERR_clear_error();
	rc->ctx = SSL_CTX_new(TLS_client_method());
	if (!rc->ctx || SSL_CTX_set_min_proto_version(rc->ctx, TLS1_2_VERSION) != 1)
		return tls_fail(rc, f);
	SSL_CTX_set_verify(rc->ctx, SSL_VERIFY_PEER, NULL);
	if (c->redis_ca_file) {
		r = load_ca(rc->ctx, c->redis_ca_file, f);
		if (r < 0)
			return r;
	} else if (SSL_CTX_set_default_verify_paths(rc->ctx) != 1) {
		return tls_fail(rc, f);
	}
	rc->ssl = SSL_new(rc->ctx);
	if (!rc->ssl || SSL_set_fd(rc->ssl, rc->fd) != 1)
		return tls_fail(rc, f);
	/* the certificate must name what the URL names: an address, or a host (and SNI) */
	if (inet_pton(AF_INET, u->host, ip) == 1 || inet_pton(AF_INET6, u->host, ip) == 1) {
		if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(rc->ssl), u->host) != 1)
			return tls_fail(rc, f);
	} else if (SSL_set_tlsext_host_name(rc->ssl, u->host) != 1 ||
		   SSL_set1_host(rc->ssl, u->host) != 1) {
		return tls_fail(rc, f);
	}
	for (;;) {
		r = SSL_connect(rc->ssl);
		if (r == 1)
			return 0;
		e = SSL_get_error(rc->ssl, r);
		if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
			r = wait_fd(rc->fd, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline);
			if (r == -ETIMEDOUT)
				return fail(f, ECS_REDIS_E_TIMEOUT, r, "%s: no TLS handshake within "
					    "redis_connect_timeout_ms", rc->where);
			if (r < 0)
				return fail(f, ECS_REDIS_E_UNREACHABLE, r, "%s: %s", rc->where,
					    strerror(-r));
			continue;
		}
		return tls_fail(rc, f);
	}
}

/* One step of I/O: > 0 bytes moved, 0 the peer closed, -EAGAIN with *ev what to wait for,
 * or -errno. */
static ssize_t
io_step(struct ecs_redis *rc, bool writing, void *p, size_t n, short *ev)
{
	ssize_t k;
	int e;

	if (rc->ssl) {
		ERR_clear_error();
		k = writing ? SSL_write(rc->ssl, p, (int)n) : SSL_read(rc->ssl, p, (int)n);
		if (k > 0)
			return k;
		e = SSL_get_error(rc->ssl, (int)k);
		if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
			*ev = e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
			return -EAGAIN;
		}
		if (e == SSL_ERROR_ZERO_RETURN)
			return 0;
		if (e == SSL_ERROR_SYSCALL && errno != 0)
			return -errno;
		return k == 0 && !writing ? 0 : -ECONNRESET;
	}
	k = writing ? send(rc->fd, p, n, MSG_NOSIGNAL) : recv(rc->fd, p, n, 0);
	if (k >= 0)
		return k;
	if (errno == EAGAIN || errno == EWOULDBLOCK) {
		*ev = writing ? POLLOUT : POLLIN;
		return -EAGAIN;
	}
	return -errno;
}

/* Move n bytes (writing) or at least one (reading, *moved says how many), by the deadline. */
static int
io(struct ecs_redis *rc, bool writing, void *p, size_t n, size_t *moved, long long deadline)
{
	size_t done = 0;
	ssize_t k;
	short ev = 0;
	int r;

	while (writing ? done < n : done == 0) {
		k = io_step(rc, writing, (char *)p + done, n - done, &ev);
		if (k == -EINTR)
			continue;
		if (k == -EAGAIN) {
			r = wait_fd(rc->fd, ev, deadline);
			if (r < 0)
				return r;
			continue;
		}
		if (k == 0)
			return -ECONNRESET;	/* the server closed the connection */
		if (k < 0)
			return (int)k;
		done += (size_t)k;
	}
	if (moved)
		*moved = done;
	return 0;
}

static int
io_fail(struct ecs_redis *rc, int r, const char *what, struct ecs_redis_fail *f)
{
	if (r == -ETIMEDOUT)
		return fail(f, ECS_REDIS_E_TIMEOUT, r, "%s: no answer to %s within "
			    "redis_timeout_ms (%u ms)", rc->where, what, rc->timeout_ms);
	return fail(f, ECS_REDIS_E_UNREACHABLE, r, "%s: %s: %s", rc->where, what,
		    r == -ECONNRESET ? "the connection was closed" : strerror(-r));
}

int
ecs_redis_call(struct ecs_redis *rc, size_t argc, const char *const *argv, const size_t *lens,
	       struct ecs_resp_reply *reply, struct ecs_redis_fail *f)
{
	char chunk[4096], text[160];
	long long deadline = now_ms() + rc->timeout_ms;
	const char *what = argv[0];
	size_t got;
	ssize_t n;
	int r;

	/* the previous reply's bytes go; anything after them is an answer nobody asked for */
	if (rc->consumed > 0) {
		memmove(rc->in.data, rc->in.data + rc->consumed, rc->in.len - rc->consumed);
		ecs_buf_truncate(&rc->in, rc->in.len - rc->consumed);
		rc->consumed = 0;
	}
	if (rc->in.len > 0)
		return fail(f, ECS_REDIS_E_PROTOCOL, -ECS_EPROTO, "%s: an answer before %s was sent",
			    rc->where, what);
	ecs_buf_clear(&rc->out);
	r = ecs_resp_command(&rc->out, argc, argv, lens);
	if (r < 0)
		return fail(f, ECS_REDIS_E_PROTOCOL, r, "%s: cannot encode %s: %s", rc->where, what,
			    strerror(-r));
	r = io(rc, true, rc->out.data, rc->out.len, NULL, deadline);
	ecs_buf_clear(&rc->out);	/* it may have held the password */
	if (r < 0)
		return io_fail(rc, r, what, f);
	while ((n = ecs_resp_parse(rc->in.data, rc->in.len, reply)) == 0) {
		r = io(rc, false, chunk, sizeof(chunk), &got, deadline);
		if (r == 0)
			r = ecs_buf_append(&rc->in, chunk, got);
		if (r == -E2BIG)
			return fail(f, ECS_REDIS_E_PROTOCOL, -ECS_EPROTO, "%s: the answer to %s is "
				    "too large", rc->where, what);
		if (r < 0)
			return io_fail(rc, r, what, f);
	}
	if (n < 0)
		return fail(f, ECS_REDIS_E_PROTOCOL, -ECS_EPROTO, "%s: the answer to %s is not "
			    "the Redis protocol (RESP2): is this a Redis server?", rc->where, what);
	rc->consumed = (size_t)n;
	if (reply->type == ECS_RESP_ERROR &&
	    ((reply->len >= 6 && memcmp(reply->str, "NOAUTH", 6) == 0) ||
	     (reply->len >= 6 && memcmp(reply->str, "NOPERM", 6) == 0))) {
		quote_reply(reply, text, sizeof(text));
		return fail(f, ECS_REDIS_E_AUTH, -EACCES, "%s: %s refused: %s", rc->where, what,
			    text);
	}
	return 0;
}

/* The password: the first line of a root-only file. */
static int
read_password(const char *path, struct ecs_buf *pw, struct ecs_redis_fail *f)
{
	struct stat st;
	int r;

	r = ecs_safe_read_path(path, 0, PASSWORD_MAX, pw, &st);
	if (r == 0 && (st.st_mode & 077) != 0)
		r = -EPERM;
	if (r < 0)
		return fail(f, ECS_REDIS_E_PASSWORD_FILE, r, "redis_password_file %s: %s", path,
			    r == -EPERM ? "must be root's, mode 0600 or 0400, in root's "
			    "directories" : r == -EFBIG ? "too large" : strerror(-r));
	pw->len = strcspn((const char *)pw->data, "\r\n");
	if (pw->len == 0)
		return fail(f, ECS_REDIS_E_PASSWORD_FILE, -EINVAL, "redis_password_file %s: "
			    "empty", path);
	return 0;
}

static int
login(struct ecs_redis *rc, const struct ecs_conf *c, const struct ecs_redis_url *u,
      struct ecs_redis_fail *f)
{
	struct ecs_resp_reply rep;
	struct ecs_buf pw;
	char db[12], text[160];
	const char *argv[3];
	size_t lens[3];
	int r = 0;

	ecs_buf_init(&pw, PASSWORD_MAX);
	if (c->redis_password_file) {
		r = read_password(c->redis_password_file, &pw, f);
		if (r < 0)
			goto out;
		argv[0] = "AUTH";
		argv[1] = c->redis_user;
		argv[2] = (const char *)pw.data;
		lens[0] = 4;
		lens[1] = c->redis_user ? strlen(c->redis_user) : 0;
		lens[2] = pw.len;
		if (c->redis_user)
			r = ecs_redis_call(rc, 3, argv, lens, &rep, f);
		else
			r = ecs_redis_call(rc, 2, (const char *[]){ "AUTH", argv[2] },
					   (const size_t[]){ 4, pw.len }, &rep, f);
		if (r == 0 && !ecs_resp_is_simple(&rep, "OK")) {
			quote_reply(&rep, text, sizeof(text));
			r = fail(f, rep.type == ECS_RESP_ERROR ? ECS_REDIS_E_AUTH :
				 ECS_REDIS_E_PROTOCOL, -EACCES, "%s: AUTH%s%s refused: %s",
				 rc->where, c->redis_user ? " as " : "",
				 c->redis_user ? c->redis_user : "", text);
		}
		if (r < 0)
			goto out;
	}
	if (u->db != 0) {
		snprintf(db, sizeof(db), "%u", u->db);
		r = ecs_redis_call(rc, 2, (const char *[]){ "SELECT", db }, NULL, &rep, f);
		if (r == 0 && !ecs_resp_is_simple(&rep, "OK")) {
			quote_reply(&rep, text, sizeof(text));
			r = fail(f, rep.type == ECS_RESP_ERROR ? ECS_REDIS_E_REFUSED :
				 ECS_REDIS_E_PROTOCOL, -EPROTO, "%s: SELECT %u refused: %s",
				 rc->where, u->db, text);
		}
	}
out:
	ecs_buf_free(&pw);	/* wiped */
	return r;
}

int
ecs_redis_open(const struct ecs_conf *c, struct ecs_redis **out, struct ecs_redis_fail *f)
{
	struct ecs_redis_url u;
	struct ecs_redis *rc;
	sigset_t pipe_set, pending;
	long long deadline = now_ms() + c->redis_connect_timeout_ms;
	const char *why;
	int r;

	*out = NULL;
	why = ecs_redis_url_parse(c->replay_cache, &u);	/* checked at load: cannot fail */
	if (why)
		return fail(f, ECS_REDIS_E_PROTOCOL, -EINVAL, "replay_cache: %s", why);
	rc = calloc(1, sizeof(*rc));
	if (!rc)
		return fail(f, ECS_REDIS_E_UNREACHABLE, -ENOMEM, "out of memory");
	rc->fd = -1;
	rc->timeout_ms = c->redis_timeout_ms;
	ecs_buf_init(&rc->in, IN_MAX);
	ecs_buf_init(&rc->out, OUT_MAX);
	/* OpenSSL writes with write(): a server that closed must be -EPIPE, not a SIGPIPE that
	 * kills the helper. Blocked while the connection lives, consumed at close. */
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigpending(&pending);
	rc->pipe_pending = sigismember(&pending, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &rc->old_mask);
	if (u.transport == ECS_REDIS_UNIX)
		r = open_unix(rc, &u, deadline, f);
	else
		r = open_inet(rc, &u, deadline, f);
	if (r == 0 && u.transport == ECS_REDIS_TLS)
		r = start_tls(rc, c, &u, deadline, f);
	if (r == 0)
		r = login(rc, c, &u, f);
	if (r < 0) {
		ecs_redis_close(rc);
		return r;
	}
	*out = rc;
	return 0;
}

void
ecs_redis_close(struct ecs_redis *rc)
{
	static const struct timespec zero = { 0, 0 };
	sigset_t pipe_set;

	if (!rc)
		return;
	if (rc->ssl) {
		SSL_set_quiet_shutdown(rc->ssl, 1);	/* no close_notify wait on a dying link */
		SSL_free(rc->ssl);
	}
	SSL_CTX_free(rc->ctx);
	ERR_clear_error();
	ecs_close(&rc->fd);
	ecs_buf_free(&rc->in);
	ecs_buf_free(&rc->out);
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	if (!rc->pipe_pending)
		while (sigtimedwait(&pipe_set, NULL, &zero) < 0 && errno == EINTR)
			;
	pthread_sigmask(SIG_SETMASK, &rc->old_mask, NULL);
	free(rc);
}
