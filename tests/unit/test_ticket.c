/* test_ticket.c — the ticket spool, the session records and their record format. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ecs_err.h"
#include "ecs_names.h"
#include "ecs_kvrec.h"
#include "ecs_str.h"
#include "session_rec.h"
#include "tap.h"
#include "ticket.h"

static char spool[64];

static struct ecs_ticket
sample(time_t now)
{
	struct ecs_ticket t = {
		.user = "alice",
		.service = "sshd",
		.created = now,
		.expires = now + 200,
		.role_arn = "arn:aws:iam::123456789012:role/BastionOperator",
		.provider_arn = "arn:aws:iam::123456789012:saml-provider/Corp",
		.assertion_id = "_a0123456789",
		.issuer = "https://idp.example/\"saml\"",
		.nameid = "alice@example\nforged=1",	/* any character: stored base64 */
		.session_name = "alice",
		.source_identity = NULL,
		.session_duration = 3600,
		.session_not_on_or_after = now + 28800,
		.response_b64 = "PHNhbWxwOlJlc3BvbnNlLz4=",
		.response_len = 24,
	};
	return t;
}

static bool
exists(const char *id)
{
	char path[160];

	snprintf(path, sizeof(path), "%s/tickets/%s", spool, id);
	return access(path, F_OK) == 0;
}

static void
test_tickets(void)
{
	time_t now = time(NULL);
	struct ecs_ticket t = sample(now), got;
	const char *why = NULL;
	char id[33], id2[33], path[160];
	struct stat st;
	int r;

	r = ecs_ticket_put(spool, &t, id);
	T_OK(r == 0 && ecs_name_token_ok(id), "put returns a 128-bit hex id");
	snprintf(path, sizeof(path), "%s/tickets/%s", spool, id);
	T_OK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0600 && st.st_uid == 0,
	     "ticket file is root 0600");
	snprintf(path, sizeof(path), "%s/tickets", spool);
	T_OK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0700, "ticket directory is 0700");

	r = ecs_ticket_take(spool, id, "bob", "sshd", now, &got, &why);
	T_OK(r == -ECS_ETICKET && exists(id), "another user's take is refused, ticket kept");
	r = ecs_ticket_take(spool, id, "alice", "sudo", now, &got, &why);
	T_OK(r == -ECS_ETICKET && exists(id), "another service's take is refused, ticket kept");
	r = ecs_ticket_take(spool, id, "alice", "sshd", now, &got, &why);
	T_OK(r == 0 && !exists(id), "owner's take succeeds and consumes");
	T_OK(r == 0 && strcmp(got.role_arn, t.role_arn) == 0 &&
		     strcmp(got.provider_arn, t.provider_arn) == 0 &&
		     strcmp(got.response_b64, t.response_b64) == 0 && got.response_len == 24 &&
		     got.expires == t.expires && got.session_duration == 3600 &&
		     got.session_not_on_or_after == t.session_not_on_or_after,
	     "every field survives the round trip");
	T_OK(r == 0 && strcmp(got.issuer, t.issuer) == 0 && strcmp(got.nameid, t.nameid) == 0 &&
		     strcmp(got.session_name, "alice") == 0 && got.source_identity == NULL,
	     "the audit claims survive the round trip, a NameID's newline and all");
	ecs_ticket_free(&got);
	r = ecs_ticket_take(spool, id, "alice", "sshd", now, &got, &why);
	T_OK(r == -ECS_ETICKET, "a consumed ticket cannot be taken again");

	r = ecs_ticket_put(spool, &t, id);
	T_OK(r == 0, "put another");
	r = ecs_ticket_take(spool, id, "alice", "sshd", t.expires, &got, &why);
	T_OK(r == -ECS_ETICKET && !exists(id), "at its expiry a ticket is refused and removed");

	r = ecs_ticket_take(spool, "../tickets/x", "alice", "sshd", now, &got, &why);
	T_OK(r == -ECS_ETICKET, "an id with a path is refused");

	r = ecs_ticket_put(spool, &t, id);
	snprintf(path, sizeof(path), "%s/tickets/%s", spool, id);
	{
		int fd = open(path, O_WRONLY | O_APPEND);

		T_OK(r == 0 && fd >= 0 && write(fd, "extra=1\n", 8) == 8, "corrupt a ticket");
		close(fd);
	}
	r = ecs_ticket_take(spool, id, "alice", "sshd", now, &got, &why);
	T_OK(r == -ECS_ETICKET && !exists(id), "a corrupt ticket is refused and removed");

	t.assertion_id = "_a\nuser=mallory";
	r = ecs_ticket_put(spool, &t, id);
	T_OK(r == -EINVAL, "a value with a newline is not stored");
	t = sample(now);
	t.service = "../x";
	r = ecs_ticket_put(spool, &t, id);
	T_OK(r == -EINVAL, "a bad service name is not stored");

	t = sample(now);
	r = ecs_ticket_put(spool, &t, id);
	t.expires = now - 1;
	if (r == 0)
		r = ecs_ticket_put(spool, &t, id2);
	{
		unsigned n = 0;
		int pr = ecs_ticket_purge(spool, now, &n);

		T_OK(r == 0 && pr == 0 && n == 1 && exists(id) && !exists(id2),
		     "purge removes the expired ticket only");
	}
	T_OK(ecs_ticket_expiry(1000, 2000) == 1000 + ECS_TICKET_STS_WINDOW &&
		     ecs_ticket_expiry(1000, 1100) == 1100,
	     "expiry: the earlier of NotOnOrAfter and IssueInstant + 5 min");
}

static void
test_kvrec(void)
{
	static const char *const keys[] = { "a", "b" };
	char *v[2];
	int r;

	r = ecs_kvrec_parse("m\na=1\nb=2\n", 10, "m", keys, 2, v);
	T_OK(r == 0 && strcmp(v[0], "1") == 0 && strcmp(v[1], "2") == 0, "record parses");
	if (r == 0)
		ecs_kvrec_free(v, 2);
	T_OK(ecs_kvrec_parse("m\nb=2\na=1\n", 10, "m", keys, 2, v) == -EBADMSG, "order matters");
	T_OK(ecs_kvrec_parse("m\na=1\n", 6, "m", keys, 2, v) == -EBADMSG, "missing key");
	T_OK(ecs_kvrec_parse("m\na=1\nb=2", 9, "m", keys, 2, v) == -EBADMSG, "missing newline");
	T_OK(ecs_kvrec_parse("m\na=1\nb=2\nc=3\n", 14, "m", keys, 2, v) == -EBADMSG,
	     "trailing line");
	T_OK(ecs_kvrec_parse("n\na=1\nb=2\n", 10, "m", keys, 2, v) == -EBADMSG, "wrong magic");
	T_OK(ecs_kvrec_parse("m\na=\nb=2\n", 9, "m", keys, 2, v) == -EBADMSG, "empty value");
	T_OK(ecs_kvrec_parse("m\na=1\0\nb=2\n", 11, "m", keys, 2, v) == -EBADMSG, "NUL in a value");
}

static int
reap_count(const struct ecs_session_rec *s, void *ctx)
{
	(*(unsigned *)ctx)++;
	return strcmp(s->user, "alice") == 0 ? 0 : -EIO;
}

static void
test_sessions(void)
{
	char tag1[ECS_NAME_TOKEN_LEN + 1], tag2[ECS_NAME_TOKEN_LEN + 1];
	unsigned reaped = 0, removed = 0;
	char path[160];
	pid_t child;
	int r;

	r = ecs_session_rec_put(spool, "alice", 1001, 1001, getpid(), NULL, tag1);
	T_OK(r == 0 && ecs_name_token_ok(tag1), "record a session of a live process: a tag is minted");
	snprintf(path, sizeof(path), "%s/sessions/%s", spool, tag1);
	T_OK(access(path, F_OK) == 0, "... and names the record");
	r = ecs_session_rec_put(spool, "alice", 1001, 1001, getpid(), NULL, tag2);
	T_OK(r == 0 && strcmp(tag1, tag2) != 0, "a second session of the same user gets its own tag");
	ecs_session_rec_remove(spool, tag2, 1001);
	r = ecs_session_rec_remove(spool, tag1, 1002);
	snprintf(path, sizeof(path), "%s/sessions/%s", spool, tag1);
	T_OK(r == -EPERM && access(path, F_OK) == 0, "another uid cannot remove it");

	child = fork();
	if (child == 0)
		_exit(0);
	waitpid(child, NULL, 0);
	r = ecs_session_rec_put(spool, "alice", 1001, 1001, child, NULL, tag2);
	T_OK(r == -ESRCH && tag2[0] == '\0', "a session of a process already gone is not recorded");

	r = ecs_session_rec_sweep(spool, reap_count, &reaped, &removed);
	T_OK(r == 0 && reaped == 0 && removed == 0, "sweep leaves a live session alone");
	r = ecs_session_rec_remove(spool, tag1, 1001);
	T_OK(r == 0 && access(path, F_OK) != 0, "its uid removes it");
	r = ecs_session_rec_remove(spool, tag1, 1001);
	T_OK(r == 0, "removing it again is fine");
	r = ecs_session_rec_remove(spool, "../../etc/passwd", 1001);
	T_OK(r == -EINVAL, "a tag with a path is refused");
}

static int
find_rec(const struct ecs_session_rec *s, void *ctx)
{
	struct ecs_session_rec *out = ctx;

	if (strcmp(s->tag, out->tag) != 0)
		return 0;
	out->uid = s->uid;
	out->opened = s->opened;
	out->expiration = s->expiration;
	out->service = strdup(s->service ? s->service : "(null)");
	out->rhost = strdup(s->rhost ? s->rhost : "(null)");
	out->role = strdup(s->role ? s->role : "(null)");
	out->access_key_id = strdup(s->access_key_id ? s->access_key_id : "(null)");
	out->source_identity = strdup(s->source_identity ? s->source_identity : "(null)");
	return 0;
}

/* What `sessions` shows: the fields session-open records, then what STS issued. */
static void
test_session_fields(void)
{
	struct ecs_session_info info = { "sshd", "192.0.2.7 \"x\"", "arn:aws:iam::1:role/R" };
	struct ecs_session_rec got = { 0 };
	char tag[ECS_NAME_TOKEN_LEN + 1], path[160];
	const char *v1 = "ecs-saml-session 1\nuser=bob\nuid=1002\ngid=1002\npid=1\nstart=1\n";
	int fd, r;

	r = ecs_session_rec_put(spool, "alice", 1001, 1001, getpid(), &info, tag);
	ecs_strlcpy(got.tag, tag, sizeof(got.tag));
	T_OK(r == 0 && ecs_session_rec_each(spool, find_rec, &got) == 0, "a record with its fields");
	T_OK(got.service && strcmp(got.service, "sshd") == 0 && strcmp(got.role, info.role) == 0 &&
	     got.opened > 0, "service, role and opening time read back");
	T_OK(got.rhost && strcmp(got.rhost, "-") == 0, "an rhost with a space or quote is kept as -");
	T_OK(got.access_key_id && strcmp(got.access_key_id, "-") == 0 && got.expiration == 0,
	     "no key id before STS answered");
	ecs_session_rec_free(&got);
	r = ecs_session_rec_set_creds(spool, tag, 1002, "ASIAEXAMPLE", "alice@corp", 1700000000);
	T_OK(r == -EPERM, "another uid's record does not take credentials");
	r = ecs_session_rec_set_creds(spool, tag, 1001, "ASIA EXAMPLE", NULL, 1700000000);
	T_OK(r == -EINVAL, "a key id unfit for the record is refused");
	r = ecs_session_rec_set_creds(spool, tag, 1001, "ASIAEXAMPLE", "alice@corp", 1700000000);
	ecs_strlcpy(got.tag, tag, sizeof(got.tag));
	T_OK(r == 0 && ecs_session_rec_each(spool, find_rec, &got) == 0 && got.access_key_id &&
	     strcmp(got.access_key_id, "ASIAEXAMPLE") == 0 &&
	     strcmp(got.source_identity, "alice@corp") == 0 && got.expiration == 1700000000 &&
	     strcmp(got.service, "sshd") == 0, "key id, SourceIdentity and expiry added, the rest kept");
	ecs_session_rec_free(&got);
	ecs_session_rec_remove(spool, tag, 1001);

	/* a record an older helper wrote is still read (and so still reaped by gc) */
	snprintf(path, sizeof(path), "%s/sessions/%s", spool, "0123456789abcdef0123456789abcdef");
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	T_OK(fd >= 0 && write(fd, v1, strlen(v1)) == (ssize_t)strlen(v1), "write a format 1 record");
	if (fd >= 0)
		close(fd);
	ecs_strlcpy(got.tag, "0123456789abcdef0123456789abcdef", sizeof(got.tag));
	T_OK(ecs_session_rec_each(spool, find_rec, &got) == 0 && got.uid == 1002 && got.service &&
	     strcmp(got.service, "(null)") == 0, "a format 1 record reads, its new fields unknown");
	ecs_session_rec_free(&got);
	unlink(path);
}

static void
test_sweep_dead(void)
{
	char tag[ECS_NAME_TOKEN_LEN + 1];
	unsigned reaped = 0, removed = 0;
	int p[2];
	pid_t child;
	char c;
	int r;

	/* a child records its own session, then exits: its record is then a dead session's */
	if (pipe(p) < 0)
		return;
	child = fork();
	if (child == 0) {
		close(p[0]);
		c = ecs_session_rec_put(spool, "alice", 1001, 1001, getpid(), NULL, tag) == 0 ? 'y' : 'n';
		_exit(write(p[1], &c, 1) == 1 ? 0 : 1);
	}
	close(p[1]);
	r = (int)read(p[0], &c, 1);
	close(p[0]);
	waitpid(child, NULL, 0);
	T_OK(r == 1 && c == 'y', "child recorded its session");
	r = ecs_session_rec_sweep(spool, reap_count, &reaped, &removed);
	T_OK(r == 0 && reaped == 1 && removed == 1, "sweep reaps the dead session and its record");
}

int
main(void)
{
	char tmpl[] = "/tmp/test_ticket.XXXXXX";
	char cmd[128];

	if (geteuid() != 0) {
		T_OK(0, "test_ticket needs root (root-owned spool)");
		T_DONE();
	}
	if (mkdtemp(tmpl) == NULL)
		return 2;
	snprintf(spool, sizeof(spool), "%s/spool", tmpl);
	test_tickets();
	test_kvrec();
	test_sessions();
	test_session_fields();
	test_sweep_dead();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpl);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", tmpl);
	T_DONE();
}
