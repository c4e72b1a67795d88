/* ecs_conf_parse.c — splitting configuration text into lines and module arguments into
 * key and value. Every line or argument is handed to ecs_conf_set; this file only splits
 * and locates (the file itself is read by ecs_conf_load.c). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ecs_conf.h"

static bool
ecs_conf_is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Trim blanks at both ends of s[0..n) in place; returns the new start (NUL-terminated). */
static char *
ecs_conf_trim(char *s, size_t n)
{
	while (n && ecs_conf_is_blank(*s)) {
		s++;
		n--;
	}
	while (n && ecs_conf_is_blank(s[n - 1]))
		n--;
	s[n] = 0;
	return s;
}

/* One line (NUL-terminated, newline removed): blank, comment or key = value. */
static int
ecs_conf_parse_line(struct ecs_conf *c, char *line, char *why, size_t whysz)
{
	char *eq;
	char *key;
	char *value;

	while (ecs_conf_is_blank(*line))
		line++;
	/* '#' starts a comment only here, so values may contain '#' */
	if (*line == 0 || *line == '#')
		return 0;
	eq = strchr(line, '=');
	if (!eq || eq == line) {
		if (!c->err_code)
			c->err_code = ECS_CONF_E_SYNTAX;
		return ecs_conf_err(why, whysz, eq ? "missing key before '='" :
					     "expected 'key = value'");
	}
	key = ecs_conf_trim(line, (size_t)(eq - line));
	value = ecs_conf_trim(eq + 1, strlen(eq + 1));
	return ecs_conf_set(c, key, value, ECS_CONF_ORIGIN_FILE, why, whysz);
}

int
ecs_conf_parse_text(struct ecs_conf *c, const char *text, size_t len, const char *name,
		    char *err, size_t errsz)
{
	char why[ECS_CONF_ERRSZ];
	char *copy = NULL;
	char *line;
	size_t start = 0;
	unsigned lineno = 0;
	int r = 0;

	if (memchr(text, 0, len)) {
		c->err_code = ECS_CONF_E_SYNTAX;
		r = ecs_conf_err(err, errsz, "%s: NUL byte in configuration", name);
		goto out;
	}
	/* one writable copy: lines are cut and trimmed in place */
	copy = malloc(len + 1);
	if (!copy) {
		r = -ENOMEM;
		goto out;
	}
	memcpy(copy, text, len);
	copy[len] = 0;
	while (start < len) {
		char *nl = memchr(copy + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - copy) : len;

		lineno++;
		copy[end] = 0;
		line = copy + start;
		start = end + 1;
		why[0] = 0;
		r = ecs_conf_parse_line(c, line, why, sizeof(why));
		if (r < 0) {
			ecs_conf_err(err, errsz, "%s:%u: %s", name, lineno, why);
			goto out;
		}
	}
out:
	free(copy);
	return r;
}

int
ecs_conf_set_arg(struct ecs_conf *c, const char *arg, char *err, size_t errsz)
{
	char why[ECS_CONF_ERRSZ];
	char key[64];
	const char *eq = strchr(arg, '=');
	size_t klen = eq ? (size_t)(eq - arg) : strlen(arg);
	int r;

	if (klen == 0 || klen >= sizeof(key)) {
		if (!c->err_code)
			c->err_code = ECS_CONF_E_SYNTAX;
		return ecs_conf_err(err, errsz, "module argument '%.64s': bad key", arg);
	}
	memcpy(key, arg, klen);
	key[klen] = 0;
	why[0] = 0;
	/* a bare key is "yes" for a boolean; ecs_conf_set refuses "yes" for anything else */
	r = ecs_conf_set(c, key, eq ? eq + 1 : "yes", ECS_CONF_ORIGIN_ARG, why, sizeof(why));
	if (r < 0)
		ecs_conf_err(err, errsz, "module argument '%s': %s", key, why);
	return r;
}
