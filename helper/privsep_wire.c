/* privsep_wire.c — the sandboxed validator's message to its parent (see privsep_wire.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ecs_err.h"
#include "ecs_limits.h"
#include "ecs_names.h"
#include "ecs_secmem.h"
#include "privsep_wire.h"

/* The codes ecs_saml_verify can refuse with: a message naming any other is forged. The
 * parent keeps a pointer to its own copy, never the child's bytes. */
static const char *const known_codes[] = {
	ECS_REJ_SIZE, ECS_REJ_ENCODING, ECS_REJ_DEFLATE, ECS_REJ_XML, ECS_REJ_DTD, ECS_REJ_STRUCTURE,
	ECS_REJ_WRAPPING, ECS_REJ_REFERENCE, ECS_REJ_SIGNATURE, ECS_REJ_ALGORITHM,
	ECS_REJ_ENCRYPTED, ECS_REJ_ISSUER, ECS_REJ_AUDIENCE, ECS_REJ_RECIPIENT,
	ECS_REJ_DESTINATION, ECS_REJ_SUBJECT_CONFIRMATION, ECS_REJ_CLOCK_SKEW,
	ECS_REJ_NOT_YET_VALID, ECS_REJ_EXPIRED, ECS_REJ_STALE, ECS_REJ_STATUS,
	ECS_REJ_IN_RESPONSE_TO, ECS_REJ_NAMEID, ECS_REJ_ROLE, ECS_REJ_SESSION_NAME,
	ECS_REJ_SOURCE_IDENTITY, ECS_REJ_SESSION_DURATION, ECS_REJ_ATTRIBUTE, ECS_REJ_USER,
};

/* ---------------------------------------------------------------- writing */

static int
put_u32(struct ecs_buf *b, uint32_t v)
{
	uint8_t x[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };

	return ecs_buf_append(b, x, sizeof(x));
}

static int
put_i64(struct ecs_buf *b, int64_t s)
{
	uint64_t v = (uint64_t)s;
	int r;

	r = put_u32(b, (uint32_t)(v >> 32));
	return r < 0 ? r : put_u32(b, (uint32_t)v);
}

static int
put_str(struct ecs_buf *b, const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;
	int r;

	if (n > UINT32_MAX)
		return -E2BIG;
	r = put_u32(b, (uint32_t)n);
	return r < 0 ? r : ecs_buf_append(b, s, n);
}

static int
put_opt(struct ecs_buf *b, const char *s)
{
	uint8_t present = s != NULL;
	int r;

	r = ecs_buf_append(b, &present, 1);
	return r < 0 || !present ? r : put_str(b, s);
}

static int
put_accept(struct ecs_buf *b, const struct ecs_saml_result *res)
{
	int r;

	r = put_str(b, res->user);
	if (r == 0)
		r = put_str(b, res->nameid);
	if (r == 0)
		r = put_opt(b, res->nameid_format);
	if (r == 0)
		r = put_str(b, res->session_name);
	if (r == 0)
		r = put_opt(b, res->source_identity);
	if (r == 0)
		r = put_u32(b, res->session_duration);
	if (r == 0)
		r = put_opt(b, res->display_name);
	if (r == 0)
		r = put_u32(b, (uint32_t)res->nroles);
	for (size_t i = 0; r == 0 && i < res->nroles; i++) {
		r = put_str(b, res->roles[i].role_arn);
		if (r == 0)
			r = put_str(b, res->roles[i].provider_arn);
	}
	if (r == 0)
		r = put_str(b, res->assertion_id);
	if (r == 0)
		r = put_str(b, res->issuer);
	if (r == 0)
		r = put_i64(b, res->issue_instant);
	if (r == 0)
		r = put_i64(b, res->not_on_or_after);
	if (r == 0)
		r = put_i64(b, res->session_not_on_or_after);
	if (r == 0)
		r = put_str(b, res->response_b64);
	return r;
}

int
ecs_privsep_encode(struct ecs_buf *out, int r, const struct ecs_saml_result *res,
		   const struct ecs_reject *rej, const char *stage)
{
	uint8_t head[6] = { 'E', 'C', 'S', 'P', ECS_PRIVSEP_VERSION, 0 };
	int w;

	if (r == 0)
		head[5] = ECS_PRIVSEP_ACCEPT;
	else if (r == -ECS_EREJECT && rej->code != NULL)
		head[5] = ECS_PRIVSEP_REJECT;
	else
		head[5] = ECS_PRIVSEP_ERROR;
	w = ecs_buf_append(out, head, sizeof(head));
	if (w < 0)
		return w;
	switch (head[5]) {
	case ECS_PRIVSEP_ACCEPT:
		return put_accept(out, res);
	case ECS_PRIVSEP_REJECT:
		w = put_str(out, rej->code);
		return w < 0 ? w : put_str(out, rej->msg);
	default:
		w = put_u32(out, (uint32_t)(r < 0 && r > -4096 ? -r : EIO));
		return w < 0 ? w : put_str(out, stage != NULL ? stage : "validation");
	}
}

/* ---------------------------------------------------------------- reading */

struct cur {
	const uint8_t *p;
	size_t len;
	size_t off;
};

static int
get_bytes(struct cur *c, size_t n, const uint8_t **out)
{
	if (c->len - c->off < n)
		return -EBADMSG;
	*out = c->p + c->off;
	c->off += n;
	return 0;
}

static int
get_u32(struct cur *c, uint32_t *v)
{
	const uint8_t *x;

	if (get_bytes(c, 4, &x) < 0)
		return -EBADMSG;
	*v = (uint32_t)x[0] << 24 | (uint32_t)x[1] << 16 | (uint32_t)x[2] << 8 | x[3];
	return 0;
}

/* A time: not before 1970 and not past year 9999 (ecs_time's range). */
static int
get_time(struct cur *c, time_t *t)
{
	uint32_t hi, lo;
	uint64_t v;

	if (get_u32(c, &hi) < 0 || get_u32(c, &lo) < 0)
		return -EBADMSG;
	v = (uint64_t)hi << 32 | lo;
	if (v > 253402300799u)
		return -EBADMSG;
	*t = (time_t)v;
	return 0;
}

/* Printable text: no NUL, no C0 control, no DEL (UTF-8 beyond ASCII passes). */
static bool
text_ok(const uint8_t *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

static bool
b64_ok(const uint8_t *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '+' || s[i] == '/' || s[i] == '='))
			return false;
	return n > 0 && n % 4 == 0;
}

/* A non-empty string of at most max bytes passing ok; caller frees *out. */
static int
get_str(struct cur *c, size_t max, bool (*ok)(const uint8_t *, size_t), char **out)
{
	const uint8_t *s;
	uint32_t n;

	if (get_u32(c, &n) < 0 || n == 0 || n > max || get_bytes(c, n, &s) < 0 || !ok(s, n))
		return -EBADMSG;
	*out = strndup((const char *)s, n);
	return *out != NULL ? 0 : -ENOMEM;
}

static int
get_opt(struct cur *c, char **out)
{
	const uint8_t *present;

	if (get_bytes(c, 1, &present) < 0 || *present > 1)
		return -EBADMSG;
	return *present ? get_str(c, ECS_PRIVSEP_STR_MAX, text_ok, out) : 0;
}

static int
get_roles(struct cur *c, struct ecs_saml_result *res)
{
	uint32_t n;
	int r = 0;

	if (get_u32(c, &n) < 0 || n > ECS_SAML_MAX_ROLES)
		return -EBADMSG;
	if (n == 0)
		return 0;
	res->roles = calloc(n, sizeof(*res->roles));
	if (!res->roles)
		return -ENOMEM;
	for (uint32_t i = 0; r == 0 && i < n; i++) {
		struct ecs_saml_role *role = &res->roles[i];

		r = get_str(c, ECS_PRIVSEP_STR_MAX, text_ok, &role->role_arn);
		if (r == 0)
			r = get_str(c, ECS_PRIVSEP_STR_MAX, text_ok, &role->provider_arn);
		res->nroles = i + 1;	/* so ecs_saml_result_free frees what this one holds */
		if (r == 0 && (!ecs_arn_role_ok(role->role_arn) ||
			       !ecs_arn_provider_ok(role->provider_arn)))
			r = -EBADMSG;
	}
	return r;
}

static int
get_accept(struct cur *c, struct ecs_saml_result *res)
{
	uint32_t dur;
	int r;

	r = get_str(c, ECS_NAME_USER_MAX, text_ok, &res->user);
	if (r == 0 && !ecs_name_user_ok(res->user))
		r = -EBADMSG;
	if (r == 0)
		r = get_str(c, ECS_PRIVSEP_STR_MAX, text_ok, &res->nameid);
	if (r == 0)
		r = get_opt(c, &res->nameid_format);
	if (r == 0)
		r = get_str(c, ECS_NAME_SESSION_MAX, text_ok, &res->session_name);
	if (r == 0 && !ecs_name_session_ok(res->session_name))
		r = -EBADMSG;
	if (r == 0)
		r = get_opt(c, &res->source_identity);
	if (r == 0 && res->source_identity && !ecs_name_source_identity_ok(res->source_identity))
		r = -EBADMSG;
	if (r == 0)
		r = get_u32(c, &dur);
	if (r == 0)
		res->session_duration = dur;
	if (r == 0)
		r = get_opt(c, &res->display_name);
	if (r == 0)
		r = get_roles(c, res);
	if (r == 0)
		r = get_str(c, ECS_PRIVSEP_STR_MAX, text_ok, &res->assertion_id);
	if (r == 0)
		r = get_str(c, ECS_PRIVSEP_STR_MAX, text_ok, &res->issuer);
	if (r == 0)
		r = get_time(c, &res->issue_instant);
	if (r == 0)
		r = get_time(c, &res->not_on_or_after);
	if (r == 0)
		r = get_time(c, &res->session_not_on_or_after);
	if (r == 0)
		r = get_str(c, ECS_RESPONSE_MAX_B64, b64_ok, &res->response_b64);
	if (r == 0)
		res->response_b64_len = strlen(res->response_b64);
	return r;
}

static int
get_reject(struct cur *c, struct ecs_reject *rej)
{
	char *code = NULL, *msg = NULL;
	int r;

	r = get_str(c, 64, text_ok, &code);
	if (r == 0)
		r = get_str(c, sizeof(rej->msg) - 1, text_ok, &msg);
	for (size_t i = 0; r == 0 && rej->code == NULL && i < sizeof(known_codes) /
	     sizeof(known_codes[0]); i++)
		if (strcmp(code, known_codes[i]) == 0)
			rej->code = known_codes[i];
	if (r == 0 && rej->code == NULL)
		r = -EBADMSG;
	if (r == 0)
		memcpy(rej->msg, msg, strlen(msg) + 1);
	free(code);
	free(msg);
	return r;
}

static int
get_error(struct cur *c, struct ecs_privsep_verdict *v)
{
	char *stage = NULL;
	uint32_t e;
	int r;

	r = get_u32(c, &e);
	if (r == 0 && (e == 0 || e >= 4096))
		r = -EBADMSG;
	if (r == 0)
		r = get_str(c, sizeof(v->stage) - 1, text_ok, &stage);
	if (r == 0) {
		v->err = (int)e;
		memcpy(v->stage, stage, strlen(stage) + 1);
	}
	free(stage);
	return r;
}

int
ecs_privsep_decode(const uint8_t *p, size_t len, struct ecs_privsep_verdict *v)
{
	struct cur c = { p, len, 0 };
	const uint8_t *head;
	int r;

	memset(v, 0, sizeof(*v));
	if (len > ECS_PRIVSEP_MSG_MAX || get_bytes(&c, 6, &head) < 0 ||
	    memcmp(head, ECS_PRIVSEP_MAGIC, 4) != 0 || head[4] != ECS_PRIVSEP_VERSION)
		return -EBADMSG;
	v->kind = head[5];
	switch (v->kind) {
	case ECS_PRIVSEP_ACCEPT:
		r = get_accept(&c, &v->res);
		break;
	case ECS_PRIVSEP_REJECT:
		r = get_reject(&c, &v->rej);
		break;
	case ECS_PRIVSEP_ERROR:
		r = get_error(&c, v);
		break;
	default:
		r = -EBADMSG;
	}
	if (r == 0 && c.off != c.len)
		r = -EBADMSG;	/* bytes after the last field */
	if (r < 0) {
		ecs_privsep_verdict_free(v);
		return r == -ENOMEM ? r : -EBADMSG;
	}
	return 0;
}

void
ecs_privsep_verdict_free(struct ecs_privsep_verdict *v)
{
	ecs_saml_result_free(&v->res);
	memset(v, 0, sizeof(*v));
}
