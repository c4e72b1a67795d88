/* test_doctor.c — doctor's pure pieces: the verdict on an IdP's signing certificates
 * (expiry 30 days ahead, a rotation's two certificates), the nsswitch line reader doctor
 * shares with unknown-user, and how findings become the exit status and JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doctor.h"
#include "ecs_nsswitch.h"
#include "tap.h"

#define DAY 86400
#define NOW ((time_t)1800000000)

static enum ecs_doc_sev
state(time_t a, time_t b, unsigned n)
{
	time_t na[2] = { a, b };

	return ecs_doc_cert_state(na, n, NOW, ECS_DOC_CERT_WARN_DAYS);
}

static void
test_cert_state(void)
{
	T_OK(state(NOW + 400 * DAY, 0, 1) == ECS_DOC_OK, "one certificate good for a year: ok");
	T_OK(state(NOW + 31 * DAY, 0, 1) == ECS_DOC_OK, "31 days left: ok");
	T_OK(state(NOW + 30 * DAY, 0, 1) == ECS_DOC_WARN, "30 days left: warn");
	T_OK(state(NOW + 1, 0, 1) == ECS_DOC_WARN, "one second left: warn");
	T_OK(state(NOW, 0, 1) == ECS_DOC_FAIL, "expiring this second: fail");
	T_OK(state(NOW - DAY, 0, 1) == ECS_DOC_FAIL, "the only certificate expired: fail");
	T_OK(state(NOW + 10 * DAY, NOW + 400 * DAY, 2) == ECS_DOC_OK,
	     "a rotation: the old one expires in 10 days, the new one lasts: ok");
	T_OK(state(NOW - DAY, NOW + 400 * DAY, 2) == ECS_DOC_WARN,
	     "one expired beside one valid: warn, not fail");
	T_OK(state(NOW - DAY, NOW + 10 * DAY, 2) == ECS_DOC_WARN,
	     "one expired, the other expiring: warn");
	T_OK(state(NOW - 2 * DAY, NOW - DAY, 2) == ECS_DOC_FAIL, "both expired: fail");
	T_OK(state(0, 0, 1) == ECS_DOC_OK, "an unreadable date is no reason to warn");
	T_OK(state(0, 0, 0) == ECS_DOC_FAIL, "no certificate at all: fail");
}

static void
test_nsswitch(void)
{
	const char *t = "# comment ecs_saml\npasswd:   files ecs_saml\n"
			"group: files [NOTFOUND=return] ecs_saml # x\nshadow: files\n"
			"hosts: files ecs_samlx dns\n";

	T_OK(ecs_nsswitch_has(t, "passwd", "ecs_saml"), "passwd names ecs_saml");
	T_OK(ecs_nsswitch_has(t, "group", "ecs_saml"), "group names it after an action item");
	T_OK(!ecs_nsswitch_has(t, "shadow", "ecs_saml"), "shadow does not");
	T_OK(!ecs_nsswitch_has(t, "hosts", "ecs_saml"), "a longer word is not the service");
	T_OK(!ecs_nsswitch_has(t, "netgroup", "ecs_saml"), "no line: glibc's files only");
	T_OK(!ecs_nsswitch_has("passwd: files # ecs_saml\n", "passwd", "ecs_saml"),
	     "a comment does not count");
	T_OK(ecs_nsswitch_has("  passwd : ecs_saml", "passwd", "ecs_saml"),
	     "blanks before the colon, no final newline");
	T_OK(!ecs_nsswitch_has("passwdx: ecs_saml\n", "passwd", "ecs_saml"),
	     "another database whose name starts the same");
}

static void
test_findings(void)
{
	static struct ecs_doc d;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	memset(&d, 0, sizeof(d));
	d.conf_path = "/etc/x\"y";
	d.check = "t";
	T_OK(ecs_doc_exit_status(&d) == ECS_DOC_EXIT_OK, "no finding: exit 0");
	ecs_doc_add(&d, ECS_DOC_INFO, "a", NULL, "info");
	T_OK(ecs_doc_exit_status(&d) == ECS_DOC_EXIT_OK, "info only: exit 0");
	ecs_doc_add(&d, ECS_DOC_WARN, "b", "do", "warn %d", 1);
	T_OK(ecs_doc_exit_status(&d) == ECS_DOC_EXIT_WARN, "a warning: exit 1");
	ecs_doc_add(&d, ECS_DOC_FAIL, "c", "fix", "quote \" backslash \\ newline \n tab \t");
	T_OK(ecs_doc_exit_status(&d) == ECS_DOC_EXIT_FAIL, "a failure: exit 4");
	f = open_memstream(&buf, &len);
	ecs_doc_print_json(&d, f);
	fclose(f);
	T_OK(strstr(buf, "\"message\": \"quote \\\" backslash \\\\ newline \\u000a tab "
		     "\\u0009\"") != NULL, "JSON escapes quotes, backslashes and control bytes");
	T_OK(strstr(buf, "\"config\": \"/etc/x\\\"y\"") && strstr(buf, "\"worst\": \"fail\"") &&
	     strstr(buf, "\"exit\": 4"), "JSON has the file, the worst severity and the status");
	free(buf);
	while (d.n < ECS_DOC_MAX_FINDINGS)
		ecs_doc_add(&d, ECS_DOC_OK, "filler", NULL, "ok");
	ecs_doc_add(&d, ECS_DOC_FAIL, "late", NULL, "after the table is full");
	T_OK(d.n == ECS_DOC_MAX_FINDINGS && strcmp(d.f[d.n - 1].id, "late") == 0,
	     "a failure after the table is full still replaces an ok");
}

int
main(void)
{
	test_cert_state();
	test_nsswitch();
	test_findings();
	T_DONE();
}
