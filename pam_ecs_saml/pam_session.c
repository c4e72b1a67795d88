/* pam_session.c — the session flows: open (redeem the ticket, export the credentials'
 * variables) and close (end the session, remove the variables).
 *
 * Session open consumes the ticket id auth left in the PAM environment and removes the
 * variable before the shell could see it. It never prompts. Without a ticket the session is
 * none of the module's business (PAM_IGNORE: a public-key login), unless the service says
 * it needs one (require_ticket): sudo with its credential cache on opens the session
 * without authenticating at all, and the step-up would then be granted with no Response.
 * The session tag is the helper's (it names the session's record and credential
 * directory): the module keeps it with pam_set_data and in the environment, and hands it
 * back at close. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <security/pam_ext.h>

#include "ecs_err.h"
#include "ecs_helper_proto.h"
#include "ecs_misconf.h"
#include "ecs_names.h"
#include "pam_auth.h"
#include "pam_helper_call.h"
#include "pam_log.h"
#include "pam_session.h"

#define SESSION_DATA "pam_ecs_saml_session"
#define TOKEN_LEN ECS_NAME_TOKEN_LEN

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

#define NVARS (sizeof(aws_vars) / sizeof(aws_vars[0]))

static void
unset_vars(pam_handle_t *pamh)
{
	for (size_t i = 0; i < NVARS; i++)
		pam_putenv(pamh, aws_vars[i]);
}

static void
cleanup_session_data(pam_handle_t *pamh, void *data, int error_status)
{
	free(data);
}

/* Export the session's variables; on failure the ones already set are removed again. */
static int
export_session(pam_handle_t *pamh, const struct ecs_helper_reply *rep)
{
	const char *values[] = { rep->cred_file, rep->config_file, rep->region, rep->expiration,
				 rep->tag };
	char env[4200];
	int r = 0;

	for (size_t i = 0; r == 0 && i < NVARS; i++) {
		if (values[i] == NULL) {
			r = -EBADMSG;
			break;
		}
		snprintf(env, sizeof(env), "%s=%s", aws_vars[i], values[i]);
		if (pam_putenv(pamh, env) != PAM_SUCCESS)
			r = -ENOMEM;
	}
	if (r < 0)
		unset_vars(pamh);
	return r;
}

/* require_ticket, and this transaction's authentication left no ticket (or none ran): the
 * user hears what is wrong and who fixes it, the log the CODE. Always -ECS_ETICKET. */
static int
refuse_no_ticket(pam_handle_t *pamh, int flags)
{
	char text[ECS_MISCONF_TEXTSZ];
	const char *user = NULL, *t;

	if (ecs_call_user(pamh, &user) < 0)
		user = "?";
	ecs_pam_log(pamh, LOG_ERR, "session refused", "user", user, "service",
		    ecs_call_item(pamh, PAM_SERVICE), "code", ECS_MISCONF_NO_TICKET, "reason",
		    "no login ticket from an authentication in this PAM transaction, and "
		    "require_ticket is set (sudo with its credential cache on skips "
		    "authentication: timestamp_timeout=0)", (char *)NULL);
	t = ecs_misconf_text(ECS_MISCONF_NO_TICKET, text, sizeof(text));
	if (t != NULL)
		ecs_call_tell_user(pamh, flags, t);
	return -ECS_ETICKET;
}

int
ecs_pam_open_session(pam_handle_t *pamh, int flags, const struct ecs_pam_args *a)
{
	struct ecs_helper_reply rep = { 0 };
	struct ecs_buf req = { 0 };
	struct session_data *sd = NULL;
	char ticket[TOKEN_LEN + 1];
	const char *user = NULL, *env;
	int r;

	env = pam_getenv(pamh, ECS_ENV_TICKET);
	if (env == NULL)
		return a->require_ticket ? refuse_no_ticket(pamh, flags) : -ENODATA;
	r = ecs_name_token_ok(env) ? 0 : -ECS_ETICKET;
	if (r == 0)
		memcpy(ticket, env, sizeof(ticket));
	/* Whatever happens next, the ticket id must not reach the user's environment. */
	pam_putenv(pamh, ECS_ENV_TICKET);
	if (r < 0) {
		ecs_pam_log(pamh, LOG_ERR, "malformed PAM environment variable", "name",
			    ECS_ENV_TICKET, (char *)NULL);
		goto out;
	}
	r = ecs_call_user(pamh, &user);
	if (r < 0)
		goto out;
	sd = calloc(1, sizeof(*sd));
	if (sd == NULL) {
		r = -ENOMEM;
		goto out;
	}
	sd->pid = getpid();
	r = ecs_call_begin(pamh, a, user, &req);
	if (r == 0)
		r = ecs_call_put_ids(pamh, user, &req);
	if (r == 0)
		r = ecs_helper_proto_put_str(&req, ECS_HELPER_PROTO_TICKET, ticket);
	if (r == 0)
		r = ecs_helper_proto_end(&req);
	if (r == 0)
		r = ecs_call_helper(pamh, flags, a, "session-open", &req, &rep);
	if (r < 0) {
		ecs_pam_log(pamh, LOG_ERR, "session not opened", "user", user, "reason",
			    rep.message != NULL ? rep.message : ecs_strerror(r), (char *)NULL);
		goto out;
	}
	/* a reply without its tag is malformed: export_session refuses it (-EBADMSG) */
	r = export_session(pamh, &rep);
	if (r < 0) {
		ecs_pam_log(pamh, LOG_ERR, "incomplete helper reply", "verb", "session-open",
			    (char *)NULL);
		goto out;
	}
	memcpy(sd->tag, rep.tag, sizeof(sd->tag));
	if (pam_set_data(pamh, SESSION_DATA, sd, cleanup_session_data) != PAM_SUCCESS) {
		r = -ENOMEM;
		goto out;
	}
	sd = NULL;	/* owned by libpam now */
	if (a->debug)
		ecs_pam_log(pamh, LOG_DEBUG, "session credentials", "user", user, "file",
			    rep.cred_file, (char *)NULL);
out:
	free(sd);
	ecs_buf_free(&req);
	ecs_reply_free(&rep);
	return r;
}

int
ecs_pam_close_session(pam_handle_t *pamh, int flags, const struct ecs_pam_args *a)
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
		ecs_pam_log(pamh, LOG_ERR, "malformed PAM environment variable", "name",
			    ECS_ENV_SESSION, (char *)NULL);
		return -ECS_ETICKET;
	}
	memcpy(tagcopy, tag, sizeof(tagcopy));
	r = ecs_call_user(pamh, &user);
	if (r == 0)
		r = ecs_call_begin(pamh, a, user, &req);
	if (r == 0)
		r = ecs_call_put_ids(pamh, user, &req);
	if (r == 0)
		r = ecs_helper_proto_put_str(&req, ECS_HELPER_PROTO_TAG, tagcopy);
	if (r == 0)
		r = ecs_helper_proto_end(&req);
	if (r == 0)
		r = ecs_call_helper(pamh, flags, a, "session-close", &req, &rep);
	if (r < 0)
		ecs_pam_log(pamh, LOG_ERR, "session not closed cleanly", "session", tagcopy,
			    "user", user != NULL ? user : "?", "reason",
			    rep.message != NULL ? rep.message : ecs_strerror(r), (char *)NULL);
	else if (a->debug)
		ecs_pam_log(pamh, LOG_DEBUG, "session closed", "session", tagcopy, "user", user,
			    (char *)NULL);
	/* the session is over for this handle whatever the helper said: a second close must
	 * not act on it again, and gc sweeps what a failed close left */
	unset_vars(pamh);
	pam_set_data(pamh, SESSION_DATA, NULL, NULL);
	ecs_buf_free(&req);
	ecs_reply_free(&rep);
	return r;
}
