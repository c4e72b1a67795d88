/* doc_files.c — the root-owned places the helper and the NSS module depend on: the state
 * directory, the spool, the user map, and the nsswitch lines that let the system see
 * federated users at all. Directories are opened as the helper opens them
 * (ecs_safe_open_dir: root's, not writable by others, no symlink on the way). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "doctor.h"
#include "ecs_err.h"
#include "ecs_io.h"
#include "ecs_nsswitch.h"
#include "ecs_safefile.h"
#include "ecs_usermap.h"
#include "ticket.h"
#include "usermap_file.h"

#define NSSWITCH "/etc/nsswitch.conf"
#define NSSWITCH_MAX (64 * 1024)

/* One directory: owned by root and not writable by others all the way down; the NSS module
 * reads the state directory in every process, so it must be searchable by all. */
static void
check_dir(struct ecs_doc *d, const char *id, const char *path, bool absent_ok,
	  const char *what)
{
	char fix[ECS_DOC_TEXTSZ], idbuf[ECS_DOC_IDSZ];
	struct stat st;
	int fd = -1, r;

	r = ecs_safe_open_dir(path, 0, &fd);
	if (r == -ENOENT && absent_ok) {
		ecs_doc_add(d, ECS_DOC_INFO, id, NULL, "%s (%s) does not exist yet: the helper "
			    "creates it at the first login", path, what);
		goto out;
	}
	snprintf(fix, sizeof(fix), "install -d -m 0755 -o root -g root %s (and make every "
		 "directory above it root's and not writable by group or others)", path);
	if (r == -ENOENT) {
		snprintf(idbuf, sizeof(idbuf), "%s-missing", id);
		ecs_doc_add(d, ECS_DOC_FAIL, idbuf, fix, "%s (%s) does not exist", path, what);
	} else if (r == -EPERM || r == -ELOOP) {
		snprintf(idbuf, sizeof(idbuf), "%s-unsafe", id);
		ecs_doc_add(d, ECS_DOC_FAIL, idbuf, fix, "%s (%s): it or a directory above it is "
			    "%s", path, what, r == -ELOOP ? "a symbolic link" :
			    "not root's or is writable by group or others");
	} else if (r < 0) {
		snprintf(idbuf, sizeof(idbuf), "%s-unreadable", id);
		ecs_doc_add(d, ECS_DOC_FAIL, idbuf, fix, "%s (%s): %s", path, what,
			    ecs_strerror(r));
	} else if (fstat(fd, &st) < 0 || (st.st_mode & 0005) != 0005) {
		snprintf(idbuf, sizeof(idbuf), "%s-mode", id);
		ecs_doc_add(d, ECS_DOC_FAIL, idbuf, fix, "%s (%s) has mode %04o: others must be "
			    "able to read and search it", path, what,
			    (unsigned)(st.st_mode & 07777));
	} else {
		ecs_doc_add(d, ECS_DOC_OK, id, NULL, "%s (%s): root's, mode %04o", path, what,
			    (unsigned)(st.st_mode & 07777));
	}
out:
	ecs_close(&fd);
}

int
ecs_doc_check_dirs(struct ecs_doc *d)
{
	check_dir(d, "state-dir", d->conf.state_dir, false, "state_dir: the user map, the "
		  "replay cache");
	check_dir(d, "spool", ECS_TICKET_SPOOL, true, "the helper's tickets and sessions");
	return 0;
}

int
ecs_doc_check_usermap(struct ecs_doc *d)
{
	struct ecs_usermap_user u;
	struct ecs_buf image;
	struct ecs_usermap db;
	char why[256] = "";
	size_t cursor = 0;
	int r;

	r = ecs_usermap_read(&d->conf, &image, &db, why, sizeof(why));
	if (r == -ENOMEM)
		return r;
	if (r == -ENOENT) {
		ecs_doc_add(d, ECS_DOC_FAIL, "usermap-missing", "ecs-saml-helper users init",
			    "no user map in %s: the NSS module knows no federated user, and "
			    "sshd refuses them before PAM", d->conf.state_dir);
		return 0;
	}
	if (r < 0) {
		ecs_doc_add(d, ECS_DOC_FAIL, "usermap-invalid", "restore the map from a backup, "
			    "or move it away and run ecs-saml-helper users init",
			    "the user map in %s: %s", d->conf.state_dir,
			    why[0] ? why : ecs_strerror(r));
		return 0;
	}
	if (ecs_usermap_next_user(&db, &cursor, &u) == 0) {
		snprintf(d->fed_user, sizeof(d->fed_user), "%s", u.name);
		d->fed_uid = u.uid;
	}
	ecs_doc_add(d, ECS_DOC_OK, "usermap", NULL, "the user map in %s holds %u users and %u "
		    "retired UIDs", d->conf.state_dir, (unsigned)db.nusers, (unsigned)db.nretired);
	ecs_buf_free(&image);
	return 0;
}

int
ecs_doc_check_nsswitch(struct ecs_doc *d)
{
	static const char *const dbs[] = { "passwd", "group" };
	struct ecs_buf text;
	size_t i;
	int r;

	ecs_buf_init(&text, NSSWITCH_MAX + 1);
	r = ecs_safe_read_path(NSSWITCH, 0, NSSWITCH_MAX, &text, NULL);
	if (r == 0)
		r = ecs_buf_append(&text, "", 1);
	if (r == -ENOMEM)
		goto out;
	if (r < 0) {
		ecs_doc_add(d, ECS_DOC_FAIL, "nsswitch-unreadable", "check " NSSWITCH,
			    NSSWITCH ": %s", ecs_strerror(r));
		r = 0;
		goto out;
	}
	for (i = 0; i < 2; i++) {
		char id[ECS_DOC_IDSZ], fix[160];

		snprintf(id, sizeof(id), "nsswitch-%s", dbs[i]);
		snprintf(fix, sizeof(fix), "add ecs_saml after files on the %s: line of "
			 NSSWITCH, dbs[i]);
		if (ecs_nsswitch_has((const char *)text.data, dbs[i], "ecs_saml"))
			ecs_doc_add(d, ECS_DOC_OK, id, NULL, NSSWITCH ": %s names ecs_saml",
				    dbs[i]);
		else
			ecs_doc_add(d, ECS_DOC_FAIL, id, fix, NSSWITCH ": the %s line does not "
				    "name ecs_saml: the system does not know federated users (sshd "
				    "refuses them as invalid users)", dbs[i]);
	}
out:
	ecs_buf_free(&text);
	return r;
}
