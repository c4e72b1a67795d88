/* client_config.h — ecs-saml-ssh's own configuration file, for what an engineer would
 * otherwise type every time: the IdP's sign-in link for --browser, and which browser.
 *
 *   $XDG_CONFIG_HOME/ecs-saml-ssh/config (default ~/.config/ecs-saml-ssh/config)
 *
 * Lines "key = value"; blank lines and lines starting with '#' are skipped. Keys:
 *   browser_url      the IdP's AWS application sign-in link (https://...)
 *   browser_program  the browser to run: a path, or a name looked up on PATH
 *   browser_timeout  seconds a --browser sign-in may take (1..3600)
 * An unknown key, a key given twice or a bad value is an error naming the file and line:
 * a misspelt key must not silently open the wrong page. Options on the command line win. */
#ifndef ECS_CLIENT_CONFIG_H
#define ECS_CLIENT_CONFIG_H

#include <stddef.h>

#define ECS_CLIENT_CONFIG_VALUE_MAX 2048

struct ecs_client_config {
	char browser_url[ECS_CLIENT_CONFIG_VALUE_MAX];	/* "" when not set */
	char browser_program[ECS_CLIENT_CONFIG_VALUE_MAX];
	unsigned browser_timeout;	/* 0 when not set */
};

/* Read text[len] into cfg (which the caller zeroed). 0, or -EINVAL with the reason and
 * line in err. */
int ecs_client_config_parse(const char *text, size_t len, struct ecs_client_config *cfg,
			    char *err, size_t errsz);

/* Whether s is a URL --browser accepts: https://, printable ASCII, no spaces. */
int ecs_client_config_url_ok(const char *s);

/* The path of the configuration file into path[size]. 0 or -ENOENT (no HOME). */
int ecs_client_config_path(char *path, size_t size);

#endif
