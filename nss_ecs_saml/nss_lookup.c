/* nss_lookup.c — name and UID resolution over one cache view (see nss_lookup.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "ecs_names.h"
#include "ecs_usermap.h"
#include "ecs_usermap_uid.h"
#include "nss_cache.h"
#include "nss_lookup.h"
#include "nss_others.h"

int
ecs_nss_resolve_name(const struct ecs_nss_view *v, const char *name, struct ecs_usermap_user *u,
		     bool *first_login)
{
	struct ecs_usermap_uidref ref;
	uint32_t uid;
	int r;

	*first_login = false;
	r = ecs_usermap_find_name(v->db, name, u);
	if (r != -ENOENT)
		return r;
	/* Only a name a login could produce: the helper refuses any other, so answering for
	 * it would only let sshd run PAM for an account that can never exist. */
	if (v->first_login == NULL || !ecs_nss_in_sshd() ||
	    !ecs_name_rule_match(v->first_login, name) || !ecs_name_policy_ok(v->names, name))
		return -ENOENT;
	r = ecs_usermap_derive_uid(name, v->conf->nss_uid_min, v->conf->nss_uid_max, &uid);
	if (r < 0)
		return r;
	/* A derived UID held by another user or a tombstone is never synthesized: the name
	 * stays unknown here and the helper refuses the login with the reason. */
	r = ecs_usermap_find_uid(v->db, uid, &ref, NULL);
	if (r == 0)
		return -ENOENT;
	if (r != -ENOENT)
		return r;
	r = ecs_usermap_fill_new(name, uid, v->conf->nss_gid, v->conf->nss_home,
				v->conf->nss_shell, u);
	if (r < 0)
		return -ENOENT;
	*first_login = true;
	return 0;
}

int
ecs_nss_resolve_uid(const struct ecs_nss_view *v, uint32_t uid, struct ecs_usermap_user *u)
{
	struct ecs_usermap_uidref ref;
	int r;

	r = ecs_usermap_find_uid(v->db, uid, &ref, u);
	if (r == 0 && ref.retired)
		return -ENOENT;
	return r;
}
