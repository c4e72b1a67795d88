/* aws_sigv4.h — AWS Signature Version 4 (header form), as one pure function.
 *
 * ecs_sigv4_sign computes, from the request's method, path, query, headers and payload, the
 * date, the credentials, the region and the service, the three stages AWS documents:
 * the canonical request, the string to sign, and the Authorization header value. It reads
 * no clock, no environment and no file, so tests/unit/test_sigv4.c checks it against AWS's
 * published SigV4 test-suite vectors stage by stage.
 *
 * What it signs is exactly what it is given: every header in `headers` is signed (host,
 * x-amz-date and, with temporary credentials, x-amz-security-token must be among them: the
 * caller builds one header list and both signs and sends it, so what is signed is what
 * goes on the wire).
 *
 * Path and query are raw (not percent-encoded): each is encoded once here, bytes outside
 * RFC 3986's unreserved set as %XX (the path keeps its '/'). With normalize_path, dot
 * segments are removed and runs of '/' collapsed first, as every AWS service but S3
 * expects. */
#ifndef ECS_AWS_SIGV4_H
#define ECS_AWS_SIGV4_H

#include <stdbool.h>
#include <stddef.h>

#include "ecs_buf.h"

#define ECS_SIGV4_DATE_LEN 16	/* "YYYYMMDDTHHMMSSZ" */
#define ECS_SIGV4_MAX_HEADERS 16
#define ECS_SIGV4_TEXT_MAX (64 * 1024)	/* cap on the canonical request */

struct ecs_sigv4_pair {
	const char *name;
	const char *value;
};

struct ecs_sigv4_request {
	const char *method;			/* "GET", "POST" */
	const char *path;			/* raw, starts with '/' */
	bool normalize_path;
	const struct ecs_sigv4_pair *query;	/* raw names and values, any order */
	size_t nquery;
	const struct ecs_sigv4_pair *headers;	/* any case, any order, repeats allowed */
	size_t nheaders;
	const void *payload;
	size_t payload_len;
	const char *amz_date;			/* the X-Amz-Date value, YYYYMMDDTHHMMSSZ */
	const char *region;
	const char *service;
	const char *access_key_id;
	const char *secret_access_key;		/* borrowed; the derived keys are wiped here */
};

struct ecs_sigv4_result {
	struct ecs_buf canonical_request;
	struct ecs_buf string_to_sign;
	struct ecs_buf authorization;		/* the Authorization header's value */
};

/* Empty result buffers; release with ecs_sigv4_result_free. */
void ecs_sigv4_result_init(struct ecs_sigv4_result *res);
void ecs_sigv4_result_free(struct ecs_sigv4_result *res);

/* Sign req into res (reset first). 0, -EINVAL (a missing field, a date that is not
 * YYYYMMDDTHHMMSSZ, a header name that is not a token, a header value with a control
 * character or no header at all), -E2BIG (over ECS_SIGV4_MAX_HEADERS or
 * ECS_SIGV4_TEXT_MAX), -ENOMEM, -EIO (the hash library failed). */
int ecs_sigv4_sign(const struct ecs_sigv4_request *req, struct ecs_sigv4_result *res);

/* Lowercase hex SHA-256 of p[n] into out[65]. 0 or -EIO. */
int ecs_sigv4_sha256_hex(const void *p, size_t n, char out[65]);

#endif
