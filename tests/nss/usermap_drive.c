/* usermap_drive.c — test driver for the user map: the real `users` verb, plus `record`,
 * which stands in for the auth path (ecs_usermap_record) until a test can reach it through
 * a real login.
 *
 *   usermap-drive users [-c CONF] ...          exactly ecs-saml-helper users ...
 *   usermap-drive record CONF USER [DISPLAY] [COUNT]
 *       record USER (COUNT times: rewrites the map that often, for the concurrency test),
 *       logged in by the IdP $USERMAP_ISSUER (default https://idp.example.test/metadata)
 * Exit status as the helper's: ecs_err_to_exit. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ecs_conf.h"
#include "ecs_err.h"
#include "ecs_str.h"
#include "usermap_file.h"
#include "verbs.h"

static int
record(const char *path, const char *user, const char *display, uint64_t count)
{
	const char *issuer = getenv("USERMAP_ISSUER");
	char err[ECS_CONF_ERRSZ];
	char why[512] = "";
	struct ecs_conf c;
	uint64_t i;
	int r;

	r = ecs_conf_load(&c, path, NULL, 0, err, sizeof(err));
	if (r < 0) {
		fprintf(stderr, "record: %s\n", err);
		goto out;
	}
	if (issuer == NULL)
		issuer = "https://idp.example.test/metadata";
	for (i = 0; i < count && r == 0; i++)
		r = ecs_usermap_record(&c, user, issuer, display, time(NULL) + (time_t)i, why,
				       sizeof(why));
	if (r < 0)
		fprintf(stderr, "record: %s\n", why);
out:
	ecs_conf_free(&c);
	return r;
}

int
main(int argc, char **argv)
{
	uint64_t count = 1;

	/* move-idp loads the IdP trust, and so libxml2 and xmlsec, itself */
	if (argc >= 2 && strcmp(argv[1], "users") == 0)
		return ecs_err_to_exit(ecs_verb_users(argc - 1, argv + 1));
	if (argc >= 4 && argc <= 6 && strcmp(argv[1], "record") == 0) {
		if (argc == 6 && ecs_parse_u64(argv[5], 1, 1000000, &count) < 0)
			return ECS_EXIT_USAGE;
		return ecs_err_to_exit(record(argv[2], argv[3], argc >= 5 ? argv[4] : NULL, count));
	}
	fprintf(stderr, "usage: usermap-drive users ... | record CONF USER [DISPLAY [COUNT]]\n");
	return ECS_EXIT_USAGE;
}
