/* ssm_terminate.h — ssm:TerminateSession, signed with a login's own credentials.
 *
 * The teardown at logout ends the login's ECS Exec sessions in AWS. The call goes through
 * the helper's one HTTPS transport (sts_http.h: the same trust as STS, sts_ca_file and
 * sts_pin_sha256, no proxy, no redirect, bounded reply) and is signed with libaws's SigV4
 * (aws_request.h), the signer ecs-saml-exec uses. Run as the user, after the drop. */
#ifndef ECS_SSM_TERMINATE_H
#define ECS_SSM_TERMINATE_H

#include "sts_http.h"
#include "sts_trust.h"
#include "sts_types.h"

#define ECS_SSM_TARGET_TERMINATE "AmazonSSM.TerminateSession"

struct ecs_ssm_terminate {
	const char *endpoint;		/* https:// URL of SSM */
	const char *region;		/* the signature's region */
	const char *session_id;		/* ecs_exec_session_id_ok */
	const struct ecs_sts_creds *creds;	/* the login's (access key, secret, token) */
	long timeout_ms;
};

/* Call TerminateSession. 0 when SSM answered (reply->status says how: 200 is terminated,
 * else reply->error_type is AWS's code); else the transport's error (sts_http.h) with
 * reply->reason and reply->cause set, or -EINVAL (a bad endpoint or session ID: never
 * sent). reply was initialised with ecs_sts_http_reply_init. */
int ecs_ssm_terminate(const struct ecs_ssm_terminate *t, const struct ecs_sts_trust *trust,
		      struct ecs_sts_http_reply *reply);

#endif
