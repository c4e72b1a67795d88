/* client_relay.c — ssh's standard error passed through, one line watched (client_relay.h). */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "client_relay.h"
#include "ecs_io.h"

#define DENIED "Permission denied ("

void
ecs_client_relay_init(struct ecs_client_relay *r)
{
	memset(r, 0, sizeof(*r));
}

/* A finished line: keep the method list of "...: Permission denied (a,b,c)." */
static void
scan_line(struct ecs_client_relay *r)
{
	const char *p, *end;
	size_t n;

	r->line[r->len] = '\0';
	p = strstr(r->line, DENIED);
	if (p == NULL)
		return;
	p += strlen(DENIED);
	end = strchr(p, ')');
	if (end == NULL)
		return;
	n = (size_t)(end - p);
	if (n >= sizeof(r->methods))
		return;
	memcpy(r->methods, p, n);
	r->methods[n] = '\0';
	r->denied = true;
}

void
ecs_client_relay_feed(struct ecs_client_relay *r, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\n' || p[i] == '\r') {
			if (!r->overlong)
				scan_line(r);
			r->len = 0;
			r->overlong = false;
		} else if (r->len + 1 < sizeof(r->line)) {
			r->line[r->len++] = p[i];
		} else {
			r->overlong = true;
		}
	}
}

int
ecs_client_relay_pump(struct ecs_client_relay *r, int fd, int out_fd)
{
	char buf[4096];
	ssize_t n;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n == 0)
			return 1;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN ? 0 : -errno;
		}
		/* the user must see all of it even if the scan would not care */
		ecs_write_all(out_fd, buf, (size_t)n);
		ecs_client_relay_feed(r, buf, (size_t)n);
	}
}

bool
ecs_client_relay_offered(const struct ecs_client_relay *r, const char *method)
{
	size_t n = strlen(method);
	const char *p = r->methods;

	while (*p != '\0') {
		size_t len = strcspn(p, ",");

		if (len == n && strncmp(p, method, n) == 0)
			return true;
		p += len;
		if (*p == ',')
			p++;
	}
	return false;
}
