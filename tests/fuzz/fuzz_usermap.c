/* fuzz_usermap.c — libFuzzer target for the user-map reader (ecs_usermap.c) and the packing
 * into NSS buffers (ecs_usermap_pack.c).
 *
 * Beyond "no crash": whatever the reader accepts, every line it walks is a valid entry;
 * a map the writer re-serializes from it opens again, and every one of its users is then
 * found by name and by UID with the same fields (reader and writer agree on the order). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ecs_usermap.h"
#include "ecs_usermap_pack.h"
#include "fuzz.h"

static void
check_rewrite(const struct ecs_usermap *db)
{
	struct ecs_usermap_set set = { 0 };
	struct ecs_usermap_uidref ref;
	struct ecs_usermap_user u;
	struct ecs_usermap again;
	struct ecs_buf out;
	size_t i;

	ecs_buf_init(&out, ECS_USERMAP_MAX_SIZE);
	if (ecs_usermap_set_load(&set, db) == 0 && ecs_usermap_serialize(&set, &out) == 0) {
		if (ecs_usermap_open(&again, out.data, out.len) != 0)
			abort();
		for (i = 0; i < set.nusers; i++) {
			if (ecs_usermap_find_name(&again, set.users[i].name, &u) != 0 ||
			    u.uid != set.users[i].uid || strcmp(u.home, set.users[i].home) != 0)
				abort();
			if (ecs_usermap_find_uid(&again, u.uid, &ref, NULL) != 0 || ref.retired ||
			    strcmp(ref.name, u.name) != 0)
				abort();
		}
	}
	ecs_buf_free(&out);
	ecs_usermap_set_free(&set);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ecs_usermap_user u;
	struct ecs_usermap db;
	struct passwd pw;
	struct group gr;
	char buf[256];
	size_t cursor = 0;
	int r;

	if (ecs_usermap_parse_user((const char *)data, size, &u) == 0 && !ecs_usermap_user_ok(&u))
		abort();
	if (ecs_usermap_open(&db, data, size) != 0)
		return 0;
	while ((r = ecs_usermap_next_user(&db, &cursor, &u)) == 0) {
		if (!ecs_usermap_user_ok(&u))
			abort();
		ecs_usermap_pack_passwd(&u, &pw, buf, (size_t)u.uid % sizeof(buf));
		ecs_usermap_find_name(&db, u.name, &u);
	}
	ecs_usermap_pack_group("ecs-saml", 1668300000, &db, &gr, buf, sizeof(buf));
	check_rewrite(&db);
	return 0;
}
