/* sshd_check.c — sshd's configuration read for the two settings without which no
 * federated login reaches PAM (sshd_check.h). */
#include <errno.h>
#include <glob.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sshd_check.h"

#define SSHD_DIR "/etc/ssh/"	/* where sshd resolves a relative Include */
#define MAX_DEPTH 16		/* sshd's own limit on nested Includes */
#define WHERE_MAX 256

/* The first value of a keyword outside Match (as sshd keeps it), and where it was set. */
struct setting {
	int value;		/* -1 unset, 0 no, 1 yes (or anything else sshd takes as on) */
	char where[WHERE_MAX];
	bool on_in_match;	/* some Match block turns it on */
};

struct scan {
	struct setting pam;
	struct setting kbd;
};

static int scan_file(struct scan *s, const char *path, bool in_match, unsigned depth);

static void
note(struct setting *set, const char *value, bool in_match, const char *path, unsigned line)
{
	bool off = strcasecmp(value, "no") == 0;

	if (in_match) {
		set->on_in_match |= !off;
		return;
	}
	if (set->value != -1)
		return;	/* sshd keeps the first value */
	set->value = off ? 0 : 1;
	snprintf(set->where, sizeof(set->where), "%s:%u", path, line);
}

/* "Include FILE...": each argument a glob, relative ones under /etc/ssh. */
static int
include(struct scan *s, char *args, bool in_match, unsigned depth)
{
	char *save = NULL, *arg, pat[4096];
	glob_t g;
	int r = 0;

	for (arg = strtok_r(args, " \t", &save); r == 0 && arg != NULL;
	     arg = strtok_r(NULL, " \t", &save)) {
		snprintf(pat, sizeof(pat), "%s%s", arg[0] == '/' ? "" : SSHD_DIR, arg);
		memset(&g, 0, sizeof(g));
		if (glob(pat, 0, NULL, &g) == 0)
			for (size_t i = 0; r == 0 && i < g.gl_pathc; i++)
				r = scan_file(s, g.gl_pathv[i], in_match, depth + 1);
		globfree(&g);
	}
	return r;
}

/* One line: "Keyword value" or "Keyword=value"; '#' starts a comment. */
static int
scan_line(struct scan *s, char *line, const char *path, unsigned lineno, bool *in_match,
	  unsigned depth)
{
	char *kw, *rest, *end;

	line[strcspn(line, "\r\n")] = '\0';
	kw = line + strspn(line, " \t");
	if (*kw == '\0' || *kw == '#')
		return 0;
	rest = kw + strcspn(kw, " \t=");
	if (*rest != '\0') {
		*rest++ = '\0';
		rest += strspn(rest, " \t");
		if (*rest == '=')
			rest += 1 + strspn(rest + 1, " \t");
	}
	end = rest + strlen(rest);
	while (end > rest && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	if (strcasecmp(kw, "Match") == 0) {
		/* "Match all" ends the conditional part as well as starting one that applies
		 * to everybody: either way what follows may be anyone's */
		*in_match = strcasecmp(rest, "all") != 0;
		return 0;
	}
	if (strcasecmp(kw, "Include") == 0)
		return include(s, rest, *in_match, depth);
	rest[strcspn(rest, " \t")] = '\0';
	if (strcasecmp(kw, "UsePAM") == 0)
		note(&s->pam, rest, *in_match, path, lineno);
	else if (strcasecmp(kw, "KbdInteractiveAuthentication") == 0 ||
		 strcasecmp(kw, "ChallengeResponseAuthentication") == 0)
		note(&s->kbd, rest, *in_match, path, lineno);
	return 0;
}

static int
scan_file(struct scan *s, const char *path, bool in_match, unsigned depth)
{
	char *line = NULL;
	size_t cap = 0;
	unsigned lineno = 0;
	FILE *f;
	int r = 0;

	if (depth > MAX_DEPTH)
		return -ELOOP;
	f = fopen(path, "re");
	if (f == NULL)
		return depth == 0 ? -errno : 0;	/* sshd skips what a glob named and vanished */
	while (r == 0 && getline(&line, &cap, f) >= 0)
		r = scan_line(s, line, path, ++lineno, &in_match, depth);
	free(line);
	fclose(f);
	return r;
}

int
ecs_sshd_check(const char *path, const char **code, char *why, size_t whysz)
{
	struct scan s = { .pam = { .value = -1 }, .kbd = { .value = -1 } };
	int r;

	*code = NULL;
	r = scan_file(&s, path, false, 0);
	if (r < 0) {
		snprintf(why, whysz, "%s: %s", path, r == -ELOOP ? "Include nested too deeply" :
			 strerror(-r));
		return r;
	}
	if (s.pam.value != 1 && !s.pam.on_in_match) {
		*code = ECS_SSHD_NO_PAM;
		if (s.pam.value == 0)
			snprintf(why, whysz, "UsePAM no (%s): sshd never runs PAM, so no federated "
				 "user can log in; set UsePAM yes", s.pam.where);
		else
			snprintf(why, whysz, "UsePAM is not set in %s or its Includes, and sshd's "
				 "default is no: no federated user can log in; set UsePAM yes", path);
	} else if (s.kbd.value == 0 && !s.kbd.on_in_match) {
		*code = ECS_SSHD_KBDINT;
		snprintf(why, whysz, "KbdInteractiveAuthentication no (%s), and no Match block "
			 "turns it on: sshd never offers keyboard-interactive, the only way "
			 "pam_ecs_saml can ask for a Response; set KbdInteractiveAuthentication "
			 "yes (pam.d/sshd_config.d/50-pam_ecs_saml.conf)", s.kbd.where);
	}
	return 0;
}
