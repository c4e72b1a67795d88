/* credread.c — a session's credentials read back strictly (see credread.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "credread.h"
#include "ecs_buf.h"
#include "ecs_safefile.h"
#include "ecs_secmem.h"
#include "ecs_str.h"

static const char *const keys[3] = { "aws_access_key_id", "aws_secret_access_key",
				     "aws_session_token" };

/* A value as credfile.c writes one: printable ASCII, no space, non-empty. */
static bool
value_ok(const char *v, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (v[i] <= 0x20 || v[i] >= 0x7f)
			return false;
	return true;
}

/* One "key = value" line into the slot of its key. */
static int
take(const char *line, size_t n, char *slot[3])
{
	for (unsigned k = 0; k < 3; k++) {
		size_t kl = strlen(keys[k]);

		if (n < kl + 3 || memcmp(line, keys[k], kl) != 0 ||
		    memcmp(line + kl, " = ", 3) != 0)
			continue;
		if (slot[k] || !value_ok(line + kl + 3, n - kl - 3))
			return -EBADMSG;
		slot[k] = strndup(line + kl + 3, n - kl - 3);
		return slot[k] ? 0 : -ENOMEM;
	}
	return -EBADMSG;
}

int
ecs_cred_parse(const char *text, size_t len, struct ecs_sts_creds *c)
{
	char *slot[3] = { NULL, NULL, NULL };
	bool section = false;
	size_t i = 0, n;
	const char *nl;
	int r = 0;

	memset(c, 0, sizeof(*c));
	if (len > ECS_CRED_READ_MAX || memchr(text, 0, len))
		return -EBADMSG;
	while (r == 0 && i < len) {
		nl = memchr(text + i, '\n', len - i);
		if (!nl) {
			r = -EBADMSG;	/* every line ends with a newline */
			break;
		}
		n = (size_t)(nl - (text + i));
		if (n == 0 || text[i] == '#')
			;	/* blank or comment */
		else if (!section && n == 9 && memcmp(text + i, "[default]", 9) == 0)
			section = true;
		else if (section)
			r = take(text + i, n, slot);
		else
			r = -EBADMSG;
		i += n + 1;
	}
	if (r == 0 && (!slot[0] || !slot[1] || !slot[2]))
		r = -EBADMSG;
	if (r == 0) {
		c->access_key_id = slot[0];
		c->secret_access_key = slot[1];
		c->session_token = slot[2];
		return 0;
	}
	for (unsigned k = 0; k < 3; k++) {
		if (slot[k])
			ecs_wipe(slot[k], strlen(slot[k]));
		free(slot[k]);
	}
	return r;
}

int
ecs_cred_read_at(int dfd, uid_t uid, struct ecs_sts_creds *c)
{
	struct ecs_buf b;
	int r;

	memset(c, 0, sizeof(*c));
	ecs_buf_init(&b, ECS_CRED_READ_MAX);
	r = ecs_safe_read_at(dfd, "credentials", uid, ECS_CRED_READ_MAX, &b, NULL);
	if (r == 0)
		r = ecs_cred_parse(b.data ? (const char *)b.data : "", b.len, c);
	ecs_buf_free(&b);	/* wipes */
	return r;
}
