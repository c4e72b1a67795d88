/* ecs_kvrec.h — the record format of the helper's spool files (tickets, session records)
 * and of ecs-saml-exec's exec session records (ecs_exec_rec.h): a first line naming the
 * format and version, then "KEY=VALUE" lines with exactly the expected keys in the expected
 * order, each ending in a newline, and nothing else. Whoever wrote a record, it is parsed as
 * strictly as any input: one spelling, bounded, no surprise keys. */
#ifndef ECS_KVREC_H
#define ECS_KVREC_H

#include <stddef.h>

/* Parse text[len]; every value is non-empty. 0 with values[0..n) set to malloc'd copies (free each with free(), or
 * ecs_free_secret_str for a secret), or -EBADMSG / -ENOMEM with nothing allocated. */
int ecs_kvrec_parse(const char *text, size_t len, const char *magic, const char *const *keys,
		    size_t n, char **values);

/* Free values[0..n) with wiping (a record may hold a secret) and set them to NULL. */
void ecs_kvrec_free(char **values, size_t n);

#endif
