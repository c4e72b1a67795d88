/* sts_errmap.h — what each STS error code means for the user and for the retry loop. */
#ifndef ECS_STS_ERRMAP_H
#define ECS_STS_ERRMAP_H

#include <stdbool.h>

/* The sentence to show the user for an STS error code (never NULL; unknown codes get a
 * generic one). Static storage. */
const char *ecs_sts_code_user_msg(const char *code);

/* true for codes that say "try again" (throttling, transient server-side failures). */
bool ecs_sts_code_transient(const char *code);

/* true when a ValidationError is STS saying DurationSeconds exceeds the role's
 * MaxSessionDuration (the one 4xx that a shorter request can fix). */
bool ecs_sts_duration_too_long(const char *code, const char *message);

/* Sentence for a failure that produced no STS error document, by return value of
 * ecs_sts_assume (-ETIMEDOUT, -EPERM, -EFBIG, ...). Static storage. */
const char *ecs_sts_transport_user_msg(int r);

#endif
