/* test_sshd_check.c — helper/sshd_check.c reads sshd's configuration as sshd does (first
 * value wins, Includes in place, Match blocks) and reports only what stops every federated
 * login before PAM. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sshd_check.h"
#include "tap.h"

static char dir[] = "/tmp/test_sshd_check.XXXXXX";

static const char *
put(const char *name, const char *text)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f != NULL) {
		fputs(text, f);
		fclose(f);
	}
	return path;
}

/* The code reported for a main file holding text ("" for none, "error" when it fails). */
static const char *
check(const char *text)
{
	static char main_path[256];
	const char *code = NULL;
	char why[512];

	snprintf(main_path, sizeof(main_path), "%s", put("sshd_config", text));
	if (ecs_sshd_check(main_path, &code, why, sizeof(why)) < 0)
		return "error";
	return code != NULL ? code : "";
}

int
main(void)
{
	char text[1024];
	const char *code = NULL;
	char why[512];

	if (mkdtemp(dir) == NULL)
		return 1;
	mkdir(strcat(strcpy(text, dir), "/d"), 0755);

	/* Debian's sshd_config: the drop-in directory first, then its own values */
	put("d/50-pam_ecs_saml.conf", "UsePAM yes\nKbdInteractiveAuthentication yes\n");
	snprintf(text, sizeof(text), "Include %s/d/*.conf\nKbdInteractiveAuthentication no\n"
		 "UsePAM yes\n", dir);
	T_OK(strcmp(check(text), "") == 0, "the drop-in's yes comes first and wins");
	unlink(put("d/50-pam_ecs_saml.conf", ""));
	T_OK(strcmp(check(text), ECS_SSHD_KBDINT) == 0,
	     "without the drop-in: Debian's KbdInteractiveAuthentication no stops every login");
	T_OK(strcmp(check("UsePAM yes\nChallengeResponseAuthentication no\n"), ECS_SSHD_KBDINT) == 0,
	     "ChallengeResponseAuthentication, the old name, counts the same");
	T_OK(strcmp(check("usepam=yes\nkbdinteractiveauthentication = no # off\n"),
		    ECS_SSHD_KBDINT) == 0,
	     "keywords in any case, '=' and comments");
	T_OK(strcmp(check("UsePAM yes\nKbdInteractiveAuthentication no\n"
			  "Match Group ecs-saml\n\tKbdInteractiveAuthentication yes\n"), "") == 0,
	     "on in a Match block: it may be the federated users' own, not reported");
	T_OK(strcmp(check("UsePAM yes\nMatch Group admins\n\tKbdInteractiveAuthentication no\n"),
		    "") == 0,
	     "off in a Match block only: not everybody's, not reported");
	T_OK(strcmp(check("KbdInteractiveAuthentication yes\n"), ECS_SSHD_NO_PAM) == 0,
	     "UsePAM unset: sshd's default is no");
	T_OK(strcmp(check("UsePAM no\nUsePAM yes\n"), ECS_SSHD_NO_PAM) == 0,
	     "the first UsePAM wins");
	T_OK(strcmp(check("UsePAM yes\nInclude no-such-file-*.conf\n"), "") == 0,
	     "an Include that names nothing is no error (as in sshd)");
	snprintf(text, sizeof(text), "UsePAM yes\nInclude %s/sshd_config\n", dir);
	T_OK(strcmp(check(text), "error") == 0, "an Include loop is refused, not followed forever");
	T_OK(ecs_sshd_check("/nonexistent/sshd_config", &code, why, sizeof(why)) == -ENOENT &&
		     strstr(why, "/nonexistent/sshd_config") != NULL,
	     "a missing main file is an error naming it");
	ecs_sshd_check(put("sshd_config", "UsePAM no\n"), &code, why, sizeof(why));
	T_OK(strstr(why, "sshd_config:1") != NULL, "the reason names the file and line");
	unlink(put("sshd_config", ""));
	rmdir(strcat(strcpy(text, dir), "/d"));
	rmdir(dir);
	T_DONE();
}
