/* ecs_saml_exec.c — ecs-saml-exec: ECS Exec from inside a pam_ecs_saml bastion session.
 *
 * DescribeTasks (the container, its runtime ID, whether the task can take an exec), then
 * ExecuteCommand, then session-manager-plugin with the session handed over through its
 * environment (exec_plugin.h), the session recorded in the login's credential directory
 * (ecs_exec_rec.h) for teardown at logout. Runs as the engineer, never as root. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <curl/curl.h>

#include "ecs_err.h"
#include "ecs_version.h"
#include "ecs_exec_rec.h"
#include "ecs_io.h"
#include "ecs_proc.h"
#include "ecs_safefile.h"
#include "ecs_str.h"
#include "exec_args.h"
#include "exec_awsconf.h"
#include "exec_ecs.h"
#include "exec_errmap.h"
#include "exec_http.h"
#include "exec_plugin.h"

#define MSG_MAX 1024

extern char **environ;

struct run {
	struct ecs_exec_args args;
	struct ecs_aws_settings aws;
	const char *region;
	struct ecs_aws_endpoint ecs_ep;
	char ssm_endpoint[ECS_AWS_URL_MAX + 1];
	char *plugin;
	int rec_dfd;			/* the credential directory, -1 when not recorded */
	struct ecs_exec_task task;
	size_t container;
	struct ecs_exec_session session;
	struct ecs_exec_rec rec;
};

static void
say(const char *msg)
{
	fprintf(stderr, "ecs-saml-exec: %s\n", msg);
}

static void
harden(void)
{
	struct rlimit no_core = { 0, 0 };

	/* the process holds the secret key and the session token: no core file, no ptrace
	 * attach by other processes of the same user */
	setrlimit(RLIMIT_CORE, &no_core);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	umask(077);
}

/* Region, endpoints and the plugin: everything that can be wrong before AWS is asked. */
static int
setup(struct run *run, char *msg)
{
	const char *url;
	int r;

	run->region = run->args.region ? run->args.region : run->aws.region;
	if (!run->region) {
		snprintf(msg, MSG_MAX,
			 "no AWS region: give --region, or set AWS_REGION (the bastion's session "
			 "config names one when the administrator set sts_region).");
		return ECS_EXEC_EXIT_USAGE;
	}
	url = run->args.endpoint_url ? run->args.endpoint_url : run->aws.endpoint_url;
	if (url) {
		/* one endpoint given for everything, as the AWS CLI passes it on to the plugin */
		r = ecs_aws_endpoint_parse(url, &run->ecs_ep);
		snprintf(run->ssm_endpoint, sizeof(run->ssm_endpoint), "%s", url);
	} else {
		char ecs_url[ECS_AWS_URL_MAX + 1];

		r = ecs_aws_default_endpoint("ecs", run->region, ecs_url);
		if (r == 0)
			r = ecs_aws_endpoint_parse(ecs_url, &run->ecs_ep);
		if (r == 0)
			r = ecs_aws_default_endpoint("ssm", run->region, run->ssm_endpoint);
	}
	if (r < 0) {
		snprintf(msg, MSG_MAX,
			 "the endpoint %s is not a usable https:// URL (no user, query or fragment).",
			 url ? url : "for this region");
		return ECS_EXEC_EXIT_USAGE;
	}
	r = ecs_exec_plugin_find(getenv("PATH"), &run->plugin);
	if (r < 0) {
		snprintf(msg, MSG_MAX,
			 "session-manager-plugin was not found in PATH: the bastion's administrator "
			 "must install AWS's Session Manager plugin (see README, \"ECS Exec\").");
		return ECS_EXEC_EXIT_USAGE;
	}
	return 0;
}

/* The login's credential directory, where the record goes: the directory of
 * AWS_SHARED_CREDENTIALS_FILE, which must be the user's own and private. */
static int
open_record_dir(struct run *run, char *msg)
{
	char *copy = NULL;
	struct stat st;
	int r;

	run->rec_dfd = -1;
	if (!run->aws.credentials_file) {
		say("AWS_SHARED_CREDENTIALS_FILE is not set, so this exec session is not recorded "
		    "and will not be ended at logout: exit it yourself.");
		return 0;
	}
	copy = strdup(run->aws.credentials_file);
	if (!copy)
		return ECS_EXEC_EXIT_UNREACHABLE;
	r = copy[0] == '/' ? ecs_safe_open_dir(dirname(copy), getuid(), &run->rec_dfd) : -EINVAL;
	if (r == 0 && (fstat(run->rec_dfd, &st) < 0 || st.st_uid != getuid() ||
		       (st.st_mode & 077) != 0))
		r = -EPERM;
	if (r < 0) {
		snprintf(msg, MSG_MAX,
			 "cannot record the exec session next to %s (%s): the directory must be an "
			 "absolute path, yours and private. Log in again, or unset "
			 "AWS_SHARED_CREDENTIALS_FILE to exec without a record.",
			 run->aws.credentials_file, ecs_strerror(r));
		ecs_close(&run->rec_dfd);
	}
	free(copy);
	return r < 0 ? ECS_EXEC_EXIT_USAGE : 0;
}

/* One ECS call: 0 with the 200 reply's body in reply, or the exit code with msg set. */
static int
ecs_call(struct run *run, const char *op, const char *body, struct ecs_exec_reply *reply,
	 char *msg)
{
	char target[128];
	struct ecs_aws_call call = {
		.ep = &run->ecs_ep,
		.access_key_id = run->aws.access_key_id,
		.secret_access_key = run->aws.secret_access_key,
		.session_token = run->aws.session_token,
		.region = run->region,
		.service = "ecs",
		.target = target,
		.body = body,
		.now = time(NULL),
	};
	struct ecs_exec_errctx ctx = { op, run->args.cluster, run->args.task, run->args.container,
				       run->region };
	struct ecs_aws_error e;
	int r;

	snprintf(target, sizeof(target), ECS_EXEC_TARGET_PREFIX "%s", op);
	r = ecs_exec_post(&call, run->aws.ca_bundle, reply);
	if (r < 0)
		return ecs_exec_errmap_transport(r, run->ecs_ep.url, reply->reason,
						 run->aws.ca_bundle, msg, MSG_MAX);
	if (reply->status == 200)
		return 0;
	ecs_exec_parse_error(reply->body.data ? (const char *)reply->body.data : "",
			     reply->body.len, reply->error_type[0] ? reply->error_type : NULL, &e);
	return ecs_exec_errmap_aws(&ctx, reply->status, &e, msg, MSG_MAX);
}

static int
describe(struct run *run, char *msg)
{
	struct ecs_exec_reply reply;
	char *body = NULL;
	int r;

	ecs_exec_reply_init(&reply);
	r = ecs_exec_describe_body(run->args.cluster, run->args.task, &body) < 0 ?
		    ECS_EXEC_EXIT_UNREACHABLE : ecs_call(run, "DescribeTasks", body, &reply, msg);
	if (r == 0 && ecs_exec_parse_describe((const char *)reply.body.data, reply.body.len,
					      &run->task) < 0) {
		snprintf(msg, MSG_MAX, "ECS's DescribeTasks reply is not in the documented form.");
		r = ECS_EXEC_EXIT_UNREACHABLE;
	}
	if (r == 0 && run->task.missing) {
		snprintf(msg, MSG_MAX,
			 "task %s is not in cluster %s (region %s; ECS says %s): check --task, "
			 "--cluster and --region; the task may have stopped.", run->args.task,
			 run->args.cluster ? run->args.cluster : "default", run->region,
			 run->task.failure_reason ? run->task.failure_reason : "missing");
		r = ECS_EXEC_EXIT_REFUSED;
	}
	if (r == 0 && (ecs_exec_choose_container(&run->task, run->args.container, &run->container,
						 msg, MSG_MAX) < 0 ||
		       ecs_exec_check_ready(&run->task, run->container, msg, MSG_MAX) < 0))
		r = ECS_EXEC_EXIT_REFUSED;
	ecs_exec_reply_free(&reply);
	free(body);
	return r;
}

static int
execute(struct run *run, char *msg)
{
	const struct ecs_exec_container *c = &run->task.containers[run->container];
	struct ecs_exec_reply reply;
	char *body = NULL;
	int r;

	ecs_exec_reply_init(&reply);
	r = ecs_exec_execute_body(run->args.cluster, run->args.task, c->name, run->args.command,
				  &body) < 0 ?
		    ECS_EXEC_EXIT_UNREACHABLE : ecs_call(run, "ExecuteCommand", body, &reply, msg);
	if (r == 0 && (ecs_exec_parse_execute((const char *)reply.body.data, reply.body.len,
					      &run->session) < 0 ||
		       strcmp(run->session.container_name, c->name) != 0 ||
		       strcmp(run->session.task_id, run->task.task_id) != 0)) {
		snprintf(msg, MSG_MAX,
			 "ECS's ExecuteCommand reply is not in the documented form or names "
			 "another task or container.");
		r = ECS_EXEC_EXIT_UNREACHABLE;
	}
	ecs_exec_reply_free(&reply);	/* wiped: it held the token */
	free(body);
	return r;
}

/* Called between fork and exec of the plugin: the record must exist before it runs. */
static int
record_started(pid_t pid, void *arg)
{
	struct run *run = arg;
	struct ecs_exec_rec *rec = &run->rec;
	int r;

	rec->pid = pid;
	rec->uid = getuid();
	rec->start = (long long)time(NULL);
	r = ecs_proc_start_time(pid, &rec->pid_start);
	if (r == 0 && run->rec_dfd >= 0)
		r = ecs_exec_rec_write(run->rec_dfd, rec);
	if (r < 0)
		fprintf(stderr,
			"ecs-saml-exec: cannot write the record of exec session %s (%s): the "
			"session is not started, so that none outlives the login unrecorded.\n",
			rec->session_id, ecs_strerror(r));
	return r;
}

static int
fill_record(struct run *run)
{
	struct ecs_exec_rec *rec = &run->rec;

	memset(rec, 0, sizeof(*rec));
	if (ecs_strlcpy(rec->session_id, run->session.session_id, sizeof(rec->session_id)) < 0 ||
	    ecs_strlcpy(rec->cluster, run->session.cluster_name, sizeof(rec->cluster)) < 0 ||
	    ecs_strlcpy(rec->task, run->session.task_id, sizeof(rec->task)) < 0 ||
	    ecs_strlcpy(rec->container, run->session.container_name, sizeof(rec->container)) < 0 ||
	    ecs_strlcpy(rec->region, run->region, sizeof(rec->region)) < 0 ||
	    ecs_strlcpy(rec->ssm_endpoint, run->ssm_endpoint, sizeof(rec->ssm_endpoint)) < 0 ||
	    ecs_strlcpy(rec->reason, run->args.reason ? run->args.reason : "",
			sizeof(rec->reason)) < 0)
		return -EINVAL;
	return 0;
}

static int
plugin_exit(int status, char *msg)
{
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return ECS_EXEC_EXIT_OK;
	if (WIFEXITED(status))
		snprintf(msg, MSG_MAX, "session-manager-plugin ended with status %d.",
			 WEXITSTATUS(status));
	else
		snprintf(msg, MSG_MAX, "session-manager-plugin was killed by signal %d.",
			 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	return ECS_EXEC_EXIT_PLUGIN;
}

static int
start_plugin(struct run *run, char *msg)
{
	const struct ecs_exec_container *c = &run->task.containers[run->container];
	struct ecs_exec_plugin_args pa = { 0 };
	char *target = NULL;
	int status = 0, exec_errno = 0;
	int r;

	if (ecs_exec_target_json(run->session.cluster_name, run->session.task_id, c->runtime_id,
				 &target) < 0 ||
	    fill_record(run) < 0) {
		snprintf(msg, MSG_MAX, "ECS named a cluster, task or runtime ID that cannot be "
				       "used as an SSM target.");
		return ECS_EXEC_EXIT_UNREACHABLE;
	}
	fprintf(stderr, "ecs-saml-exec: starting session %s in %s/%s/%s\n", run->rec.session_id,
		run->rec.cluster, run->rec.task, run->rec.container);
	pa = (struct ecs_exec_plugin_args){ run->plugin, run->region, target, run->ssm_endpoint,
					    run->session.handover, environ };
	r = ecs_exec_plugin_run(&pa, record_started, run, &status, &exec_errno);
	free(target);
	if (r < 0 && exec_errno) {
		snprintf(msg, MSG_MAX, "cannot run %s: %s.", run->plugin, strerror(exec_errno));
		r = ECS_EXEC_EXIT_USAGE;
	} else if (r < 0) {
		snprintf(msg, MSG_MAX, "cannot start session-manager-plugin: %s.", ecs_strerror(r));
		r = ECS_EXEC_EXIT_UNREACHABLE;
	} else {
		r = plugin_exit(status, msg);
	}
	/* a plugin that ended by itself closed the session; any other end may leave it open
	 * in AWS, and its record then stays for the teardown at logout */
	if (run->rec_dfd >= 0 && r == ECS_EXEC_EXIT_OK)
		ecs_exec_rec_remove(run->rec_dfd, run->rec.session_id);
	return r;
}

static int
run_exec(struct run *run, char *msg)
{
	char err[ECS_AWSCONF_ERRSZ];
	int r;

	if (ecs_aws_settings_load(environ, &run->aws, err) < 0) {
		snprintf(msg, MSG_MAX, "%s", err);
		return ECS_EXEC_EXIT_USAGE;
	}
	r = setup(run, msg);
	if (r == 0)
		r = open_record_dir(run, msg);
	if (r == 0)
		r = describe(run, msg);
	if (r == 0)
		r = execute(run, msg);
	if (r == 0)
		r = start_plugin(run, msg);
	return r;
}

int
main(int argc, char **argv)
{
	struct run run = { .rec_dfd = -1 };
	char err[ECS_EXEC_ERRSZ];
	char msg[MSG_MAX] = "";
	int r;

	harden();
	if (ecs_exec_args_parse(argc, argv, &run.args, err) < 0) {
		fprintf(stderr, "ecs-saml-exec: %s\n%s", err, ecs_exec_usage);
		return ECS_EXEC_EXIT_USAGE;
	}
	if (run.args.help) {
		fputs(ecs_exec_usage, stdout);
		return 0;
	}
	if (run.args.version) {
		printf("ecs-saml-exec %s\n", ECS_VERSION);
		return 0;
	}
	ecs_exec_json_init();
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		say("cannot initialise libcurl.");
		return ECS_EXEC_EXIT_UNREACHABLE;
	}
	r = run_exec(&run, msg);
	if (r != 0 && msg[0])
		say(msg);
	ecs_exec_session_free(&run.session);
	ecs_exec_task_free(&run.task);
	ecs_aws_settings_free(&run.aws);
	ecs_close(&run.rec_dfd);
	free(run.plugin);
	curl_global_cleanup();
	return r;
}
