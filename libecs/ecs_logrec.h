/* ecs_logrec.h — the one format of every syslog record the helper and the PAM module write:
 *
 *     EVENT: key="value" key="value" ...
 *
 * EVENT is fixed text of the program ("auth refused", "session open"); each key is fixed
 * text too ([a-z0-9_]). Every value is quoted and escaped here, whatever its origin, so
 * that nothing a client, a SAML document, STS or a file puts into a value (a user name, an
 * Issuer, an algorithm URI, a reject reason) can end its field or start another: `"` and
 * `\` are written `\"` and `\\`, every other byte outside printable ASCII (control
 * characters, DEL, all of UTF-8 beyond ASCII) as `\xNN`. A value longer than
 * ECS_LOGREC_VALUE_MAX escaped characters is cut and ends with `...`; a record that would
 * outgrow ECS_LOGREC_MAX drops its remaining fields and ends with ` cut="yes"`.
 *
 * One record is built in a struct ecs_logrec on the stack (no allocation: it works when
 * memory is short) and handed to the program's sink: syslog(3) in the helper (ecs_log),
 * pam_syslog(3) in the PAM module. The NSS module and the client do not log. */
#ifndef ECS_LOGREC_H
#define ECS_LOGREC_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#define ECS_LOGREC_MAX 4096		/* a whole record, NUL included */
#define ECS_LOGREC_VALUE_MAX 512	/* escaped characters of one value, "..." included */

struct ecs_logrec {
	char buf[ECS_LOGREC_MAX];	/* the record so far, always NUL-terminated */
	size_t len;
	unsigned fields;		/* fields so far: the first follows ": " */
	bool cut;			/* a field was dropped for lack of room */
};

/* Start a record with its EVENT (program text; a byte that would break the format is
 * escaped all the same). */
void ecs_logrec_init(struct ecs_logrec *rec, const char *event);

/* Append key="value". A NULL value is written as "" (empty). */
void ecs_logrec_add(struct ecs_logrec *rec, const char *key, const char *value);

/* Append key="value" with the value formatted first, then escaped as a whole. */
void ecs_logrec_addf(struct ecs_logrec *rec, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Append the pairs key, value, key, value, ... of ap up to a NULL key (values may be NULL). */
void ecs_logrec_addv(struct ecs_logrec *rec, va_list ap);

/* The record as text (valid until rec changes or goes out of scope). */
const char *ecs_logrec_text(const struct ecs_logrec *rec);

/* Escape src[0..n) into dst[dstsz] as one value's text, without the quotes: at most
 * dstsz - 1 characters and a NUL; when src does not fit whole, as much as fits with room for
 * "..." and then "...". Returns the length written. dstsz must be at least 4. */
size_t ecs_log_escape(char *dst, size_t dstsz, const char *src, size_t n);

#endif
