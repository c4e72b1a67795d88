/* sts_probe.h — does the configured endpoint answer like STS, without any credential?
 *
 * `ecs-saml-helper doctor` sends one AssumeRoleWithSAML through the same transport as a
 * login (sts_http.h: the same trust, pins and TLS rules) with an assertion that is no SAML
 * at all and a role of account 000000000000 that cannot exist. STS answers such a call with
 * its documented ErrorResponse (InvalidIdentityToken, or a ValidationError), which proves
 * DNS, the route, TLS and that the peer speaks STS's protocol, while nothing that could
 * authenticate anyone was sent. */
#ifndef ECS_STS_PROBE_H
#define ECS_STS_PROBE_H

#include "sts_trust.h"
#include "sts_types.h"

/* The probe's bogus fields (also what a request log shows for it). */
#define ECS_STS_PROBE_ROLE "arn:aws:iam::000000000000:role/ecs-saml-doctor-probe"
#define ECS_STS_PROBE_PROVIDER "arn:aws:iam::000000000000:saml-provider/ecs-saml-doctor-probe"
#define ECS_STS_PROBE_ASSERTION "ZWNzLXNhbWwtZG9jdG9yOiBub3QgYSBTQU1MIFJlc3BvbnNl"

/* Probe endpoint within timeout_ms. 0 when an STS ErrorResponse came back (err->code,
 * err->message, err->request_id and err->http_status filled); -EBADMSG when the answer is
 * not one (err->cause ECS_STS_CAUSE_BAD_REPLY, err->message says what came); -EPROTO when
 * STS issued credentials for it (they are wiped: this is not STS's behaviour); the
 * transport's -errno otherwise, with err->cause and err->message. -ENOMEM. */
int ecs_sts_probe(const char *endpoint, const struct ecs_sts_trust *trust, long timeout_ms,
		  struct ecs_sts_error *err);

#endif
