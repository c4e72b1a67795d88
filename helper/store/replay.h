/* replay.h — one-time use of assertion IDs, local backend.
 *
 * An accepted assertion ID is recorded under <state_dir>/replay/ (directory 0700, root) as
 * a file named by the hex SHA-256 of "issuer NUL ID", holding its expiry. Creation is
 * exclusive and the whole check-and-record runs under an flock of the directory, so any
 * number of concurrent helpers accept a given ID of a given issuer exactly once. Entries live
 * until expires_at (ecs_replay_expiry); an expired entry may be reused.
 */
#ifndef ECS_REPLAY_H
#define ECS_REPLAY_H

#include <time.h>

#define ECS_REPLAY_KEY_LEN 64	/* hex SHA-256 */

/* The key of an assertion ID in any replay cache: the hex SHA-256 of "issuer NUL ID". Fixed
 * length, no path or protocol characters whatever the ID holds; the issuer is part of it
 * because IDs are unique only per issuer. */
void ecs_replay_key(const char *issuer, const char *id, char name[ECS_REPLAY_KEY_LEN + 1]);

/* When an entry may go: the last moment the validator could still accept the assertion,
 * min(NotOnOrAfter, IssueInstant + max_assertion_age) + clock_skew. */
time_t ecs_replay_expiry(time_t issue_instant, time_t not_on_or_after,
			 unsigned max_assertion_age, unsigned clock_skew);

/* Record (issuer, assertion_id) until expires_at. 0 when recorded now, -ECS_EREPLAY when an
 * unexpired entry exists, or -errno (state directory unsafe or unwritable: fail closed).
 * state_dir is created 0700 if missing (its parent must exist and be safe). */
int ecs_replay_consume(const char *state_dir, const char *issuer, const char *assertion_id,
		       time_t expires_at, time_t now);

/* Remove every entry that expired at or before now; *removed (may be NULL) counts them.
 * 0 or -errno. A missing replay directory is an empty cache. */
int ecs_replay_purge(const char *state_dir, time_t now, unsigned *removed);

#endif
