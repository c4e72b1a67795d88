/* verb_users.c — `ecs-saml-helper users ...`: the administrator's view of the user map.
 *
 *   users [--config CONF] init        create an empty map (the NSS module needs one)
 *   users [--config CONF] list        one line per user, then one per retired UID
 *   users [--config CONF] show NAME   every field of one user
 *   users [--config CONF] pin NAME UID   give NAME this UID (its old UID is retired)
 *   users [--config CONF] remove NAME    remove NAME; its UID stays retired for good
 *   users [--config CONF] move-idp NAME ISSUER   NAME's logins must come from the IdP
 *                                        ISSUER (a configured entity ID) from now on
 *
 * --config names another configuration file (root only, like the helper itself; tests and
 * staging use it). Output is for people and simple scripts: space-separated fields.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "ecs_buf.h"
#include "ecs_err.h"
#include "ecs_str.h"
#include "ecs_time.h"
#include "ecs_usermap.h"
#include "logging.h"
#include "saml_trust.h"
#include "usermap_file.h"
#include "verbs.h"

static int
usage(void)
{
	fprintf(stderr, "usage: ecs-saml-helper users [--config PATH] init | list | show NAME | "
			"pin NAME UID | remove NAME | move-idp NAME ISSUER\n");
	return -EINVAL;
}

static void
print_time(const char *label, int64_t t)
{
	char buf[ECS_TIME_BUFSZ];

	if (t == 0) {
		printf("%s: never\n", label);
		return;
	}
	ecs_time_format((time_t)t, buf);
	printf("%s: %s\n", label, buf);
}

static int
list_users(const struct ecs_conf *c)
{
	struct ecs_usermap_uidref ref;
	struct ecs_usermap_user u;
	struct ecs_buf image;
	struct ecs_usermap db;
	char why[256];
	size_t cursor = 0;
	size_t b;
	const char *nl;
	int r;

	r = ecs_usermap_read(c, &image, &db, why, sizeof(why));
	if (r < 0) {
		fprintf(stderr, "users: %s\n", why);
		return r;
	}
	while ((r = ecs_usermap_next_user(&db, &cursor, &u)) == 0)
		printf("%s %u %u %s %s\n", u.name, u.uid, u.gid,
		       u.origin == ECS_USERMAP_PINNED ? "pinned" : "derived", u.gecos);
	for (b = db.idx_begin; r == -ENOENT && b < db.idx_end; b = (size_t)(nl - db.data) + 1) {
		nl = memchr(db.data + b, '\n', db.idx_end - b);
		if (ecs_usermap_parse_uidref(db.data + b, (size_t)(nl - (db.data + b)), &ref) < 0)
			r = -EBADMSG;
		else if (ref.retired)
			printf("retired %u %s\n", ref.uid, ref.name);
	}
	if (r != -ENOENT)
		fprintf(stderr, "users: the map is corrupt: %s\n", ecs_strerror(r));
	ecs_buf_free(&image);
	return r == -ENOENT ? 0 : r;
}

static int
show_user(const struct ecs_conf *c, const char *name)
{
	struct ecs_usermap_user u;
	struct ecs_buf image;
	struct ecs_usermap db;
	char why[256];
	int r;

	r = ecs_usermap_read(c, &image, &db, why, sizeof(why));
	if (r < 0) {
		fprintf(stderr, "users: %s\n", why);
		return r;
	}
	r = ecs_usermap_find_name(&db, name, &u);
	if (r == 0) {
		printf("name: %s\nuid: %u\ngid: %u\ngecos: %s\nhome: %s\nshell: %s\norigin: %s\n",
		       u.name, u.uid, u.gid, u.gecos, u.home, u.shell,
		       u.origin == ECS_USERMAP_PINNED ? "pinned" : "derived");
		print_time("first_login", u.first_login);
		print_time("last_login", u.last_login);
		printf("issuer: %s\n", u.issuer[0] != '\0' ? u.issuer : "none (the next login's)");
	} else {
		fprintf(stderr, "users: %s: %s\n", name,
			r == -ENOENT ? "no such user in the map" : ecs_strerror(r));
	}
	ecs_buf_free(&image);
	return r;
}

/* move-idp: ISSUER must be an IdP this host trusts, or the user could never log in again;
 * the entity IDs are the verifier's own (idp_entity_id, or what idp_metadata says). */
static int
move_idp(const struct ecs_conf *c, const char *name, const char *issuer)
{
	struct ecs_trust trust = { 0 };
	struct ecs_reject rej = { 0 };
	char why[512] = "";
	bool known = false;
	int r;

	r = ecs_trust_load(&trust, c, &rej);
	if (r < 0) {
		fprintf(stderr, "users: move-idp: cannot read the configured IdPs: %s\n",
			rej.msg[0] != '\0' ? rej.msg : ecs_strerror(r));
		return r;
	}
	for (unsigned i = 0; i < trust.nidps; i++)
		known = known || strcmp(trust.entity_ids[i], issuer) == 0;
	ecs_trust_free(&trust);
	if (!known) {
		fprintf(stderr, "users: move-idp: %s is not a configured IdP (idp_entity_id or the "
				"entityID of idp_metadata)\n", issuer);
		return -EINVAL;
	}
	r = ecs_usermap_move_idp(c, name, issuer, why, sizeof(why));
	if (r < 0)
		fprintf(stderr, "users: move-idp: %s\n", why[0] ? why : ecs_strerror(r));
	else
		ecs_log(LOG_NOTICE, "users moved to another IdP", "user", name, "issuer", issuer,
			(char *)NULL);
	return r;
}

static int
run(const struct ecs_conf *c, int argc, char **argv)
{
	char why[512] = "";
	uint64_t uid;
	int r;

	if (argc == 1 && strcmp(argv[0], "init") == 0)
		r = ecs_usermap_init(c, why, sizeof(why));
	else if (argc == 1 && strcmp(argv[0], "list") == 0)
		return list_users(c);
	else if (argc == 2 && strcmp(argv[0], "show") == 0)
		return show_user(c, argv[1]);
	else if (argc == 3 && strcmp(argv[0], "pin") == 0) {
		if (ecs_parse_u64(argv[2], 1, UINT32_MAX - 1, &uid) < 0) {
			fprintf(stderr, "users: pin: '%s' is not a UID\n", argv[2]);
			return -EINVAL;
		}
		r = ecs_usermap_pin(c, argv[1], (uint32_t)uid, time(NULL), why, sizeof(why));
	} else if (argc == 3 && strcmp(argv[0], "move-idp") == 0)
		return move_idp(c, argv[1], argv[2]);
	else if (argc == 2 && strcmp(argv[0], "remove") == 0)
		r = ecs_usermap_remove(c, argv[1], time(NULL), why, sizeof(why));
	else
		return usage();
	if (r < 0)
		fprintf(stderr, "users: %s: %s\n", argv[0], why[0] ? why : ecs_strerror(r));
	return r;
}

int
ecs_verb_users(int argc, char **argv)
{
	const char *path = ECS_CONF_PATH;
	struct ecs_conf c;
	int r;

	/* argv[0] is "users" */
	argc--;
	argv++;
	if (argc >= 2 && strcmp(argv[0], "--config") == 0) {
		path = argv[1];
		argc -= 2;
		argv += 2;
	}
	if (argc < 1)
		return usage();
	r = ecs_helper_conf_load(path, NULL, 0, &c);
	if (r == 0)
		r = run(&c, argc, argv);
	ecs_conf_free(&c);
	return r;
}
