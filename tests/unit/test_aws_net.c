/* test_aws_net.c — a region's partition and the endpoints built from it; sts_proxy values. */
#include <errno.h>
#include <string.h>

#include "ecs_aws_net.h"
#include "tap.h"

static int
partition_is(const char *region, const char *name, const char *suffix)
{
	const struct ecs_aws_partition *p = ecs_aws_partition_of(region);

	return strcmp(p->name, name) == 0 && strcmp(p->dns_suffix, suffix) == 0;
}

static void
test_partitions(void)
{
	char url[64];

	T_OK(partition_is("eu-west-1", "aws", "amazonaws.com"), "eu-west-1 is aws");
	T_OK(partition_is("us-east-1", "aws", "amazonaws.com"), "us-east-1 is aws");
	T_OK(partition_is("cn-north-1", "aws-cn", "amazonaws.com.cn"), "cn-north-1 is aws-cn");
	T_OK(partition_is("cn-northwest-1", "aws-cn", "amazonaws.com.cn"),
	     "cn-northwest-1 is aws-cn");
	T_OK(partition_is("us-gov-west-1", "aws-us-gov", "amazonaws.com"),
	     "us-gov-west-1 is aws-us-gov, in amazonaws.com");
	T_OK(partition_is("us-gov-east-1", "aws-us-gov", "amazonaws.com"),
	     "us-gov-east-1 is aws-us-gov");
	T_OK(partition_is("us-iso-east-1", "aws-iso", "c2s.ic.gov"), "us-iso-east-1 is aws-iso");
	T_OK(partition_is("us-isob-east-1", "aws-iso-b", "sc2s.sgov.gov"),
	     "us-isob-east-1 is aws-iso-b (not taken for us-iso-)");
	T_OK(partition_is("cnx-1", "aws", "amazonaws.com"), "a prefix needs its dash (cnx-1: aws)");
	T_OK(partition_is("us-govx-1", "aws", "amazonaws.com"), "us-govx-1 is not GovCloud");
	T_OK(partition_is(NULL, "aws", "amazonaws.com"), "no region: aws");

	T_OK(ecs_aws_endpoint("sts", "eu-west-1", "/", url, sizeof(url)) == 0 &&
		     strcmp(url, "https://sts.eu-west-1.amazonaws.com/") == 0,
	     "STS endpoint of eu-west-1");
	T_OK(ecs_aws_endpoint("ecs", "cn-north-1", "", url, sizeof(url)) == 0 &&
		     strcmp(url, "https://ecs.cn-north-1.amazonaws.com.cn") == 0,
	     "ECS endpoint of cn-north-1");
	T_OK(ecs_aws_endpoint("ssm", "us-gov-west-1", "", url, sizeof(url)) == 0 &&
		     strcmp(url, "https://ssm.us-gov-west-1.amazonaws.com") == 0,
	     "SSM endpoint of us-gov-west-1");
	T_OK(ecs_aws_endpoint("sts", "us-isob-east-1", "/", url, sizeof(url)) == 0 &&
		     strcmp(url, "https://sts.us-isob-east-1.sc2s.sgov.gov/") == 0,
	     "STS endpoint of us-isob-east-1");
	T_OK(ecs_aws_endpoint("sts", "eu-west-1", "/", url, 20) == -ENAMETOOLONG,
	     "an endpoint that does not fit is -ENAMETOOLONG");
}

static void
test_proxy(void)
{
	struct ecs_proxy_url u;

	T_OK(ecs_proxy_url_parse("http://proxy.corp.example:3128", &u) == NULL &&
		     strcmp(u.host, "proxy.corp.example") == 0 && u.port == 3128,
	     "proxy: a host name and a port");
	T_OK(ecs_proxy_url_parse("http://127.0.0.1:23431/", &u) == NULL &&
		     strcmp(u.host, "127.0.0.1") == 0 && u.port == 23431,
	     "proxy: an IPv4 address and a trailing '/'");
	T_OK(ecs_proxy_url_parse("http://[fd00::1]:8080", &u) == NULL &&
		     strcmp(u.host, "fd00::1") == 0 && u.port == 8080,
	     "proxy: an IPv6 address in brackets");
	T_OK(ecs_proxy_url_parse("http://proxy", &u) != NULL, "proxy: the port is required");
	T_OK(ecs_proxy_url_parse("http://user:pw@proxy:3128", &u) != NULL,
	     "proxy: no credentials in the URL");
	T_OK(ecs_proxy_url_parse("https://proxy:3128", &u) != NULL, "proxy: https:// refused");
	T_OK(ecs_proxy_url_parse("HTTP://proxy:3128", &u) != NULL, "proxy: scheme in lower case");
	T_OK(ecs_proxy_url_parse("http://proxy:3128/x", &u) != NULL, "proxy: no path");
	T_OK(ecs_proxy_url_parse("http://proxy:3128#f", &u) != NULL, "proxy: no fragment");
	T_OK(ecs_proxy_url_parse("http://pro xy:3128", &u) != NULL, "proxy: no space in the host");
	T_OK(ecs_proxy_url_parse("http://proxy:+3128", &u) != NULL, "proxy: a plain number");
	T_OK(ecs_proxy_url_parse("", &u) != NULL, "proxy: empty refused");
}

int
main(void)
{
	test_partitions();
	test_proxy();
	T_DONE();
}
