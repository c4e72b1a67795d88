/* ecs_aws_net.c — partitions and the proxy URL (ecs_aws_net.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ecs_aws_net.h"
#include "ecs_str.h"

static const struct ecs_aws_partition partitions[] = {
	/* prefixes include the dash, so "us-isob-" is not taken for "us-iso-" */
	{ "aws-cn", "amazonaws.com.cn" },
	{ "aws-us-gov", "amazonaws.com" },
	{ "aws-iso", "c2s.ic.gov" },
	{ "aws-iso-b", "sc2s.sgov.gov" },
	{ "aws", "amazonaws.com" },
};
static const char *const prefixes[] = { "cn-", "us-gov-", "us-iso-", "us-isob-" };

const struct ecs_aws_partition *
ecs_aws_partition_of(const char *region)
{
	size_t i;

	for (i = 0; region && i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (ecs_startswith(region, prefixes[i]))
			return &partitions[i];
	return &partitions[sizeof(partitions) / sizeof(partitions[0]) - 1];
}

int
ecs_aws_endpoint(const char *service, const char *region, const char *tail, char *url,
		 size_t urlsz)
{
	int n = snprintf(url, urlsz, "https://%s.%s.%s%s", service, region,
			 ecs_aws_partition_of(region)->dns_suffix, tail);

	return n > 0 && (size_t)n < urlsz ? 0 : -ENAMETOOLONG;
}

const char *
ecs_proxy_url_parse(const char *url, struct ecs_proxy_url *out)
{
	const char *rest;
	const char *end;
	const char *why;

	memset(out, 0, sizeof(*out));
	if (ecs_startswith(url, "https://"))
		return "not http://HOST:PORT (the connection to the proxy is plain HTTP; the "
		       "STS connection inside it is TLS end to end)";
	if (!ecs_startswith(url, "http://"))
		return "not http://HOST:PORT";
	rest = url + 7;
	/* a password here would sit in a file every user can read */
	if (strchr(rest, '@'))
		return "credentials do not go in the URL: put them in sts_proxy_auth_file";
	why = ecs_url_host_port(rest, out->host, &out->port, &end);
	if (why)
		return why;
	if (out->port == 0)
		return "no port (http://HOST:PORT)";
	if (*end != '\0' && strcmp(end, "/") != 0)
		return "unexpected characters after the port (http://HOST:PORT)";
	return NULL;
}
