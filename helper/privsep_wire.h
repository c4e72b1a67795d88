/* privsep_wire.h — the one message the sandboxed validator child sends its root parent
 * (privsep.h): the validated claims, or why there are none.
 *
 * The parent reads it from a less privileged process that has just parsed attacker XML, so
 * it is untrusted input: ecs_privsep_decode() checks every length, every byte of every
 * string, the reject code against the known list and the claims against the same name
 * rules the validator applies, and anything else is -EBADMSG. tests/fuzz/fuzz_privsep_wire.c
 * fuzzes it.
 *
 * Layout: the magic "ECSP", one version byte, one kind byte, then the kind's fields in a
 * fixed order, and nothing after them. A string is a u32 length (big-endian) and that many
 * bytes (no NUL); an optional string is one presence byte (0 or 1) and, if 1, a string;
 * numbers are big-endian u32 or i64.
 *   ACCEPT  user, nameid, ?nameid_format, session_name, ?source_identity,
 *           u32 session_duration, ?display_name, u32 nroles, nroles x (role, provider),
 *           assertion_id, issuer, i64 issue_instant, i64 not_on_or_after,
 *           i64 session_not_on_or_after, response_b64
 *   REJECT  code, message
 *   ERROR   u32 errno (positive), stage: a failure that is no verdict on the Response
 *           (out of memory while validating, or a sandbox step that failed: stage names it)
 */
#ifndef ECS_PRIVSEP_WIRE_H
#define ECS_PRIVSEP_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "ecs_buf.h"
#include "saml_reject.h"
#include "saml_result.h"

#define ECS_PRIVSEP_MAGIC "ECSP"
#define ECS_PRIVSEP_VERSION 1
#define ECS_PRIVSEP_STR_MAX 4096u	/* any claim but the Response */
#define ECS_PRIVSEP_STAGE_MAX 128u
/* Over the largest message: the Response's base64 plus every claim at its cap (64 roles of
 * two 4 KiB ARNs included). */
#define ECS_PRIVSEP_MSG_MAX (1024u * 1024u)

enum ecs_privsep_kind {
	ECS_PRIVSEP_ACCEPT = 1,
	ECS_PRIVSEP_REJECT,
	ECS_PRIVSEP_ERROR,
};

/* What the parent learns from one message. */
struct ecs_privsep_verdict {
	enum ecs_privsep_kind kind;
	struct ecs_saml_result res;	/* ACCEPT: caller frees with ecs_saml_result_free */
	struct ecs_reject rej;		/* REJECT: code points at a static ECS_REJ_* string */
	int err;			/* ERROR: positive errno */
	char stage[ECS_PRIVSEP_STAGE_MAX];	/* ERROR: what failed, printable */
};

/* Serialise an accepted result (r == 0), a refusal (r == -ECS_EREJECT, rej filled) or an
 * internal failure (other r < 0; stage says where, may be NULL) into out, which must be
 * initialised with a max of at least ECS_PRIVSEP_MSG_MAX. 0, -E2BIG or -ENOMEM. out holds
 * the Response: free it with ecs_buf_free (which wipes). */
int ecs_privsep_encode(struct ecs_buf *out, int r, const struct ecs_saml_result *res,
		       const struct ecs_reject *rej, const char *stage);

/* Parse and check one whole message. 0 with *v filled (release with
 * ecs_privsep_verdict_free), or -EBADMSG (nothing kept). */
int ecs_privsep_decode(const uint8_t *p, size_t len, struct ecs_privsep_verdict *v);

void ecs_privsep_verdict_free(struct ecs_privsep_verdict *v);

#endif
