/* verb_unknown_user.c — `ecs-saml-helper unknown-user`: why does the PAM application not
 * know the user who is logging in?
 *
 * Request: USER, SERVICE, RHOST?, CONF_ARG*      Reply: MESSAGE; always a refusal (exit 1).
 *
 * sshd treats a name NSS cannot resolve as an invalid user: it still runs PAM, but feeds
 * the module a fixed wrong answer in place of whatever the user sends, so such a login can
 * only fail, and the user would read a message about their Response. The module runs this
 * verb when the first answer is that stand-in and the application does not know the user.
 * It follows a lookup's path through this host and names the first thing missing, for the
 * user (who can fix it) and in the log (what is wrong, under one CODE):
 *   - this process's own NSS finds the user: the application does not see what the host
 *     sees (nscd's cached "no such user", a chroot)            -> nss-unseen
 *   - /etc/nsswitch.conf has no ecs_saml on its passwd line    -> nsswitch
 *   - libnss_ecs_saml.so.2 does not load                       -> nss-module-missing
 *   - the configuration file the NSS module reads (always the compiled-in path: module
 *     arguments never reach NSS) does not load                 -> its config-* CODE
 *   - no user map (`ecs-saml-helper users init`), or a bad one -> usermap-missing, -corrupt
 *   - the name is not in the map and nss_first_login does not take it -> user-unknown,
 *     or takes it but its derived UID is held                  -> user-unknown (says so)
 * Telling an unknown name apart from a known one leaks little here: which names a bastion
 * takes is its nss_first_login rule and its map of who has logged in. */
#include <dlfcn.h>
#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "ecs_err.h"
#include "ecs_io.h"
#include "ecs_names.h"
#include "ecs_str.h"
#include "ecs_usermap.h"
#include "ecs_usermap_uid.h"
#include "refusal.h"
#include "ecs_nsswitch.h"
#include "request.h"
#include "usermap_file.h"
#include "verbs.h"

#define REQUIRED (ECS_REQ_BIT(ECS_HELPER_PROTO_USER) | ECS_REQ_BIT(ECS_HELPER_PROTO_SERVICE))
#define ALLOWED (REQUIRED | ECS_REQ_BIT(ECS_HELPER_PROTO_RHOST) | \
		 ECS_REQ_BIT(ECS_HELPER_PROTO_CONF_ARG))

#ifndef ECS_NSSWITCH_PATH
#define ECS_NSSWITCH_PATH "/etc/nsswitch.conf"
#endif
#define NSS_LIBRARY "libnss_ecs_saml.so.2"
#define NSS_SERVICE "ecs_saml"
#define NSSWITCH_MAX 65536

/* One diagnosis: a CODE and the detail for the log. */
struct finding {
	const char *code;
	char why[400];
};

static bool __attribute__((format(printf, 3, 4)))
found(struct finding *f, const char *code, const char *fmt, ...)
{
	va_list ap;

	f->code = code;
	va_start(ap, fmt);
	vsnprintf(f->why, sizeof(f->why), fmt, ap);
	va_end(ap);
	return true;
}

static bool
check_nsswitch(struct finding *f)
{
	struct ecs_buf text;
	FILE *fp;
	bool bad;
	int r;

	fp = fopen(ECS_NSSWITCH_PATH, "re");
	if (fp == NULL)
		return found(f, ECS_MISCONF_NSSWITCH, "%s: %s (glibc then uses files only)",
			     ECS_NSSWITCH_PATH, strerror(errno));
	ecs_buf_init(&text, NSSWITCH_MAX);
	r = ecs_read_all(fileno(fp), &text);
	fclose(fp);
	if (r == 0)
		r = ecs_buf_append(&text, "", 1);
	bad = r < 0 || !ecs_nsswitch_has((const char *)text.data, "passwd", NSS_SERVICE);
	ecs_buf_free(&text);
	if (r < 0)
		return found(f, ECS_MISCONF_NSSWITCH, "%s: unreadable: %s", ECS_NSSWITCH_PATH,
			     ecs_strerror(r));
	if (bad)
		return found(f, ECS_MISCONF_NSSWITCH, "%s: the passwd line does not list %s",
			     ECS_NSSWITCH_PATH, NSS_SERVICE);
	return false;
}

/* glibc loads the module by this name from the library path; so does this check. */
static bool
check_module(struct finding *f)
{
	void *h = dlopen(NSS_LIBRARY, RTLD_LAZY | RTLD_LOCAL);

	if (h == NULL)
		return found(f, ECS_MISCONF_NSS_MODULE, "%s", dlerror());
	dlclose(h);
	return false;
}

/* The name against the map and the first-login rule, as the NSS module judges it. */
static bool
check_name(const struct ecs_conf *c, const char *user, struct finding *f)
{
	struct ecs_buf image;
	struct ecs_usermap db;
	struct ecs_usermap_user u;
	struct ecs_usermap_uidref ref;
	char why[256] = "";
	regex_t re;
	uint32_t uid;
	bool matches;
	int r;

	r = ecs_usermap_read(c, &image, &db, why, sizeof(why));
	if (r == -ENOENT)
		return found(f, ECS_MISCONF_USERMAP_MISSING,
			     "%s: no user map (run `ecs-saml-helper users init`)", why);
	if (r < 0)
		return found(f, ECS_MISCONF_USERMAP_CORRUPT, "%s", why);
	r = ecs_usermap_find_name(&db, user, &u);
	if (r == 0) {
		ecs_buf_free(&image);
		return false;	/* mapped: the NSS module answers for it */
	}
	if (c->nss_first_login == NULL || c->nss_first_login[0] == '\0') {
		ecs_buf_free(&image);
		return found(f, ECS_MISCONF_USER_UNKNOWN, "not in the user map, and "
			     "nss_first_login is off (`ecs-saml-helper users pin` adds a user)");
	}
	matches = ecs_name_rule_compile(c->nss_first_login, &re) == 0;
	if (matches) {
		matches = ecs_name_rule_match(&re, user);
		regfree(&re);
	}
	if (!matches) {
		ecs_buf_free(&image);
		return found(f, ECS_MISCONF_USER_UNKNOWN, "not in the user map, and does not "
			     "match nss_first_login %s", c->nss_first_login);
	}
	r = ecs_usermap_derive_uid(user, c->nss_uid_min, c->nss_uid_max, &uid);
	if (r == 0)
		r = ecs_usermap_find_uid(&db, uid, &ref, NULL);
	ecs_buf_free(&image);
	if (r == 0)
		return found(f, ECS_MISCONF_USER_UNKNOWN, "matches nss_first_login, but its "
			     "derived UID %u is held by %s%s (`ecs-saml-helper users pin` gives "
			     "it another)", (unsigned)uid, ref.name, ref.retired ? " (retired)" : "");
	return false;
}

static void
diagnose(const char *user, struct finding *f)
{
	struct passwd pw, *res = NULL;
	struct ecs_conf c;
	char buf[4096], err[ECS_CONF_ERRSZ] = "";
	int r;

	if (getpwnam_r(user, &pw, buf, sizeof(buf), &res) == 0 && res != NULL) {
		found(f, ECS_MISCONF_NSS_UNSEEN, "this host's NSS resolves %s (uid %u), the PAM "
		      "application did not: nscd's negative cache (nscd -i passwd), or the "
		      "application runs with another NSS setup", user, (unsigned)pw.pw_uid);
		return;
	}
	if (check_nsswitch(f) || check_module(f))
		return;
	/* what the NSS module loads: the file alone, module arguments never reach it */
	r = ecs_conf_load(&c, ECS_CONF_PATH, NULL, 0, err, sizeof(err));
	if (r < 0)
		found(f, c.err_code != NULL ? c.err_code : ECS_CONF_E_VALUE,
		      "the NSS module cannot load its configuration: %s",
		      err[0] != '\0' ? err : ecs_strerror(r));
	else if (!check_name(&c, user, f))
		found(f, ECS_MISCONF_USER_UNKNOWN, "the NSS module does not answer for %s, for "
		      "no reason found here (`ecs-saml-helper users show %s`)", user, user);
	ecs_conf_free(&c);
}

int
ecs_verb_unknown_user(int argc, char **argv)
{
	struct ecs_request rq = { 0 };
	struct ecs_buf reply;
	struct finding f = { 0 };
	int r;

	r = ecs_reply_begin(&reply);
	if (r == 0)
		r = ecs_request_read(argc, argv, REQUIRED, ALLOWED, &rq);
	if (r == 0) {
		diagnose(rq.user, &f);
		ecs_refuse(&reply, &rq, "auth", LOG_ERR, f.code, "user unknown to %s: %s",
			   rq.service, f.why);
		r = -ECS_EREJECT;
	}
	ecs_reply_send(&reply);
	ecs_request_free(&rq);
	return r;
}
