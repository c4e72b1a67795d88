/* test_client_config.c — ecs-saml-ssh's configuration file: the keys, and each refusal. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "client_config.h"
#include "tap.h"

static int
parse(const char *text, struct ecs_client_config *cfg, char *err)
{
	memset(cfg, 0, sizeof(*cfg));
	err[0] = '\0';
	return ecs_client_config_parse(text, strlen(text), cfg, err, 200);
}

int
main(void)
{
	struct ecs_client_config cfg;
	char err[200], path[256];

	T_OK(parse("# mine\n\n  browser_url = https://idp.example.com/sso?a=b  \r\n"
		   "browser_program=/opt/chrome/chrome\nbrowser_timeout = 120\n", &cfg, err) == 0 &&
		     strcmp(cfg.browser_url, "https://idp.example.com/sso?a=b") == 0 &&
		     strcmp(cfg.browser_program, "/opt/chrome/chrome") == 0 &&
		     cfg.browser_timeout == 120, "reads the three keys, blanks and comments around");
	T_OK(parse("", &cfg, err) == 0 && cfg.browser_url[0] == '\0' && cfg.browser_timeout == 0,
	     "an empty file sets nothing");
	T_OK(parse("browser_ulr = https://x\n", &cfg, err) < 0 &&
		     strcmp(err, "line 1: unknown key \"browser_ulr\" (known: browser_url, "
				 "browser_program, browser_timeout)") == 0, "a misspelt key: %s", err);
	T_OK(parse("\nbrowser_url = http://idp.example.com/\n", &cfg, err) < 0 &&
		     strstr(err, "line 2: browser_url must be an https:// link") != NULL,
	     "a link that is not https: %s", err);
	T_OK(parse("browser_url = https://a b\n", &cfg, err) < 0, "a link with a space");
	T_OK(parse("browser_url = https://a\nbrowser_url = https://b\n", &cfg, err) < 0 &&
		     strcmp(err, "line 2: browser_url is given twice") == 0, "a key twice: %s", err);
	T_OK(parse("browser_timeout = 0\n", &cfg, err) < 0 &&
		     parse("browser_timeout = 3601\n", &cfg, err) < 0 &&
		     parse("browser_timeout = -5\n", &cfg, err) < 0 &&
		     parse("browser_timeout = 5s\n", &cfg, err) < 0 &&
		     parse("browser_timeout = 3600\n", &cfg, err) == 0, "timeouts from 1 to 3600 only");
	T_OK(parse("browser_program =\n", &cfg, err) < 0 && strstr(err, "has no value"),
	     "a key without a value: %s", err);
	T_OK(parse("just words\n", &cfg, err) < 0 && strstr(err, "expected \"key = value\""),
	     "a line without '=': %s", err);
	T_OK(ecs_client_config_parse("browser_url = https://a\0x\n", 25, &cfg, err, 200) < 0,
	     "a NUL byte");
	setenv("XDG_CONFIG_HOME", "/xdg", 1);
	T_OK(ecs_client_config_path(path, sizeof(path)) == 0 &&
		     strcmp(path, "/xdg/ecs-saml-ssh/config") == 0, "XDG_CONFIG_HOME: %s", path);
	unsetenv("XDG_CONFIG_HOME");
	setenv("HOME", "/home/alice", 1);
	T_OK(ecs_client_config_path(path, sizeof(path)) == 0 &&
		     strcmp(path, "/home/alice/.config/ecs-saml-ssh/config") == 0, "HOME: %s", path);
	T_DONE();
}
