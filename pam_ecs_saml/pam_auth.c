/* pam_auth.c — the authentication flow: the conversation, the helper's verdict, the ticket.
 *
 * sshd authenticates in a forked child and opens the session in its monitor, so nothing
 * but the PAM environment and PAM_USER crosses from one to the other: auth leaves only a
 * ticket id there (the verified Response itself stays in the helper's root-only spool).
 * The role, when there is a choice, is chosen here: session open never prompts. */
#include <errno.h>
#include <stdio.h>
#include <syslog.h>

#include <security/pam_ext.h>
#include <security/pam_modutil.h>

#include "ecs_err.h"
#include "ecs_helper_proto.h"
#include "ecs_names.h"
#include "ecs_secmem.h"
#include "pam_auth.h"
#include "pam_conv.h"
#include "pam_helper_call.h"
#include "pam_log.h"

/* The application cannot resolve the user. sshd then treats the login as an invalid user's
 * and hands the module a fixed wrong answer instead of anything the user sends, which was
 * once reported as "not a complete SAML response". The helper finds out why
 * (nsswitch.conf, the NSS module, its configuration, the user map, the name), logs it with
 * a CODE and answers with a sentence for the user; this always refuses. */
static int
unknown_user(pam_handle_t *pamh, int flags, const struct ecs_pam_args *a, const char *user)
{
	struct ecs_helper_reply rep = { 0 };
	struct ecs_buf req;
	int r;

	r = ecs_call_begin(pamh, a, user, &req);
	if (r == 0)
		r = ecs_helper_proto_end(&req);
	if (r == 0)
		r = ecs_call_helper(pamh, flags, a, "unknown-user", &req, &rep);
	if (r == 0) {
		/* the helper must refuse: the application did not find the user, whatever it
		 * found since */
		ecs_pam_log(pamh, LOG_ERR, "user unknown to the application", "user", user,
			    (char *)NULL);
		r = -ECS_EREJECT;
	}
	ecs_buf_free(&req);
	ecs_reply_free(&rep);
	return r;
}

/* The frame that carries a Response in enc to the helper. */
static uint8_t
frame_type(enum ecs_kbd_encoding enc)
{
	switch (enc) {
	case ECS_KBD_ENC_DEFLATE:
		return ECS_HELPER_PROTO_RESPONSE_DEFLATED;
	case ECS_KBD_ENC_PACKED1:
		return ECS_HELPER_PROTO_RESPONSE_PACKED1;
	default:
		return ECS_HELPER_PROTO_RESPONSE;
	}
}

/* One round trip of the auth verb, with the chosen role once there is one (0 = none). */
static int
auth_round(pam_handle_t *pamh, int flags, const struct ecs_pam_args *a, const char *user,
	   const struct ecs_buf *response, enum ecs_kbd_encoding enc, unsigned choice,
	   struct ecs_helper_reply *rep)
{
	struct ecs_buf req;
	char num[16];
	int r;

	r = ecs_call_begin(pamh, a, user, &req);
	if (r == 0)
		r = ecs_helper_proto_put(&req, frame_type(enc), response->data, response->len);
	if (r == 0 && choice > 0) {
		snprintf(num, sizeof(num), "%u", choice);
		r = ecs_helper_proto_put_str(&req, ECS_HELPER_PROTO_ROLE_CHOICE, num);
	}
	if (r == 0)
		r = ecs_helper_proto_end(&req);
	if (r == 0)
		r = ecs_call_helper(pamh, flags, a, "auth", &req, rep);
	ecs_buf_free(&req);
	return r;
}

int
ecs_pam_authenticate(pam_handle_t *pamh, int flags, const struct ecs_pam_args *a)
{
	struct ecs_helper_reply rep = { 0 };
	struct ecs_buf response = { 0 };
	struct ecs_logrec rec;
	char msg[ECS_CONV_MSGSZ];
	char env[sizeof(ECS_ENV_TICKET) + ECS_NAME_TOKEN_LEN + 1];
	const char *user = NULL;
	unsigned choice = 0;
	enum ecs_kbd_encoding enc = ECS_KBD_ENC_NONE;
	int r;

	r = ecs_call_user(pamh, &user);
	if (r < 0)
		goto out;
	pam_fail_delay(pamh, 2000000);
	r = ecs_conv_get_response(pamh, a->conv_timeout, &response, &enc, msg);
	if (r == -ECS_EPROTO) {
		ecs_call_tell_user(pamh, flags, msg);
		ecs_pam_log(pamh, LOG_NOTICE, "conversation failed", "user", user, "reason", msg,
			    (char *)NULL);
	}
	/* sshd refused the user itself and answers for it: a name the system does not know
	 * (the helper finds out why), or one sshd's own rules keep out */
	if (r == -EACCES && pam_modutil_getpwnam(pamh, user) == NULL) {
		r = unknown_user(pamh, flags, a, user);
		goto out;
	}
	if (r == -EACCES) {
		ecs_call_tell_user(pamh, flags, msg);
		ecs_pam_log(pamh, LOG_ERR, "auth refused", "user", user, "service",
			    ecs_call_item(pamh, PAM_SERVICE), "rhost",
			    ecs_call_item(pamh, PAM_RHOST), "code", "sshd-refused-user", "reason",
			    "sshd answered with its stand-in for a user it refuses (see its log: "
			    "AllowUsers, AllowGroups, DenyUsers, DenyGroups, the login shell, "
			    "PermitRootLogin)", (char *)NULL);
		r = -ECS_EREJECT;
	}
	if (r < 0)
		goto out;
	if (a->debug) {
		ecs_logrec_init(&rec, "conversation done");
		ecs_logrec_add(&rec, "user", user);
		ecs_logrec_addf(&rec, "response_bytes", "%zu", response.len);
		ecs_logrec_add(&rec, "encoding", ecs_kbd_encoding_name(enc));
		ecs_pam_log_rec(pamh, LOG_DEBUG, &rec);
	}

	r = auth_round(pamh, flags, a, user, &response, enc, 0, &rep);
	if (r == 0 && rep.ticket == NULL && rep.nroles >= 2) {
		/* The helper consumed nothing yet: it does so only on the round with a choice. */
		r = ecs_conv_choose_role(pamh, a->conv_timeout, (const char *const *)rep.roles,
					 rep.nroles, &choice, msg);
		if (r == -ECS_EPROTO)
			ecs_call_tell_user(pamh, flags, msg);
		ecs_reply_free(&rep);
		if (r == 0)
			r = auth_round(pamh, flags, a, user, &response, enc, choice, &rep);
	}
	if (r < 0)
		goto out;
	if (rep.ticket == NULL) {
		ecs_pam_log(pamh, LOG_ERR, "helper auth succeeded without a ticket", (char *)NULL);
		r = -EBADMSG;
		goto out;
	}
	snprintf(env, sizeof(env), "%s=%s", ECS_ENV_TICKET, rep.ticket);
	if (pam_putenv(pamh, env) != PAM_SUCCESS) {
		r = -ENOMEM;
		goto out;
	}
	if (a->debug)
		ecs_pam_log(pamh, LOG_DEBUG, "authenticated, ticket handed to the session", "user",
			    user, (char *)NULL);
out:
	ecs_buf_free(&response);
	ecs_reply_free(&rep);
	ECS_WIPE_OBJ(msg);
	return r;
}
