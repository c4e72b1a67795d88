/* doc_pam.c — the PAM stacks that run the module: sshd's service (auth and session lines,
 * and the session line after pam_systemd, which creates /run/user/UID where the credentials
 * go) and the sudo step-up service. Includes are followed as libpam follows them
 * (@include, include, substack), so Debian's common-session counts. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doctor.h"
#include "ecs_err.h"
#include "ecs_safefile.h"

#define PAM_DIR "/etc/pam.d/"
#define PAM_FILE_MAX (64 * 1024)
#define MAX_DEPTH 8
#define MODULE "pam_ecs_saml.so"
#define SUDO_SERVICE "sudo-ecs-operator"

struct stack {
	int auth, session, systemd;	/* the session position of each, or -1 */
	unsigned nsession;		/* session lines seen so far */
	unsigned conv_timeout;
};

static int read_stack(struct stack *s, const char *service, unsigned depth);

static bool
is_module(const char *path, const char *name)
{
	const char *base = strrchr(path, '/');

	return strcmp(base ? base + 1 : path, name) == 0;
}

/* "[-]type control module args..." with control possibly "[...]" holding blanks. */
static int
pam_line(struct stack *s, char *line, unsigned depth)
{
	char *type, *control, *module, *args, *save = NULL;
	bool session;

	line[strcspn(line, "#\n")] = '\0';
	type = strtok_r(line, " \t", &save);
	if (!type)
		return 0;
	if (strcmp(type, "@include") == 0) {
		args = strtok_r(NULL, " \t", &save);
		return args ? read_stack(s, args, depth + 1) : 0;
	}
	if (*type == '-')
		type++;
	control = save + strspn(save, " \t");
	if (*control == '[') {
		char *end = strchr(control, ']');

		if (!end)
			return 0;
		save = end + 1;
	} else {
		strtok_r(NULL, " \t", &save);
	}
	module = strtok_r(NULL, " \t", &save);
	if (!module)
		return 0;
	session = strcmp(type, "session") == 0;
	if (strncmp(control, "include", 7) == 0 || strncmp(control, "substack", 8) == 0)
		return (session || strcmp(type, "auth") == 0) ?
			read_stack(s, module, depth + 1) : 0;
	if (strcmp(type, "auth") == 0 && is_module(module, MODULE) && s->auth < 0) {
		s->auth = 0;
		for (args = strtok_r(NULL, " \t", &save); args; args = strtok_r(NULL, " \t", &save))
			if (strncmp(args, "conv_timeout=", 13) == 0)
				s->conv_timeout = (unsigned)strtoul(args + 13, NULL, 10);
	}
	if (!session)
		return 0;
	if (is_module(module, MODULE) && s->session < 0)
		s->session = (int)s->nsession;
	if (is_module(module, "pam_systemd.so") && s->systemd < 0)
		s->systemd = (int)s->nsession;
	s->nsession++;
	return 0;
}

static int
read_stack(struct stack *s, const char *service, unsigned depth)
{
	char path[256], *text, *line, *save = NULL;
	struct ecs_buf buf;
	int r;

	if (depth > MAX_DEPTH || strchr(service, '/'))
		return 0;	/* libpam refuses those too */
	snprintf(path, sizeof(path), PAM_DIR "%s", service);
	ecs_buf_init(&buf, PAM_FILE_MAX + 1);
	r = ecs_safe_read_path(path, 0, PAM_FILE_MAX, &buf, NULL);
	if (r == 0)
		r = ecs_buf_append(&buf, "", 1);
	if (r < 0) {
		ecs_buf_free(&buf);
		return depth == 0 || r == -ENOMEM ? r : 0;
	}
	text = (char *)buf.data;
	for (line = strtok_r(text, "\n", &save); r == 0 && line; line = strtok_r(NULL, "\n", &save))
		r = pam_line(s, line, depth);
	ecs_buf_free(&buf);
	return r;
}

static void
check_service(struct ecs_doc *d, const char *service, bool step_up)
{
	struct stack s = { .auth = -1, .session = -1, .systemd = -1 };
	char id[ECS_DOC_IDSZ];
	int r;

	r = read_stack(&s, service, 0);
	if (r == -ENOENT && step_up) {
		ecs_doc_add(d, ECS_DOC_INFO, "pam-sudo-absent", NULL, PAM_DIR "%s does not exist: "
			    "no sudo step-up on this host (pam.d/sudo-ecs-operator.example)",
			    service);
		return;
	}
	snprintf(id, sizeof(id), "pam-%s", step_up ? "sudo" : "sshd");
	if (r < 0) {
		ecs_doc_add(d, ECS_DOC_FAIL, id, "install pam.d/sshd.example as " PAM_DIR "sshd "
			    "(root's, mode 0644)", PAM_DIR "%s: %s", service, ecs_strerror(r));
		return;
	}
	if (!step_up)
		d->conv_timeout = s.conv_timeout;
	if (s.auth < 0 || s.session < 0) {
		ecs_doc_add(d, ECS_DOC_FAIL, id, step_up ? "see pam.d/sudo-ecs-operator.example" :
			    "see pam.d/sshd.example", PAM_DIR "%s has no %s line for " MODULE
			    ": %s", service, s.auth < 0 ? "auth" : "session", s.auth < 0 ?
			    "no federated user can authenticate" : "no session gets credentials");
		return;
	}
	ecs_doc_add(d, ECS_DOC_OK, id, NULL, PAM_DIR "%s runs " MODULE " in auth and session",
		    service);
	if (step_up)
		return;
	if (s.systemd < 0)
		ecs_doc_add(d, ECS_DOC_INFO, "pam-sshd-systemd", NULL, "no pam_systemd in "
			    PAM_DIR "%s's session: the credentials go to the fallback runtime "
			    "directory /dev/shm/pam_ecs_saml", service);
	else if (s.systemd > s.session)
		ecs_doc_add(d, ECS_DOC_FAIL, "pam-sshd-order", "move the session line of " MODULE
			    " after @include common-session (see pam.d/sshd.example)",
			    PAM_DIR "%s runs " MODULE " before pam_systemd in session: "
			    "/run/user/UID does not exist yet when the credentials are written",
			    service);
	else
		ecs_doc_add(d, ECS_DOC_OK, "pam-sshd-order", NULL, MODULE " runs after "
			    "pam_systemd in session");
}

int
ecs_doc_check_pam(struct ecs_doc *d)
{
	check_service(d, d->sshd_service, false);
	check_service(d, SUDO_SERVICE, true);
	return 0;
}
