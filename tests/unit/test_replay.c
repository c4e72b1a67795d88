/* Unit tests: the local replay cache (helper/replay). Needs root: entries are root-owned. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ecs_err.h"
#include "replay.h"
#include "tap.h"

#define ISS	"https://idp.example.test/a"
#define ISS_B	"https://idp.example.test/b"

int
main(void)
{
	char base[] = "/tmp/ecs-replay.XXXXXX", state[64], cmd[128];
	struct stat st;
	unsigned removed = 99;

	if (!mkdtemp(base)) {
		T_OK(0, "mkdtemp");
		T_DONE();
	}
	chmod(base, 0755);
	snprintf(state, sizeof(state), "%s/state", base);
	T_OK(ecs_replay_purge(state, 1000, &removed) == 0 && removed == 0,
	     "purge of a missing cache is empty");
	T_OK(ecs_replay_consume(state, ISS, "_id1", 2000, 1000) == 0, "first use recorded");
	T_OK(stat(state, &st) == 0 && (st.st_mode & 07777) == 0700, "state dir created 0700");
	T_OK(ecs_replay_consume(state, ISS, "_id1", 2000, 1500) == -ECS_EREPLAY,
	     "second use: replay");
	T_OK(ecs_replay_consume(state, ISS, "_id2", 2000, 1500) == 0, "another ID is independent");
	T_OK(ecs_replay_consume(state, ISS_B, "_id1", 2000, 1500) == 0,
	     "the same ID from another issuer is independent (one IdP cannot burn another's)");
	T_OK(ecs_replay_consume(state, ISS_B, "_id1", 2000, 1500) == -ECS_EREPLAY,
	     "the other issuer's ID is itself one-time");
	T_OK(ecs_replay_consume(state, "https://idp.example.test/b_", "id1", 2000, 1500) == 0,
	     "issuer and ID are kept apart: (b_, id1) is not (b, _id1)");
	T_OK(ecs_replay_consume(state, ISS, "_id1", 3000, 2000) == 0,
	     "an entry expired at its NotOnOrAfter+skew may be reused");
	T_OK(ecs_replay_consume(state, ISS, "_id1", 3000, 2500) == -ECS_EREPLAY,
	     "the reused entry carries the new expiry");
	T_OK(ecs_replay_consume(state, ISS, "../../etc/passwd", 3000, 2500) == 0,
	     "an ID with path characters is just hashed");
	T_OK(ecs_replay_purge(state, 2500, &removed) == 0 && removed == 3,
	     "purge removes only the three expired entries");
	T_OK(ecs_replay_consume(state, ISS, "_id2", 3000, 2500) == 0, "a purged ID is usable again");
	T_OK(ecs_replay_consume("relative/dir", ISS, "_id3", 3000, 2500) == -EINVAL,
	     "a relative state_dir is refused");
	/* Expiry: the assertion is stale after IssueInstant + max_assertion_age whatever its
	 * NotOnOrAfter, so a far-future NotOnOrAfter must not pin the entry. */
	T_OK(ecs_replay_expiry(10000, 4070908800, 300, 180) == 10480,
	     "expiry: a 2099 NotOnOrAfter is capped at IssueInstant + max_assertion_age + skew");
	T_OK(ecs_replay_expiry(10000, 10200, 300, 180) == 10380,
	     "expiry: an earlier NotOnOrAfter bounds it, plus the skew");
	T_OK(ecs_replay_consume(state, ISS, "_far", ecs_replay_expiry(10000, 4070908800, 300, 180),
				10000) == 0 &&
	     ecs_replay_consume(state, ISS, "_far", 20000, 10479) == -ECS_EREPLAY &&
	     ecs_replay_consume(state, ISS, "_far", 20000, 10480) == 0,
	     "an entry of a far-future assertion lapses once it could no longer be accepted");
	snprintf(cmd, sizeof(cmd), "chmod 0755 %s/replay", state);
	T_OK(system(cmd) == 0 && ecs_replay_consume(state, ISS, "_id4", 3000, 2500) == -EPERM,
	     "a replay dir with a loose mode is refused, not fixed");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", base);
	T_OK(system(cmd) == 0, "cleanup");
	T_DONE();
}
