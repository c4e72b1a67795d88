/* test_client_sshargs.c — which ssh arguments ecs-saml-ssh refuses: a jump host or a
 * ProxyCommand, wherever ssh's own parser would read it as an option, and nothing else. */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "client_sshargs.h"
#include "tap.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* The argument reported for argv, compared with want (NULL: nothing refused). */
static bool
found(int argc, char *const *argv, const char *want)
{
	const char *got = ecs_client_ssh_proxy_arg(argc, argv);

	return want == NULL ? got == NULL : got != NULL && strcmp(got, want) == 0;
}

int
main(void)
{
	char *plain[] = { "-p", "2222", "-o", "LogLevel=INFO", "alice@bastion", "aws", "-J", "x" };
	char *j_sep[] = { "-J", "jump@host", "alice@bastion" };
	char *j_glued[] = { "-vJjump", "alice@bastion" };
	char *o_sep[] = { "-o", "ProxyJump=jump", "alice@bastion" };
	char *o_glued[] = { "-oproxycommand=nc %h %p", "alice@bastion" };
	char *o_space[] = { "-o", " ProxyCommand nc %h %p", "alice@bastion" };
	char *after_dest[] = { "alice@bastion", "-o", "ProxyJump jump", "true" };
	char *value_not_option[] = { "-l", "-J", "-o", "ProxyJumpy=1", "bastion" };
	char *dashdash[] = { "--", "bastion", "-J", "x" };
	char *dashdash2[] = { "bastion", "--", "-J", "x" };
	char *missing[] = { "-o" };

	T_OK(found(N(plain), plain, NULL),
	     "ordinary options pass, and a -J in the remote command is not ssh's");
	T_OK(found(N(j_sep), j_sep, "-J"), "-J HOST refused");
	T_OK(found(N(j_glued), j_glued, "-vJjump"), "-J glued after another flag refused");
	T_OK(found(N(o_sep), o_sep, "-o"), "-o ProxyJump=... refused");
	T_OK(found(N(o_glued), o_glued, "-oproxycommand=nc %h %p"),
	     "-oProxyCommand=... refused, in any case");
	T_OK(found(N(o_space), o_space, "-o"), "-o 'ProxyCommand ...' (space form) refused");
	T_OK(found(N(after_dest), after_dest, "-o"),
	     "an option after the destination (ssh parses those too) refused");
	T_OK(found(N(value_not_option), value_not_option, NULL),
	     "an option's value that looks like -J, and a longer keyword, are not refused");
	T_OK(found(N(dashdash), dashdash, "-J"), "after -- DEST, options are read again");
	T_OK(found(N(dashdash2), dashdash2, NULL), "DEST -- ends the options: the rest is the command");
	T_OK(found(N(missing), missing, NULL), "a missing -o value is left to ssh");
	T_DONE();
}
