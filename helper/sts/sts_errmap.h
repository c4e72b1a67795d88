/* sts_errmap.h — what each STS error code means for the user and for the retry loop. */
#ifndef ECS_STS_ERRMAP_H
#define ECS_STS_ERRMAP_H

#include <stdbool.h>

/* The sentence to show the user for an STS error code (never NULL; unknown codes get a
 * generic one). Static storage. */
const char *ecs_sts_code_user_msg(const char *code);

/* true for codes that say "try again" (throttling, transient server-side failures). */
bool ecs_sts_code_transient(const char *code);

/* true when a ValidationError is STS saying DurationSeconds exceeds the role's
 * MaxSessionDuration (the one 4xx that a shorter request can fix). */
bool ecs_sts_duration_too_long(const char *code, const char *message);

/* Why a call failed without an STS error document: the CODE logged as code= (next to STS's
 * own codes) and keyed on by the tests, each with one sentence for the user that says who
 * can fix it. */
#define ECS_STS_CAUSE_TIMEOUT "sts-timeout"		/* no answer within sts_timeout */
#define ECS_STS_CAUSE_UNREACHABLE "sts-unreachable"	/* the TCP connection failed */
#define ECS_STS_CAUSE_DNS "sts-dns"			/* the host name does not resolve */
#define ECS_STS_CAUSE_UNTRUSTED "sts-untrusted"		/* certificate not trusted by the CA */
#define ECS_STS_CAUSE_TLS "sts-tls"			/* the TLS handshake failed */
#define ECS_STS_CAUSE_PIN "sts-pin-mismatch"		/* key matches no sts_pin_sha256 */
#define ECS_STS_CAUSE_CA_FILE "sts-ca-file"		/* libcurl refused sts_ca_file's bytes */
#define ECS_STS_CAUSE_CONNECTION "sts-connection"	/* the connection broke, no answer */
#define ECS_STS_CAUSE_BAD_REPLY "sts-bad-reply"		/* not an STS document, or too large */
#define ECS_STS_CAUSE_PROXY "sts-proxy"		/* sts_proxy unreachable, or it refused
							 * the CONNECT tunnel */
#define ECS_STS_CAUSE_PROXY_AUTH "sts-proxy-auth"	/* the proxy wants other credentials
							 * (407) */
#define ECS_STS_CAUSE_CONFIG "sts-config"		/* no usable endpoint (not https, ...) */
#define ECS_STS_CAUSE_REQUEST "sts-request"		/* a call out of range: never sent */
#define ECS_STS_CAUSE_LIBCURL "sts-libcurl"		/* libcurl.so.4 missing, too old or
							 * without TLS (libaws/aws_curl.h) */

/* Sentence for one of ECS_STS_CAUSE_* (never NULL; NULL or an unknown cause gets a generic
 * one). Static storage. */
const char *ecs_sts_cause_user_msg(const char *cause);

#endif
