/* pam_conv.c — the auth-time conversation of protocol v1, module side.
 *
 * Three ways in (ecs_kbd_proto.h): one whole answer, a chunk header (which may carry the
 * first characters itself) followed by numbered chunks, or a paste line by line. Whatever
 * the way, every answer is counted against the round cap, the size cap and the wall-clock
 * budget, wiped as soon as it is copied, and a failure is told to the user in terms of the
 * transport (truncated, changed in transit, too long) rather than surfacing later as a
 * signature error. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <security/pam_ext.h>

#include "ecs_b64.h"
#include "ecs_err.h"
#include "ecs_kbd_proto.h"
#include "ecs_limits.h"
#include "ecs_secmem.h"
#include "ecs_sha256.h"
#include "ecs_str.h"
#include "ecs_helper_proto.h"
#include "pam_conv.h"

/* What sshd (auth-pam.c) sends PAM instead of the user's answer when it refuses the user
 * itself (unknown to NSS, kept out by AllowUsers/AllowGroups/DenyUsers/DenyGroups, no valid
 * login shell, root under PermitRootLogin): this pattern, repeated to the length of the
 * real answer so that timing tells nothing. No Response, base64 or XML, starts with it. */
#define SSHD_STAND_IN "\b\n\r\177INCORRECT"

#define SSHD_REFUSED_MSG                                                                  \
	"The bastion's sshd refuses this user before the SAML response is checked "        \
	"(AllowUsers, AllowGroups, DenyUsers or the login shell): ask the bastion's "       \
	"administrator to look at sshd's log (code sshd-refused-user)."

#define TRUNCATED_MSG                                                                     \
	"Your answer was cut at 1023 characters by ssh. Paste the response line by line "    \
	"(base64 -w 76, then an empty line) or log in with ecs-saml-ssh."

struct conv_state {
	pam_handle_t *pamh;
	struct timespec deadline;	/* CLOCK_MONOTONIC */
	unsigned budget_s;
	unsigned rounds;
	size_t chars;			/* non-whitespace characters collected */
	char *msg;			/* ECS_CONV_MSGSZ bytes */
};

static int fail(struct conv_state *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Put the user-facing reason into st->msg; always -ECS_EPROTO. */
static int
fail(struct conv_state *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st->msg, ECS_CONV_MSGSZ, fmt, ap);
	va_end(ap);
	return -ECS_EPROTO;
}

static bool
past_deadline(const struct conv_state *st)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > st->deadline.tv_sec ||
	       (now.tv_sec == st->deadline.tv_sec && now.tv_nsec >= st->deadline.tv_nsec);
}

/* One ECHO_OFF prompt. 0 with *answer owned by the caller (free with
 * ecs_free_secret_str), -ECS_EPROTO over the round cap or the budget, -ECONNABORTED. */
static int
ask(struct conv_state *st, const char *prompt, char **answer)
{
	char *resp = NULL;
	int pr;

	*answer = NULL;
	if (++st->rounds > ECS_KBD_PROTO_MAX_ROUNDS)
		return fail(st, "Too many answers (more than %u): the response is too long.",
			    ECS_KBD_PROTO_MAX_ROUNDS);
	pr = pam_prompt(st->pamh, PAM_PROMPT_ECHO_OFF, &resp, "%s", prompt);
	if (pr != PAM_SUCCESS || resp == NULL) {
		ecs_free_secret_str(resp);
		return -ECONNABORTED;
	}
	if (past_deadline(st)) {
		ecs_free_secret_str(resp);
		return fail(st, "The SAML response took longer than %u seconds to arrive.",
			    st->budget_s);
	}
	*answer = resp;
	return 0;
}

/* Append n bytes of an answer to out within the caps. */
static int
collect(struct conv_state *st, struct ecs_buf *out, const char *p, size_t n)
{
	size_t chars = ecs_b64_count(p, n);
	int r;

	if (chars > ECS_RESPONSE_MAX_B64 - st->chars)
		return fail(st, "The SAML response is too large (over %u characters).",
			    ECS_RESPONSE_MAX_B64);
	r = ecs_buf_append(out, p, n);
	if (r == -E2BIG)
		return fail(st, "The SAML response is too large (over %u bytes).",
			    (unsigned)out->max);
	if (r == 0)
		st->chars += chars;
	return r;
}

static int
read_chunks(struct conv_state *st, const struct ecs_kbd_proto_header *h, struct ecs_buf *out)
{
	char prompt[ECS_KBD_PROTO_PROMPT_MAX];
	char *a = NULL;
	uint8_t digest[ECS_SHA256_LEN];
	size_t rest = h->length - h->inlined;	/* what the chunks carry */
	int r = 0;

	/* The header's own share first: the digest covers all length characters. */
	if (h->inlined > 0)
		r = collect(st, out, h->inline_chars, h->inlined);
	for (unsigned i = 1; r == 0 && i <= h->chunks; i++) {
		size_t want = i < h->chunks ? ECS_KBD_PROTO_CHUNK
					    : rest - (size_t)(h->chunks - 1) * ECS_KBD_PROTO_CHUNK;
		size_t got;

		r = ecs_kbd_proto_format_prompt(ECS_PROMPT_CHUNK, i, h->chunks, NULL, prompt,
					    sizeof(prompt));
		if (r == 0)
			r = ask(st, prompt, &a);
		if (r < 0)
			break;
		got = strlen(a);
		if (got != want)
			r = fail(st, "Chunk %u/%u has %zu characters, expected %zu%s.", i,
				 h->chunks, got, want,
				 got == ECS_KBD_PROTO_SSH_CUT ? " (cut by ssh)" : "");
		else
			r = collect(st, out, a, got);
		ecs_free_secret_str(a);
		a = NULL;
	}
	if (r < 0)
		return r;
	ecs_sha256(out->data, out->len, digest);
	if (ecs_memeq_ct(digest, h->sha256, sizeof(digest)) != 0)
		r = fail(st, "The SAML response changed in transit (SHA-256 mismatch); try again.");
	ECS_WIPE_OBJ(digest);
	return r;
}

/* A whole answer, or the first line of a paste followed by more until an empty one. */
static int
read_lines(struct conv_state *st, const char *first, struct ecs_buf *out)
{
	char prompt[ECS_KBD_PROTO_PROMPT_MAX];
	size_t len = strlen(first);
	char *a = NULL;
	int r;

	if (len == 0)
		return fail(st, "No SAML response was given.");
	r = collect(st, out, first, len);
	if (r < 0 || ecs_kbd_proto_looks_complete(first, len))
		return r;
	if (len == ECS_KBD_PROTO_SSH_CUT)
		return fail(st, TRUNCATED_MSG);
	for (unsigned k = 2;; k++) {
		r = ecs_kbd_proto_format_prompt(ECS_PROMPT_LINE, k, 0, NULL, prompt, sizeof(prompt));
		if (r == 0)
			r = ask(st, prompt, &a);
		if (r < 0)
			return r;
		len = strlen(a);
		if (len == 0)
			break;
		if (len == ECS_KBD_PROTO_SSH_CUT)
			r = fail(st, TRUNCATED_MSG);
		else
			r = collect(st, out, "\n", 1);
		if (r == 0)
			r = collect(st, out, a, len);
		ecs_free_secret_str(a);
		a = NULL;
		if (r < 0)
			return r;
	}
	ecs_free_secret_str(a);
	if (!ecs_kbd_proto_looks_complete((const char *)out->data, out->len))
		return fail(st, "The text given is not a complete SAML response (its end is "
				"missing). Paste all of it, or log in with ecs-saml-ssh.");
	return 0;
}

static bool
sshd_stand_in(const char *answer)
{
	size_t n = strlen(SSHD_STAND_IN);

	for (size_t i = 0; answer[i] != '\0'; i++)
		if (answer[i] != SSHD_STAND_IN[i % n])
			return false;
	return answer[0] != '\0';
}

static void
conv_start(struct conv_state *st, pam_handle_t *pamh, unsigned budget_s, char *msg)
{
	memset(st, 0, sizeof(*st));
	st->pamh = pamh;
	st->budget_s = budget_s;
	st->msg = msg;
	msg[0] = '\0';
	clock_gettime(CLOCK_MONOTONIC, &st->deadline);
	st->deadline.tv_sec += budget_s;
}

int
ecs_conv_get_response(pam_handle_t *pamh, unsigned budget_s, struct ecs_buf *out,
		      enum ecs_kbd_encoding *enc, char msg[ECS_CONV_MSGSZ])
{
	char prompt[ECS_KBD_PROTO_PROMPT_MAX];
	struct conv_state st;
	struct ecs_kbd_proto_header h;
	char *first = NULL;
	int r;

	*enc = ECS_KBD_ENC_NONE;
	conv_start(&st, pamh, budget_s, msg);
	ecs_buf_init(out, ECS_HELPER_PROTO_MAX_FRAME);
	r = ecs_kbd_proto_format_prompt(ECS_PROMPT_RESPONSE, 0, 0, NULL, prompt, sizeof(prompt));
	if (r < 0)
		goto out;
	r = ask(&st, prompt, &first);
	if (r < 0)
		goto out;
	if (sshd_stand_in(first)) {
		fail(&st, SSHD_REFUSED_MSG);
		r = -EACCES;
		goto out;
	}
	r = ecs_kbd_proto_parse_header(first, &h);
	if (r == 0) {
		r = read_chunks(&st, &h, out);
		*enc = r == 0 ? h.encoding : ECS_KBD_ENC_NONE;
	} else if (r == -EBADMSG) {
		r = fail(&st, "Malformed chunk header (%s): is ecs-saml-ssh up to date?",
			 h.defect);
	} else {
		r = read_lines(&st, first, out);
	}
out:
	ecs_free_secret_str(first);
	if (r < 0)
		ecs_buf_free(out);
	return r;
}

int
ecs_conv_choose_role(pam_handle_t *pamh, unsigned budget_s, const char *const *roles,
		     unsigned n, unsigned *choice, char msg[ECS_CONV_MSGSZ])
{
	char prompt[ECS_KBD_PROTO_PROMPT_MAX];
	struct conv_state st;
	char *a = NULL;
	uint64_t v;
	int r;

	conv_start(&st, pamh, budget_s, msg);
	r = ecs_kbd_proto_format_prompt(ECS_PROMPT_ROLE, 0, n, roles, prompt, sizeof(prompt));
	if (r == -E2BIG) {
		r = fail(&st, "Too many roles to list; ask for a narrower allowed_roles.");
		goto out;
	}
	if (r == 0)
		r = ask(&st, prompt, &a);
	if (r < 0)
		goto out;
	if (ecs_parse_u64(a, 1, n, &v) != 0) {
		r = fail(&st, "Not a role number between 1 and %u.", n);
		goto out;
	}
	*choice = (unsigned)v;
out:
	ecs_free_secret_str(a);
	return r;
}
