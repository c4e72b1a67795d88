/* ecs_nsswitch.c — one database line of nsswitch.conf (ecs_nsswitch.h). */
#include <string.h>

#include "ecs_nsswitch.h"

/* The service list of db's line ("db:" at the start, blanks allowed before the colon), or
 * NULL; *end is where the line ends. */
static const char *
db_line(const char *text, const char *db, const char **end)
{
	const char *line = text, *p;
	size_t n = strlen(db);

	while (*line != '\0') {
		*end = strchrnul(line, '\n');
		p = line + strspn(line, " \t");
		if (strncmp(p, db, n) == 0) {
			p += n;
			p += strspn(p, " \t");
			if (*p == ':')
				return p + 1;
		}
		line = **end != '\0' ? *end + 1 : *end;
	}
	return NULL;
}

bool
ecs_nsswitch_has(const char *text, const char *db, const char *service)
{
	const char *end = NULL, *p = db_line(text, db, &end);
	size_t n;

	while (p && p < end) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p < end && *p == '#')
			break;
		n = strcspn(p, " \t\n#");
		if (n == strlen(service) && strncmp(p, service, n) == 0)
			return true;
		p += n ? n : 1;
	}
	return false;
}
