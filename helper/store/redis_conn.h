/* redis_conn.h — one connection to the Redis server of `replay_cache`, for a few commands.
 *
 * TCP, TLS (rediss://, over the OpenSSL the helper links for xmlsec and libcurl) or a unix
 * socket; non-blocking connect and every wait in poll() under a deadline, so a Redis that
 * does not answer costs at most redis_connect_timeout_ms to connect (the TLS handshake, AUTH
 * and SELECT included) and redis_timeout_ms per command. A failure comes back with a CODE
 * (ECS_REDIS_E_*) for the log and a detail line; whoever uses the connection fails closed.
 *
 * The password is read from redis_password_file with ecs_safe_read_path (root's file in
 * root's directories, no symlink) and must not be readable by group or others; it lives in
 * wiped buffers only as long as AUTH takes. The CA bundle of redis_ca_file is read the same
 * way (root's, not writable by others) and loaded from memory. */
#ifndef ECS_REDIS_CONN_H
#define ECS_REDIS_CONN_H

#include <stddef.h>

#include "ecs_conf.h"
#include "resp.h"

/* Why the replay cache on Redis could not be used (README, "Every refusal's record"). */
#define ECS_REDIS_E_UNREACHABLE "replay-cache-unreachable"	/* refused, no route, no socket,
								 * name unknown, connection lost */
#define ECS_REDIS_E_TIMEOUT "replay-cache-timeout"	/* connect or an answer past its timeout */
#define ECS_REDIS_E_AUTH "replay-cache-auth"	/* AUTH refused, or NOAUTH/NOPERM */
#define ECS_REDIS_E_TLS "replay-cache-tls"	/* handshake or certificate check failed */
#define ECS_REDIS_E_PROTOCOL "replay-cache-protocol"	/* an answer that is no RESP, or not
							 * the one the command has */
#define ECS_REDIS_E_REFUSED "replay-cache-refused"	/* an error answer to SET or SELECT:
							 * a read-only replica, out of memory */
#define ECS_REDIS_E_PASSWORD_FILE "replay-cache-password-file"	/* unreadable or unsafe */
#define ECS_REDIS_E_CA_FILE "replay-cache-ca-file"	/* unreadable, unsafe or no PEM */

struct ecs_redis_fail {
	const char *code;	/* ECS_REDIS_E_* */
	char detail[256];	/* one line for the log: what, where, why */
};

struct ecs_redis;

/* Connect to c->replay_cache (a Redis URL), then AUTH and SELECT as configured. 0 with
 * *out set, or -errno / -ECS_EPROTO / -EACCES with *f filled. */
int ecs_redis_open(const struct ecs_conf *c, struct ecs_redis **out, struct ecs_redis_fail *f);

/* Send one command and read its reply into *reply (valid until the next call or close).
 * An error reply is returned as such (type ECS_RESP_ERROR), except NOAUTH and NOPERM,
 * which fail with ECS_REDIS_E_AUTH. 0 or -errno with *f filled. */
int ecs_redis_call(struct ecs_redis *rc, size_t argc, const char *const *argv,
		   const size_t *lens, struct ecs_resp_reply *reply, struct ecs_redis_fail *f);

/* Close and free (NULL is fine). */
void ecs_redis_close(struct ecs_redis *rc);

#endif
