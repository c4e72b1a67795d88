/* ecs_secmem.c — wiping secrets; explicit_bzero is never elided by the optimiser. */
#include <stdlib.h>
#include <string.h>

#include "ecs_secmem.h"

void
ecs_wipe(void *p, size_t n)
{
	if (p && n)
		explicit_bzero(p, n);
}

void
ecs_free_secret(void *p, size_t n)
{
	ecs_wipe(p, n);
	free(p);
}

void
ecs_free_secret_str(char *s)
{
	if (s)
		ecs_wipe(s, strlen(s));
	free(s);
}
