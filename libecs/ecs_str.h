/* ecs_str.h — strict string helpers: decimal parsing with ranges, bounded copies. */
#ifndef ECS_STR_H
#define ECS_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parse a whole decimal string (no sign, no spaces, no leading '+', no empty string)
 * into [min, max]. 0, -EINVAL (syntax) or -ERANGE. */
int ecs_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/* "yes"/"no" (also "true"/"false", "1"/"0"). 0 or -EINVAL. */
int ecs_parse_bool(const char *s, bool *out);

/* Copy src into dst[size], NUL-terminated. 0, or -ENAMETOOLONG if it did not fit
 * (dst then holds an empty string). */
int ecs_strlcpy(char *dst, const char *src, size_t size);

/* true if s starts with prefix. */
bool ecs_startswith(const char *s, const char *prefix);

/* Constant-time comparison of two equal-length byte strings: 0 when equal. */
int ecs_memeq_ct(const void *a, const void *b, size_t n);

#endif
