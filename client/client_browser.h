/* client_browser.h — ecs-saml-ssh --browser: capture the SAML Response from the engineer's own
 * sign-in in a Chromium-family browser, without it ever reaching AWS.
 *
 * The browser runs with --remote-debugging-pipe: the DevTools protocol on two pipes (its fds
 * 3 and 4) that only this process holds. Never a debugging port: a port has no
 * authentication and every local user could drive the browser, and read the Response. The
 * conversation itself is client_cdp.h; this file owns the process, the profile directory,
 * the pipes and the time limit. The engineer's password and MFA go to the IdP's page as in
 * any sign-in: this program sees only the POST the page makes to AWS. */
#ifndef ECS_CLIENT_BROWSER_H
#define ECS_CLIENT_BROWSER_H

#include <stddef.h>

#include "client_input.h"

#define ECS_BROWSER_TIMEOUT_DEFAULT 300	/* seconds for the whole sign-in */
#define ECS_BROWSER_ARGS_MAX 16

struct ecs_client_browser {
	const char *program;	/* the browser to run: a path, a name on PATH, or NULL to
				 * search PATH for the known ones (ECS_BROWSER_CANDIDATES) */
	const char *url;	/* the IdP's sign-in URL (https://...) */
	const char *profile;	/* the engineer's own profile directory; NULL: a throwaway */
	const char *args[ECS_BROWSER_ARGS_MAX];	/* extra browser arguments */
	size_t nargs;
	unsigned timeout;	/* seconds */
};

/* The names searched on PATH, in order, as the manual page lists them. */
#define ECS_BROWSER_CANDIDATES \
	"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", \
	"microsoft-edge", "microsoft-edge-stable", "brave-browser"

/* Whether arg may be passed to the browser: not one that opens a debugging port or picks a
 * profile behind this program's back. */
int ecs_client_browser_arg_ok(const char *arg);

/* Run the sign-in: on success (0) resp (freshly initialised by the caller) holds the
 * Response. Otherwise the reason has been printed on standard error and the result is -1
 * (the sign-in failed, timed out, or the browser is missing or ended) or -2 (interrupted
 * by a signal: the caller exits 130). The browser is gone and the throwaway profile removed
 * either way. */
int ecs_client_browser_capture(const struct ecs_client_browser *b, struct ecs_client_response *resp);

#endif
