/* saml_reject.c — filling struct ecs_reject. */
#include <stdarg.h>
#include <stdio.h>

#include "ecs_err.h"
#include "saml_reject.h"

/* A message is one printable line whatever went into it (it ends up after "reject: CODE: "
 * on stderr and in syslog): control characters become '?'. */
static void
one_line(char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
	}
}

int
ecs_reject(struct ecs_reject *rej, const char *code, const char *fmt, ...)
{
	va_list ap;

	if (rej) {
		rej->code = code;
		va_start(ap, fmt);
		vsnprintf(rej->msg, sizeof(rej->msg), fmt, ap);
		va_end(ap);
		one_line(rej->msg);
	}
	return -ECS_EREJECT;
}

int
ecs_reject_config(struct ecs_reject *rej, const char *code, const char *fmt, ...)
{
	va_list ap;

	if (rej) {
		rej->code = code;
		va_start(ap, fmt);
		vsnprintf(rej->msg, sizeof(rej->msg), fmt, ap);
		va_end(ap);
		one_line(rej->msg);
	}
	return -ECS_ECONFIG;
}
