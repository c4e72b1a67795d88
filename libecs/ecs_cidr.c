/* ecs_cidr.c — parse and print an IP network in CIDR notation (see ecs_cidr.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "ecs_cidr.h"

/* A decimal number of 1..3 digits without a leading zero, at most max; *p moves past it. */
static bool
ecs_cidr_decimal(const char **p, unsigned max, unsigned *out)
{
	const char *s = *p;
	unsigned v = 0;
	int n = 0;

	while (*s >= '0' && *s <= '9' && n < 4) {
		v = v * 10 + (unsigned)(*s - '0');
		s++;
		n++;
	}
	if (n == 0 || n > 3 || (n > 1 && **p == '0') || v > max)
		return false;
	*p = s;
	*out = v;
	return true;
}

/* inet_pton(AF_INET) takes "1.2.3.04" on some libcs and reads octal elsewhere; IAM is not
 * documented either way. Only plain decimal octets, then. */
static bool
ecs_cidr_ipv4(const char *s, size_t len, unsigned char out[4])
{
	const char *p = s;
	unsigned v;
	int i;

	for (i = 0; i < 4; i++) {
		if (i > 0 && *p++ != '.')
			return false;
		if (!ecs_cidr_decimal(&p, 255, &v))
			return false;
		out[i] = (unsigned char)v;
	}
	return (size_t)(p - s) == len;
}

static bool
ecs_cidr_ipv6(const char *s, size_t len, unsigned char out[16])
{
	char text[ECS_CIDR_TEXT_MAX];
	size_t i;

	if (len == 0 || len >= sizeof(text))
		return false;
	for (i = 0; i < len; i++)
		if (!strchr("0123456789abcdefABCDEF:.", s[i]) || s[i] == 0)
			return false;
	memcpy(text, s, len);
	text[len] = 0;
	return inet_pton(AF_INET6, text, out) == 1;
}

int
ecs_cidr_parse(const char *s, struct ecs_cidr *out, const char **why)
{
	const char *slash;
	const char *p;
	unsigned bits;
	size_t alen;
	unsigned i;
	const char *dummy;

	if (!why)
		why = &dummy;
	memset(out, 0, sizeof(*out));
	if (!s || !*s || strlen(s) >= ECS_CIDR_TEXT_MAX) {
		*why = "not an IP address or CIDR network (empty or too long)";
		return -EINVAL;
	}
	slash = strchr(s, '/');
	alen = slash ? (size_t)(slash - s) : strlen(s);
	if (ecs_cidr_ipv4(s, alen, out->addr)) {
		out->family = AF_INET;
		bits = 32;
	} else if (ecs_cidr_ipv6(s, alen, out->addr)) {
		out->family = AF_INET6;
		bits = 128;
	} else {
		*why = "not an IP address (IPv4 in four decimal octets without leading zeros, or "
		       "IPv6)";
		return -EINVAL;
	}
	out->prefix = bits;
	if (slash) {
		p = slash + 1;
		if (!ecs_cidr_decimal(&p, bits, &out->prefix) || *p) {
			*why = out->family == AF_INET ? "the prefix after '/' is not 1..32" :
							"the prefix after '/' is not 1..128";
			return -EINVAL;
		}
		if (out->prefix == 0) {
			*why = "a /0 network is every address: it pins nothing";
			return -EINVAL;
		}
	}
	for (i = out->prefix; i < bits; i++) {
		if (out->addr[i / 8] & (0x80u >> (i % 8))) {
			/* A fixed sentence: the NSS and PAM modules link this file, and a formatted one
			 * would need a thread-local buffer (and so ld.so) or a lock. */
			*why = "bits are set after the prefix (write the network's first address, "
			       "e.g. 10.1.0.0/16, not 10.1.2.3/16)";
			return -EINVAL;
		}
	}
	return 0;
}

int
ecs_cidr_format(const struct ecs_cidr *c, char *buf, size_t n)
{
	char addr[INET6_ADDRSTRLEN];
	int w;

	if (!inet_ntop(c->family, c->addr, addr, sizeof(addr)))
		return -ENOSPC;
	w = snprintf(buf, n, "%s/%u", addr, c->prefix);
	return w < 0 || (size_t)w >= n ? -ENOSPC : 0;
}
