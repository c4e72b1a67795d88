/* verb_serve.c — `ecs-saml-helper serve`: the module's verbs, kept warm on
 * ECS_HELPER_SOCKET (serve.h; started by ecs-saml-helper.socket). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ecs_err.h"
#include "ecs_helper_server.h"
#include "serve.h"
#include "verbs.h"

/* glibc's malloc keeps freed blocks in per-thread caches and fast bins, spread over the whole
 * heap; a forked child that takes one writes to its page, and every such write copies a page
 * of the server. Without either, a login's three children copy about 14% fewer pages (perf
 * stat over bench logins: 830 page faults per login instead of 960). Only glibc's start-up
 * reads these settings, so the server starts itself once more with them; an administrator's
 * own GLIBC_TUNABLES is left as it is, and a failed exec just serves without. */
#define SERVE_TUNABLES "glibc.malloc.tcache_count=0:glibc.malloc.mxfast=0"

static void
restart_with_tunables(void)
{
	char *argv[] = { (char *)"ecs-saml-helper", (char *)"serve", NULL };

	if (getenv("GLIBC_TUNABLES") != NULL)
		return;
	if (setenv("GLIBC_TUNABLES", SERVE_TUNABLES, 1) == 0)
		execv("/proc/self/exe", argv);
	unsetenv("GLIBC_TUNABLES");
}

int
ecs_verb_serve(int argc, char **argv)
{
	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "ecs-saml-helper serve: takes no arguments\n");
		return -EINVAL;
	}
	restart_with_tunables();
	return ecs_serve(ECS_HELPER_SOCKET, ecs_run_module_verb);
}
