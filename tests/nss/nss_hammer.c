/* nss_hammer.c — many threads calling the module's getpwnam_r/getpwuid_r while the map is
 * being rewritten by another process. Every answer must be complete and consistent with
 * the expected name/UID pairs: no torn read, no UNAVAIL, no crash. Buffers start tiny and
 * grow on NSS_STATUS_TRYAGAIN/ERANGE, as glibc does.
 *
 *   nss-hammer MODULE.so EXPECTED SECONDS THREADS [FORKS]
 * EXPECTED holds "NAME UID" lines. With FORKS, the main thread also forks that many children
 * while the workers run; each child must answer a lookup within 5 seconds (a lock held by a
 * worker at fork time must not hang it). Prints "lookups=N erange=N forks=N bad=N"; exit 1
 * if bad > 0. */
#include <dlfcn.h>
#include <errno.h>
#include <nss.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef enum nss_status (*byname_fn)(const char *, struct passwd *, char *, size_t, int *);
typedef enum nss_status (*byuid_fn)(uid_t, struct passwd *, char *, size_t, int *);

struct pair {
	char name[64];
	uid_t uid;
};

static struct pair *pairs;
static size_t npairs;
static byname_fn byname;
static byuid_fn byuid;
static time_t deadline;
static atomic_ulong lookups, eranges, bad;

/* One lookup with glibc's retry discipline; 0 on success, the status otherwise. */
static int
lookup(const struct pair *p, int by_uid, unsigned *seed)
{
	size_t len = 1 + (size_t)(rand_r(seed) % 24);
	struct passwd pw;
	enum nss_status st;
	char *buf = NULL;
	int err = 0;

	for (;;) {
		char *nb = realloc(buf, len);

		if (nb == NULL) {
			free(buf);
			return -1;
		}
		buf = nb;
		if (by_uid)
			st = byuid(p->uid, &pw, buf, len, &err);
		else
			st = byname(p->name, &pw, buf, len, &err);
		if (st != NSS_STATUS_TRYAGAIN || err != ERANGE)
			break;
		atomic_fetch_add(&eranges, 1);
		len *= 2;
	}
	if (st == NSS_STATUS_SUCCESS &&
	    (strcmp(pw.pw_name, p->name) != 0 || pw.pw_uid != p->uid || pw.pw_dir[0] != '/'))
		st = NSS_STATUS_RETURN;	/* a wrong or torn answer */
	free(buf);
	return st == NSS_STATUS_SUCCESS ? 0 : (int)st;
}

static void *
worker(void *arg)
{
	unsigned seed = (unsigned)(uintptr_t)arg;

	while (time(NULL) < deadline) {
		const struct pair *p = &pairs[(size_t)rand_r(&seed) % npairs];
		int st = lookup(p, rand_r(&seed) & 1, &seed);

		atomic_fetch_add(&lookups, 1);
		if (st != 0 && atomic_fetch_add(&bad, 1) < 5)
			fprintf(stderr, "bad answer for %s/%u: status %d\n", p->name,
				(unsigned)p->uid, st);
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	pthread_t th[64];
	unsigned long nthreads, nforks, i;
	unsigned uid;
	char name[64];
	void *so;
	FILE *f;

	if (argc != 5 && argc != 6)
		return 2;
	nforks = argc == 6 ? strtoul(argv[5], NULL, 10) : 0;
	so = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
	if (so == NULL) {
		fprintf(stderr, "%s\n", dlerror());
		return 2;
	}
	byname = (byname_fn)dlsym(so, "_nss_ecs_saml_getpwnam_r");
	byuid = (byuid_fn)dlsym(so, "_nss_ecs_saml_getpwuid_r");
	f = fopen(argv[2], "r");
	if (byname == NULL || byuid == NULL || f == NULL)
		return 2;
	while (fscanf(f, "%63s %u", name, &uid) == 2) {
		pairs = realloc(pairs, (npairs + 1) * sizeof(*pairs));
		if (pairs == NULL)
			return 2;
		snprintf(pairs[npairs].name, sizeof(pairs[npairs].name), "%s", name);
		pairs[npairs++].uid = uid;
	}
	fclose(f);
	nthreads = strtoul(argv[4], NULL, 10);
	if (npairs == 0 || nthreads == 0 || nthreads > 64)
		return 2;
	deadline = time(NULL) + strtol(argv[3], NULL, 10);
	for (i = 0; i < nthreads; i++)
		pthread_create(&th[i], NULL, worker, (void *)(uintptr_t)(i + 1));
	for (i = 0; i < nforks; i++) {
		pid_t pid = fork();
		int status = 0;

		if (pid == 0) {
			unsigned seed = (unsigned)i;

			alarm(5);
			_exit(lookup(&pairs[i % npairs], (int)(i & 1), &seed) == 0 ? 0 : 1);
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0) {
			if (atomic_fetch_add(&bad, 1) < 5)
				fprintf(stderr, "forked child %lu failed (status 0x%x)\n", i, status);
		}
	}
	for (i = 0; i < nthreads; i++)
		pthread_join(th[i], NULL);
	printf("lookups=%lu erange=%lu forks=%lu bad=%lu\n", atomic_load(&lookups),
	       atomic_load(&eranges), nforks, atomic_load(&bad));
	return atomic_load(&bad) > 0;
}
