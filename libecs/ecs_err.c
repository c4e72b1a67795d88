/* ecs_err.c — text for error values, and the helper's exit status: encoder and decoder. */
#include <errno.h>
#include <string.h>
#include <sys/wait.h>

#include "ecs_err.h"

/* Indexed by value - ECS_E_BASE - 1, in the order of the enum in ecs_err.h. */
static const char *const ecs_domain_text[] = {
	"input rejected",
	"configuration error",
	"protocol violation",
	"assertion already used",
	"STS request failed",
	"invalid ticket",
	"UID collision",
};

_Static_assert(sizeof(ecs_domain_text) / sizeof(ecs_domain_text[0]) ==
		       ECS_E_MAX - ECS_E_BASE - 1,
	       "one text per ECS_E* value");

const char *
ecs_strerror(int r)
{
	const char *s;
	int e = r < 0 ? -r : r;

	if (e == 0)
		return "success";
	if (e > ECS_E_BASE && e < ECS_E_MAX)
		return ecs_domain_text[e - ECS_E_BASE - 1];
	/* strerrordesc_np returns a static string (strerror may not), or NULL if unknown. */
	s = e < ECS_E_BASE ? strerrordesc_np(e) : NULL;
	return s ? s : "unknown error";
}

int
ecs_err_to_exit(int r)
{
	switch (r) {
	case 0:
		return ECS_EXIT_OK;
	case -ECS_EREJECT:
	case -ECS_EREPLAY:
	case -ECS_ETICKET:
	case -ECS_ECOLLISION:
	case -ECS_ESTS:
		return ECS_EXIT_REJECT;
	case -ECS_ECONFIG:
	case -EINVAL:
		return ECS_EXIT_USAGE;
	default:
		return ECS_EXIT_INTERNAL;
	}
}

int
ecs_exit_to_err(int status)
{
	if (!WIFEXITED(status))
		return -EIO;
	switch (WEXITSTATUS(status)) {
	case ECS_EXIT_OK:
		return 0;
	case ECS_EXIT_REJECT:
		return -ECS_EREJECT;
	case ECS_EXIT_USAGE:
		return -ECS_ECONFIG;
	default:
		return -EIO;
	}
}
