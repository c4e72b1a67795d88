/* pw_fail.so — LD_PRELOAD stand-in for a remote account source that cannot be reached:
 * getpwnam_r and getpwuid_r fail with EHOSTUNREACH, the way glibc passes on the errno of an
 * NSS module (LDAP, SSSD) that answered UNAVAIL. Suite 40 runs the user-map writer under it
 * to show that "could not check" refuses the login instead of reading as "no such account". */
#include <errno.h>
#include <pwd.h>
#include <stddef.h>

#define PW_FAIL_EXPORT __attribute__((visibility("default")))

PW_FAIL_EXPORT int
getpwnam_r(const char *name, struct passwd *pw, char *buf, size_t len, struct passwd **res)
{
	*res = NULL;
	return EHOSTUNREACH;
}

PW_FAIL_EXPORT int
getpwuid_r(uid_t uid, struct passwd *pw, char *buf, size_t len, struct passwd **res)
{
	*res = NULL;
	return EHOSTUNREACH;
}
