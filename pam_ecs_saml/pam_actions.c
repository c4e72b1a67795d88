/* pam_actions.c — authenticate, open session, close session.
 *
 * sshd authenticates in a forked child and opens the session in its monitor, so nothing
 * but the PAM environment and PAM_USER crosses from one to the other: auth leaves only a
 * ticket id there (the verified Response itself stays in the helper's root-only spool), and
 * session open consumes the ticket and removes the variable before the shell could see it.
 * Session open never prompts; the role, when there is a choice, is chosen during auth. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <syslog.h>
#include <unistd.h>

#include <security/pam_ext.h>
#include <security/pam_modutil.h>

#include "ecs_err.h"
#include "ecs_names.h"
#include "ecs_secmem.h"
#include "ecs_helper_proto.h"
#include "pam_actions.h"
#include "pam_conv.h"
#include "pam_helper_reply.h"
#include "pam_spawn.h"

/* seconds: the largest sts_timeout (120) plus slack; tests build a copy with a short one */
#ifndef ECS_HELPER_TIMEOUT
#define ECS_HELPER_TIMEOUT 150
#endif
#define SESSION_DATA "pam_ecs_saml_session"
#define TOKEN_LEN 32

/* The session tag kept with pam_set_data, valid only in the process that opened the
 * session: an application that forks afterwards falls back to the environment. */
struct session_data {
	pid_t pid;
	char tag[TOKEN_LEN + 1];
};

static const char *const aws_vars[] = {
	"AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", "AWS_REGION",
	"AWS_CREDENTIAL_EXPIRATION", ECS_ENV_SESSION,
};

static const char *
item_str(pam_handle_t *pamh, int item)
{
	const void *v = NULL;

	if (pam_get_item(pamh, item, &v) != PAM_SUCCESS || v == NULL)
		return "";
	return v;
}

static int
get_user(pam_handle_t *pamh, const char **user)
{
	if (pam_get_user(pamh, user, NULL) != PAM_SUCCESS || *user == NULL)
		return -EIO;
	if (!ecs_name_user_ok(*user)) {
		pam_syslog(pamh, LOG_NOTICE, "user name refused: not a valid Unix user name");
		return -ECS_EREJECT;
	}
	return 0;
}

/* Start a request with the frames every verb takes: user, service, rhost, overrides. */
static int
request_begin(pam_handle_t *pamh, const struct ecs_pam_args *a, const char *user,
	      struct ecs_buf *req)
{
	int r = ecs_helper_proto_begin(req);

	if (r == 0)
		r = ecs_helper_proto_put_str(req, ECS_HELPER_PROTO_USER, user);
	if (r == 0)
		r = ecs_helper_proto_put_str(req, ECS_HELPER_PROTO_SERVICE, item_str(pamh, PAM_SERVICE));
	if (r == 0)
		r = ecs_helper_proto_put_str(req, ECS_HELPER_PROTO_RHOST, item_str(pamh, PAM_RHOST));
	for (int i = 0; r == 0 && i < a->nforward; i++)
		r = ecs_helper_proto_put_str(req, ECS_HELPER_PROTO_CONF_ARG, a->forward[i]);
	return r;
}

/* The user's uid and gid as this application resolves them. The helper runs with an empty
 * environment and may not see the same NSS setup (an nss_wrapper, say), so the ids travel
 * with the request; the helper still cross-checks them against its own lookup. */
static int
put_ids(pam_handle_t *pamh, const char *user, struct ecs_buf *req)
{
	const struct passwd *pw = pam_modutil_getpwnam(pamh, user);
	char num[24];
	int r;

	if (pw == NULL) {
		pam_syslog(pamh, LOG_ERR, "user %s: unknown to the system", user);
		return -ECS_EREJECT;
	}
	snprintf(num, sizeof(num), "%lu", (unsigned long)pw->pw_uid);
	r = ecs_helper_proto_put_str(req, ECS_HELPER_PROTO_UID, num);
	snprintf(num, sizeof(num), "%lu", (unsigned long)pw->pw_gid);
	if (r == 0)
		r = ecs_helper_proto_put_str(req, ECS_HELPER_PROTO_GID, num);
	return r;
}

/* Tell the user why, unless the application asked for silence (PAM_SILENT): sudo -n and
 * the like pass it so that nothing but the outcome reaches the terminal. */
static void
tell_user(pam_handle_t *pamh, int flags, const char *msg)
{
	if (!(flags & PAM_SILENT))
		pam_error(pamh, "%s", msg);
}

/* Run a verb and parse its answer. The helper's message, if any, is shown to the user on
 * failure. 0 or the helper's verdict; *rep is filled (or empty) either way. */
static int
call_helper(pam_handle_t *pamh, int flags, const char *verb, const struct ecs_buf *req,
	    struct ecs_helper_reply *rep)
{
	struct ecs_buf out;
	int r, pr;

	r = ecs_spawn_helper(pamh, verb, req->data, req->len, ECS_HELPER_TIMEOUT, &out);
	pr = ecs_reply_parse(out.data, out.len, rep);
	ecs_buf_free(&out);
	if (pr < 0) {
		pam_syslog(pamh, LOG_ERR, "helper %s: malformed reply", verb);
		if (r == 0)
			r = -EBADMSG;
	}
	if (r < 0 && rep->message != NULL)
		tell_user(pamh, flags, rep->message);
	return r;
}

static int
random_token(char out[TOKEN_LEN + 1])
{
	uint8_t b[TOKEN_LEN / 2];

	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b))
		return -EIO;
	for (size_t i = 0; i < sizeof(b); i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
	return 0;
}

/* One round trip of the auth verb, with the chosen role once there is one (0 = none). */
static int
auth_round(pam_handle_t *pamh, int flags, const struct ecs_pam_args *a, const char *user,
	   const struct ecs_buf *response, unsigned choice, struct ecs_helper_reply *rep)
{
	struct ecs_buf req;
	char num[16];
	int r;

	r = request_begin(pamh, a, user, &req);
	if (r == 0)
		r = ecs_helper_proto_put(&req, ECS_HELPER_PROTO_RESPONSE, response->data, response->len);
	if (r == 0 && choice > 0) {
		snprintf(num, sizeof(num), "%u", choice);
		r = ecs_helper_proto_put_str(&req, ECS_HELPER_PROTO_ROLE_CHOICE, num);
	}
	if (r == 0)
		r = ecs_helper_proto_end(&req);
	if (r == 0)
		r = call_helper(pamh, flags, "auth", &req, rep);
	ecs_buf_free(&req);
	return r;
}

int
ecs_action_authenticate(pam_handle_t *pamh, int flags, const struct ecs_pam_args *a)
{
	struct ecs_helper_reply rep = { 0 };
	struct ecs_buf response = { 0 };
	char msg[ECS_CONV_MSGSZ];
	char env[sizeof(ECS_ENV_TICKET) + TOKEN_LEN + 1];
	const char *user = NULL;
	unsigned choice = 0;
	int r;

	r = get_user(pamh, &user);
	if (r < 0)
		goto out;
	pam_fail_delay(pamh, 2000000);
	r = ecs_conv_get_response(pamh, a->conv_timeout, &response, msg);
	if (r == -ECS_EPROTO) {
		tell_user(pamh, flags, msg);
		pam_syslog(pamh, LOG_NOTICE, "conversation with %s failed: %s", user, msg);
	}
	if (r < 0)
		goto out;

	r = auth_round(pamh, flags, a, user, &response, 0, &rep);
	if (r == 0 && rep.ticket == NULL && rep.nroles >= 2) {
		/* The helper consumed nothing yet: it does so only on the round with a choice. */
		r = ecs_conv_choose_role(pamh, a->conv_timeout, (const char *const *)rep.roles,
					 rep.nroles, &choice, msg);
		if (r == -ECS_EPROTO)
			tell_user(pamh, flags, msg);
		ecs_reply_free(&rep);
		if (r == 0)
			r = auth_round(pamh, flags, a, user, &response, choice, &rep);
	}
	if (r < 0)
		goto out;
	if (rep.ticket == NULL) {
		pam_syslog(pamh, LOG_ERR, "helper auth: success without a ticket");
		r = -EBADMSG;
		goto out;
	}
	snprintf(env, sizeof(env), "%s=%s", ECS_ENV_TICKET, rep.ticket);
	if (pam_putenv(pamh, env) != PAM_SUCCESS) {
		r = -ENOMEM;
		goto out;
	}
	if (a->debug)
		pam_syslog(pamh, LOG_DEBUG, "authenticated %s; ticket handed to the session", user);
out:
	ecs_buf_free(&response);
	ecs_reply_free(&rep);
	ECS_WIPE_OBJ(msg);
	return r;
}

static void
cleanup_session_data(pam_handle_t *pamh, void *data, int error_status)
{
	free(data);
}

/* Export the session's variables; on failure the ones already set are removed again. */
static int
export_session(pam_handle_t *pamh, const struct ecs_helper_reply *rep, const char *tag)
{
	const char *values[] = { rep->cred_file, rep->config_file, rep->region, rep->expiration,
				 tag };
	char env[4200];
	int r = 0;

	for (size_t i = 0; r == 0 && i < sizeof(aws_vars) / sizeof(aws_vars[0]); i++) {
		if (values[i] == NULL) {
			r = -EBADMSG;
			break;
		}
		snprintf(env, sizeof(env), "%s=%s", aws_vars[i], values[i]);
		if (pam_putenv(pamh, env) != PAM_SUCCESS)
			r = -ENOMEM;
	}
	if (r < 0)
		for (size_t i = 0; i < sizeof(aws_vars) / sizeof(aws_vars[0]); i++)
			pam_putenv(pamh, aws_vars[i]);
	return r;
}

int
ecs_action_open_session(pam_handle_t *pamh, int flags, const struct ecs_pam_args *a)
{
	struct ecs_helper_reply rep = { 0 };
	struct ecs_buf req = { 0 };
	struct session_data *sd = NULL;
	char ticket[TOKEN_LEN + 1];
	const char *user = NULL, *env;
	int r;

	env = pam_getenv(pamh, ECS_ENV_TICKET);
	if (env == NULL)
		return -ENODATA;
	r = ecs_name_token_ok(env) ? 0 : -ECS_ETICKET;
	if (r == 0)
		memcpy(ticket, env, sizeof(ticket));
	/* Whatever happens next, the ticket id must not reach the user's environment. */
	pam_putenv(pamh, ECS_ENV_TICKET);
	if (r < 0) {
		pam_syslog(pamh, LOG_ERR, "malformed %s in the PAM environment", ECS_ENV_TICKET);
		goto out;
	}
	r = get_user(pamh, &user);
	if (r < 0)
		goto out;
	sd = calloc(1, sizeof(*sd));
	if (sd == NULL) {
		r = -ENOMEM;
		goto out;
	}
	sd->pid = getpid();
	r = random_token(sd->tag);
	if (r < 0)
		goto out;
	r = request_begin(pamh, a, user, &req);
	if (r == 0)
		r = put_ids(pamh, user, &req);
	if (r == 0)
		r = ecs_helper_proto_put_str(&req, ECS_HELPER_PROTO_TICKET, ticket);
	if (r == 0)
		r = ecs_helper_proto_put_str(&req, ECS_HELPER_PROTO_TAG, sd->tag);
	if (r == 0)
		r = ecs_helper_proto_end(&req);
	if (r == 0)
		r = call_helper(pamh, flags, "session-open", &req, &rep);
	if (r < 0) {
		pam_syslog(pamh, LOG_ERR, "session for %s not opened: %s", user,
			   rep.message != NULL ? rep.message : ecs_strerror(r));
		goto out;
	}
	r = export_session(pamh, &rep, sd->tag);
	if (r < 0)
		goto out;
	if (pam_set_data(pamh, SESSION_DATA, sd, cleanup_session_data) != PAM_SUCCESS) {
		r = -ENOMEM;
		goto out;
	}
	sd = NULL;	/* owned by libpam now */
	if (a->debug)
		pam_syslog(pamh, LOG_DEBUG, "session credentials for %s in %s", user, rep.cred_file);
out:
	free(sd);
	ecs_buf_free(&req);
	ecs_reply_free(&rep);
	return r;
}

int
ecs_action_close_session(pam_handle_t *pamh, int flags, const struct ecs_pam_args *a)
{
	struct ecs_helper_reply rep = { 0 };
	struct ecs_buf req = { 0 };
	const void *data = NULL;
	const struct session_data *sd;
	const char *user = NULL, *tag = NULL;
	char tagcopy[TOKEN_LEN + 1];
	int r;

	if (pam_get_data(pamh, SESSION_DATA, &data) == PAM_SUCCESS && data != NULL) {
		sd = data;
		if (sd->pid == getpid())
			tag = sd->tag;
	}
	if (tag == NULL)
		tag = pam_getenv(pamh, ECS_ENV_SESSION);
	if (tag == NULL)
		return -ENODATA;
	if (!ecs_name_token_ok(tag)) {
		pam_syslog(pamh, LOG_ERR, "malformed %s in the PAM environment", ECS_ENV_SESSION);
		return -ECS_ETICKET;
	}
	memcpy(tagcopy, tag, sizeof(tagcopy));
	r = get_user(pamh, &user);
	if (r == 0)
		r = request_begin(pamh, a, user, &req);
	if (r == 0)
		r = put_ids(pamh, user, &req);
	if (r == 0)
		r = ecs_helper_proto_put_str(&req, ECS_HELPER_PROTO_TAG, tagcopy);
	if (r == 0)
		r = ecs_helper_proto_end(&req);
	if (r == 0)
		r = call_helper(pamh, flags, "session-close", &req, &rep);
	if (r < 0)
		pam_syslog(pamh, LOG_ERR, "session %s of %s not closed cleanly: %s", tagcopy,
			   user != NULL ? user : "?",
			   rep.message != NULL ? rep.message : ecs_strerror(r));
	else if (a->debug)
		pam_syslog(pamh, LOG_DEBUG, "session %s of %s closed", tagcopy, user);
	/* the session is over for this handle whatever the helper said: a second close must
	 * not act on it again, and gc sweeps what a failed close left */
	for (size_t i = 0; i < sizeof(aws_vars) / sizeof(aws_vars[0]); i++)
		pam_putenv(pamh, aws_vars[i]);
	pam_set_data(pamh, SESSION_DATA, NULL, NULL);
	ecs_buf_free(&req);
	ecs_reply_free(&rep);
	return r;
}
