/* doc_conf.c — the configuration file, read by the loader every program uses: each reason
 * it refuses a file is its CODE, which is the finding's ID. */
#include <errno.h>
#include <string.h>

#include "doctor.h"
#include "ecs_err.h"

/* What the operator does about each of the loader's CODEs (ecs_conf.h). */
static const struct {
	const char *code;
	const char *fix;
} conf_fixes[] = {
	{ ECS_CONF_E_MISSING, "install it from pam.d/pam_ecs_saml.conf.example "
	  "(install -m 0644 -o root -g root), then fill in the IdP, region and sts settings" },
	{ ECS_CONF_E_OWNER, "chown root:root the file" },
	{ ECS_CONF_E_MODE, "chmod 0644 the file" },
	{ ECS_CONF_E_DIR, "every directory above the file must be root's and not writable by "
	  "group or others" },
	{ ECS_CONF_E_SYMLINK, "replace the symbolic link by the file itself" },
	{ ECS_CONF_E_NOT_FILE, "make it a regular file" },
	{ ECS_CONF_E_TOO_LARGE, "shorten the file" },
	{ ECS_CONF_E_UNREADABLE, "check the file system the file is on" },
	{ ECS_CONF_E_PRIVATE, "chmod 0644 the file: the NSS module reads it in every process" },
	{ ECS_CONF_E_SYNTAX, "write each line as key = value (pam_ecs_saml.conf(5))" },
	{ ECS_CONF_E_KEY, "remove or correct the key (pam_ecs_saml.conf(5) lists every key)" },
	{ ECS_CONF_E_REPEATED, "keep one line of the key" },
	{ ECS_CONF_E_VALUE, "correct the value (pam_ecs_saml.conf(5) gives each key's range)" },
	{ ECS_CONF_E_REPLAY_CACHE, "correct replay_cache and the redis_* keys "
	  "(pam_ecs_saml.conf(5))" },
};

static const char *
conf_fix(const char *code)
{
	size_t i;

	for (i = 0; i < sizeof(conf_fixes) / sizeof(conf_fixes[0]); i++)
		if (strcmp(conf_fixes[i].code, code) == 0)
			return conf_fixes[i].fix;
	return "see pam_ecs_saml.conf(5)";
}

int
ecs_doc_check_config(struct ecs_doc *d)
{
	char err[ECS_CONF_ERRSZ];
	const char *code;
	int r;

	r = ecs_conf_load(&d->conf, d->conf_path, NULL, 0, err, sizeof(err));
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		code = d->conf.err_code ? d->conf.err_code : ECS_CONF_E_VALUE;
		ecs_doc_add(d, ECS_DOC_FAIL, code, conf_fix(code), "%s", err);
		return 0;
	}
	d->conf_ok = true;
	ecs_doc_add(d, ECS_DOC_OK, "config", NULL, "%s loads: root's, not writable by others, "
		    "every key known and every value in range", d->conf_path);
	if (strcmp(d->conf_path, ECS_CONF_PATH) != 0)
		ecs_doc_add(d, ECS_DOC_INFO, "config-not-installed", NULL,
			    "%s is not %s, the file the PAM and NSS modules read", d->conf_path,
			    ECS_CONF_PATH);
	return 0;
}
