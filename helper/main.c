/* main.c — ecs-saml-helper: misuse checks, process hardening and the verb table. Everything
 * a verb does lives in helper/verb_<name>.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "ecs_err.h"
#include "ecs_version.h"
#include "logging.h"
#include "verbs.h"
#include "xml_lib.h"

#define VERB_NEEDS_ROOT	0x1u	/* refuse unless the real uid is 0 */
#define VERB_ALLOW_TTY	0x2u	/* stdin may be a terminal (an admin pasting by hand) */
#define VERB_MODULE	0x4u	/* asked by pam_ecs_saml.so: the helper server runs it too */

struct verb {
	const char *name;
	int (*run)(int argc, char **argv);
	unsigned flags;
	const char *usage;
};

/* One line per verb. */
static const struct verb verbs[] = {
	{ "verify", ecs_verb_verify, VERB_ALLOW_TTY,
	  "[--config PATH] [--at RFC3339-UTC] [--consume] [--user NAME] [--repeat N] < response" },
	{ "auth", ecs_verb_auth, VERB_NEEDS_ROOT | VERB_MODULE, "< request (run by pam_ecs_saml.so)" },
	{ "session-open", ecs_verb_session_open, VERB_NEEDS_ROOT | VERB_MODULE,
	  "< request (pam_ecs_saml.so)" },
	{ "session-close", ecs_verb_session_close, VERB_NEEDS_ROOT | VERB_MODULE,
	  "< request (pam_ecs_saml.so)" },
	{ "unknown-user", ecs_verb_unknown_user, VERB_NEEDS_ROOT | VERB_MODULE,
	  "< request (pam_ecs_saml.so)" },
	{ "serve", ecs_verb_serve, VERB_NEEDS_ROOT | VERB_ALLOW_TTY,
	  "(the module's verbs kept warm; run by ecs-saml-helper.service)" },
	{ "gc", ecs_verb_gc, VERB_NEEDS_ROOT | VERB_ALLOW_TTY,
	  "[--config PATH] [--sshd-config PATH]" },
	{ "doctor", ecs_verb_doctor, VERB_NEEDS_ROOT | VERB_ALLOW_TTY,
	  "[--config PATH] [--sshd-config PATH] [--pam-service NAME] [--json]" },
	{ "revoke", ecs_verb_revoke, VERB_NEEDS_ROOT | VERB_ALLOW_TTY,
	  "[--config PATH] [--source-identity ID] USER" },
	{ "sessions", ecs_verb_sessions, VERB_NEEDS_ROOT | VERB_ALLOW_TTY, "[--json]" },
	{ "audit", ecs_verb_audit, VERB_NEEDS_ROOT | VERB_ALLOW_TTY,
	  "sessions [--since T] [--until T] [--user U] [--json] | exec --cloudtrail PATH... "
	  "[--since T] [--json] | fields" },
	{ "users", ecs_verb_users, VERB_NEEDS_ROOT | VERB_ALLOW_TTY,
	  "[--config PATH] init | list | show NAME | pin NAME UID | remove NAME | "
	  "move-idp NAME ISSUER" },
};

#define NVERBS (sizeof(verbs) / sizeof(verbs[0]))

static void
usage(void)
{
	size_t i;

	fprintf(stderr, "usage:\n");
	for (i = 0; i < NVERBS; i++)
		fprintf(stderr, "  ecs-saml-helper %s %s\n", verbs[i].name, verbs[i].usage);
	fprintf(stderr, "  ecs-saml-helper --version\n");
}

#if defined(__SANITIZE_ADDRESS__)
/* ASan builds (the test suites' second pass) only: an allocation the validator child's
 * address-space rlimit refuses returns NULL, as it does in the real build, instead of ending
 * the process with a report (helper/privsep_sandbox.h). */
__attribute__((visibility("default"))) const char *__asan_default_options(void);
const char *
__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}
#endif

/* No core file and no ptrace by the invoking user: the process holds assertions and, for
 * other verbs, AWS credentials. */
static int
harden(void)
{
	struct rlimit no_core = { 0, 0 };
	int fd;

	umask(077);
	if (setrlimit(RLIMIT_CORE, &no_core) < 0 || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return -errno;
	/* A closed 0/1/2 would let the next open() become our stdout. */
	while ((fd = open("/dev/null", O_RDWR | O_CLOEXEC)) >= 0 && fd <= 2)
		fcntl(fd, F_SETFD, 0);
	if (fd > 2)
		close(fd);
	return 0;
}

/* Run verb v with its arguments, logging under the helper's name: the same for a helper the
 * module started and for the helper server's child. tidy: shut the XML libraries down after
 * (a helper of its own, leak-checked by the sanitizer builds); a server's child skips it,
 * since it ends with _exit right after and every page the teardown writes is a page copied
 * from the server. Returns the exit status. */
static int
run(const struct verb *v, int argc, char **argv, bool tidy)
{
	int r;

	openlog("ecs-saml-helper", LOG_PID, LOG_AUTHPRIV);
	/* no debug records until the configuration asks for them (ecs_helper_conf_load) */
	setlogmask(LOG_UPTO(LOG_INFO));
	/* libxml2 and xmlsec are loaded by the verbs that parse XML, when they first need them
	 * (xml_lib.h); libcurl by those that call AWS (libaws/aws_curl.h) */
	r = v->run(argc, argv);
	if (tidy)
		ecs_xml_shutdown();
	closelog();
	return r > 0 ? r : ecs_err_to_exit(r);
}

static const struct verb *
find_verb(const char *name)
{
	for (size_t i = 0; i < NVERBS; i++)
		if (strcmp(name, verbs[i].name) == 0)
			return &verbs[i];
	return NULL;
}

int
ecs_run_module_verb(const char *name)
{
	const struct verb *v = find_verb(name);
	char *argv[] = { (char *)name, NULL };

	if (v == NULL || !(v->flags & VERB_MODULE))
		return ECS_EXIT_USAGE;
	return run(v, 1, argv, false);
}

int
main(int argc, char **argv)
{
	const struct verb *v = NULL;

	if (harden() < 0) {
		fprintf(stderr, "ecs-saml-helper: cannot drop core dumps: %s\n", strerror(errno));
		return ECS_EXIT_INTERNAL;
	}
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("ecs-saml-helper %s\n", ECS_VERSION);
		return fflush(stdout) == 0 ? ECS_EXIT_OK : ECS_EXIT_INTERNAL;
	}
	if (argc >= 2)
		v = find_verb(argv[1]);
	if (!v) {
		usage();
		return ECS_EXIT_USAGE;
	}
	if ((v->flags & VERB_NEEDS_ROOT) && getuid() != 0) {
		fprintf(stderr, "ecs-saml-helper %s: must be run by root\n", v->name);
		return ECS_EXIT_USAGE;
	}
	if (!(v->flags & VERB_ALLOW_TTY) && isatty(STDIN_FILENO)) {
		fprintf(stderr, "ecs-saml-helper %s: stdin is a terminal; this verb is run by "
			"the PAM module\n", v->name);
		return ECS_EXIT_USAGE;
	}
	return run(v, argc - 1, argv + 1, true);
}
