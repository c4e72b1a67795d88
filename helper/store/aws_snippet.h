/* aws_snippet.h — a site's own lines for each session's AWS config file (aws_config_snippet).
 *
 * Read by root at session open (ecs_safefile: root's, not writable by group or others, in
 * root-owned directories, no symbolic link, at most ECS_AWS_SNIPPET_MAX bytes) and appended
 * to the [default] profile the module writes (credfile.h). Each line is blank, a comment
 * ('#' or ';' first), or "key = value" with a key of [a-z0-9_] starting the line and a value
 * of printable ASCII (empty allowed: "cli_pager ="). What could change where the session's
 * credentials come from, or which profile is read, is refused: a section header, an indented
 * line (a nested setting or a continuation), region (the module writes it), aws_* and every
 * key that makes the CLI take credentials from elsewhere (credential_process,
 * credential_source, role_arn, source_profile, role_session_name, external_id, mfa_serial,
 * duration_seconds, web_identity_token_file, sso_*). A later line of the same key would win
 * in some readers: repeating a key is refused too. */
#ifndef ECS_AWS_SNIPPET_H
#define ECS_AWS_SNIPPET_H

#include <stddef.h>

#include "ecs_buf.h"

#define ECS_AWS_SNIPPET_MAX 4096

/* NULL when text[len] is such a snippet, else why not ("line N: ..."), in why[]. */
const char *ecs_aws_snippet_check(const char *text, size_t len, char *why, size_t whysz);

/* Read and check path into out (initialised here). 0; -ECS_ECONFIG with why[] naming the
 * file and what is wrong (CODE ECS_MISCONF_AWS_CONFIG_SNIPPET); -ENOMEM. */
int ecs_aws_snippet_load(const char *path, struct ecs_buf *out, char *why, size_t whysz);

#endif
