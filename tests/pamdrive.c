/* pamdrive — drive a PAM stack from tests, with answers of any size.
 *
 *   pamdrive -d CONFDIR -s SERVICE -u USER [-r RHOST] [-w MS] [-q] [-E NAME=VALUE]...
 *            [-a FILE | -A TEXT | -L FILE]... OP...
 *
 *   -d   read the stack from CONFDIR/SERVICE (pam_start_confdir), never from /etc/pam.d
 *   -a   one answer: the contents of FILE, trailing newlines removed
 *   -A   one answer: TEXT
 *   -L   one answer per line of FILE (the lines of a paste; add -A '' for the empty end)
 *   -w   wait MS milliseconds before answering each prompt (a slow user)
 *   -q   call every OP with PAM_SILENT (as sudo -n and sshd's quiet paths do)
 *   -E   put NAME=VALUE into the PAM environment first (what an earlier auth left there)
 *   OP   auth | fork-auth | open | close | env
 *        fork-auth runs pam_authenticate in a child process and brings back only what
 *        sshd brings back (the PAM environment and PAM_USER), so pam_set_data from auth
 *        is lost exactly as under sshd.
 *
 * Prints "prompt: TEXT" (first line only, then " [+N lines]"), "error: TEXT", "info: TEXT",
 * "env: NAME=VALUE" and "OP: CODE NAME" lines. Exit status: 0 when every OP returned
 * PAM_SUCCESS, else 1 (the codes are in the output).
 */
#include <errno.h>
#include <security/pam_appl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct answers {
	char **v;
	size_t n, cap, next;
	long wait_ms;
};

static void
die(const char *what)
{
	perror(what);
	exit(2);
}

static void
add_answer(struct answers *a, char *s)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? 2 * a->cap : 64;
		a->v = realloc(a->v, a->cap * sizeof(*a->v));
		if (a->v == NULL)
			die("realloc");
	}
	a->v[a->n++] = s;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *s = NULL;
	size_t n = 0, cap = 0, got;

	if (f == NULL)
		die(path);
	do {
		if (n + 4097 > cap) {
			cap = 2 * cap + 8192;
			s = realloc(s, cap);
			if (s == NULL)
				die("realloc");
		}
		got = fread(s + n, 1, 4096, f);
		n += got;
	} while (got > 0);
	fclose(f);
	s[n] = '\0';
	*len = n;
	return s;
}

static void
add_file(struct answers *a, const char *path, int per_line)
{
	size_t n;
	char *s = slurp(path, &n), *line, *save = NULL;

	if (!per_line) {
		while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
			s[--n] = '\0';
		add_answer(a, s);
		return;
	}
	for (line = strtok_r(s, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save))
		add_answer(a, strdup(line));
	free(s);
}

static void
print_prompt(const char *msg)
{
	const char *nl = strchr(msg, '\n');
	int lines = 0;

	for (const char *p = msg; *p; p++)
		lines += *p == '\n';
	if (nl == NULL)
		printf("prompt: %s\n", msg);
	else
		printf("prompt: %.*s [+%d lines] ...%s\n", (int)(nl - msg), msg, lines,
		       strrchr(msg, '\n') + 1);
}

static int
conv(int num, const struct pam_message **msg, struct pam_response **resp, void *data)
{
	struct answers *a = data;
	struct pam_response *r = calloc((size_t)num, sizeof(*r));

	if (r == NULL)
		return PAM_BUF_ERR;
	for (int i = 0; i < num; i++) {
		switch (msg[i]->msg_style) {
		case PAM_PROMPT_ECHO_OFF:
		case PAM_PROMPT_ECHO_ON:
			print_prompt(msg[i]->msg);
			if (a->next >= a->n) {
				printf("pamdrive: no answer left\n");
				for (int j = 0; j < i; j++)
					free(r[j].resp);
				free(r);
				return PAM_CONV_ERR;
			}
			if (a->wait_ms > 0) {
				struct timespec ts = { a->wait_ms / 1000, (a->wait_ms % 1000) * 1000000L };

				nanosleep(&ts, NULL);
			}
			r[i].resp = strdup(a->v[a->next++]);
			break;
		case PAM_ERROR_MSG:
			printf("error: %s\n", msg[i]->msg);
			break;
		case PAM_TEXT_INFO:
			printf("info: %s\n", msg[i]->msg);
			break;
		default:
			break;
		}
	}
	fflush(stdout);
	*resp = r;
	return PAM_SUCCESS;
}

/* pam_authenticate in a child; the child sends back its PAM environment, one NUL-terminated
 * "NAME=VALUE" after another, and exits with the PAM code. */
static int
fork_auth(pam_handle_t *ph, int flags)
{
	int p[2], status, rc;
	pid_t pid;
	FILE *in;
	char *line = NULL;
	size_t cap = 0;

	if (pipe(p) < 0)
		die("pipe");
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		char **env;

		close(p[0]);
		rc = pam_authenticate(ph, flags);
		env = pam_getenvlist(ph);
		for (size_t i = 0; env != NULL && env[i] != NULL; i++)
			if (write(p[1], env[i], strlen(env[i]) + 1) < 0)
				_exit(100);
		fflush(stdout);
		_exit(rc);
	}
	close(p[1]);
	in = fdopen(p[0], "r");
	while (getdelim(&line, &cap, '\0', in) > 0)
		if (pam_putenv(ph, line) != PAM_SUCCESS)
			printf("pamdrive: pam_putenv failed\n");
	free(line);
	fclose(in);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return PAM_SYSTEM_ERR;
	return WEXITSTATUS(status);
}

int
main(int argc, char **argv)
{
	struct answers a = { 0 };
	struct pam_conv pc = { conv, &a };
	const char *confdir = NULL, *service = NULL, *user = NULL, *rhost = NULL;
	const char *env_in[16];
	int nenv = 0;
	pam_handle_t *ph = NULL;
	int opt, failed = 0, rc, flags = 0;

	while ((opt = getopt(argc, argv, "d:s:u:r:a:A:L:w:qE:")) != -1) {
		switch (opt) {
		case 'd': confdir = optarg; break;
		case 's': service = optarg; break;
		case 'u': user = optarg; break;
		case 'r': rhost = optarg; break;
		case 'a': add_file(&a, optarg, 0); break;
		case 'A': add_answer(&a, strdup(optarg)); break;
		case 'L': add_file(&a, optarg, 1); break;
		case 'w': a.wait_ms = atol(optarg); break;
		case 'q': flags = PAM_SILENT; break;
		case 'E':
			if (nenv < 16)
				env_in[nenv++] = optarg;
			break;
		default:
			fprintf(stderr, "usage: see the comment at the top of tests/pamdrive.c\n");
			return 2;
		}
	}
	if (confdir == NULL || service == NULL || user == NULL || optind >= argc) {
		fprintf(stderr, "pamdrive: -d, -s, -u and an OP are required\n");
		return 2;
	}
	rc = pam_start_confdir(service, user, &pc, confdir, &ph);
	if (rc != PAM_SUCCESS) {
		fprintf(stderr, "pam_start_confdir: %d\n", rc);
		return 2;
	}
	if (rhost != NULL)
		pam_set_item(ph, PAM_RHOST, rhost);
	for (int i = 0; i < nenv; i++)
		pam_putenv(ph, env_in[i]);
	for (int i = optind; i < argc; i++) {
		const char *op = argv[i];

		if (strcmp(op, "auth") == 0) {
			rc = pam_authenticate(ph, flags);
		} else if (strcmp(op, "fork-auth") == 0) {
			rc = fork_auth(ph, flags);
		} else if (strcmp(op, "open") == 0) {
			rc = pam_open_session(ph, flags);
		} else if (strcmp(op, "close") == 0) {
			rc = pam_close_session(ph, flags);
		} else if (strcmp(op, "env") == 0) {
			char **env = pam_getenvlist(ph);

			for (size_t j = 0; env != NULL && env[j] != NULL; j++) {
				printf("env: %s\n", env[j]);
				free(env[j]);
			}
			free(env);
			rc = PAM_SUCCESS;
		} else {
			fprintf(stderr, "pamdrive: unknown op %s\n", op);
			return 2;
		}
		printf("%s: %d %s\n", op, rc, pam_strerror(ph, rc));
		fflush(stdout);
		if (rc != PAM_SUCCESS)
			failed = 1;
	}
	pam_end(ph, PAM_SUCCESS);
	for (size_t j = 0; j < a.n; j++)
		free(a.v[j]);
	free(a.v);
	return failed;
}
