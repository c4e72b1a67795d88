/* test_pam_helper_reply.c — the module's check of what the helper answered. */
#include <errno.h>
#include <string.h>

#include "ecs_helper_proto.h"
#include "pam_helper_reply.h"
#include "tap.h"

/* Parse a reply made of the given frames (type, text) pairs. */
static int
parse(struct ecs_helper_reply *rep, const int *types, const char *const *vals, size_t n)
{
	struct ecs_buf b;
	int r = ecs_helper_proto_begin(&b);

	for (size_t i = 0; r == 0 && i < n; i++)
		r = ecs_helper_proto_put_str(&b, (enum ecs_helper_proto_type)types[i], vals[i]);
	if (r == 0)
		r = ecs_helper_proto_end(&b);
	if (r == 0)
		r = ecs_reply_parse(b.data, b.len, rep);
	ecs_buf_free(&b);
	return r;
}

static int
one(int type, const char *val)
{
	struct ecs_helper_reply rep;
	int r = parse(&rep, &type, &val, 1);

	ecs_reply_free(&rep);
	return r;
}

int
main(void)
{
	static const int st[] = { ECS_HELPER_PROTO_CRED_FILE, ECS_HELPER_PROTO_CONFIG_FILE, ECS_HELPER_PROTO_REGION,
				  ECS_HELPER_PROTO_EXPIRATION };
	static const char *const sv[] = { "/run/user/1000/pam_ecs_saml/t/credentials",
					  "/run/user/1000/pam_ecs_saml/t/config", "eu-west-1",
					  "2026-11-28T23:00:00Z" };
	struct ecs_helper_reply rep;
	int types[ECS_HELPER_PROTO_MAX_ROLES + 1];
	const char *vals[ECS_HELPER_PROTO_MAX_ROLES + 1];
	int r;

	r = parse(&rep, st, sv, 4);
	T_OK(r == 0 && strcmp(rep.cred_file, sv[0]) == 0 && strcmp(rep.region, "eu-west-1") == 0 &&
		     strcmp(rep.expiration, sv[3]) == 0 && rep.ticket == NULL,
	     "session reply parsed");
	ecs_reply_free(&rep);
	r = ecs_reply_parse(NULL, 0, &rep);
	T_OK(r == 0 && rep.message == NULL && rep.nroles == 0, "an empty reply is valid and empty");

	T_OK(one(ECS_HELPER_PROTO_TICKET, "0123456789abcdef0123456789abcdef") == 0, "ticket accepted");
	T_OK(one(ECS_HELPER_PROTO_TICKET, "../../etc/passwd") == -EBADMSG, "ticket with a path refused");
	T_OK(one(ECS_HELPER_PROTO_TAG, "fedcba9876543210fedcba9876543210") == 0,
	     "session tag (minted by the helper) accepted");
	T_OK(one(ECS_HELPER_PROTO_TAG, "FEDCBA9876543210FEDCBA9876543210") == -EBADMSG,
	     "session tag in upper case refused");
	T_OK(one(ECS_HELPER_PROTO_TAG, "../sessions/x") == -EBADMSG, "session tag with a path refused");
	T_OK(one(ECS_HELPER_PROTO_CRED_FILE, "relative/credentials") == -EBADMSG, "relative path refused");
	T_OK(one(ECS_HELPER_PROTO_CRED_FILE, "/run/x\nAWS_X=1") == -EBADMSG, "path with a newline refused");
	T_OK(one(ECS_HELPER_PROTO_CRED_FILE, "/run/a b") == -EBADMSG, "path with a space refused");
	T_OK(one(ECS_HELPER_PROTO_REGION, "EU-WEST-1") == -EBADMSG, "region outside [a-z0-9-] refused");
	T_OK(one(ECS_HELPER_PROTO_EXPIRATION, "2026-11-28T23:00:00+01:00") == -EBADMSG,
	     "expiry not in Z form refused");
	T_OK(one(ECS_HELPER_PROTO_MESSAGE, "Refused.\x1b[2J") == -EBADMSG,
	     "message with a control character refused");
	T_OK(one(ECS_HELPER_PROTO_ROLE, "arn:aws:iam::123456789012:role/A") == 0, "role accepted");
	T_OK(one(ECS_HELPER_PROTO_ROLE, "not-an-arn") == -EBADMSG, "role that is no role ARN refused");
	T_OK(one(ECS_HELPER_PROTO_RESPONSE, "PHNhbWw+") == -EBADMSG, "a request frame in a reply refused");
	T_OK(one(ECS_HELPER_PROTO_USER, "alice") == -EBADMSG, "USER in a reply refused");

	types[0] = types[1] = ECS_HELPER_PROTO_REGION;
	vals[0] = vals[1] = "eu-west-1";
	r = parse(&rep, types, vals, 2);
	T_OK(r == -EBADMSG && rep.region == NULL, "a repeated single frame refused, nothing kept");
	ecs_reply_free(&rep);

	for (unsigned i = 0; i <= ECS_HELPER_PROTO_MAX_ROLES; i++) {
		types[i] = ECS_HELPER_PROTO_ROLE;
		vals[i] = "arn:aws:iam::123456789012:role/A";
	}
	r = parse(&rep, types, vals, ECS_HELPER_PROTO_MAX_ROLES);
	T_OK(r == 0 && rep.nroles == ECS_HELPER_PROTO_MAX_ROLES, "up to the role cap accepted");
	ecs_reply_free(&rep);
	r = parse(&rep, types, vals, ECS_HELPER_PROTO_MAX_ROLES + 1);
	T_OK(r == -EBADMSG, "one role over the cap refused");
	ecs_reply_free(&rep);

	r = ecs_reply_parse("ECSW\002\0\0\0\0\0", 10, &rep);
	T_OK(r == -EBADMSG, "another wire version refused");
	T_DONE();
}
