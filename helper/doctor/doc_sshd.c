/* doc_sshd.c — sshd's configuration as sshd itself resolves it (`sshd -T`), globally and for
 * a federated user (`sshd -T -C user=NAME,...`, so Match Group ecs-saml applies): PAM on,
 * keyboard-interactive offered, the authentication methods, and a LoginGraceTime that
 * outlasts the module's own budget. Without a federated user in the map yet, the file scan
 * the periodic sweep uses (sshd_check.h) stands in for the per-user view. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>

#include "doctor.h"
#include "ecs_err.h"
#include "sshd_check.h"

#define SSHD_BIN "/usr/sbin/sshd"
#define SSHD_TIMEOUT_MS 5000
#define SSHD_OUT_MAX 65536
#define CONV_TIMEOUT_DEFAULT 60	/* the module's (pam_args.h) */
#define GRACE_SLACK 10		/* seconds sshd needs beside the conversation: key exchange,
				 * the helper's check, a role choice */

/* The value of keyword kw (sshd -T prints them lowercase, one per line), or "". */
static void
value_of(const char *out, const char *kw, char *val, size_t valsz)
{
	size_t n = strlen(kw);
	const char *p = out, *end;

	val[0] = '\0';
	while (*p) {
		end = strchrnul(p, '\n');
		if (strncmp(p, kw, n) == 0 && p[n] == ' ') {
			snprintf(val, valsz, "%.*s", (int)(end - p - n - 1), p + n + 1);
			return;
		}
		p = *end ? end + 1 : end;
	}
}

/* sshd -T [-f CONFIG] [-C SPEC] into out. 0, or a finding added and -1. */
static int
sshd_t(struct ecs_doc *d, const char *spec, char *out, size_t outsz)
{
	char *argv[8];
	int n = 0, status = 0, r;

	argv[n++] = (char *)SSHD_BIN;
	argv[n++] = (char *)"-T";
	if (d->sshd_config) {
		argv[n++] = (char *)"-f";
		argv[n++] = (char *)d->sshd_config;
	}
	if (spec) {
		argv[n++] = (char *)"-C";
		argv[n++] = (char *)spec;
	}
	argv[n] = NULL;
	r = ecs_doc_run_prog(argv, SSHD_TIMEOUT_MS, out, outsz, &status);
	if (r == -ENOENT) {
		ecs_doc_add(d, ECS_DOC_FAIL, "sshd-missing", "apt install openssh-server",
			    SSHD_BIN " is not installed");
		return -1;
	}
	if (r < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		out[strcspn(out, "\n")] = '\0';
		ecs_doc_add(d, ECS_DOC_FAIL, "sshd-config-invalid", "run sshd -t and correct "
			    "what it names", "sshd -T%s%s failed: %s", spec ? " -C " : "",
			    spec ? spec : "", r < 0 ? ecs_strerror(r) : out);
		return -1;
	}
	return 0;
}

static void
check_grace(struct ecs_doc *d, const char *out)
{
	unsigned conv = d->conv_timeout ? d->conv_timeout : CONV_TIMEOUT_DEFAULT;
	char val[64];
	unsigned long grace;

	value_of(out, "logingracetime", val, sizeof(val));
	grace = strtoul(val, NULL, 10);
	if (grace == 0)
		ecs_doc_add(d, ECS_DOC_WARN, "sshd-login-grace", "set LoginGraceTime 90 "
			    "(pam.d/sshd_config.d/50-pam_ecs_saml.conf)", "LoginGraceTime is 0 "
			    "(no limit): an abandoned login holds a connection slot for ever");
	else if (grace <= conv)
		ecs_doc_add(d, ECS_DOC_FAIL, "sshd-login-grace", "raise LoginGraceTime above "
			    "conv_timeout + 10 s, or lower conv_timeout= in the PAM stack",
			    "LoginGraceTime %lu s is not longer than the module's conversation "
			    "budget (conv_timeout %u s): sshd cuts a slow paste off without a reason",
			    grace, conv);
	else if (grace < conv + GRACE_SLACK)
		ecs_doc_add(d, ECS_DOC_WARN, "sshd-login-grace", "raise LoginGraceTime to "
			    "conv_timeout + 30 s (90 with the default 60)", "LoginGraceTime %lu s "
			    "leaves less than %u s beyond conv_timeout %u s for the key exchange "
			    "and the helper", grace, GRACE_SLACK, conv);
	else
		ecs_doc_add(d, ECS_DOC_OK, "sshd-login-grace", NULL, "LoginGraceTime %lu s "
			    "outlasts conv_timeout %u s", grace, conv);
}

/* The authentication methods a federated user gets: keyboard-interactive in some list, or
 * no way in; a list without it is a way around the Response. */
static void
check_methods(struct ecs_doc *d, const char *out)
{
	char val[512], *list, *save = NULL;
	bool with = false, without = false;

	value_of(out, "authenticationmethods", val, sizeof(val));
	if (val[0] == '\0' || strcmp(val, "any") == 0) {
		ecs_doc_add(d, ECS_DOC_WARN, "sshd-auth-methods", "set AuthenticationMethods "
			    "keyboard-interactive in Match Group ecs-saml (the shipped drop-in)",
			    "%s may authenticate with any method sshd allows, not only a SAML "
			    "Response", d->fed_user);
		return;
	}
	for (list = strtok_r(val, " ", &save); list; list = strtok_r(NULL, " ", &save)) {
		if (strstr(list, "keyboard-interactive"))
			with = true;
		else
			without = true;
	}
	if (!with)
		ecs_doc_add(d, ECS_DOC_FAIL, "sshd-auth-methods", "set AuthenticationMethods "
			    "keyboard-interactive in Match Group ecs-saml", "AuthenticationMethods "
			    "for %s never includes keyboard-interactive: no Response can be asked "
			    "for", d->fed_user);
	else if (without)
		ecs_doc_add(d, ECS_DOC_WARN, "sshd-auth-methods", "keep only "
			    "keyboard-interactive for Match Group ecs-saml", "AuthenticationMethods "
			    "for %s has a list without keyboard-interactive: a way in without a "
			    "Response", d->fed_user);
	else
		ecs_doc_add(d, ECS_DOC_OK, "sshd-auth-methods", NULL, "AuthenticationMethods for "
			    "%s requires keyboard-interactive", d->fed_user);
}

static void
check_user(struct ecs_doc *d, char *out, size_t outsz)
{
	char spec[128], val[64], why[512];
	const char *code = NULL;

	if (!d->fed_user[0]) {
		/* without a federated name sshd cannot evaluate Match Group: read the files */
		if (ecs_sshd_check(d->sshd_config ? d->sshd_config : ECS_SSHD_CONFIG_PATH, &code,
				   why, sizeof(why)) == 0 && code)
			ecs_doc_add(d, ECS_DOC_FAIL, code, "see pam.d/sshd_config.d/"
				    "50-pam_ecs_saml.conf", "%s", why);
		ecs_doc_add(d, ECS_DOC_WARN, "sshd-match-unchecked", "run doctor again after the "
			    "first federated login", "no federated user in the map yet: the "
			    "settings of Match Group ecs-saml are not checked");
		return;
	}
	snprintf(spec, sizeof(spec), "user=%s,host=localhost,addr=127.0.0.1", d->fed_user);
	if (sshd_t(d, spec, out, outsz) < 0)
		return;
	value_of(out, "kbdinteractiveauthentication", val, sizeof(val));
	if (strcmp(val, "yes") != 0)
		ecs_doc_add(d, ECS_DOC_FAIL, ECS_SSHD_KBDINT, "set KbdInteractiveAuthentication "
			    "yes in Match Group ecs-saml (pam.d/sshd_config.d/50-pam_ecs_saml.conf)",
			    "KbdInteractiveAuthentication is %s for %s: the module can never ask "
			    "for a Response", val[0] ? val : "unset", d->fed_user);
	else
		ecs_doc_add(d, ECS_DOC_OK, ECS_SSHD_KBDINT, NULL, "keyboard-interactive is "
			    "offered to %s", d->fed_user);
	check_methods(d, out);
}

int
ecs_doc_check_sshd(struct ecs_doc *d)
{
	char val[64], *out;

	out = malloc(SSHD_OUT_MAX);
	if (!out)
		return -ENOMEM;
	if (sshd_t(d, NULL, out, SSHD_OUT_MAX) < 0)
		goto out;
	value_of(out, "usepam", val, sizeof(val));
	if (strcmp(val, "yes") != 0)
		ecs_doc_add(d, ECS_DOC_FAIL, ECS_SSHD_NO_PAM, "set UsePAM yes", "sshd's UsePAM "
			    "is %s: sshd never runs PAM, so no federated user can log in",
			    val[0] ? val : "unset");
	else
		ecs_doc_add(d, ECS_DOC_OK, "sshd-use-pam", NULL, "sshd runs PAM (UsePAM yes)");
	check_grace(d, out);
	check_user(d, out, SSHD_OUT_MAX);
out:
	free(out);
	return 0;
}
