/* sts_trust.h — what the STS client trusts and the way to it (sts_proxy and its
 * credentials), read by root before the privilege drop.
 *
 * With sts_ca_file set, that file is the only trust: its bytes go to libcurl as a blob, with
 * no CA path and no CA bundle, so a certificate from any CA of the system store is refused.
 * The file is read like every other trust file (ecs_safefile: root-owned, not writable by
 * group or others, no symlink on its path, a regular file), by root, before the helper drops
 * to the user; a file the user could have replaced is never trusted. Without it, libcurl's
 * system store applies. sts_pin_sha256 adds public-key pins on top of either. With sts_proxy,
 * the call goes through that proxy (sts_proxy_auth_file's credentials, sts_proxy.h), which
 * changes nothing of the above: TLS runs end to end inside the CONNECT tunnel. */
#ifndef ECS_STS_TRUST_H
#define ECS_STS_TRUST_H

#include <stddef.h>

#include "ecs_buf.h"
#include "ecs_conf.h"

#define ECS_STS_CA_MAX (1024 * 1024)	/* bytes of sts_ca_file (Debian's whole bundle: 220 KB) */

struct ecs_sts_trust {
	struct ecs_buf ca;	/* the PEM bytes of sts_ca_file; empty: the system store */
	char *pins;		/* "sha256//...[;...]" for CURLOPT_PINNEDPUBLICKEY, or NULL */
	char *proxy;		/* sts_proxy, or NULL: STS directly */
	struct ecs_buf proxy_auth;	/* the proxy's USER and PASSWORD (sts_proxy.h); empty:
					 * none */
};

/* Read conf's sts_ca_file (if set) and copy its pins into t, which is initialised here
 * either way (release it with ecs_sts_trust_free). 0; -ECS_ECONFIG with *code one of
 * ECS_MISCONF_STS_CA_* or ECS_MISCONF_STS_PROXY_AUTH (ecs_misconf.h) and why[] saying what is wrong with which file;
 * -ENOMEM. */
int ecs_sts_trust_load(const struct ecs_conf *conf, struct ecs_sts_trust *t, const char **code,
		       char *why, size_t whysz);

/* NULL-safe; t is left empty. */
void ecs_sts_trust_free(struct ecs_sts_trust *t);

#endif
