/* ticket.c — the root-only spool that carries a verified Response from auth to session. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ecs_b64.h"
#include "ecs_err.h"
#include "ecs_kvrec.h"
#include "ecs_limits.h"
#include "ecs_names.h"
#include "ecs_safefile.h"
#include "ecs_secmem.h"
#include "ecs_str.h"
#include "spool.h"
#include "ticket.h"

/* 2: the audit claims (issuer, nameid, session_name, source_identity); a ticket of 1 left by
 * an older helper is refused, and its user logs in again */
#define TICKET_MAGIC "ecs-saml-ticket 2"
#define NONE "-"	/* an absent source_identity (base64 never is "-") */
#define TICKET_SUB "tickets"

enum {
	K_USER, K_SERVICE, K_CREATED, K_EXPIRES, K_ROLE, K_PROVIDER, K_ASSERTION, K_DURATION,
	K_SESSION_END, K_ISSUER, K_NAMEID, K_SESSION_NAME, K_SOURCE_ID, K_RESPONSE, K_COUNT
};

static const char *const keys[K_COUNT] = {
	"user", "service", "created", "expires", "role", "provider", "assertion", "duration",
	"session_end", "issuer", "nameid", "session_name", "source_identity", "response",
};

#define CLAIM_MAX 4096	/* bytes of one claim before base64 */

/* key=BASE64(value)\n, or key=-\n for an absent (NULL) value. */
static int
put_claim(struct ecs_buf *out, const char *key, const char *value, bool required)
{
	int r;

	if (value == NULL || value[0] == '\0')
		return required ? -EINVAL : ecs_buf_printf(out, "%s=" NONE "\n", key);
	if (strlen(value) > CLAIM_MAX)
		return -EINVAL;
	r = ecs_buf_printf(out, "%s=", key);
	if (r == 0)
		r = ecs_b64_encode(value, strlen(value), out);
	if (r == 0)
		r = ecs_buf_puts(out, "\n");
	return r;
}

/* The value of put_claim's line: *out malloc'd, NULL for "-". 0 or -EBADMSG/-ENOMEM. */
static int
get_claim(const char *v, char **out)
{
	struct ecs_buf b;
	int r;

	*out = NULL;
	if (strcmp(v, NONE) == 0)
		return 0;
	ecs_buf_init(&b, CLAIM_MAX);
	r = ecs_b64_decode(v, strlen(v), &b);
	if (r == 0 && (b.len == 0 || memchr(b.data, '\0', b.len) != NULL))
		r = -EBADMSG;
	if (r == 0) {
		*out = strndup((const char *)b.data, b.len);
		if (*out == NULL)
			r = -ENOMEM;
	}
	ecs_buf_free(&b);
	return r < 0 && r != -ENOMEM ? -EBADMSG : r;
}

time_t
ecs_ticket_expiry(time_t issue_instant, time_t not_on_or_after)
{
	time_t window = issue_instant + ECS_TICKET_STS_WINDOW;

	return not_on_or_after < window ? not_on_or_after : window;
}

/* A value that can sit on one record line and be read back as itself. */
static bool
line_safe(const char *s)
{
	if (s == NULL || *s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

static int
render(const struct ecs_ticket *t, struct ecs_buf *out)
{
	int r;

	if (!ecs_name_user_ok(t->user) || !ecs_name_service_ok(t->service) ||
	    !ecs_arn_role_ok(t->role_arn) || !ecs_arn_provider_ok(t->provider_arn) ||
	    !line_safe(t->assertion_id) || !line_safe(t->response_b64) ||
	    strlen(t->response_b64) != t->response_len)
		return -EINVAL;
	r = ecs_buf_printf(out,
			   TICKET_MAGIC "\nuser=%s\nservice=%s\ncreated=%lld\nexpires=%lld\n"
			   "role=%s\nprovider=%s\nassertion=%s\nduration=%u\nsession_end=%lld\n",
			   t->user, t->service, (long long)t->created, (long long)t->expires,
			   t->role_arn, t->provider_arn, t->assertion_id, t->session_duration,
			   (long long)t->session_not_on_or_after);
	if (r == 0)
		r = put_claim(out, keys[K_ISSUER], t->issuer, true);
	if (r == 0)
		r = put_claim(out, keys[K_NAMEID], t->nameid, true);
	if (r == 0)
		r = put_claim(out, keys[K_SESSION_NAME], t->session_name, true);
	if (r == 0)
		r = put_claim(out, keys[K_SOURCE_ID], t->source_identity, false);
	if (r == 0)
		r = ecs_buf_printf(out, "response=%s\n", t->response_b64);
	return r;
}

static int
parse_time(const char *s, time_t *out)
{
	uint64_t v;
	int r = ecs_parse_u64(s, 0, (uint64_t)1 << 40, &v);

	if (r == 0)
		*out = (time_t)v;
	return r;
}

/* Parse a ticket file; every field is re-checked as if it came from outside. */
static int
parse(const struct ecs_buf *raw, struct ecs_ticket *t)
{
	char *v[K_COUNT];
	uint64_t d;
	int r;

	memset(t, 0, sizeof(*t));
	r = ecs_kvrec_parse((const char *)raw->data, raw->len, TICKET_MAGIC, keys, K_COUNT, v);
	if (r < 0)
		return r;
	if (!ecs_name_user_ok(v[K_USER]) || !ecs_name_service_ok(v[K_SERVICE]) ||
	    !ecs_arn_role_ok(v[K_ROLE]) || !ecs_arn_provider_ok(v[K_PROVIDER]) ||
	    parse_time(v[K_CREATED], &t->created) < 0 || parse_time(v[K_EXPIRES], &t->expires) < 0 ||
	    parse_time(v[K_SESSION_END], &t->session_not_on_or_after) < 0 ||
	    ecs_parse_u64(v[K_DURATION], 0, ECS_STS_MAX_DURATION, &d) < 0 ||
	    get_claim(v[K_ISSUER], &t->issuer) < 0 || t->issuer == NULL ||
	    get_claim(v[K_NAMEID], &t->nameid) < 0 || t->nameid == NULL ||
	    get_claim(v[K_SESSION_NAME], &t->session_name) < 0 || t->session_name == NULL ||
	    get_claim(v[K_SOURCE_ID], &t->source_identity) < 0) {
		ecs_kvrec_free(v, K_COUNT);
		free(t->issuer);
		free(t->nameid);
		free(t->session_name);
		free(t->source_identity);
		memset(t, 0, sizeof(*t));
		return -EBADMSG;
	}
	t->session_duration = (unsigned)d;
	t->user = v[K_USER];
	t->service = v[K_SERVICE];
	t->role_arn = v[K_ROLE];
	t->provider_arn = v[K_PROVIDER];
	t->assertion_id = v[K_ASSERTION];
	t->response_b64 = v[K_RESPONSE];
	t->response_len = strlen(v[K_RESPONSE]);
	free(v[K_CREATED]);
	free(v[K_EXPIRES]);
	free(v[K_DURATION]);
	free(v[K_SESSION_END]);
	ecs_kvrec_free(&v[K_ISSUER], 4);
	return 0;
}

int
ecs_ticket_put(const char *spool, const struct ecs_ticket *t, char id[ECS_NAME_TOKEN_LEN + 1])
{
	struct ecs_buf body;
	int dfd = -1;
	int r;

	ecs_buf_init(&body, ECS_TICKET_MAX);
	r = render(t, &body);
	if (r < 0)
		goto out;
	r = ecs_spool_new_id(id);
	if (r == 0)
		r = ecs_spool_open(spool, TICKET_SUB, &dfd);
	if (r == 0)
		r = ecs_safe_create_excl(dfd, id, body.data, body.len, 0600);
out:
	if (r < 0)
		id[0] = '\0';
	ecs_buf_free(&body);
	ecs_close(&dfd);
	return r;
}

int
ecs_ticket_take(const char *spool, const char *id, const char *user, const char *service,
		time_t now, struct ecs_ticket *out, const char **why)
{
	struct ecs_buf raw;
	struct ecs_ticket t = { 0 };
	int dfd = -1;
	int r;

	memset(out, 0, sizeof(*out));
	*why = "";
	ecs_buf_init(&raw, ECS_TICKET_MAX);
	if (!ecs_name_token_ok(id)) {
		*why = "malformed ticket id";
		r = -ECS_ETICKET;
		goto out;
	}
	r = ecs_spool_open(spool, TICKET_SUB, &dfd);
	if (r < 0)
		goto out;
	r = ecs_safe_read_at(dfd, id, 0, ECS_TICKET_MAX, &raw, NULL);
	if (r == -ENOENT) {
		*why = "no such ticket (already used, or never issued)";
		r = -ECS_ETICKET;
		goto out;
	}
	if (r < 0)
		goto out;
	if (parse(&raw, &t) < 0) {
		*why = "unreadable ticket (removed)";
		unlinkat(dfd, id, 0);
		r = -ECS_ETICKET;
		goto out;
	}
	/* someone else's ticket stays for its owner: presenting an id must not destroy it */
	if (strcmp(t.user, user) != 0 || strcmp(t.service, service) != 0) {
		*why = "ticket bound to another user or service";
		r = -ECS_ETICKET;
		goto out;
	}
	if (now >= t.expires) {
		*why = "ticket expired (removed)";
		unlinkat(dfd, id, 0);
		r = -ECS_ETICKET;
		goto out;
	}
	/* the unlink is the consumption: of two concurrent takers exactly one succeeds */
	if (unlinkat(dfd, id, 0) < 0) {
		*why = "ticket consumed concurrently";
		r = errno == ENOENT ? -ECS_ETICKET : -errno;
		goto out;
	}
	*out = t;
	memset(&t, 0, sizeof(t));	/* moved to the caller */
	r = 0;
out:
	ecs_ticket_free(&t);
	ecs_buf_free(&raw);
	ecs_close(&dfd);
	return r;
}

int
ecs_ticket_drop(const char *spool, const char *id)
{
	int dfd = -1;
	int r;

	if (!ecs_name_token_ok(id))
		return -EINVAL;
	r = ecs_spool_open(spool, TICKET_SUB, &dfd);
	if (r == 0 && unlinkat(dfd, id, 0) < 0 && errno != ENOENT)
		r = -errno;
	ecs_close(&dfd);
	return r;
}

int
ecs_ticket_purge(const char *spool, time_t now, unsigned *removed)
{
	struct ecs_buf raw;
	struct ecs_ticket t;
	struct dirent *de;
	DIR *d = NULL;
	int dfd = -1;
	unsigned n = 0;
	int r;

	ecs_buf_init(&raw, ECS_TICKET_MAX);
	r = ecs_spool_opendir(spool, TICKET_SUB, &dfd, &d);
	if (r < 0)
		goto out;
	while ((de = readdir(d)) != NULL) {
		bool drop;

		if (!ecs_name_token_ok(de->d_name))
			continue;
		ecs_buf_clear(&raw);
		if (ecs_safe_read_at(dfd, de->d_name, 0, ECS_TICKET_MAX, &raw, NULL) < 0)
			continue;
		drop = parse(&raw, &t) < 0 || now >= t.expires;
		ecs_ticket_free(&t);
		if (drop && unlinkat(dfd, de->d_name, 0) == 0)
			n++;
	}
	r = 0;
out:
	if (d != NULL)
		closedir(d);
	ecs_buf_free(&raw);
	ecs_close(&dfd);
	if (removed != NULL)
		*removed = n;
	return r;
}

void
ecs_ticket_free(struct ecs_ticket *t)
{
	free(t->user);
	free(t->service);
	free(t->role_arn);
	free(t->provider_arn);
	free(t->assertion_id);
	free(t->issuer);
	free(t->nameid);
	free(t->session_name);
	free(t->source_identity);
	ecs_free_secret_str(t->response_b64);
	memset(t, 0, sizeof(*t));
}
