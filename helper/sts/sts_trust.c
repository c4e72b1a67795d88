/* sts_trust.c — reading sts_ca_file and the pins (see sts_trust.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecs_err.h"
#include "ecs_misconf.h"
#include "ecs_safefile.h"
#include "sts_proxy.h"
#include "sts_trust.h"

#define PEM_BEGIN "-----BEGIN CERTIFICATE-----"
#define PEM_END "-----END CERTIFICATE-----"

/* The number of PEM certificate blocks in pem[len], BEGIN line then END line: a file with
 * none (a key, a DER file, an empty file) would leave libcurl with no trust at all, and
 * every login refused as untrusted. Only the armour is looked at: libcurl parses the
 * certificates where it uses them, and parsing them here with OpenSSL cost every
 * session-close and gc OpenSSL's whole start-up (make bench), for a file they rarely use. */
static unsigned
count_certs(const char *pem, size_t len)
{
	const char *p = pem, *end = pem + len, *b, *e;
	unsigned n = 0;

	while ((b = memmem(p, (size_t)(end - p), PEM_BEGIN, strlen(PEM_BEGIN))) != NULL) {
		b += strlen(PEM_BEGIN);
		e = memmem(b, (size_t)(end - b), PEM_END, strlen(PEM_END));
		if (e == NULL)
			break;
		n++;
		p = e + strlen(PEM_END);
	}
	return n;
}

/* The CODE of a failed safe read: what the administrator has to fix. */
static const char *
read_code(int r)
{
	switch (r) {
	case -ENOENT:
		return ECS_MISCONF_STS_CA_MISSING;
	case -EFBIG:
		return ECS_MISCONF_STS_CA_INVALID;
	default:	/* -EPERM owner or mode, -ELOOP a symlink, -EINVAL not a regular file */
		return ECS_MISCONF_STS_CA_UNSAFE;
	}
}

int
ecs_sts_trust_load(const struct ecs_conf *conf, struct ecs_sts_trust *t, const char **code,
		   char *why, size_t whysz)
{
	const char *path = conf->sts_ca_file;
	char rw[96];
	int r = 0;

	ecs_buf_init(&t->ca, ECS_STS_CA_MAX);
	ecs_buf_init(&t->proxy_auth, ECS_STS_PROXY_AUTH_MAX);
	t->pins = NULL;
	t->proxy = NULL;
	*code = NULL;
	r = -ENOMEM;
	if (conf->sts_pin_sha256 != NULL && (t->pins = strdup(conf->sts_pin_sha256)) == NULL)
		goto out;
	if (conf->sts_proxy != NULL && (t->proxy = strdup(conf->sts_proxy)) == NULL)
		goto out;
	r = 0;
	if (conf->sts_proxy_auth_file != NULL) {
		r = ecs_sts_proxy_auth_load(conf->sts_proxy_auth_file, &t->proxy_auth, why, whysz);
		if (r == -ECS_ECONFIG)
			*code = ECS_MISCONF_STS_PROXY_AUTH;
		if (r < 0)
			goto out;
	}
	if (path == NULL)
		goto out;
	r = ecs_safe_read_path(path, 0, ECS_STS_CA_MAX, &t->ca, NULL);
	if (r == -ENOMEM)
		goto out;
	if (r < 0) {
		*code = read_code(r);
		snprintf(why, whysz, "sts_ca_file %s: %s (it must be a root-owned file, not "
			 "writable by group or others, in root-owned directories)", path,
			 ecs_safe_read_why(r, ECS_STS_CA_MAX, rw, sizeof(rw)));
		r = -ECS_ECONFIG;
		goto out;
	}
	if (t->ca.len == 0 || count_certs((const char *)t->ca.data, t->ca.len) == 0) {
		*code = ECS_MISCONF_STS_CA_INVALID;
		snprintf(why, whysz, "sts_ca_file %s: no PEM certificate in it", path);
		r = -ECS_ECONFIG;
	}
out:
	if (r < 0)
		ecs_sts_trust_free(t);
	return r;
}

void
ecs_sts_trust_free(struct ecs_sts_trust *t)
{
	if (t == NULL)
		return;
	ecs_buf_free(&t->ca);
	ecs_buf_free(&t->proxy_auth);	/* wiped: it holds the proxy's password */
	free(t->pins);
	free(t->proxy);
	t->pins = NULL;
	t->proxy = NULL;
}
