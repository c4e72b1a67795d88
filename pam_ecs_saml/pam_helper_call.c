/* pam_helper_call.c — one round trip with the helper, as every flow of the module makes it. */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <syslog.h>
#include <time.h>

#include <security/pam_ext.h>
#include <security/pam_modutil.h>

#include "ecs_err.h"
#include "ecs_helper_proto.h"
#include "ecs_names.h"
#include "pam_helper_call.h"
#include "pam_log.h"
#include "pam_spawn.h"

/* seconds: the largest sts_timeout (120) plus slack; tests build a copy with a short one */
#ifndef ECS_HELPER_TIMEOUT
#define ECS_HELPER_TIMEOUT 150
#endif

const char *
ecs_call_item(pam_handle_t *pamh, int item)
{
	const void *v = NULL;

	if (pam_get_item(pamh, item, &v) != PAM_SUCCESS || v == NULL)
		return "";
	return v;
}

int
ecs_call_user(pam_handle_t *pamh, const char **user)
{
	if (pam_get_user(pamh, user, NULL) != PAM_SUCCESS || *user == NULL)
		return -EIO;
	if (!ecs_name_user_ok(*user)) {
		/* the name is the client's: the record escapes it */
		ecs_pam_log(pamh, LOG_NOTICE, "user name refused", "user", *user, "reason",
			    "not a valid Unix user name", (char *)NULL);
		return -ECS_EREJECT;
	}
	return 0;
}

int
ecs_call_begin(pam_handle_t *pamh, const struct ecs_pam_args *a, const char *user,
	       struct ecs_buf *req)
{
	int r = ecs_helper_proto_begin(req);

	if (r == 0)
		r = ecs_helper_proto_put_str(req, ECS_HELPER_PROTO_USER, user);
	if (r == 0)
		r = ecs_helper_proto_put_str(req, ECS_HELPER_PROTO_SERVICE,
					     ecs_call_item(pamh, PAM_SERVICE));
	if (r == 0)
		r = ecs_helper_proto_put_str(req, ECS_HELPER_PROTO_RHOST,
					     ecs_call_item(pamh, PAM_RHOST));
	for (int i = 0; r == 0 && i < a->nforward; i++)
		r = ecs_helper_proto_put_str(req, ECS_HELPER_PROTO_CONF_ARG, a->forward[i]);
	return r;
}

/* The ids travel so that the helper can refuse a user the application and the helper see
 * differently (two NSS setups, a stale cache): credentials must belong to the uid the
 * session will run as. */
int
ecs_call_put_ids(pam_handle_t *pamh, const char *user, struct ecs_buf *req)
{
	const struct passwd *pw = pam_modutil_getpwnam(pamh, user);
	char num[24];
	int r;

	if (pw == NULL) {
		ecs_pam_log(pamh, LOG_ERR, "user unknown to the system", "user", user,
			    (char *)NULL);
		return -ECS_EREJECT;
	}
	snprintf(num, sizeof(num), "%lu", (unsigned long)pw->pw_uid);
	r = ecs_helper_proto_put_str(req, ECS_HELPER_PROTO_UID, num);
	snprintf(num, sizeof(num), "%lu", (unsigned long)pw->pw_gid);
	if (r == 0)
		r = ecs_helper_proto_put_str(req, ECS_HELPER_PROTO_GID, num);
	return r;
}

void
ecs_call_tell_user(pam_handle_t *pamh, int flags, const char *msg)
{
	if (!(flags & PAM_SILENT))
		pam_error(pamh, "%s", msg);
}

int
ecs_call_helper(pam_handle_t *pamh, int flags, const struct ecs_pam_args *a,
		const char *verb, const struct ecs_buf *req, struct ecs_helper_reply *rep)
{
	struct timespec t0, t1;
	struct ecs_logrec rec;
	struct ecs_buf out;
	int r, pr;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = ecs_spawn_helper(pamh, verb, req->data, req->len, ECS_HELPER_TIMEOUT, &out);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	pr = ecs_reply_parse(out.data, out.len, rep);
	ecs_buf_free(&out);
	if (pr < 0) {
		ecs_pam_log(pamh, LOG_ERR, "malformed helper reply", "verb", verb, (char *)NULL);
		if (r == 0)
			r = -EBADMSG;
	}
	if (r < 0 && rep->message != NULL)
		ecs_call_tell_user(pamh, flags, rep->message);
	if (a->debug) {
		ecs_logrec_init(&rec, "helper done");
		ecs_logrec_add(&rec, "verb", verb);
		ecs_logrec_add(&rec, "result", ecs_strerror(r));
		ecs_logrec_addf(&rec, "ms", "%ld",
				(t1.tv_sec - t0.tv_sec) * 1000L +
					(t1.tv_nsec - t0.tv_nsec) / 1000000L);
		ecs_pam_log_rec(pamh, LOG_DEBUG, &rec);
	}
	return r;
}
