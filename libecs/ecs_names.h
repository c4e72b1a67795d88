/* ecs_names.h — syntax checks for every name that crosses a trust boundary.
 * All are pure byte checks: no locale, no case folding, no normalisation. */
#ifndef ECS_NAMES_H
#define ECS_NAMES_H

#include <stdbool.h>

/* Unix user name: ^[a-z_][a-z0-9_-]{0,31}$ */
bool ecs_name_user_ok(const char *s);

/* AWS RoleSessionName and SourceIdentity: ^[A-Za-z0-9_+=,.@-]{2,64}$;
 * SourceIdentity also must not start with "aws:" (checked by ecs_name_source_identity_ok). */
bool ecs_name_session_ok(const char *s);
bool ecs_name_source_identity_ok(const char *s);

/* arn:PARTITION:iam::ACCOUNT(12 digits):role/PATH/NAME — 20..2048 characters. */
bool ecs_arn_role_ok(const char *s);
/* arn:PARTITION:iam::ACCOUNT:saml-provider/NAME — 20..2048 characters. */
bool ecs_arn_provider_ok(const char *s);

/* Ticket and session-tag ids: exactly 32 lowercase hex characters. */
bool ecs_name_token_ok(const char *s);

#endif
