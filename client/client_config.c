/* client_config.c — ecs-saml-ssh's configuration file (client_config.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_config.h"

int
ecs_client_config_url_ok(const char *s)
{
	if (strncmp(s, "https://", strlen("https://")) != 0 || s[strlen("https://")] == '\0')
		return 0;
	for (; *s; s++)
		if (*s <= 0x20 || *s >= 0x7f)
			return 0;
	return 1;
}

static int
set_value(struct ecs_client_config *cfg, const char *key, const char *val, char *err,
	  size_t errsz)
{
	char *dst = NULL;
	char *end;
	unsigned long n;

	if (strcmp(key, "browser_url") == 0) {
		if (!ecs_client_config_url_ok(val)) {
			snprintf(err, errsz, "browser_url must be an https:// link without spaces");
			return -EINVAL;
		}
		dst = cfg->browser_url;
	} else if (strcmp(key, "browser_program") == 0) {
		dst = cfg->browser_program;
	} else if (strcmp(key, "browser_timeout") == 0) {
		if (cfg->browser_timeout != 0) {
			snprintf(err, errsz, "browser_timeout is given twice");
			return -EINVAL;
		}
		errno = 0;
		n = strtoul(val, &end, 10);
		if (errno != 0 || *end != '\0' || val[0] < '0' || val[0] > '9' || n < 1 || n > 3600) {
			snprintf(err, errsz, "browser_timeout must be seconds from 1 to 3600");
			return -EINVAL;
		}
		cfg->browser_timeout = (unsigned)n;
		return 0;
	} else {
		snprintf(err, errsz, "unknown key \"%.40s\" (known: browser_url, browser_program, "
			 "browser_timeout)", key);
		return -EINVAL;
	}
	if (dst[0] != '\0') {
		snprintf(err, errsz, "%.40s is given twice", key);
		return -EINVAL;
	}
	if (val[0] == '\0') {
		snprintf(err, errsz, "%.40s has no value", key);
		return -EINVAL;
	}
	strcpy(dst, val);
	return 0;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

int
ecs_client_config_parse(const char *text, size_t len, struct ecs_client_config *cfg,
			char *err, size_t errsz)
{
	char line[ECS_CLIENT_CONFIG_VALUE_MAX + 64];
	size_t i = 0;
	unsigned lineno = 0;

	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (text + i)) : len - i;
		char *p, *eq, *kend, *v, *vend;
		char reason[160];

		lineno++;
		if (n >= sizeof(line) || memchr(text + i, '\0', n) != NULL) {
			snprintf(err, errsz, "line %u: too long, or not text", lineno);
			return -EINVAL;
		}
		memcpy(line, text + i, n);
		line[n] = '\0';
		i += n + 1;
		for (p = line; is_blank(*p); p++)
			;
		if (*p == '\0' || *p == '#')
			continue;
		eq = strchr(p, '=');
		if (eq == NULL) {
			snprintf(err, errsz, "line %u: expected \"key = value\"", lineno);
			return -EINVAL;
		}
		for (kend = eq; kend > p && is_blank(kend[-1]); kend--)
			;
		*kend = '\0';
		for (v = eq + 1; is_blank(*v); v++)
			;
		for (vend = v + strlen(v); vend > v && is_blank(vend[-1]); vend--)
			;
		*vend = '\0';
		if (set_value(cfg, p, v, reason, sizeof(reason)) < 0) {
			snprintf(err, errsz, "line %u: %s", lineno, reason);
			return -EINVAL;
		}
	}
	return 0;
}

int
ecs_client_config_path(char *path, size_t size)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	int n;

	if (xdg != NULL && xdg[0] == '/')
		n = snprintf(path, size, "%s/ecs-saml-ssh/config", xdg);
	else if (home != NULL && home[0] == '/')
		n = snprintf(path, size, "%s/.config/ecs-saml-ssh/config", home);
	else
		return -ENOENT;
	return n > 0 && (size_t)n < size ? 0 : -ENOENT;
}
