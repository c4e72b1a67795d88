/* libnss_ecsdir.so.2 — NSS source "ecsdir", a stand-in for a directory service (sss, ldap)
 * that nsswitch.conf lists AFTER ecs_saml. It knows one account, dirana (UID 5100), and
 * nothing else; no file, no network, no configuration. Suite 41 lists it as
 * "passwd: files ecs_saml ecsdir" to show that the first-login rule does not shadow an
 * account of a source behind the module. */
#include <errno.h>
#include <nss.h>
#include <pwd.h>
#include <string.h>
#include <sys/types.h>

#define DIR_EXPORT __attribute__((visibility("default")))

static const struct {
	const char *name, *gecos, *dir, *shell;
	uid_t uid;
	gid_t gid;
} acct = { "dirana", "directory stand-in", "/home/dirana", "/bin/sh", 5100, 5100 };

DIR_EXPORT enum nss_status _nss_ecsdir_getpwnam_r(const char *, struct passwd *, char *,
						    size_t, int *);
DIR_EXPORT enum nss_status _nss_ecsdir_getpwuid_r(uid_t, struct passwd *, char *, size_t,
						    int *);

/* Copy s into buf at *off; NULL when it does not fit. */
static char *
put(char *buf, size_t len, size_t *off, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = buf + *off;

	if (n > len - *off)
		return NULL;
	memcpy(p, s, n);
	*off += n;
	return p;
}

static enum nss_status
fill(struct passwd *pw, char *buf, size_t len, int *errnop)
{
	size_t off = 0;

	pw->pw_name = put(buf, len, &off, acct.name);
	pw->pw_passwd = put(buf, len, &off, "x");
	pw->pw_gecos = put(buf, len, &off, acct.gecos);
	pw->pw_dir = put(buf, len, &off, acct.dir);
	pw->pw_shell = put(buf, len, &off, acct.shell);
	if (pw->pw_name == NULL || pw->pw_passwd == NULL || pw->pw_gecos == NULL ||
	    pw->pw_dir == NULL || pw->pw_shell == NULL) {
		*errnop = ERANGE;
		return NSS_STATUS_TRYAGAIN;
	}
	pw->pw_uid = acct.uid;
	pw->pw_gid = acct.gid;
	return NSS_STATUS_SUCCESS;
}

enum nss_status
_nss_ecsdir_getpwnam_r(const char *name, struct passwd *pw, char *buf, size_t len, int *errnop)
{
	if (name == NULL || strcmp(name, acct.name) != 0) {
		*errnop = ENOENT;
		return NSS_STATUS_NOTFOUND;
	}
	return fill(pw, buf, len, errnop);
}

enum nss_status
_nss_ecsdir_getpwuid_r(uid_t uid, struct passwd *pw, char *buf, size_t len, int *errnop)
{
	if (uid != acct.uid) {
		*errnop = ENOENT;
		return NSS_STATUS_NOTFOUND;
	}
	return fill(pw, buf, len, errnop);
}
