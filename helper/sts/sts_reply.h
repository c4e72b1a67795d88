/* sts_reply.h — parse what STS answered: a success document or an error document.
 *
 * The strict parse every outside XML gets (xml_strict.h: a DOCTYPE refused before anything
 * is parsed, no entity substitution, no DTD loading, no network, size and depth capped),
 * the namespace https://sts.amazonaws.com/doc/2011-06-15/ required on every element we
 * read, and values taken only from exact paths
 * (AssumeRoleWithSAMLResponse/AssumeRoleWithSAMLResult/Credentials/AccessKeyId, ...), each
 * element present at most once and holding exactly one text node. Every value is checked
 * before it is kept: a credential containing a space or a newline would let STS (or anyone
 * in its path) write extra lines into the user's credentials file. */
#ifndef ECS_STS_REPLY_H
#define ECS_STS_REPLY_H

#include <stddef.h>
#include "sts_types.h"

#define ECS_STS_REPLY_MAX (256 * 1024)	/* a real reply is 2..6 KB */

/* Parse body[len].
 *   0           a complete success document: *out filled (caller frees with
 *               ecs_sts_creds_free); its duration members are left 0/false.
 *   -ECS_ESTS   an ErrorResponse: err->code, err->message and err->request_id filled.
 *   -EBADMSG    anything else (not XML, a DTD, wrong namespace, a missing or repeated or
 *               malformed member); err->message says what, *out is left empty.
 *   -ENOMEM.
 * err's other members are not touched. */
int ecs_sts_reply_parse(const void *body, size_t len, struct ecs_sts_creds *out,
			   struct ecs_sts_error *err);

#endif
