/* credread.h — reading a session's credentials back, for the teardown at logout.
 *
 * The helper wrote <session dir>/credentials (credfile.h), but the file sits in the user's
 * directory, which the user may rewrite: it is read as untrusted input, as the user (after
 * the drop), fd-relative with O_NOFOLLOW (ecs_safefile), owned by the user, at most
 * ECS_CRED_READ_MAX bytes, and parsed strictly in the form credfile.c writes: comment
 * lines ('#'), blank lines, one "[default]" header, then each of aws_access_key_id,
 * aws_secret_access_key and aws_session_token exactly once as "key = value", values of
 * printable ASCII without spaces. Anything else is -EBADMSG. */
#ifndef ECS_CREDREAD_H
#define ECS_CREDREAD_H

#include <stddef.h>

#include "sts_types.h"

#define ECS_CRED_READ_MAX (16 * 1024)

/* Parse text[len] into c's access_key_id, secret_access_key and session_token (malloc'd;
 * release with ecs_sts_creds_free, which wipes the secrets). 0, -EBADMSG or -ENOMEM; on
 * failure c holds nothing. */
int ecs_cred_parse(const char *text, size_t len, struct ecs_sts_creds *c);

/* Read and parse the file "credentials" in the session directory dfd, which must be owned
 * by uid. 0, -EBADMSG, -ENOENT, -ELOOP, -EPERM, -EFBIG or -errno. */
int ecs_cred_read_at(int dfd, uid_t uid, struct ecs_sts_creds *c);

#endif
