/* ecs_kvrec.c — the record format of spool and session files (see ecs_kvrec.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ecs_secmem.h"
#include "ecs_kvrec.h"

/* The line at text+*off, up to (not including) its newline: NULL if there is no newline. */
static const char *
next_line(const char *text, size_t len, size_t *off, size_t *linelen)
{
	const char *start = text + *off;
	const char *nl = memchr(start, '\n', len - *off);

	if (nl == NULL)
		return NULL;
	*linelen = (size_t)(nl - start);
	*off += *linelen + 1;
	return start;
}

int
ecs_kvrec_parse(const char *text, size_t len, const char *magic, const char *const *keys,
		size_t n, char **values)
{
	size_t off = 0, ll;
	const char *line;
	int r = 0;

	for (size_t i = 0; i < n; i++)
		values[i] = NULL;
	line = next_line(text, len, &off, &ll);
	if (line == NULL || ll != strlen(magic) || memcmp(line, magic, ll) != 0)
		return -EBADMSG;
	for (size_t i = 0; r == 0 && i < n; i++) {
		size_t kl = strlen(keys[i]);

		line = next_line(text, len, &off, &ll);
		if (line == NULL || ll <= kl + 1 || memcmp(line, keys[i], kl) != 0 || line[kl] != '=' ||
		    memchr(line, '\0', ll) != NULL) {
			r = -EBADMSG;
			break;
		}
		values[i] = strndup(line + kl + 1, ll - kl - 1);
		if (values[i] == NULL)
			r = -ENOMEM;
	}
	if (r == 0 && off != len)
		r = -EBADMSG;
	if (r < 0)
		ecs_kvrec_free(values, n);
	return r;
}

void
ecs_kvrec_free(char **values, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		ecs_free_secret_str(values[i]);
		values[i] = NULL;
	}
}
