/* ecs_saml_ssh.c — ecs-saml-ssh: log in to a pam_ecs_saml bastion with a SAML Response.
 *
 *   ecs-saml-ssh [--response FILE|-] [--role N|ARN] [--no-compress] [ssh options...] user@bastion [command]
 *   ecs-saml-ssh --browser [URL] [--role N|ARN] [ssh options...] user@bastion [command]
 *   ecs-saml-ssh --browser [URL] --print-response
 *   ecs-saml-ssh --sudo [--response FILE|-] [--role N|ARN] [sudo options...] [command]
 *
 * With --browser the Response comes from the engineer's own sign-in in a Chromium-family
 * browser, taken from the POST to AWS before it leaves the machine (client_browser.h).
 *
 * The process plays two parts. Started by the user, it reads and checks the Response, then
 * runs the stock `ssh` (or `sudo -A`) with itself as the askpass program and serves the
 * answers from memory (client_chan.h). Started by ssh or sudo through the askpass link of
 * the channel named by ECS_SAML_SSH_SOCK, with one argument (the prompt), it is that
 * askpass: it fetches the answer to that one prompt from its parent and prints it, refusing
 * any prompt that is not pam_ecs_saml's own. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "client_answer.h"
#include "client_browser.h"
#include "client_chan.h"
#include "client_config.h"
#include "client_input.h"
#include "client_relay.h"
#include "client_sshargs.h"
#include "ecs_buf.h"
#include "ecs_io.h"
#include "ecs_kbd_proto.h"
#include "ecs_limits.h"
#include "ecs_time.h"
#include "ecs_version.h"

#define PROG "ecs-saml-ssh"
#define RESPONSE_ENV "ECS_SAML_RESPONSE"

/* Forced first on ssh's command line: ssh keeps the first value it sees for an option, so
 * nothing in the user's arguments or ~/.ssh/config can bring back a password prompt (into
 * which this program would otherwise be asked to type), a second attempt (a replay), a
 * host whose key was never checked (StrictHostKeyChecking no or accept-new would connect
 * without the host-key question this program refuses, and hand the Response to whoever
 * answers), a host key vouched for by DNS alone (VerifyHostKeyDNS=yes accepts an SSHFP
 * record in place of known_hosts, so whoever answers for the bastion's name could pass), or
 * a jump host or ProxyCommand (a second ssh whose prompts would reach this askpass;
 * client_sshargs.h). */
static const char *const ssh_forced[] = {
	"-o", "StrictHostKeyChecking=yes",
	"-o", "VerifyHostKeyDNS=no",
	"-o", "ProxyCommand=none",
	"-o", "ProxyJump=none",
	"-o", "PreferredAuthentications=keyboard-interactive",
	"-o", "KbdInteractiveAuthentication=yes",
	"-o", "PasswordAuthentication=no",
	"-o", "PubkeyAuthentication=no",
	"-o", "HostbasedAuthentication=no",
	"-o", "GSSAPIAuthentication=no",
	"-o", "NumberOfPasswordPrompts=1",
};

struct opts {
	const char *response;	/* path, "-" for stdin, NULL for ECS_SAML_RESPONSE */
	const char *role;
	bool delete_response;	/* unlink the file once its Response is in memory */
	bool browser;		/* --browser: capture the Response from a browser sign-in */
	bool print_response;	/* --print-response: print the captured Response, no ssh */
	const char *browser_url;
	const char *browser_program;
	const char *browser_profile;
	const char *browser_timeout;
	const char *browser_args[ECS_BROWSER_ARGS_MAX];
	size_t nbrowser_args;
	bool sudo;
	bool no_compress;	/* --no-compress: send the Response as it is, not deflated
				 * nor packed */
	bool help;
	bool version;
	int first_arg;		/* argv index of the first argument passed through */
};

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " [--response FILE|-] [--delete-response] [--role N|ARN] [--no-compress] [ssh options...] user@bastion [command]\n"
		"       " PROG " --browser [URL] [browser options] [--role N|ARN] [--no-compress] [ssh options...] user@bastion [command]\n"
		"       " PROG " --browser [URL] [browser options] --print-response\n"
		"       " PROG " --sudo [--response FILE|-] [--delete-response] [--role N|ARN] [sudo options...] [command]\n"
		"       " PROG " --help | --version\n"
		"browser options: --browser-program PATH, --browser-profile DIR, --browser-arg ARG,\n"
		"                 --browser-timeout SECONDS\n"
		"\n"
		"The SAML response is read from FILE, from stdin (-), or from the file named by\n"
		"$" RESPONSE_ENV ". It may be the base64 form value, the URL-encoded form body\n"
		"(SAMLResponse=...&RelayState=...) or the XML document. --delete-response\n"
		"deletes FILE once the response has been read from it. With --browser it is taken\n"
		"from your sign-in at URL (or browser_url in ~/.config/ecs-saml-ssh/config) in a\n"
		"Chromium-family browser, before it reaches AWS. The response travels deflated\n"
		"(fewer prompts, so fewer round trips), or, to a bastion that offers\n"
		"encoding=packed1, deflated against a preset dictionary and sent as bytes (fewer\n"
		"still); --no-compress sends it as it is, for a bastion whose pam_ecs_saml\n"
		"predates that (\"Malformed chunk header\").\n");
}

/* Take option `name` at argv[*i], as "--name VALUE" or "--name=VALUE", into *out and
 * advance *i past it. 1 when taken, 0 when argv[*i] is another argument, -EINVAL when the
 * value is missing. */
static int
take_value(int argc, char **argv, int *i, const char *name, const char **out)
{
	size_t n = strlen(name);
	const char *a = argv[*i];

	if (strncmp(a, name, n) != 0 || (a[n] != '=' && a[n] != '\0'))
		return 0;
	if (a[n] == '=') {
		*out = a + n + 1;
		*i += 1;
		return 1;
	}
	if (*i + 1 >= argc)
		return -EINVAL;
	*out = argv[*i + 1];
	*i += 2;
	return 1;
}

/* Our options come first; the first argument that is not one of them, and everything
 * after it, goes to ssh (or sudo) untouched. getopt is not used: it would have to
 * understand ssh's options (-p2222, -vvv) to know where ours end. 0, or -EINVAL. */
static int
parse_opts(int argc, char **argv, struct opts *o)
{
	int i = 1;
	int r;

	while (i < argc) {
		const char *arg = NULL;

		r = take_value(argc, argv, &i, "--response", &o->response);
		if (r == 0)
			r = take_value(argc, argv, &i, "--role", &o->role);
		if (r == 0)
			r = take_value(argc, argv, &i, "--browser-program", &o->browser_program);
		if (r == 0)
			r = take_value(argc, argv, &i, "--browser-profile", &o->browser_profile);
		if (r == 0)
			r = take_value(argc, argv, &i, "--browser-timeout", &o->browser_timeout);
		if (r == 0)
			r = take_value(argc, argv, &i, "--browser-arg", &arg);
		if (r > 0 && arg != NULL) {
			if (o->nbrowser_args == ECS_BROWSER_ARGS_MAX)
				return -EINVAL;
			o->browser_args[o->nbrowser_args++] = arg;
		}
		if (r < 0)
			return r;
		if (r > 0)
			continue;
		if (strncmp(argv[i], "--browser=", strlen("--browser=")) == 0) {
			o->browser = true;
			o->browser_url = argv[i] + strlen("--browser=");
		} else if (strcmp(argv[i], "--browser") == 0) {
			/* The URL is optional: taken when the next argument is a link (a
			 * destination is never https://...). */
			o->browser = true;
			if (i + 1 < argc && strncmp(argv[i + 1], "https://", 8) == 0)
				o->browser_url = argv[++i];
		} else if (strcmp(argv[i], "--print-response") == 0) {
			o->print_response = true;
		} else if (strcmp(argv[i], "--sudo") == 0) {
			o->sudo = true;
		} else if (strcmp(argv[i], "--no-compress") == 0) {
			o->no_compress = true;
		} else if (strcmp(argv[i], "--delete-response") == 0) {
			o->delete_response = true;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			o->help = true;
		} else if (strcmp(argv[i], "--version") == 0) {
			o->version = true;
		} else {
			if (strcmp(argv[i], "--") == 0)
				i++;
			break;
		}
		i++;
	}
	o->first_arg = i;
	if (!o->help && !o->version && !o->sudo && !o->print_response && i >= argc)
		return -EINVAL;
	return 0;
}

/* A Response logs in whoever presents it first, until it expires: a copy other users can
 * read is a login they can race the engineer for. Said, not refused: the engineer may have
 * no other place to put it, and the bastion's one-time use limits the damage to one login. */
static void
warn_if_readable(int fd, const char *src)
{
	struct stat st;

	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & (S_IRGRP | S_IROTH)))
		fprintf(stderr, PROG ": warning: %s is readable by other users (mode %04o): "
			"whoever reads it first can log in with it; keep it 0600 in a private "
			"directory, or use --delete-response\n", src, (unsigned)(st.st_mode & 07777));
}

static int
read_input(const char *src, struct ecs_buf *out)
{
	int fd = -1;
	int r;

	if (strcmp(src, "-") == 0)
		return ecs_read_all(STDIN_FILENO, out);
	fd = open(src, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	warn_if_readable(fd, src);
	r = ecs_read_all(fd, out);
	ecs_close(&fd);
	return r;
}

static void
report_input_error(const char *src, int r)
{
	const char *name = strcmp(src, "-") == 0 ? "stdin" : src;

	switch (r) {
	case -ENOENT:
		fprintf(stderr, PROG ": %s: no such file\n", name);
		break;
	case -EBADMSG:
		fprintf(stderr,
			PROG ": %s: not a SAML response (expected the base64 SAMLResponse value, "
			"the form body SAMLResponse=..., or the XML; a copy cut short also "
			"ends up here)\n",
			name);
		break;
	case -E2BIG:
		fprintf(stderr, PROG ": %s: too large for a SAML response (STS accepts %d "
			"base64 characters)\n", name, ECS_RESPONSE_MAX_B64);
		break;
	default:
		fprintf(stderr, PROG ": %s: %s\n", name, strerror(-r));
		break;
	}
}

/* A Response past its NotOnOrAfter would only be refused by the bastion after a full SSH
 * handshake, with a vaguer message; say it here. Responses without a parseable instant go
 * through: the bastion is the judge, this is only a courtesy. */
static int
check_expiry(const struct ecs_client_response *resp)
{
	char at[ECS_TIME_BUFSZ], now_s[ECS_TIME_BUFSZ];
	time_t t, now = time(NULL);

	if (ecs_client_not_on_or_after((const char *)resp->xml.data, resp->xml.len, &t) < 0)
		return 0;
	if (t > now)
		return 0;
	ecs_time_format(t, at);
	ecs_time_format(now, now_s);
	fprintf(stderr,
		PROG ": the SAML response expired at %s (it is now %s): sign in to your "
		"IdP again and copy a fresh one\n", at, now_s);
	return -EKEYEXPIRED;
}

static int
load_response(const struct opts *o, struct ecs_client_response *resp)
{
	const char *src = o->response ? o->response : getenv(RESPONSE_ENV);
	struct ecs_buf in;
	int r;

	ecs_buf_init(&in, ECS_CLIENT_INPUT_MAX);
	if (src == NULL || src[0] == '\0') {
		fprintf(stderr, PROG ": no SAML response: use --response FILE, --response - "
			"(stdin) or set " RESPONSE_ENV "=FILE\n");
		r = -EINVAL;
		goto out;
	}
	if (o->delete_response && strcmp(src, "-") == 0) {
		fprintf(stderr, PROG ": --delete-response needs a file, not stdin\n");
		r = -EINVAL;
		goto out;
	}
	r = read_input(src, &in);
	if (r == 0)
		r = ecs_client_response_parse((const char *)in.data, in.len, resp);
	if (r < 0) {
		report_input_error(src, r);
		goto out;
	}
	/* Only a file that did hold a Response is deleted: a wrong path must not cost the
	 * engineer an unrelated file. From here on the Response lives only in our memory. */
	if (o->delete_response && unlink(src) < 0)
		fprintf(stderr, PROG ": warning: cannot delete %s: %s\n", src, strerror(errno));
	r = check_expiry(resp);
out:
	ecs_buf_free(&in);
	return r;
}

/* The configuration file, when there is one: 0 (read, or absent) or -EINVAL (reported). */
static int
load_config(struct ecs_client_config *cfg)
{
	char path[PATH_MAX], err[256];
	struct ecs_buf text;
	int fd, r;

	memset(cfg, 0, sizeof(*cfg));
	if (ecs_client_config_path(path, sizeof(path)) < 0)
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		fprintf(stderr, PROG ": %s: %s\n", path, strerror(errno));
		return -EINVAL;
	}
	ecs_buf_init(&text, 64 * 1024);
	r = ecs_read_all(fd, &text);
	ecs_close(&fd);
	if (r < 0)
		fprintf(stderr, PROG ": %s: %s\n", path, strerror(-r));
	else if (ecs_client_config_parse((const char *)text.data, text.len, cfg, err,
					 sizeof(err)) < 0)
		fprintf(stderr, PROG ": %s: %s\n", path, err);
	else
		r = 1;
	ecs_buf_free(&text);
	return r == 1 ? 0 : -EINVAL;
}

/* The --browser settings from the options, the configuration file and the defaults.
 * 0, or -EINVAL (a usage error, reported). */
static int
browser_setup(const struct opts *o, const struct ecs_client_config *cfg,
	      struct ecs_client_browser *b)
{
	char path[PATH_MAX];

	if (!o->browser) {
		if (o->print_response || o->browser_program || o->browser_profile ||
		    o->browser_timeout || o->nbrowser_args) {
			fprintf(stderr, PROG ": --print-response and the --browser-* options go "
				"with --browser\n");
			return -EINVAL;
		}
		return 0;
	}
	if (o->response != NULL || o->delete_response) {
		fprintf(stderr, PROG ": --browser takes the SAML response from the browser: "
			"leave out --response and --delete-response\n");
		return -EINVAL;
	}
	memset(b, 0, sizeof(*b));
	if (o->print_response && isatty(STDOUT_FILENO)) {
		fprintf(stderr, PROG ": refusing to print the SAML response on a terminal (it "
			"would stay in the scrollback): pipe it to the program that needs it, "
			"e.g. ... | " PROG " --sudo --response - COMMAND\n");
		return -EINVAL;
	}
	b->url = o->browser_url ? o->browser_url : cfg->browser_url[0] ? cfg->browser_url : NULL;
	if (b->url == NULL) {
		if (ecs_client_config_path(path, sizeof(path)) < 0)
			strcpy(path, "~/.config/ecs-saml-ssh/config");
		fprintf(stderr, PROG ": --browser needs your IdP's sign-in link for the AWS "
			"application: give it as --browser URL, or as browser_url = URL in %s\n",
			path);
		return -EINVAL;
	}
	if (!ecs_client_config_url_ok(b->url)) {
		fprintf(stderr, PROG ": the sign-in link must be an https:// URL without spaces: "
			"\"%.200s\"\n", b->url);
		return -EINVAL;
	}
	b->program = o->browser_program ? o->browser_program
		     : cfg->browser_program[0] ? cfg->browser_program : NULL;
	b->profile = o->browser_profile;
	b->timeout = cfg->browser_timeout ? cfg->browser_timeout : ECS_BROWSER_TIMEOUT_DEFAULT;
	if (o->browser_timeout != NULL) {
		char *end;
		unsigned long n;

		errno = 0;
		n = strtoul(o->browser_timeout, &end, 10);
		if (errno != 0 || *end != '\0' || o->browser_timeout[0] < '0' ||
		    o->browser_timeout[0] > '9' || n < 1 || n > 3600) {
			fprintf(stderr, PROG ": --browser-timeout takes seconds from 1 to 3600\n");
			return -EINVAL;
		}
		b->timeout = (unsigned)n;
	}
	for (size_t i = 0; i < o->nbrowser_args; i++) {
		if (!ecs_client_browser_arg_ok(o->browser_args[i])) {
			fprintf(stderr, PROG ": refusing --browser-arg %s: the browser is driven "
				"over a private pipe only, never a debugging port, and its profile "
				"is chosen with --browser-profile\n", o->browser_args[i]);
			return -EINVAL;
		}
		b->args[b->nargs++] = o->browser_args[i];
	}
	return 0;
}

/* --print-response: the captured Response, one line of base64, for a pipe. */
static int
print_response(const struct ecs_client_response *resp)
{
	if (ecs_write_all(STDOUT_FILENO, resp->b64.data, resp->b64.len) < 0 ||
	    ecs_write_all(STDOUT_FILENO, "\n", 1) < 0) {
		fprintf(stderr, PROG ": cannot write the SAML response: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}

/* The Response from the browser sign-in; as load_response: 0, -EINVAL or another error
 * (reported), -EINTR when interrupted. */
static int
capture_response(const struct ecs_client_browser *b, struct ecs_client_response *resp)
{
	int r = ecs_client_browser_capture(b, resp);

	if (r == -2)
		return -EINTR;
	if (r < 0)
		return -EIO;
	return check_expiry(resp);
}

/* The absolute path of this executable, for SSH_ASKPASS / SUDO_ASKPASS. */
static int
self_path(char *buf, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);

	if (n < 0)
		return -errno;
	if ((size_t)n >= size - 1)
		return -ENAMETOOLONG;
	buf[n] = '\0';
	return 0;
}

/* In the forked child: become ssh (or sudo -A) with this program, through the channel's
 * askpass link, as its askpass; ssh's standard error goes to errfd (the relay) when >= 0. */
static void
exec_client(const struct opts *o, int argc, char **argv, const char *askpass, const char *sock,
	    const sigset_t *saved, int errfd)
{
	const size_t nforced = sizeof(ssh_forced) / sizeof(ssh_forced[0]);
	const char **args = calloc((size_t)argc + nforced + 3, sizeof(*args));
	size_t n = 0;

	if (args == NULL)
		_exit(127);
	if (errfd >= 0 && dup2(errfd, STDERR_FILENO) < 0)
		_exit(127);
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	sigprocmask(SIG_SETMASK, saved, NULL);
	if (setenv(ECS_CLIENT_SOCK_ENV, sock, 1) < 0)
		_exit(127);
	if (o->sudo) {
		args[n++] = "sudo";
		args[n++] = "-A";
		if (setenv("SUDO_ASKPASS", askpass, 1) < 0)
			_exit(127);
	} else {
		args[n++] = "ssh";
		for (size_t i = 0; i < nforced; i++)
			args[n++] = ssh_forced[i];
		if (setenv("SSH_ASKPASS", askpass, 1) < 0 ||
		    setenv("SSH_ASKPASS_REQUIRE", "force", 1) < 0)
			_exit(127);
	}
	for (int i = o->first_arg; i < argc; i++)
		args[n++] = argv[i];
	args[n] = NULL;
	execvp(args[0], (char *const *)args);
	fprintf(stderr, PROG ": cannot run %s: %s\n", args[0], strerror(errno));
	_exit(127);
}

static void
report_refusal(int status)
{
	switch (status) {
	case ECS_CHAN_REFUSED:
		fprintf(stderr, PROG ": refused a prompt that is not pam_ecs_saml's (or came "
			"out of order); the SAML response was not typed into it\n");
		break;
	case ECS_CHAN_ALREADY:
		fprintf(stderr, PROG ": the bastion asked for the SAML response again; it was "
			"already sent once and is not sent twice\n");
		break;
	case ECS_CHAN_NOROLE:
		fprintf(stderr, PROG ": the bastion offers several roles: choose one with "
			"--role N or --role ARN\n");
		break;
	default:
		break;
	}
}

/* Serve askpass requests and relay ssh's standard error (relayfd, -1 for none) until the
 * child exits; returns its wait status. The Response is wiped as soon as its last chunk is
 * out: a ROLE prompt may still follow, nothing else. */
static int
serve(struct ecs_client_chan *chan, struct ecs_client_answerer *a,
      struct ecs_client_response *resp, pid_t child, int pidfd, int sigfd, int relayfd,
      struct ecs_client_relay *relay)
{
	struct pollfd p[4] = {
		{ .fd = pidfd, .events = POLLIN },
		{ .fd = sigfd, .events = POLLIN },
		{ .fd = chan->lfd, .events = POLLIN },
		{ .fd = relayfd, .events = POLLIN },
	};
	int st = 0;

	for (;;) {
		if (poll(p, 4, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[0].revents)
			break;
		if (p[1].revents) {
			struct signalfd_siginfo si;

			/* Forward a hangup or termination so ssh ends the session cleanly
			 * and this process can remove its socket directory. */
			if (read(sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
				kill(child, (int)si.ssi_signo);
		}
		if (p[2].revents) {
			int r = ecs_client_chan_serve_one(chan, a);

			if (r >= 0)
				report_refusal(r);
			if (a->sent)
				ecs_client_response_free(resp);
		}
		if (p[3].revents && ecs_client_relay_pump(relay, relayfd, STDERR_FILENO) != 0)
			p[3].fd = -1;	/* end of file (or an error): nothing more to relay */
	}
	/* what ssh wrote just before it exited; a process it left behind (a ControlPersist
	 * master) may hold the pipe open, so take what is there and do not wait for EOF */
	if (p[3].fd >= 0)
		ecs_client_relay_pump(relay, relayfd, STDERR_FILENO);
	while (waitpid(child, &st, 0) < 0 && errno == EINTR)
		;
	return st;
}

/* ssh ended without pam_ecs_saml ever asking: say why, as far as ssh's own words tell. */
static void
report_never_asked(const struct opts *o, const struct ecs_client_relay *relay)
{
	if (o->sudo)
		fprintf(stderr, PROG ": sudo never asked for a SAML response (does it run "
			"pam_ecs_saml?)\n");
	else if (relay->denied && !ecs_client_relay_offered(relay, "keyboard-interactive"))
		fprintf(stderr, PROG ": the bastion does not offer keyboard-interactive "
			"authentication (it offers: %s), the only way pam_ecs_saml can ask for "
			"the SAML response: ask the bastion's administrator to set "
			"KbdInteractiveAuthentication yes in its sshd configuration (code "
			"sshd-kbdint in its log)\n", relay->methods);
	else if (relay->denied)
		fprintf(stderr, PROG ": the bastion refused before asking for the SAML response; "
			"its reason, if it gave one, is above (none: ask the bastion's "
			"administrator whether its PAM stack runs pam_ecs_saml)\n");
	else
		fprintf(stderr, PROG ": the bastion never asked for a SAML response (does it run "
			"pam_ecs_saml with keyboard-interactive, and know the user?)\n");
}

/* Exit status of ssh (or sudo) as a shell reports it. */
static int
exit_status(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

/* Run ssh (or sudo) and serve it; returns the exit status for main: the child's, or 255
 * when it could not be started, as ssh itself reports its own failures. */
static int
run_parent(const struct opts *o, int argc, char **argv, struct ecs_client_response *resp)
{
	struct ecs_client_chan chan = { .lfd = -1 };
	struct ecs_client_answerer a;
	struct ecs_client_relay relay;
	char self[PATH_MAX];
	sigset_t fwd, saved;
	int pidfd = -1, sigfd = -1, errp[2] = { -1, -1 };
	int status = 255;
	pid_t child;
	int r;

	r = self_path(self, sizeof(self));
	if (r == 0)
		r = ecs_client_chan_open(&chan, self);
	if (r < 0) {
		fprintf(stderr, PROG ": cannot set up the askpass channel: %s\n", strerror(-r));
		goto out;
	}
	/* ssh's standard error comes through us, to learn why it ends if it never asks */
	ecs_client_relay_init(&relay);
	if (!o->sudo && pipe2(errp, O_CLOEXEC) < 0) {
		fprintf(stderr, PROG ": pipe: %s\n", strerror(errno));
		goto out;
	}
	if (errp[0] >= 0 && fcntl(errp[0], F_SETFL, O_NONBLOCK) < 0) {
		fprintf(stderr, PROG ": fcntl: %s\n", strerror(errno));
		goto out;
	}
	/* sudo refuses answers of 512 bytes or more: it gets the paste mode */
	ecs_client_answerer_init_response(&a, o->sudo ? ECS_CLIENT_LINES : ECS_CLIENT_CHUNKED,
					  resp, !o->no_compress, o->role);
	sigemptyset(&fwd);
	sigaddset(&fwd, SIGHUP);
	sigaddset(&fwd, SIGTERM);
	sigprocmask(SIG_BLOCK, &fwd, &saved);
	/* ^C and ^\ reach ssh through the terminal; ssh decides, this process outlives it. */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	sigfd = signalfd(-1, &fwd, SFD_CLOEXEC);
	child = sigfd < 0 ? -1 : fork();
	if (child < 0) {
		fprintf(stderr, PROG ": cannot start %s: %s\n", o->sudo ? "sudo" : "ssh",
			strerror(errno));
		goto out;
	}
	if (child == 0)
		exec_client(o, argc, argv, chan.askpass, chan.path, &saved, errp[1]);
	ecs_close(&errp[1]);	/* ssh holds the write end now: its exit is our EOF */
	pidfd = (int)syscall(SYS_pidfd_open, child, 0);
	if (pidfd < 0) {
		fprintf(stderr, PROG ": pidfd_open: %s\n", strerror(errno));
		kill(child, SIGTERM);
		waitpid(child, NULL, 0);
		goto out;
	}
	status = exit_status(serve(&chan, &a, resp, child, pidfd, sigfd, errp[0], &relay));
	if (status != 0 && a.next_chunk == 0)
		report_never_asked(o, &relay);
out:
	ecs_close(&errp[0]);
	ecs_close(&errp[1]);
	ecs_close(&pidfd);
	ecs_close(&sigfd);
	ecs_client_chan_close(&chan);
	return status;
}

/* The line a user would recognise a prompt by (sshd prepends info text to it). */
static const char *
last_line(const char *prompt)
{
	const char *nl = strrchr(prompt, '\n');

	return nl != NULL ? nl + 1 : prompt;
}

/* The askpass part: one prompt in argv[1], one answer on stdout. */
static int
run_askpass(const char *sock, const char *prompt)
{
	struct ecs_buf answer;
	unsigned idx, total;
	int r;

	ecs_buf_init(&answer, ECS_KBD_PROTO_SSH_CUT);
	/* Refuse foreign prompts before even asking the parent (it refuses them too). */
	if (ecs_kbd_proto_classify_prompt(ecs_client_prompt_text(prompt), &idx, &total) ==
	    ECS_PROMPT_UNKNOWN) {
		fprintf(stderr, PROG ": refusing to answer a prompt that is not from "
			"pam_ecs_saml: \"%.120s\"\n", last_line(prompt));
		r = 1;
		goto out;
	}
	r = ecs_client_chan_ask(sock, prompt, &answer);
	if (r < 0) {
		fprintf(stderr, PROG ": askpass cannot reach ecs-saml-ssh: %s\n", strerror(-r));
		r = 1;
	} else if (r != ECS_CHAN_OK) {
		/* The parent reports the reason; ssh sees an empty answer and gives up. */
		if (r == ECS_CHAN_NOROLE)
			fprintf(stderr, "%s\n", prompt);
		else
			fprintf(stderr, PROG ": not answered: \"%.120s\"\n", last_line(prompt));
		r = 1;
	} else {
		r = fwrite(answer.data, 1, answer.len, stdout) == answer.len &&
				    fputc('\n', stdout) != EOF && fflush(stdout) == 0
			    ? 0
			    : 1;
	}
out:
	ecs_buf_free(&answer);
	return r;
}

static bool
looks_like_our_prompt(const char *arg)
{
	unsigned idx, total;

	return ecs_kbd_proto_classify_prompt(ecs_client_prompt_text(arg), &idx, &total) !=
	       ECS_PROMPT_UNKNOWN;
}

static void
harden(void)
{
	struct rlimit nocore = { 0, 0 };

	/* The Response sits in this process's memory: keep it out of core dumps and out of
	 * reach of /proc/PID/mem for anything but root. */
	setrlimit(RLIMIT_CORE, &nocore);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

int
main(int argc, char **argv)
{
	struct ecs_client_response resp;
	struct ecs_client_config cfg;
	struct ecs_client_browser b;
	struct opts o = { 0 };
	const char *sock = getenv(ECS_CLIENT_SOCK_ENV);
	const char *proxy;
	int status;

	harden();
	if (sock != NULL && argc == 2 && ecs_client_chan_is_askpass(argv[0], sock))
		return run_askpass(sock, argv[1]);
	if (argc == 2 && looks_like_our_prompt(argv[1])) {
		/* Started as SSH_ASKPASS/SUDO_ASKPASS directly, without the parent that holds
		 * the Response: it must not be mistaken for "ssh <prompt>". */
		fprintf(stderr, PROG ": started as askpass without its parent: run "
			PROG " [--sudo] --response FILE ... instead\n");
		return 1;
	}
	if (parse_opts(argc, argv, &o) < 0) {
		usage(stderr);
		return 2;
	}
	if (o.help) {
		usage(stdout);
		return 0;
	}
	if (o.version) {
		printf(PROG " %s\n", ECS_VERSION);
		return 0;
	}
	proxy = o.sudo ? NULL : ecs_client_ssh_proxy_arg(argc - o.first_arg, argv + o.first_arg);
	if (proxy != NULL) {
		fprintf(stderr, PROG ": refusing %s: a jump host or ProxyCommand authenticates in "
			"an ssh of its own, whose prompts would reach this program; log in to "
			"the bastion directly\n", proxy);
		return 2;
	}
	if (load_config(&cfg) < 0 || browser_setup(&o, &cfg, &b) < 0)
		return 2;
	ecs_client_response_init(&resp);
	switch (o.browser ? capture_response(&b, &resp) : load_response(&o, &resp)) {
	case 0:
		status = o.print_response ? print_response(&resp)
					  : run_parent(&o, argc, argv, &resp);
		break;
	case -EINVAL:
		status = 2;	/* no Response named: a usage error */
		break;
	case -EINTR:
		status = 130;
		break;
	default:
		status = 1;	/* the Response was refused here, reported already */
		break;
	}
	ecs_client_response_free(&resp);
	return status;
}
