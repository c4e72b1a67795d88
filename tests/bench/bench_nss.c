/* bench_nss.c — getpwnam through libnss_ecs_saml vs glibc's nss_files, same names, same run.
 *
 *   bench-nss MODULE.so NAMES ITERATIONS
 * Looks up ITERATIONS names drawn from NAMES (one per line) through each module's
 * _nss_*_getpwnam_r entry point and prints microseconds per lookup and the ratio. The caller
 * arranges for /etc/passwd to hold the same users (bench-nss bind-mounts a generated file in
 * a private mount namespace). Prints a "bench:" summary line; asserts nothing. */
#include <dlfcn.h>
#include <errno.h>
#include <nss.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef enum nss_status (*byname_fn)(const char *, struct passwd *, char *, size_t, int *);

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Microseconds per lookup; -1 if any lookup fails (the figures would mean nothing). */
static double
run(byname_fn fn, char **names, size_t n, unsigned long iters)
{
	char buf[1024];
	struct passwd pw;
	unsigned long i;
	double t0;
	int err;

	t0 = now();
	for (i = 0; i < iters; i++) {
		const char *name = names[(i * 7919) % n];

		if (fn(name, &pw, buf, sizeof(buf), &err) != NSS_STATUS_SUCCESS ||
		    strcmp(pw.pw_name, name) != 0) {
			fprintf(stderr, "lookup of %s failed\n", name);
			return -1;
		}
	}
	return (now() - t0) * 1e6 / (double)iters;
}

int
main(int argc, char **argv)
{
	byname_fn ours, files;
	char **names = NULL;
	char line[128];
	unsigned long iters;
	size_t n = 0;
	double a, b;
	void *so;
	FILE *f;

	if (argc != 4)
		return 2;
	so = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
	ours = so ? (byname_fn)dlsym(so, "_nss_ecs_saml_getpwnam_r") : NULL;
	/* glibc >= 2.34 carries nss_files inside libc itself */
	files = (byname_fn)dlsym(RTLD_DEFAULT, "_nss_files_getpwnam_r");
	f = fopen(argv[2], "r");
	iters = strtoul(argv[3], NULL, 10);
	if (ours == NULL || files == NULL || f == NULL || iters == 0) {
		fprintf(stderr, "bench-nss: setup failed\n");
		return 2;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		names = realloc(names, (n + 1) * sizeof(*names));
		if (names == NULL || (names[n] = strdup(line)) == NULL)
			return 2;
		n++;
	}
	fclose(f);
	if (n == 0)
		return 2;
	/* warm both (first call maps/reads the file) before timing */
	if (run(ours, names, n, 1) < 0 || run(files, names, n, 1) < 0)
		return 1;
	a = run(ours, names, n, iters);
	b = run(files, names, n, iters / 100 + 1);
	if (a < 0 || b < 0)
		return 1;
	printf("users=%zu ecs_saml=%.2f us/lookup nss_files=%.2f us/lookup\n", n, a, b);
	printf("bench: nss getpwnam %zu users: ecs_saml %.2f us, nss_files %.2f us, ratio %.3f "
	       "(ecs_saml/files; target <= 2)\n", n, a, b, a / b);
	return 0;
}
