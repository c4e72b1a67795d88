/* ticket.h — the root-only spool that carries a verified Response from auth to session.
 *
 * sshd authenticates in a child process that is gone by session open, so the verified
 * Response waits here: <spool>/tickets/<id> (spool root 0755, tickets/ root 0700, files
 * root 0600), named by a random 128-bit id that alone travels through the PAM environment.
 * A ticket is bound to the PAM user and service and expires at the earlier of the
 * assertion's use deadline and IssueInstant + 5 minutes (the STS window). It is consumed
 * exactly once: whoever unlinks it first has it. */
#ifndef ECS_TICKET_H
#define ECS_TICKET_H

#include <stddef.h>
#include <time.h>
#include "ecs_names.h"

#define ECS_TICKET_SPOOL "/run/pam_ecs_saml"
#define ECS_TICKET_STS_WINDOW 300	/* STS redeems an assertion this long after IssueInstant */
#define ECS_TICKET_MAX 131072		/* bytes of one ticket file */

/* Strings are owned; response_b64 is secret and wiped by ecs_ticket_free. */
struct ecs_ticket {
	char *user;
	char *service;			/* [A-Za-z0-9_.-]{1,64} */
	time_t created;
	time_t expires;
	char *role_arn;
	char *provider_arn;
	char *assertion_id;		/* for the audit trail */
	/* the verified claims the session_open audit record carries (audit.h); stored base64,
	 * since a NameID may hold any character. source_identity may be NULL. */
	char *issuer;
	char *nameid;
	char *session_name;
	char *source_identity;
	unsigned session_duration;	/* SessionDuration attribute, 0 if absent */
	time_t session_not_on_or_after;	/* 0 if absent */
	char *response_b64;		/* secret */
	size_t response_len;
};

/* The expiry of a ticket for an assertion. */
time_t ecs_ticket_expiry(time_t issue_instant, time_t not_on_or_after);

/* Store t (all strings set) under a new id (ecs_spool_new_id: ECS_NAME_TOKEN_LEN hex + NUL). spool is
 * ECS_TICKET_SPOOL except in unit tests. 0 or -errno (-EINVAL for a value that could not
 * be stored faithfully). */
int ecs_ticket_put(const char *spool, const struct ecs_ticket *t, char id[ECS_NAME_TOKEN_LEN + 1]);

/* Consume ticket id for user and service at time now: 0 with *out filled (caller frees with
 * ecs_ticket_free) and the ticket gone; -ECS_ETICKET when it is malformed, missing, already
 * consumed, bound to another user or service (left in place for its owner), or expired
 * (removed), with *why saying which (a static string for the log). -errno for an unsafe
 * spool. */
int ecs_ticket_take(const char *spool, const char *id, const char *user, const char *service,
		    time_t now, struct ecs_ticket *out, const char **why);

/* Withdraw ticket id that auth stored but never handed out (its Response turned out to be
 * a replay, or could not be recorded as used). Missing is success. 0 or -errno. */
int ecs_ticket_drop(const char *spool, const char *id);

/* Remove expired and unreadable tickets; *removed (may be NULL) counts them. 0 or -errno. */
int ecs_ticket_purge(const char *spool, time_t now, unsigned *removed);

void ecs_ticket_free(struct ecs_ticket *t);

#endif
