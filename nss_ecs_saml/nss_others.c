/* nss_others.c — what the other sources of nsswitch.conf say (see nss_others.h). */
#include <errno.h>
#include <grp.h>
#include <pthread.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include "ecs_usermap.h"
#include "nss_others.h"

#define PW_BUFSZ 1024		/* first try, on the stack; doubled on ERANGE */
#define PW_BUFMAX (1u << 20)	/* an entry bigger than this counts as a failed source */

/* Per thread: another thread's lookup must still reach this module while one thread asks.
 * A pthread key rather than __thread, whose dynamic model would tie the module to ld.so's
 * __tls_get_addr and whose static model takes from the surplus glibc keeps for dlopen. */
static pthread_key_t asking_key;
static bool asking_key_ok;
static pthread_once_t asking_once = PTHREAD_ONCE_INIT;

static void
make_asking_key(void)
{
	asking_key_ok = pthread_key_create(&asking_key, NULL) == 0;
}

bool
ecs_nss_others_asking(void)
{
	pthread_once(&asking_once, make_asking_key);
	return asking_key_ok && pthread_getspecific(asking_key) != NULL;
}

/* Mark this thread as asking (on) or not. Without the mark the inner call would reach this
 * module and ask again, without end: no mark, no asking. */
static int
set_asking(bool on)
{
	pthread_once(&asking_once, make_asking_key);
	if (!asking_key_ok)
		return -EAGAIN;
	return -pthread_setspecific(asking_key, on ? &asking_key : NULL);
}

int
ecs_nss_others_claim(const char *name, uint32_t uid)
{
	char stackbuf[PW_BUFSZ];
	char *buf = stackbuf;
	char *heap = NULL;
	size_t sz = sizeof(stackbuf);
	struct passwd pw;
	struct passwd *res = NULL;
	int e;
	int r;

	r = set_asking(true);
	if (r < 0)
		return r;
	for (;;) {
		e = getpwnam_r(name, &pw, buf, sz, &res);
		if (e != ERANGE)
			break;
		if (sz >= PW_BUFMAX) {
			e = EFBIG;
			break;
		}
		sz *= 2;
		buf = realloc(heap, sz);
		if (buf == NULL) {
			e = ENOMEM;
			break;
		}
		heap = buf;
	}
	set_asking(false);
	/* ENOENT is "nobody": glibc returns it when the last source has no database (this
	 * module, answering NOTFOUND to its own inner call, never does). */
	if (e == 0 && res != NULL)
		r = res->pw_uid != uid;
	else if (e == 0 || e == ENOENT)
		r = 0;
	else
		r = -e;
	free(heap);
	return r;
}

bool
ecs_nss_in_sshd(void)
{
	char comm[17] = { 0 };	/* PR_GET_NAME writes at most 16 bytes, NUL included */

	if (prctl(PR_GET_NAME, comm, 0, 0, 0) != 0)
		return false;
	return strcmp(comm, "sshd") == 0 || strncmp(comm, "sshd-", 5) == 0;
}

int
ecs_nss_others_prune(struct group *gr, const struct ecs_usermap *db)
{
	struct ecs_usermap_user u;
	size_t kept = 0;
	size_t i;
	int r;

	for (i = 0; gr->gr_mem[i] != NULL; i++) {
		r = ecs_usermap_find_name(db, gr->gr_mem[i], &u);
		if (r < 0)
			return r == -ENOENT ? -EBADMSG : r;
		if (ecs_nss_others_claim(u.name, u.uid) != 1)
			gr->gr_mem[kept++] = gr->gr_mem[i];
	}
	gr->gr_mem[kept] = NULL;
	return 0;
}
