/* client_sshargs.c — finding a jump host or ProxyCommand among ssh's arguments
 * (client_sshargs.h). */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "client_sshargs.h"

/* The options of OpenSSH's ssh that take a value (its getopt string, 9.x): the value is
 * the rest of the argument or the next one, and must not be read as options. */
static const char ssh_valued[] = "bceilmopBDEFIJLOPQRSwW";

/* An -o value naming ProxyJump or ProxyCommand: ssh reads the keyword up to '=' or
 * whitespace, case-insensitively. */
static bool
is_proxy_keyword(const char *v)
{
	size_t n;

	v += strspn(v, " \t");
	n = strcspn(v, " \t=");
	return (n == strlen("ProxyJump") && strncasecmp(v, "ProxyJump", n) == 0) ||
	       (n == strlen("ProxyCommand") && strncasecmp(v, "ProxyCommand", n) == 0);
}

/* Scan the option letters of argv[*i] (which starts with '-'), consuming a separate value
 * argument when one is due. true when the argument asks for a proxy. */
static bool
proxy_in_option(int argc, char *const *argv, int *i)
{
	const char *a = argv[*i];

	for (size_t k = 1; a[k] != '\0'; k++) {
		const char *value;

		if (strchr(ssh_valued, a[k]) == NULL)
			continue;
		if (a[k + 1] != '\0')
			value = a + k + 1;
		else if (*i + 1 < argc)
			value = argv[++*i];
		else
			return false;	/* ssh itself reports the missing value */
		return a[k] == 'J' || (a[k] == 'o' && is_proxy_keyword(value));
	}
	return false;
}

const char *
ecs_client_ssh_proxy_arg(int argc, char *const *argv)
{
	bool seen_destination = false;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		int at = i;

		if (strcmp(a, "--") == 0 || a[0] != '-' || a[1] == '\0') {
			/* ssh restarts option parsing once after the destination; the first
			 * word after that is the remote command. */
			if (seen_destination)
				return NULL;
			seen_destination = true;
			if (strcmp(a, "--") == 0 && i + 1 < argc)
				i++;
			continue;
		}
		if (proxy_in_option(argc, argv, &i))
			return argv[at];
	}
	return NULL;
}
