/* doctor.h — `ecs-saml-helper doctor`: one self-check of a bastion, run by its operator
 * before the first login and after every change.
 *
 * A table of checks (doctor.c, one line each, like ecs_conf_keys[]); each check reads one
 * fact with the code that uses it for real (ecs_conf_load, ecs_trust_load, the user map's
 * reader, ecs_safefile, the STS client, the policy renderer) and adds findings: a severity,
 * a stable ID (a CODE an operator or a monitoring system keys on), what was found and what
 * to do. Nothing is changed on the host and nothing waits without a bound: every program,
 * name lookup and connection has a short timeout. The exit status is the worst finding's
 * (ECS_DOC_EXIT_*). */
#ifndef ECS_DOCTOR_H
#define ECS_DOCTOR_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "ecs_conf.h"
#include "ecs_names.h"

enum ecs_doc_sev {
	ECS_DOC_OK = 0,
	ECS_DOC_INFO,	/* worth knowing, nothing to fix */
	ECS_DOC_WARN,	/* works today; fix it before it bites */
	ECS_DOC_FAIL,	/* logins fail, or the host is not safe for them */
};

/* doctor's exit status: 2 and 3 as for every verb (usage, internal error) */
#define ECS_DOC_EXIT_OK 0	/* every finding ok or info */
#define ECS_DOC_EXIT_WARN 1	/* the worst finding is a warning */
#define ECS_DOC_EXIT_FAIL 4	/* at least one finding failed */

#define ECS_DOC_MAX_FINDINGS 160
#define ECS_DOC_IDSZ 48
#define ECS_DOC_TEXTSZ 640

struct ecs_doc_finding {
	enum ecs_doc_sev sev;
	const char *check;		/* the table's name of the check that found it */
	char id[ECS_DOC_IDSZ];
	char msg[ECS_DOC_TEXTSZ];
	char fix[ECS_DOC_TEXTSZ];	/* "" when there is nothing to do */
};

struct ecs_doc {
	/* inputs */
	const char *conf_path;
	const char *sshd_config;	/* --sshd-config, or NULL: sshd's own default */
	const char *sshd_service;	/* --pam-service: sshd's PAM service, default sshd */
	time_t now;
	/* the configuration, when it loaded */
	struct ecs_conf conf;
	bool conf_ok;
	/* a federated user of the map (doc_files.c), for the checks that need one: "" = none */
	char fed_user[ECS_NAME_USER_MAX + 1];
	uint32_t fed_uid;
	/* the sshd PAM stack's conv_timeout= (doc_pam.c), for LoginGraceTime; 0 = default */
	unsigned conv_timeout;
	/* output */
	const char *check;		/* the check running now */
	struct ecs_doc_finding f[ECS_DOC_MAX_FINDINGS];
	unsigned n;
};

/* Add one finding to the running check. fix may be NULL; msg is a format. */
void ecs_doc_add(struct ecs_doc *d, enum ecs_doc_sev sev, const char *id, const char *fix,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Run every check in the table's order. 0, or -ENOMEM (the report is then incomplete). */
int ecs_doc_run(struct ecs_doc *d);

/* Print the findings as text or as one JSON document; the exit status for them. */
void ecs_doc_print_text(const struct ecs_doc *d, FILE *out);
void ecs_doc_print_json(const struct ecs_doc *d, FILE *out);
int ecs_doc_exit_status(const struct ecs_doc *d);
const char *ecs_doc_sev_name(enum ecs_doc_sev sev);

/* The checks, one group per file (doc_*.c). Each returns 0 or -ENOMEM; everything else it
 * meets is a finding. Those marked "conf" in the table run only with a configuration. */
int ecs_doc_check_config(struct ecs_doc *d);	/* doc_conf.c */
int ecs_doc_check_idp(struct ecs_doc *d);	/* doc_idp.c */
int ecs_doc_check_dirs(struct ecs_doc *d);	/* doc_files.c */
int ecs_doc_check_usermap(struct ecs_doc *d);
int ecs_doc_check_nsswitch(struct ecs_doc *d);
int ecs_doc_check_pam(struct ecs_doc *d);	/* doc_pam.c */
int ecs_doc_check_sshd(struct ecs_doc *d);	/* doc_sshd.c */
int ecs_doc_check_clock(struct ecs_doc *d);	/* doc_host.c */
int ecs_doc_check_plugin(struct ecs_doc *d);
int ecs_doc_check_proc(struct ecs_doc *d);
int ecs_doc_check_mac(struct ecs_doc *d);
int ecs_doc_check_policy(struct ecs_doc *d);	/* doc_net.c */
int ecs_doc_check_sts(struct ecs_doc *d);
int ecs_doc_check_imds(struct ecs_doc *d);
int ecs_doc_check_server(struct ecs_doc *d);	/* doc_server.c */

/* doc_idp.c, pure: the state of one IdP's signing certificates at now, given their
 * notAfter times (0 = unknown). ECS_DOC_OK when some certificate is good for more than
 * warn_days; WARN when the only good ones expire within warn_days, or when an expired one
 * sits beside a good one (a rotation to finish); FAIL when every one has expired. */
enum ecs_doc_sev ecs_doc_cert_state(const time_t *not_after, unsigned n, time_t now,
				    unsigned warn_days);
#define ECS_DOC_CERT_WARN_DAYS 30

/* doc_run.c: run argv (argv[0] an absolute path) with stdin /dev/null and stderr with
 * stdout, collecting at most outsz-1 bytes of it NUL-terminated, killed after timeout_ms.
 * *status is the wait status. 0, -ETIMEDOUT (killed), -ENOENT (no such program), -errno. */
int ecs_doc_run_prog(char *const argv[], int timeout_ms, char *out, size_t outsz,
		     int *status);

#endif
