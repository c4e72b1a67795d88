/* verb_doctor.c — `ecs-saml-helper doctor [--config PATH] [--sshd-config PATH]
 * [--pam-service NAME] [--json]`: check this host before the first login and after every
 * change (helper/doctor/doctor.h). Root only: it reads what root reads and runs sshd -T.
 * Nothing is logged and nothing is changed. The exit status is the worst finding's. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "doctor.h"
#include "ecs_err.h"
#include "verbs.h"

static int
usage(void)
{
	fprintf(stderr, "usage: ecs-saml-helper doctor [--config PATH] [--sshd-config PATH] "
		"[--pam-service NAME] [--json]\n");
	return -EINVAL;
}

int
ecs_verb_doctor(int argc, char **argv)
{
	static struct ecs_doc d;	/* large: the findings */
	bool json = false;
	int i, r;

	memset(&d, 0, sizeof(d));
	ecs_conf_init(&d.conf);
	d.conf_path = ECS_CONF_PATH;
	d.sshd_service = "sshd";
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = true;
		else if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			d.conf_path = argv[++i];
		else if (strcmp(argv[i], "--sshd-config") == 0 && i + 1 < argc)
			d.sshd_config = argv[++i];
		else if (strcmp(argv[i], "--pam-service") == 0 && i + 1 < argc &&
			 !strchr(argv[i + 1], '/'))
			d.sshd_service = argv[++i];
		else
			return usage();
	}
	d.now = time(NULL);
	r = ecs_doc_run(&d);
	ecs_conf_free(&d.conf);
	if (r < 0) {
		fprintf(stderr, "doctor: %s\n", ecs_strerror(r));
		return r;
	}
	if (json)
		ecs_doc_print_json(&d, stdout);
	else
		ecs_doc_print_text(&d, stdout);
	if (fflush(stdout) != 0)
		return -EIO;
	return ecs_doc_exit_status(&d);
}
