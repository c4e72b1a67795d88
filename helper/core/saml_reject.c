/* saml_reject.c — filling struct ecs_reject. */
#include <stdarg.h>
#include <stdio.h>

#include "ecs_err.h"
#include "saml_reject.h"

int
ecs_reject(struct ecs_reject *rej, const char *code, const char *fmt, ...)
{
	va_list ap;

	if (rej) {
		rej->code = code;
		va_start(ap, fmt);
		vsnprintf(rej->msg, sizeof(rej->msg), fmt, ap);
		va_end(ap);
	}
	return -ECS_EREJECT;
}

int
ecs_reject_config(struct ecs_reject *rej, const char *fmt, ...)
{
	va_list ap;

	if (rej) {
		rej->code = NULL;
		va_start(ap, fmt);
		vsnprintf(rej->msg, sizeof(rej->msg), fmt, ap);
		va_end(ap);
	}
	return -ECS_ECONFIG;
}
