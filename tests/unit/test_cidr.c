/* test_cidr.c — pin_source_ip's networks: what is accepted, the canonical text, and every
 * form that is refused with a reason. */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "ecs_cidr.h"
#include "tap.h"

/* The canonical text of s, or "!" and the reason when it is refused. */
static const char *
canon(const char *s)
{
	static char out[256];
	struct ecs_cidr c;
	const char *why = NULL;

	if (ecs_cidr_parse(s, &c, &why) < 0) {
		out[0] = '!';
		strncpy(out + 1, why ? why : "(no reason)", sizeof(out) - 2);
		out[sizeof(out) - 1] = 0;
		return out;
	}
	if (ecs_cidr_format(&c, out, sizeof(out)) < 0)
		return "!format";
	return out;
}

static void
test_accepted(void)
{
	struct ecs_cidr c;

	T_OK(strcmp(canon("203.0.113.7"), "203.0.113.7/32") == 0, "an IPv4 address is a /32");
	T_OK(strcmp(canon("10.20.0.0/16"), "10.20.0.0/16") == 0, "an IPv4 network");
	T_OK(strcmp(canon("0.0.0.0/1"), "0.0.0.0/1") == 0, "/1 with zero octets");
	T_OK(strcmp(canon("255.255.255.255/32"), "255.255.255.255/32") == 0, "the top address");
	T_OK(strcmp(canon("2001:DB8::/32"), "2001:db8::/32") == 0,
	     "IPv6, upper case written in canonical lower case");
	T_OK(strcmp(canon("2001:db8:0:0:0:0:0:1"), "2001:db8::1/128") == 0,
	     "an IPv6 address is a /128, zeros compressed");
	T_OK(strcmp(canon("::ffff:192.0.2.1"), "::ffff:192.0.2.1/128") == 0,
	     "an IPv4-mapped IPv6 address");
	T_OK(ecs_cidr_parse("192.0.2.0/24", &c, NULL) == 0 && c.family == AF_INET &&
		     c.prefix == 24 && c.addr[0] == 192 && c.addr[2] == 2 && c.addr[3] == 0,
	     "the parsed family, prefix and bytes");
}

static void
test_refused(void)
{
	static const struct {
		const char *in;
		const char *why;	/* a word of the reason */
	} bad[] = {
		{ "", "empty" },
		{ "10.0.0.0/0", "pins nothing" },
		{ "::/0", "pins nothing" },
		{ "10.1.2.3/24", "bits are set after the prefix" },
		{ "2001:db8::1/32", "first address" },
		{ "10.0.0.01", "leading zeros" },
		{ "010.0.0.1", "leading zeros" },
		{ "10.0.0.1/08", "1..32" },
		{ "10.0.0.1/33", "1..32" },
		{ "2001:db8::/129", "1..128" },
		{ "10.0.0.1/", "1..32" },
		{ "10.0.0.1/24/8", "1..32" },
		{ "10.0.0", "not an IP address" },
		{ "10.0.0.0.0", "not an IP address" },
		{ "10.0.0.256", "not an IP address" },
		{ "1e.0.0.1", "not an IP address" },
		{ " 10.0.0.1", "not an IP address" },
		{ "10.0.0.1 ", "not an IP address" },
		{ "10.0.0.1/ 8", "1..32" },
		{ "10.0.0.1/+8", "1..32" },
		{ "10.0.0.1/-8", "1..32" },
		{ "0x0a.0.0.1", "not an IP address" },
		{ "2001:db8::g", "not an IP address" },
		{ "2001:db8:::1", "not an IP address" },
		{ "fe80::1%eth0", "not an IP address" },
		{ "[2001:db8::1]", "not an IP address" },
		{ "localhost", "not an IP address" },
		{ "*", "not an IP address" },
		{ "10.0.0.1,10.0.0.2", "not an IP address" },
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		  "too long" },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *got = canon(bad[i].in);

		T_OK(got[0] == '!' && strstr(got, bad[i].why), "'%s' refused: %s", bad[i].in,
		     got + 1);
	}
	T_OK(ecs_cidr_parse(NULL, &(struct ecs_cidr){ 0 }, NULL) == -EINVAL, "NULL refused");
}

int
main(void)
{
	test_accepted();
	test_refused();
	T_DONE();
}
