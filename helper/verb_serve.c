/* verb_serve.c — `ecs-saml-helper serve`: the module's verbs, kept warm on
 * ECS_HELPER_SOCKET (serve.h; started by ecs-saml-helper.socket). */
#include <errno.h>
#include <stdio.h>

#include "ecs_err.h"
#include "ecs_helper_server.h"
#include "serve.h"
#include "verbs.h"

int
ecs_verb_serve(int argc, char **argv)
{
	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "ecs-saml-helper serve: takes no arguments\n");
		return -EINVAL;
	}
	return ecs_serve(ECS_HELPER_SOCKET, ecs_run_module_verb);
}
