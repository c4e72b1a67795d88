/* nss_query.c — call one entry point of an NSS module directly and print the raw result,
 * so a test can tell NOTFOUND from UNAVAIL and see ERANGE (getent folds them together).
 *
 *   nss-query MODULE.so pwnam NAME|pwuid UID|grnam NAME|grgid GID|initgroups NAME [BUFLEN]
 *   nss-query MODULE.so pwent BUFLEN
 * Prints "status=S errno=E" and, on success, the entry as getent would. pwent walks the
 * users starting with a BUFLEN-byte buffer that doubles on ERANGE, as glibc does, and
 * prints the names and how many ERANGE retries it took. Exit 0. */
#include <dlfcn.h>
#include <errno.h>
#include <grp.h>
#include <nss.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum nss_status (*pw_name_fn)(const char *, struct passwd *, char *, size_t, int *);
typedef enum nss_status (*pw_id_fn)(uid_t, struct passwd *, char *, size_t, int *);
typedef enum nss_status (*gr_name_fn)(const char *, struct group *, char *, size_t, int *);
typedef enum nss_status (*gr_id_fn)(gid_t, struct group *, char *, size_t, int *);
typedef enum nss_status (*initgr_fn)(const char *, gid_t, long *, long *, gid_t **, long, int *);
typedef enum nss_status (*setent_fn)(int);
typedef enum nss_status (*getpwent_fn)(struct passwd *, char *, size_t, int *);
typedef enum nss_status (*endent_fn)(void);

static void *
sym(void *so, const char *op);

/* Walk every user the module enumerates, retrying an entry with a doubled buffer on ERANGE. */
static int
walk(void *so, size_t buflen)
{
	getpwent_fn next = (getpwent_fn)sym(so, "getpwent_r");
	enum nss_status st;
	struct passwd pw;
	unsigned retries = 0;
	char *buf = malloc(buflen);
	int err = 0;

	if (buf == NULL)
		return 2;
	((setent_fn)sym(so, "setpwent"))(0);
	for (;;) {
		st = next(&pw, buf, buflen, &err);
		if (st == NSS_STATUS_TRYAGAIN && err == ERANGE) {
			char *nb = realloc(buf, buflen * 2);

			if (nb == NULL)
				break;
			buf = nb;
			buflen *= 2;
			retries++;
			continue;
		}
		if (st != NSS_STATUS_SUCCESS)
			break;
		printf("%s ", pw.pw_name);
	}
	((endent_fn)sym(so, "endpwent"))();
	printf("\nstatus=%d errno=%d erange_retries=%u\n", st, err, retries);
	free(buf);
	return 0;
}

static void *
sym(void *so, const char *op)
{
	char name[64];

	snprintf(name, sizeof(name), "_nss_ecs_saml_%s", op);
	return dlsym(so, name);
}

int
main(int argc, char **argv)
{
	size_t buflen = argc > 4 ? strtoul(argv[4], NULL, 10) : 65536;
	char *buf = malloc(buflen ? buflen : 1);
	enum nss_status st = NSS_STATUS_UNAVAIL;
	struct passwd pw;
	struct group gr;
	void *so;
	int err = 0;
	char **m;

	if (argc < 4 || buf == NULL || (so = dlopen(argv[1], RTLD_NOW)) == NULL)
		return 2;
	if (strcmp(argv[2], "pwent") == 0) {
		free(buf);
		return walk(so, strtoul(argv[3], NULL, 10) ? strtoul(argv[3], NULL, 10) : 1);
	}
	if (strcmp(argv[2], "pwnam") == 0)
		st = ((pw_name_fn)sym(so, "getpwnam_r"))(argv[3], &pw, buf, buflen, &err);
	else if (strcmp(argv[2], "pwuid") == 0)
		st = ((pw_id_fn)sym(so, "getpwuid_r"))((uid_t)strtoul(argv[3], NULL, 10), &pw, buf,
							buflen, &err);
	else if (strcmp(argv[2], "grnam") == 0)
		st = ((gr_name_fn)sym(so, "getgrnam_r"))(argv[3], &gr, buf, buflen, &err);
	else if (strcmp(argv[2], "grgid") == 0)
		st = ((gr_id_fn)sym(so, "getgrgid_r"))((gid_t)strtoul(argv[3], NULL, 10), &gr, buf,
							buflen, &err);
	else if (strcmp(argv[2], "initgroups") == 0) {
		long start = 1, size = 1;
		gid_t *groups = malloc(sizeof(gid_t));

		/* the primary group glibc passes; root's here, so ours is added */
		groups[0] = 0;
		st = ((initgr_fn)sym(so, "initgroups_dyn"))(argv[3], 0, &start, &size, &groups, 0,
							     &err);
		printf("status=%d errno=%d groups=", st, st == NSS_STATUS_SUCCESS ? 0 : err);
		for (long i = 0; i < start; i++)
			printf("%s%u", i ? "," : "", (unsigned)groups[i]);
		printf("\n");
		free(groups);
		free(buf);
		return 0;
	} else
		return 2;
	printf("status=%d errno=%d\n", st, st == NSS_STATUS_SUCCESS ? 0 : err);
	if (st == NSS_STATUS_SUCCESS && argv[2][0] == 'p')
		printf("%s:%s:%u:%u:%s:%s:%s\n", pw.pw_name, pw.pw_passwd, (unsigned)pw.pw_uid,
		       (unsigned)pw.pw_gid, pw.pw_gecos, pw.pw_dir, pw.pw_shell);
	if (st == NSS_STATUS_SUCCESS && argv[2][0] == 'g') {
		printf("%s:%s:%u:", gr.gr_name, gr.gr_passwd, (unsigned)gr.gr_gid);
		for (m = gr.gr_mem; *m != NULL; m++)
			printf("%s%s", m == gr.gr_mem ? "" : ",", *m);
		printf("\n");
	}
	free(buf);
	return 0;
}
