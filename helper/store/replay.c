/* replay.c — the local replay cache: one create-exclusive file per consumed assertion ID. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "ecs_buf.h"
#include "ecs_err.h"
#include "ecs_names.h"
#include "ecs_safefile.h"
#include "ecs_sha256.h"
#include "ecs_str.h"
#include "replay.h"

#define REPLAY_DIR	"replay"
#define ENTRY_NAME_LEN	ECS_REPLAY_KEY_LEN
#define ENTRY_MAX	64	/* bytes of an entry: "expires=<decimal>\n" */

/* The file name of an ID: fixed length, no path characters, whatever the ID holds. IDs are
 * unique only per issuer, so the issuer is part of the key: otherwise one trusted IdP could
 * burn another's IDs in advance. The NUL keeps ("ab", "c") apart from ("a", "bc"). */
void
ecs_replay_key(const char *issuer, const char *id, char name[ECS_REPLAY_KEY_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	struct ecs_sha256 h;
	uint8_t d[ECS_SHA256_LEN];
	size_t i;

	ecs_sha256_init(&h);
	ecs_sha256_update(&h, issuer, strlen(issuer) + 1);
	ecs_sha256_update(&h, id, strlen(id));
	ecs_sha256_final(&h, d);
	for (i = 0; i < ECS_SHA256_LEN; i++) {
		name[2 * i] = hex[d[i] >> 4];
		name[2 * i + 1] = hex[d[i] & 15];
	}
	name[ENTRY_NAME_LEN] = '\0';
}

/* Open <state_dir> (creating it 0700 when missing) and <state_dir>/replay, both root-owned,
 * and lock the latter. */
static int
open_replay_dir(const char *state_dir, bool create, int *out)
{
	char parent[PATH_MAX];
	const char *base;
	int sfd = -1, pfd = -1, rfd = -1;
	int r;

	*out = -1;
	if (state_dir[0] != '/')
		return -EINVAL;
	r = ecs_safe_open_dir(state_dir, 0, &sfd);
	if (r == -ENOENT && create) {
		base = strrchr(state_dir, '/');
		r = ecs_strlcpy(parent, state_dir, sizeof(parent));
		if (r < 0)
			goto out;
		parent[base == state_dir ? 1 : base - state_dir] = '\0';
		r = ecs_safe_open_dir(parent, 0, &pfd);
		if (r == 0)
			r = ecs_safe_mkdirat(pfd, base + 1, 0700, 0, 0, &sfd);
	}
	if (r < 0)
		goto out;
	if (create) {
		r = ecs_safe_mkdirat(sfd, REPLAY_DIR, 0700, 0, 0, &rfd);
	} else {
		rfd = openat(sfd, REPLAY_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		r = rfd < 0 ? -errno : 0;
	}
	if (r < 0)
		goto out;
	/* One writer at a time decides about an ID: the check of an expired entry and its
	 * replacement must not interleave with another helper's. */
	if (flock(rfd, LOCK_EX) < 0) {
		r = -errno;
		goto out;
	}
	*out = rfd;
	rfd = -1;	/* ownership passed to the caller */
	r = 0;
out:
	ecs_close(&rfd);
	ecs_close(&sfd);
	ecs_close(&pfd);
	return r;
}

/* The expiry stored in an entry; an unreadable entry counts as never expiring (fail closed). */
static time_t
entry_expiry(int rfd, const char *name)
{
	struct ecs_buf b;
	uint64_t v;
	time_t t = (time_t)INT64_MAX;
	char *nl;

	ecs_buf_init(&b, ENTRY_MAX);
	if (ecs_safe_read_at(rfd, name, 0, ENTRY_MAX, &b, NULL) == 0 && b.data &&
	    ecs_startswith((const char *)b.data, "expires=")) {
		nl = strchr((char *)b.data, '\n');
		if (nl)
			*nl = '\0';
		if (ecs_parse_u64((const char *)b.data + 8, 0, INT64_MAX, &v) == 0)
			t = (time_t)v;
	}
	ecs_buf_free(&b);
	return t;
}

time_t
ecs_replay_expiry(time_t issue_instant, time_t not_on_or_after, unsigned max_assertion_age,
		  unsigned clock_skew)
{
	time_t end = issue_instant + (time_t)max_assertion_age;

	/* Past issue + max_assertion_age the assertion is refused as stale whatever its
	 * NotOnOrAfter says, so a far-future NotOnOrAfter must not keep the entry forever. */
	if (not_on_or_after < end)
		end = not_on_or_after;
	return end + (time_t)clock_skew;
}

int
ecs_replay_consume(const char *state_dir, const char *issuer, const char *assertion_id,
		   time_t expires_at, time_t now)
{
	char name[ENTRY_NAME_LEN + 1], body[ENTRY_MAX];
	int rfd = -1, n, r;

	ecs_replay_key(issuer, assertion_id, name);
	n = snprintf(body, sizeof(body), "expires=%" PRId64 "\n", (int64_t)expires_at);
	r = open_replay_dir(state_dir, true, &rfd);
	if (r < 0)
		goto out;
	r = ecs_safe_create_excl(rfd, name, body, (size_t)n, 0600);
	if (r != -EEXIST)
		goto out;
	if (entry_expiry(rfd, name) > now) {
		r = -ECS_EREPLAY;
		goto out;
	}
	/* Expired: reuse it. The rename replaces it atomically, under the lock. */
	r = ecs_safe_write_atomic(rfd, name, body, (size_t)n, 0600);
out:
	ecs_close(&rfd);	/* releases the lock */
	return r;
}

int
ecs_replay_purge(const char *state_dir, time_t now, unsigned *removed)
{
	DIR *dir = NULL;
	struct dirent *de;
	int rfd = -1, dfd = -1, r;
	unsigned count = 0;

	r = open_replay_dir(state_dir, false, &rfd);
	if (r == -ENOENT) {
		r = 0;
		goto out;
	}
	if (r < 0)
		goto out;
	dfd = dup(rfd);
	if (dfd < 0) {
		r = -errno;
		goto out;
	}
	dir = fdopendir(dfd);
	if (!dir) {
		r = -errno;
		goto out;
	}
	dfd = -1;	/* owned by dir */
	while ((de = readdir(dir)) != NULL) {
		if (!ecs_name_hex_ok(de->d_name, ENTRY_NAME_LEN) || entry_expiry(rfd, de->d_name) > now)
			continue;
		if (unlinkat(rfd, de->d_name, 0) == 0)
			count++;
	}
	r = 0;
out:
	if (dir)
		closedir(dir);
	ecs_close(&dfd);
	ecs_close(&rfd);
	if (removed)
		*removed = count;
	return r;
}
