/* nss_cache.c — configuration and user-map snapshot shared by every lookup in the process. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ecs_conf.h"
#include "ecs_err.h"
#include "ecs_names.h"
#include "ecs_safefile.h"
#include "ecs_str.h"
#include "ecs_usermap.h"
#include "nss_cache.h"

struct ecs_nss_snap {
	unsigned refs;
	void *map;		/* read-only mapping of the whole file, or MAP_FAILED */
	size_t len;
	struct ecs_usermap db;
	struct stat st;
};

/* Everything below is guarded by cache_lock. */
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static bool conf_seen;		/* conf_st names the file last loaded (or refused) */
static int conf_err;		/* its result: a bad file is parsed once, not per call */
static struct stat conf_st;
static struct ecs_conf conf;
static regex_t re;
static bool re_valid;
static struct ecs_name_policy names;	/* always initialised while conf is loaded */
static char map_path[4096];
static struct ecs_nss_snap *current;

static bool
same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

static void
snap_put_locked(struct ecs_nss_snap *s)
{
	if (s == NULL || --s->refs > 0)
		return;
	if (s->map != MAP_FAILED)
		munmap(s->map, s->len);
	free(s);
}

static void
drop_conf(void)
{
	snap_put_locked(current);
	current = NULL;
	if (re_valid)
		regfree(&re);
	re_valid = false;
	ecs_name_policy_free(&names);
	ecs_conf_free(&conf);
}

static int
load_conf(void)
{
	char err[ECS_CONF_ERRSZ];
	int r;

	drop_conf();
	/* err is discarded: an NSS module must not log or print; the helper and the PAM
	 * module report configuration errors where someone reads them. */
	r = ecs_conf_load(&conf, ECS_CONF_PATH, NULL, 0, err, sizeof(err));
	if (r == 0)
		r = ecs_name_policy_init(&names, conf.user_name_rule, conf.user_name_lowercase);
	if (r == 0 && conf.nss_first_login && *conf.nss_first_login) {
		r = ecs_name_rule_compile(conf.nss_first_login, &re);
		re_valid = r == 0;
	}
	if (r == 0 && snprintf(map_path, sizeof(map_path), "%s/%s", conf.state_dir,
			       ECS_USERMAP_FILE) >= (int)sizeof(map_path))
		r = -ENAMETOOLONG;
	if (r < 0)
		drop_conf();
	return r;
}

/* Open the map the way ecs_safe_read_path would read it — parents walked without following
 * links and owned by root, the file itself regular, root-owned, not group/world-writable,
 * under the size cap — but keep the descriptor so the file can be mapped. */
static int
open_map(int *fd_out, struct stat *st)
{
	char dir[sizeof(map_path)];
	int dfd = -1;
	int fd = -1;
	int r;

	memcpy(dir, map_path, sizeof(dir));
	*strrchr(dir, '/') = '\0';
	r = ecs_safe_open_dir(dir, 0, &dfd);
	if (r < 0)
		goto out;
	fd = openat(dfd, ECS_USERMAP_FILE,
		    O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0 || fstat(fd, st) < 0) {
		r = -errno;
		goto out;
	}
	if (!S_ISREG(st->st_mode) || st->st_uid != 0 || (st->st_mode & 022))
		r = -EPERM;
	else if (st->st_size > (off_t)ECS_USERMAP_MAX_SIZE)
		r = -EFBIG;
	else if (st->st_size == 0)
		r = -EBADMSG;
	if (r == 0) {
		*fd_out = fd;
		fd = -1;	/* ownership passed to the caller */
	}
out:
	ecs_close(&fd);
	ecs_close(&dfd);
	return r;
}

/* Map the file rather than copy it: a lookup touches only the pages its binary search
 * visits, and a process pays no copy of a large map. The helper replaces the map by rename,
 * never in place, so a mapping never sees its file shrink (the one way to get SIGBUS);
 * every call also re-checks stat before touching the pages. */
static int
load_map(void)
{
	struct ecs_nss_snap *s;
	int fd = -1;
	int r;

	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return -ENOMEM;
	s->refs = 1;
	s->map = MAP_FAILED;
	r = open_map(&fd, &s->st);
	if (r == 0) {
		s->len = (size_t)s->st.st_size;
		s->map = mmap(NULL, s->len, PROT_READ, MAP_PRIVATE, fd, 0);
		if (s->map == MAP_FAILED)
			r = -errno;
	}
	if (r == 0)
		r = ecs_usermap_open(&s->db, s->map, s->len);
	ecs_close(&fd);
	if (r < 0) {
		snap_put_locked(s);
		return r;
	}
	snap_put_locked(current);
	current = s;
	return 0;
}

/* Bring conf and current up to date with the files. Called with cache_lock held. */
static int
refresh(void)
{
	struct stat st;
	int r;

	if (stat(ECS_CONF_PATH, &st) < 0) {
		r = -errno;
		drop_conf();
		conf_seen = false;
		return r;
	}
	if (!conf_seen || !same_file(&st, &conf_st)) {
		conf_err = load_conf();
		conf_st = st;
		conf_seen = true;
	}
	if (conf_err < 0)
		return conf_err;
	if (stat(map_path, &st) < 0) {
		r = -errno;	/* before munmap and free can change errno */
		snap_put_locked(current);
		current = NULL;
		return r;
	}
	if (current != NULL && same_file(&st, &current->st))
		return 0;
	return load_map();
}

/* The child of a fork has only the forking thread: a lock another thread held stays held
 * forever, and what it guarded may be half-written. So the child starts from nothing; what
 * the parent had is abandoned, not freed, as it may be inconsistent. */
static void
forget_in_child(void)
{
	pthread_mutex_init(&cache_lock, NULL);
	conf_seen = false;
	conf_err = 0;
	re_valid = false;
	memset(&names, 0, sizeof(names));
	current = NULL;
	ecs_conf_init(&conf);
}

static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

static void
register_atfork(void)
{
	pthread_atfork(NULL, NULL, forget_in_child);
}

/* A missing file is not "no such user": callers map -ENOENT to NOTFOUND, so report it as
 * -ENODATA (the module has no data to answer from) and let the next source decide. */
static int
missing_is_unavailable(int r)
{
	return r == -ENOENT ? -ENODATA : r;
}

int
ecs_nss_view_acquire(struct ecs_nss_view *v)
{
	int r;

	pthread_once(&atfork_once, register_atfork);
	pthread_mutex_lock(&cache_lock);
	r = missing_is_unavailable(refresh());
	if (r < 0) {
		pthread_mutex_unlock(&cache_lock);
		return r;
	}
	v->conf = &conf;
	v->first_login = re_valid ? &re : NULL;
	v->names = &names;
	v->db = &current->db;
	return 0;
}

void
ecs_nss_view_release(void)
{
	pthread_mutex_unlock(&cache_lock);
}

int
ecs_nss_snap_get(struct ecs_nss_snap **out, const struct ecs_usermap **db,
		 char group[ECS_NAME_USER_MAX + 1], uint32_t *gid)
{
	int r;

	pthread_once(&atfork_once, register_atfork);
	pthread_mutex_lock(&cache_lock);
	r = missing_is_unavailable(refresh());
	if (r == 0)
		r = ecs_strlcpy(group, conf.nss_group, ECS_NAME_USER_MAX + 1);
	if (r == 0) {
		current->refs++;
		*out = current;
		*db = &current->db;
		*gid = conf.nss_gid;
	}
	pthread_mutex_unlock(&cache_lock);
	return r;
}

void
ecs_nss_snap_put(struct ecs_nss_snap *s)
{
	pthread_mutex_lock(&cache_lock);
	snap_put_locked(s);
	pthread_mutex_unlock(&cache_lock);
}
