/* test_exec_ecs.c — ECS request bodies, reply readers, container choice, the SSM target,
 * AWS's errors as sentences with their exit codes, and the signed request's headers. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec_ecs.h"
#include "exec_errmap.h"
#include "exec_http.h"
#include "tap.h"

#define TASK_ARN "arn:aws:ecs:eu-west-1:123456789012:task/prod/0123456789abcdef0123456789abcdef"
#define CLUSTER_ARN "arn:aws:ecs:eu-west-1:123456789012:cluster/prod"

static const char describe_two[] =
	"{\"tasks\":[{\"taskArn\":\"" TASK_ARN "\",\"clusterArn\":\"" CLUSTER_ARN "\","
	"\"lastStatus\":\"RUNNING\",\"enableExecuteCommand\":true,\"containers\":["
	"{\"name\":\"app\",\"runtimeId\":\"0123abcd-1000000000\",\"managedAgents\":"
	"[{\"name\":\"ExecuteCommandAgent\",\"lastStatus\":\"RUNNING\"}]},"
	"{\"name\":\"sidecar\",\"runtimeId\":\"0123abcd-1000000001\",\"managedAgents\":"
	"[{\"name\":\"ExecuteCommandAgent\",\"lastStatus\":\"PENDING\"}]}]}],\"failures\":[]}";

static const char execute_ok[] =
	"{\"clusterArn\":\"" CLUSTER_ARN "\",\"containerArn\":\"x\",\"containerName\":\"app\","
	"\"interactive\":true,\"taskArn\":\"" TASK_ARN "\",\"session\":{\"sessionId\":"
	"\"ecs-execute-command-0a1b2c3d4e5f60718\",\"streamUrl\":\"wss://ssmmessages.eu-west-1."
	"amazonaws.com/v1/data-channel/ecs-execute-command-0a1b2c3d4e5f60718?role=publish_subscribe\","
	"\"tokenValue\":\"AAEAAHc+/tok=\"}}";

static void
test_bodies(void)
{
	char *b = NULL;

	T_OK(ecs_exec_describe_body("prod", "t1", &b) == 0 &&
		     strcmp(b, "{\"cluster\":\"prod\",\"tasks\":[\"t1\"]}") == 0,
	     "DescribeTasks body");
	free(b);
	T_OK(ecs_exec_describe_body(NULL, "t1", &b) == 0 && strcmp(b, "{\"tasks\":[\"t1\"]}") == 0,
	     "no cluster: the key is left out (ECS's default cluster)");
	free(b);
	T_OK(ecs_exec_execute_body("prod", "t1", "app", "/bin/sh -c \"id\"", &b) == 0 &&
		     strcmp(b, "{\"cluster\":\"prod\",\"task\":\"t1\",\"container\":\"app\","
			       "\"command\":\"/bin/sh -c \\\"id\\\"\",\"interactive\":true}") == 0,
	     "ExecuteCommand body: interactive, the command escaped");
	free(b);
}

static void
test_describe(void)
{
	struct ecs_exec_task t;
	char err[512];
	size_t idx = 99;
	static const char missing[] =
		"{\"tasks\":[],\"failures\":[{\"arn\":\"" TASK_ARN "\",\"reason\":\"MISSING\"}]}";
	static const char dup[] = "{\"tasks\":[],\"tasks\":[]}";

	T_OK(ecs_exec_parse_describe(describe_two, strlen(describe_two), &t) == 0 &&
		     t.ncontainers == 2 && strcmp(t.task_id, "0123456789abcdef0123456789abcdef") == 0 &&
		     strcmp(t.cluster_name, "prod") == 0 && t.exec_enabled &&
		     strcmp(t.containers[1].agent_status, "PENDING") == 0,
	     "a DescribeTasks reply with two containers");
	T_OK(ecs_exec_choose_container(&t, NULL, &idx, err, sizeof(err)) == -EINVAL &&
		     strstr(err, "2 containers (app, sidecar): name one with --container"),
	     "two containers and none named: %s", err);
	T_OK(ecs_exec_choose_container(&t, "db", &idx, err, sizeof(err)) == -ENOENT &&
		     strstr(err, "no container named db; its containers are: app, sidecar"),
	     "a name not in the task: %s", err);
	T_OK(ecs_exec_choose_container(&t, "sidecar", &idx, err, sizeof(err)) == 0 && idx == 1,
	     "the named container");
	T_OK(ecs_exec_check_ready(&t, 1, err, sizeof(err)) == -EAGAIN &&
		     strstr(err, "ExecuteCommandAgent) of container sidecar") && strstr(err, "PENDING"),
	     "an agent not RUNNING: %s", err);
	T_OK(ecs_exec_check_ready(&t, 0, err, sizeof(err)) == 0, "a RUNNING agent is ready");
	t.exec_enabled = false;
	T_OK(ecs_exec_check_ready(&t, 0, err, sizeof(err)) == -EAGAIN &&
		     strstr(err, "without enableExecuteCommand"), "exec not enabled: %s", err);
	ecs_exec_task_free(&t);

	T_OK(ecs_exec_parse_describe(missing, strlen(missing), &t) == 0 && t.missing &&
		     strcmp(t.failure_reason, "MISSING") == 0,
	     "an unknown task is a failure with its reason");
	ecs_exec_task_free(&t);
	T_OK(ecs_exec_parse_describe(dup, strlen(dup), &t) == -EBADMSG, "duplicate keys refused");
	T_OK(ecs_exec_parse_describe("[]", 2, &t) == -EBADMSG, "not an object");
	{
		char *bad = strdup(describe_two);

		memcpy(strstr(bad, "0123abcd-1000000000"), "0123abcd/../../x00", 18);
		T_OK(ecs_exec_parse_describe(bad, strlen(bad), &t) == -EBADMSG,
		     "a runtime ID with '/' is refused (it goes into the SSM target)");
		free(bad);
	}
}

static void
test_execute(void)
{
	struct ecs_exec_session s;
	char *target = NULL;

	T_OK(ecs_exec_parse_execute(execute_ok, strlen(execute_ok), &s) == 0 &&
		     strcmp(s.session_id, "ecs-execute-command-0a1b2c3d4e5f60718") == 0 &&
		     strcmp(s.cluster_name, "prod") == 0 && strcmp(s.container_name, "app") == 0 &&
		     strstr(s.handover, "\"tokenValue\":\"AAEAAHc+/tok=\"") &&
		     strstr(s.handover, "\"sessionId\":\"ecs-execute-command-0a1b2c3d4e5f60718\""),
	     "an ExecuteCommand reply: session ID, names, and the handover for the plugin");
	ecs_exec_session_free(&s);
	{
		char *bad = strdup(execute_ok);

		memcpy(strstr(bad, "ecs-execute-command-0a1b"), "../execute-command-0a1b", 23);
		T_OK(ecs_exec_parse_execute(bad, strlen(bad), &s) == -EBADMSG,
		     "a session ID that is a path is refused (it names the record file)");
		free(bad);
	}
	T_OK(ecs_exec_target_json("prod", "0123", "0123-1000", &target) == 0 &&
		     strcmp(target, "{\"Target\": \"ecs:prod_0123_0123-1000\"}") == 0,
	     "the target parameters, as the AWS CLI writes them");
	free(target);
	T_OK(ecs_exec_target_json("prod", "0123", "a\"b", &target) == -EINVAL,
	     "a runtime ID that would break the JSON is refused");
}

static void
parse_err(const char *body, struct ecs_aws_error *e)
{
	ecs_exec_parse_error(body, strlen(body), NULL, e);
}

static void
test_errors(void)
{
	struct ecs_exec_errctx ctx = { "ExecuteCommand", "staging", "t1", "app", "eu-west-1" };
	struct ecs_aws_error e;
	char msg[1024];
	static const char denied[] =
		"{\"__type\":\"AccessDeniedException\",\"message\":\"User: x is not authorized\"}";

	ecs_exec_parse_error(denied, strlen(denied), NULL, &e);
	T_OK(strcmp(e.code, "AccessDeniedException") == 0, "__type read");
	T_OK(ecs_exec_errmap_aws(&ctx, 400, &e, msg, sizeof(msg)) == ECS_EXEC_EXIT_REFUSED &&
		     strstr(msg, "not allowed") && strstr(msg, "cluster staging") &&
		     strstr(msg, "ecs_clusters"),
	     "AccessDenied: %s", msg);
	parse_err("{\"__type\":\"com.amazonaws.ecs#TargetNotConnectedException\"}", &e);
	T_OK(ecs_exec_errmap_aws(&ctx, 400, &e, msg, sizeof(msg)) == ECS_EXEC_EXIT_REFUSED &&
		     strstr(msg, "not connected") && strstr(msg, "enableExecuteCommand"),
	     "TargetNotConnected (namespaced __type): %s", msg);
	ecs_exec_parse_error("", 0, "ExpiredTokenException:http://internal.amazon.com/x", &e);
	T_OK(strcmp(e.code, "ExpiredTokenException") == 0 &&
		     ecs_exec_errmap_aws(&ctx, 400, &e, msg, sizeof(msg)) == ECS_EXEC_EXIT_LOGIN &&
		     strstr(msg, "log in to the bastion again"),
	     "expired credentials (code from x-amzn-ErrorType): %s", msg);
	parse_err("{\"__type\":\"UnrecognizedClientException\"}", &e);
	T_OK(ecs_exec_errmap_aws(&ctx, 400, &e, msg, sizeof(msg)) == ECS_EXEC_EXIT_LOGIN,
	     "an unrecognised token: %s", msg);
	parse_err("{\"__type\":\"ClusterNotFoundException\"}", &e);
	T_OK(ecs_exec_errmap_aws(&ctx, 400, &e, msg, sizeof(msg)) == ECS_EXEC_EXIT_REFUSED &&
		     strstr(msg, "cluster staging does not exist in region eu-west-1"),
	     "ClusterNotFound: %s", msg);
	parse_err("{\"__type\":\"InvalidParameterException\",\"message\":\"The specified "
			     "task is not found. Specify a valid task and try again.\"}", &e);
	T_OK(ecs_exec_errmap_aws(&ctx, 400, &e, msg, sizeof(msg)) == ECS_EXEC_EXIT_REFUSED &&
		     strstr(msg, "task t1 was not found in cluster staging"),
	     "InvalidParameter, unknown task: %s", msg);
	parse_err("{\"__type\":\"InvalidParameterException\",\"message\":\"The execute "
			     "command failed because execute command was not enabled when the "
			     "task was run\"}", &e);
	T_OK(ecs_exec_errmap_aws(&ctx, 400, &e, msg, sizeof(msg)) == ECS_EXEC_EXIT_REFUSED &&
		     strstr(msg, "without enableExecuteCommand"),
	     "InvalidParameter, exec not enabled: %s", msg);
	parse_err("{\"__type\":\"InvalidParameterException\",\"message\":\"a\\u001b[31m\"}", &e);
	T_OK(strcmp(e.message, "a?[31m") == 0, "AWS's message is made printable (%s)", e.message);
	parse_err("<html>busy</html>", &e);
	T_OK(e.code[0] == 0 &&
		     ecs_exec_errmap_aws(&ctx, 503, &e, msg, sizeof(msg)) ==
			     ECS_EXEC_EXIT_UNREACHABLE && strstr(msg, "try again"),
	     "a 503 that is not JSON: %s", msg);
	T_OK(ecs_exec_errmap_transport(-EPERM, "https://ecs.x", "certificate verify failed",
				       "/ca.pem", msg, sizeof(msg)) == ECS_EXEC_EXIT_UNREACHABLE &&
		     strstr(msg, "not trusted") && strstr(msg, "AWS_CA_BUNDLE=/ca.pem"),
	     "TLS verification: %s", msg);
	T_OK(ecs_exec_errmap_transport(-ECONNREFUSED, "https://ecs.x", "refused", NULL, msg,
				       sizeof(msg)) == ECS_EXEC_EXIT_UNREACHABLE &&
		     strstr(msg, "cannot reach https://ecs.x"),
	     "connection refused: %s", msg);
}

static void
test_http(void)
{
	struct ecs_aws_endpoint ep;
	struct ecs_aws_call call = { &ep, "ASIAEXAMPLE", "secret", "tok+en/=", "eu-west-1", "ecs",
				     "AmazonEC2ContainerServiceV20141113.DescribeTasks", "{}",
				     1440938160 };
	struct ecs_sigv4_pair h[ECS_AWS_NHEADERS];
	struct ecs_sigv4_result res;
	char date[ECS_SIGV4_DATE_LEN + 1], url[ECS_AWS_URL_MAX + 1];
	size_t n = 0;

	T_OK(ecs_aws_endpoint_parse("https://127.0.0.1:18443", &ep) == 0 &&
		     strcmp(ep.host, "127.0.0.1:18443") == 0 && strcmp(ep.path, "/") == 0,
	     "an endpoint with a port: Host carries it");
	T_OK(ecs_aws_endpoint_parse("https://ecs.eu-west-1.amazonaws.com:443/", &ep) == 0 &&
		     strcmp(ep.host, "ecs.eu-west-1.amazonaws.com") == 0,
	     "port 443 is left out of Host");
	T_OK(ecs_aws_endpoint_parse("http://ecs.eu-west-1.amazonaws.com", &ep) == -EINVAL &&
		     ecs_aws_endpoint_parse("https://u:p@host/", &ep) == -EINVAL &&
		     ecs_aws_endpoint_parse("https://host/?a=b", &ep) == -EINVAL,
	     "plain http, a user or a query are refused");
	T_OK(ecs_aws_default_endpoint("ecs", "eu-west-1", url) == 0 &&
		     strcmp(url, "https://ecs.eu-west-1.amazonaws.com") == 0 &&
		     ecs_aws_default_endpoint("ssm", "cn-north-1", url) == 0 &&
		     strcmp(url, "https://ssm.cn-north-1.amazonaws.com.cn") == 0,
	     "AWS's endpoints, China's partition included");
	T_OK(ecs_aws_default_endpoint("ecs", "us-gov-west-1", url) == 0 &&
		     strcmp(url, "https://ecs.us-gov-west-1.amazonaws.com") == 0 &&
		     ecs_aws_default_endpoint("ssm", "us-iso-east-1", url) == 0 &&
		     strcmp(url, "https://ssm.us-iso-east-1.c2s.ic.gov") == 0,
	     "GovCloud's and the ISO partition's endpoints");
	ecs_aws_endpoint_parse("https://127.0.0.1:18443", &ep);
	ecs_sigv4_result_init(&res);
	T_OK(ecs_aws_signed_headers(&call, date, h, &n, &res) == 0 && n == 5 &&
		     strcmp(date, "20150830T123600Z") == 0,
	     "the request's five headers, dated from the clock given");
	T_OK(strstr((char *)res.canonical_request.data,
		    "content-type:application/x-amz-json-1.1\nhost:127.0.0.1:18443\n"
		    "x-amz-date:20150830T123600Z\nx-amz-security-token:tok+en/=\n"
		    "x-amz-target:AmazonEC2ContainerServiceV20141113.DescribeTasks\n") != NULL,
	     "every header is signed, the token and the target included");
	T_OK(strstr((char *)res.authorization.data,
		    "Credential=ASIAEXAMPLE/20150830/eu-west-1/ecs/aws4_request, SignedHeaders="
		    "content-type;host;x-amz-date;x-amz-security-token;x-amz-target, ") != NULL,
	     "Authorization: the scope names the region and ecs");
	call.session_token = NULL;
	T_OK(ecs_aws_signed_headers(&call, date, h, &n, &res) == 0 && n == 4,
	     "long-term keys: no token header");
	ecs_sigv4_result_free(&res);
}

int
main(void)
{
	ecs_exec_json_init();
	test_bodies();
	test_describe();
	test_execute();
	test_errors();
	test_http();
	T_DONE();
}
