/* doc_host.c — the host under the product: its clock (the validator's clock_skew is only as
 * good as the time it measures from), the ECS Exec plugin, /proc's hidepid (without it every
 * user sees every other's command lines), and the mandatory access control state. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timex.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "doc_hook.h"
#include "doctor.h"
#include "ecs_err.h"

#define PLUGIN "session-manager-plugin"
#define DEFAULT_PATH "/usr/local/bin:/usr/bin:/bin"
#define TOOL_TIMEOUT_MS 3000

/* The kernel's view (adjtimex): synchronised by some NTP client, and its error bound. */
static int
kernel_clock(bool *synced, long *maxerror_us)
{
	const char *hook = ecs_doc_hook("ADJTIME");
	struct timex tx = { .modes = 0 };
	int state;

	if (hook) {
		*synced = strncmp(hook, "synced", 6) == 0;
		*maxerror_us = *synced ? strtol(hook + 6, NULL, 10) : 16000000;
		return 0;
	}
	state = adjtimex(&tx);
	if (state < 0)
		return -errno;
	*synced = state != TIME_ERROR && !(tx.status & STA_UNSYNC);
	*maxerror_us = tx.maxerror;
	return 0;
}

/* systemd's view, where systemd runs (timedatectl fails at once without it). */
static bool
timedatectl_synced(void)
{
	char *argv[] = { (char *)"/usr/bin/timedatectl", (char *)"show", (char *)"-p",
			 (char *)"NTPSynchronized", (char *)"--value", NULL };
	char out[64];
	int status = 0;

	if (ecs_doc_hook("ADJTIME"))
		return false;
	return ecs_doc_run_prog(argv, TOOL_TIMEOUT_MS, out, sizeof(out), &status) == 0 &&
	       WIFEXITED(status) && WEXITSTATUS(status) == 0 && strncmp(out, "yes", 3) == 0;
}

int
ecs_doc_check_clock(struct ecs_doc *d)
{
	bool synced = false;
	long maxerr = 0;
	int r;

	r = kernel_clock(&synced, &maxerr);
	if (r < 0 || !synced) {
		if (timedatectl_synced()) {
			ecs_doc_add(d, ECS_DOC_OK, "clock", NULL, "systemd-timedated says the clock "
				    "is synchronised");
			return 0;
		}
		ecs_doc_add(d, ECS_DOC_WARN, "clock-unsynced", "run a time service "
			    "(systemd-timesyncd or chrony) against your NTP servers", "the clock "
			    "is not synchronised (the kernel says so, and no timedatectl says "
			    "otherwise): Responses are checked against it with clock_skew %u s",
			    d->conf.clock_skew);
		return 0;
	}
	if (maxerr / 1000000 >= (long)d->conf.clock_skew)
		ecs_doc_add(d, ECS_DOC_WARN, "clock-error", "check the time service's sources",
			    "the clock may be off by up to %ld ms, not within clock_skew %u s",
			    maxerr / 1000, d->conf.clock_skew);
	else
		ecs_doc_add(d, ECS_DOC_OK, "clock", NULL, "the clock is synchronised (error "
			    "bound %ld ms, clock_skew %u s)", maxerr / 1000, d->conf.clock_skew);
	return 0;
}

int
ecs_doc_check_plugin(struct ecs_doc *d)
{
	const char *path = getenv("PATH");
	char dirs[4096], file[4200], *dir, *save = NULL;

	snprintf(dirs, sizeof(dirs), "%s", path && *path ? path : DEFAULT_PATH);
	for (dir = strtok_r(dirs, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		snprintf(file, sizeof(file), "%s/" PLUGIN, dir);
		if (dir[0] == '/' && access(file, X_OK) == 0) {
			ecs_doc_add(d, ECS_DOC_OK, "plugin", NULL, "%s is installed", file);
			return 0;
		}
	}
	ecs_doc_add(d, ECS_DOC_WARN, "plugin-missing", "install AWS's session-manager-plugin "
		    "package", PLUGIN " is not on PATH (%s): aws ecs execute-command and "
		    "ecs-saml-exec cannot open a shell", path && *path ? path : DEFAULT_PATH);
	return 0;
}

/* The super options of the mount at /proc, from /proc/self/mountinfo: "ID PARENT MAJ:MIN
 * ROOT MOUNTPOINT OPTS [TAGS...] - FSTYPE SOURCE SUPEROPTS". The last /proc mount wins (the
 * one on top). */
static int
proc_options(char *opts, size_t sz)
{
	char line[2048], *tok, *save, *mp, *sep;
	FILE *mi = fopen("/proc/self/mountinfo", "re");
	int i, r = -ENOENT;

	if (!mi)
		return -errno;
	while (fgets(line, sizeof(line), mi)) {
		sep = strstr(line, " - ");
		if (!sep)
			continue;
		*sep = '\0';
		save = NULL;
		mp = NULL;
		for (i = 0, tok = strtok_r(line, " ", &save); tok && i < 4;
		     i++, tok = strtok_r(NULL, " ", &save))
			;
		mp = tok;
		if (!mp || strcmp(mp, "/proc") != 0)
			continue;
		save = NULL;
		for (i = 0, tok = strtok_r(sep + 3, " \n", &save); tok && i < 2;
		     i++, tok = strtok_r(NULL, " \n", &save))
			;
		snprintf(opts, sz, "%s", tok ? tok : "");
		r = 0;
	}
	fclose(mi);
	return r;
}

int
ecs_doc_check_proc(struct ecs_doc *d)
{
	char opts[512] = "";

	if (proc_options(opts, sizeof(opts)) < 0) {
		ecs_doc_add(d, ECS_DOC_WARN, "proc-hidepid", "mount /proc with hidepid=invisible",
			    "cannot find the /proc mount in /proc/self/mountinfo");
		return 0;
	}
	if (strstr(opts, "hidepid=2") || strstr(opts, "hidepid=invisible"))
		ecs_doc_add(d, ECS_DOC_OK, "proc-hidepid", NULL, "/proc is mounted with %s",
			    strstr(opts, "hidepid="));
	else
		ecs_doc_add(d, ECS_DOC_WARN, "proc-hidepid", "mount /proc with hidepid=invisible "
			    "(e.g. in /etc/fstab: proc /proc proc defaults,hidepid=invisible 0 0)",
			    "/proc is mounted without hidepid=invisible: every user sees every "
			    "other user's processes and command lines");
	return 0;
}

static bool
read_line(const char *path, char *buf, size_t sz)
{
	FILE *f = fopen(path, "re");
	bool ok = f && fgets(buf, (int)sz, f);

	if (f)
		fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

/* doctor runs as the helper's installed binary, which its AppArmor profile (or SELinux
 * domain, where a transition applies) confines like every verb: sshd -T, getent and the
 * PAM files are outside what a login needs, so their checks may meet denials. Say so. */
static void
check_self(struct ecs_doc *d)
{
	char cur[256];

	if (!read_line("/proc/self/attr/current", cur, sizeof(cur)))
		return;
	if (strstr(cur, "ecs-saml-helper") || strstr(cur, "ecs_saml_helper_t"))
		ecs_doc_add(d, ECS_DOC_WARN, "doctor-confined", "read the checks that failed "
			    "with this in mind, or run doctor from an unconfined copy of the "
			    "helper", "doctor itself runs confined as %s, which allows what a login "
			    "needs, not sshd -T, getent or the PAM files: a denial there is "
			    "reported as that check's fault", cur);
}

int
ecs_doc_check_mac(struct ecs_doc *d)
{
	char buf[256], label[256];
	ssize_t n;

	check_self(d);

	if (read_line("/sys/fs/selinux/enforce", buf, sizeof(buf))) {
		n = getxattr("/proc/self/exe", "security.selinux", label, sizeof(label) - 1);
		label[n > 0 ? n : 0] = '\0';
		if (strcmp(buf, "1") == 0 && !strstr(label, "ecs_saml_helper_exec_t"))
			ecs_doc_add(d, ECS_DOC_WARN, "selinux-label", "load selinux/pam_ecs_saml.pp "
				    "and restorecon the installed files", "SELinux enforces, and the "
				    "helper is labelled %s, not ecs_saml_helper_exec_t",
				    label[0] ? label : "(none)");
		else
			ecs_doc_add(d, ECS_DOC_INFO, "selinux", NULL, "SELinux is %s; the helper "
				    "is labelled %s", strcmp(buf, "1") == 0 ? "enforcing" :
				    "permissive", label[0] ? label : "(none)");
	} else {
		ecs_doc_add(d, ECS_DOC_INFO, "selinux-off", NULL, "SELinux is not enabled on "
			    "this kernel");
	}
	if (read_line("/sys/module/apparmor/parameters/enabled", buf, sizeof(buf)) &&
	    buf[0] == 'Y') {
		FILE *p = fopen("/sys/kernel/security/apparmor/profiles", "re");
		bool loaded = false;

		while (p && fgets(buf, sizeof(buf), p))
			loaded |= strstr(buf, "ecs-saml-helper") != NULL;
		if (p)
			fclose(p);
		if (loaded)
			ecs_doc_add(d, ECS_DOC_OK, "apparmor", NULL, "AppArmor is enabled and the "
				    "helper's profile is loaded");
		else
			ecs_doc_add(d, ECS_DOC_WARN, "apparmor-profile", "apparmor_parser -r "
				    "/etc/apparmor.d/ecs-saml-helper (apparmor/ecs-saml-helper)",
				    "AppArmor is enabled, but no profile for ecs-saml-helper is loaded");
	} else {
		ecs_doc_add(d, ECS_DOC_INFO, "apparmor-off", NULL, "AppArmor is not enabled on "
			    "this kernel");
	}
	return 0;
}
