/* bench_replay.c — the replay cache's one-time-use step as auth runs it, timed alone: N
 * consumes of fresh assertion IDs through the configured cache (ecs_replay_cache_consume:
 * the local files, or SET NX PX on Redis with its connection, AUTH and SELECT), and with
 * Redis the revocation check auth makes before it (ecs_revoked_check: EXISTS on a
 * connection of its own). Prints the p50 and p99 of each in microseconds.
 *
 *   bench_replay CONFIG N
 *
 * Run as root (state_dir, redis_password_file); tests/bench/bench-redis drives it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "ecs_conf.h"
#include "replay_cache.h"
#include "revoke_redis.h"

static long long
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int
cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/* nearest rank */
static long long
pct(long long *v, int n, int p)
{
	int i = (p * n + 99) / 100;

	return v[(i < 1 ? 1 : i) - 1];
}

/* Count a failure, and say the first one's code and detail: a count alone explains nothing. */
static void
note_failure(int *failed, const char *what, const struct ecs_redis_fail *f)
{
	if ((*failed)++ == 0)
		fprintf(stderr, "bench_replay: %s failed: %s: %s\n", what, f->code ? f->code : "?",
			f->detail);
}

int
main(int argc, char **argv)
{
	struct ecs_conf conf;
	struct ecs_redis_fail f;
	long long *consume, *check, t0;
	char id[64];
	time_t now = time(NULL);
	int n, failed = 0, fleet;

	if (argc != 3 || (n = atoi(argv[2])) < 1) {
		fprintf(stderr, "usage: bench_replay CONFIG N\n");
		return 2;
	}
	ecs_conf_init(&conf);
	if (ecs_helper_conf_load(argv[1], NULL, 0, &conf) < 0) {
		fprintf(stderr, "bench_replay: %s does not load\n", argv[1]);
		return 2;
	}
	fleet = ecs_revoked_fleet(&conf);
	consume = calloc((size_t)n, sizeof(*consume));
	check = calloc((size_t)n, sizeof(*check));
	if (consume == NULL || check == NULL)
		return 3;
	for (int i = 0; i < n; i++) {
		/* the pid too: the kinds share one Redis, and a fast run starts the next in the same second */
		snprintf(id, sizeof(id), "_bench-%lld-%ld-%d", (long long)now, (long)getpid(), i);
		t0 = now_ns();
		if (ecs_replay_cache_consume(&conf, "https://idp.example.test/metadata", id, now + 300,
					     now, &f) != 0)
			note_failure(&failed, "consume", &f);
		consume[i] = now_ns() - t0;
		if (fleet) {
			t0 = now_ns();
			if (ecs_revoked_check(&conf, "alice", &f) != 0)
				note_failure(&failed, "revocation check", &f);
			check[i] = now_ns() - t0;
		}
	}
	qsort(consume, (size_t)n, sizeof(*consume), cmp);
	qsort(check, (size_t)n, sizeof(*check), cmp);
	printf("consume_p50_us=%lld consume_p99_us=%lld", pct(consume, n, 50) / 1000,
	       pct(consume, n, 99) / 1000);
	if (fleet)
		printf(" check_p50_us=%lld check_p99_us=%lld", pct(check, n, 50) / 1000,
		       pct(check, n, 99) / 1000);
	printf(" failed=%d\n", failed);
	free(consume);
	free(check);
	ecs_conf_free(&conf);
	return failed ? 1 : 0;
}
