/* ecs_cidr.h — an IP network in CIDR notation, as a configuration value that becomes an IAM
 * condition (pin_source_ip, pam_ecs_saml.conf(5)).
 *
 * Strict on purpose: the value ends up in a Deny that decides where the session's credentials
 * work, and IAM reads some forms differently from people (a leading zero, an address with
 * host bits after the prefix). Accepted: an IPv4 address in four decimal octets without
 * leading zeros, or an IPv6 address as inet_pton(3) reads it, each optionally followed by
 * "/N" (N in 1..32 or 1..128, decimal, no leading zero); without "/N" the address alone
 * (/32 or /128). Refused: /0 (it pins nothing), bits set after the prefix, anything else.
 */
#ifndef ECS_CIDR_H
#define ECS_CIDR_H

#include <stddef.h>

#define ECS_CIDR_TEXT_MAX 64	/* bytes of the longest value we read, and of the canonical
				 * form ecs_cidr_format writes (an IPv6 address and "/128") */

struct ecs_cidr {
	int family;		/* AF_INET or AF_INET6 */
	unsigned char addr[16];	/* network byte order; 4 bytes used for AF_INET */
	unsigned prefix;	/* 1..32 or 1..128 */
};

/* 0 with *out filled, or -EINVAL with *why a phrase saying what is wrong ("host bits are set
 * after /24: the network is 10.1.2.0/24"). why may be NULL. The phrase lives in a static
 * buffer of this thread only when it names a suggested network, else it is a literal. */
int ecs_cidr_parse(const char *s, struct ecs_cidr *out, const char **why);

/* The canonical text ("10.1.2.0/24", "2001:db8::/32") into buf[n]; 0 or -ENOSPC. */
int ecs_cidr_format(const struct ecs_cidr *c, char *buf, size_t n);

#endif
