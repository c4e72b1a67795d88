/* ecs_aws_net.h — how the helper reaches AWS: the partition a region belongs to (its ARN
 * partition and DNS suffix, from which default endpoints are built) and the value of
 * `sts_proxy`.
 *
 * Partitions, as AWS's endpoint rule sets name them (a region's prefix decides):
 *   cn-*        aws-cn       amazonaws.com.cn
 *   us-gov-*    aws-us-gov   amazonaws.com
 *   us-iso-*    aws-iso      c2s.ic.gov
 *   us-isob-*   aws-iso-b    sc2s.sgov.gov
 *   anything else  aws       amazonaws.com
 * Libc only: the configuration (the default sts_endpoint), the helper (a role ARN of another
 * partition than the region's is refused before STS sees it) and ecs-saml-exec (the ECS and
 * SSM endpoints) all derive it here. */
#ifndef ECS_AWS_NET_H
#define ECS_AWS_NET_H

#include <stdbool.h>
#include <stddef.h>

#include "ecs_redis_url.h"

struct ecs_aws_partition {
	const char *name;	/* "aws", "aws-cn", ... (what ARNs carry) */
	const char *dns_suffix;	/* "amazonaws.com", "amazonaws.com.cn", ... */
};

/* The partition of region (any string: an unknown prefix is the commercial partition).
 * Static storage. */
const struct ecs_aws_partition *ecs_aws_partition_of(const char *region);

/* "https://SERVICE.REGION.SUFFIX" plus tail (e.g. "/" or "") into url[urlsz]. 0, or
 * -ENAMETOOLONG when it does not fit. */
int ecs_aws_endpoint(const char *service, const char *region, const char *tail, char *url,
		     size_t urlsz);

/* A parsed sts_proxy value: http://HOST:PORT (the port is required: a proxy has no
 * well-known one), an optional "/" and nothing else; no credentials in it (the configuration
 * file is readable by everyone: they go in the root-only sts_proxy_auth_file). */
struct ecs_proxy_url {
	char host[ECS_URL_HOST_MAX + 1];	/* an IPv6 address without [] */
	unsigned port;
};

/* NULL when url is such a value (and *out filled), else a phrase saying what is wrong with
 * it (for "'sts_proxy': PHRASE"). */
const char *ecs_proxy_url_parse(const char *url, struct ecs_proxy_url *out);

#endif
