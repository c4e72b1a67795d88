/* doc_net.c — what a login needs beyond this host: the session policy as STS will get it,
 * STS itself (DNS, TLS with the configured trust, an answer in STS's own words), and the
 * one place a federated user must NOT reach: the instance metadata service, whose role
 * credentials would make the whole product moot. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "doc_hook.h"
#include "doctor.h"
#include "ecs_aws_net.h"
#include "ecs_err.h"
#include "ecs_limits.h"
#include "ecs_misconf.h"
#include "sts_errmap.h"
#include "sts_policy.h"
#include "sts_probe.h"
#include "sts_request.h"
#include "sts_trust.h"

#define DNS_TIMEOUT_MS 5000
#define PROBE_TIMEOUT_MS 8000
#define IMDS_ADDR "169.254.169.254"
#define IMDS_PORT 80
#define IMDS_TIMEOUT_MS 1500

int
ecs_doc_check_policy(struct ecs_doc *d)
{
	char role[128], user[ECS_NAME_USER_MAX + 1], err[512] = "", *policy = NULL;
	struct ecs_policy_vars vars = { .role_arn = role, .user = user };
	size_t nchars = 0;
	int r;

	if (!d->conf.session_policy) {
		ecs_doc_add(d, ECS_DOC_INFO, "policy-none", NULL, "no session_policy: sessions "
			    "get the role's whole permissions");
		return 0;
	}
	/* the longest user name a login can have: the largest policy any login renders */
	memset(user, 'u', ECS_NAME_USER_MAX);
	user[ECS_NAME_USER_MAX] = '\0';
	snprintf(role, sizeof(role), "arn:%s:iam::123456789012:role/ecs-saml-doctor",
		 ecs_aws_partition_of(d->conf.region)->name);
	r = ecs_policy_render(&d->conf, &vars, &policy, err, sizeof(err));
	if (r == -ENOMEM)
		return r;
	if (r == -E2BIG)
		ecs_doc_add(d, ECS_DOC_FAIL, "policy-too-large", "shorten the template or list "
			    "fewer ecs_clusters (STS takes 2048 characters)", "%s: %s",
			    d->conf.session_policy, err);
	else if (r < 0)
		ecs_doc_add(d, ECS_DOC_FAIL, "policy-invalid", "correct the template "
			    "(pam.d/ecs-exec-session-policy.json shows the variables)", "%s: %s",
			    d->conf.session_policy, err[0] ? err : ecs_strerror(r));
	else if (ecs_sts_policy_check(policy, &nchars) == 0)
		ecs_doc_add(d, ECS_DOC_OK, "policy", NULL, "%s renders to %zu of %d characters "
			    "with %u clusters and a %d-character user name (STS also caps its "
			    "packed size, which only STS measures)", d->conf.session_policy, nchars,
			    ECS_STS_MAX_POLICY, d->conf.ecs_clusters.n, ECS_NAME_USER_MAX);
	free(policy);
	return 0;
}

/* The host of an https:// URL ("[v6]" without its brackets). */
static int
url_host(const char *url, char *host, size_t sz)
{
	const char *p = url + strlen("https://"), *end;

	if (strncmp(url, "https://", 8) != 0)
		return -EINVAL;
	if (*p == '[') {
		end = strchr(++p, ']');
		if (!end)
			return -EINVAL;
	} else {
		end = p + strcspn(p, ":/?#");
	}
	if (end == p || (size_t)(end - p) >= sz)
		return -EINVAL;
	snprintf(host, sz, "%.*s", (int)(end - p), p);
	return 0;
}

/* getent resolves through NSS as libcurl's resolver does, and runs under a deadline. */
static bool
check_dns(struct ecs_doc *d, const char *host)
{
	char *argv[] = { (char *)"/usr/bin/getent", (char *)"ahosts", (char *)host, NULL };
	char out[512];
	int status = 0, r;

	r = ecs_doc_run_prog(argv, DNS_TIMEOUT_MS, out, sizeof(out), &status);
	if (r == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		out[strcspn(out, " \t\n")] = '\0';
		ecs_doc_add(d, ECS_DOC_OK, ECS_STS_CAUSE_DNS, NULL, "%s resolves (%s)", host, out);
		return true;
	}
	ecs_doc_add(d, ECS_DOC_FAIL, ECS_STS_CAUSE_DNS, "check the bastion's resolver, or "
		    "sts_endpoint", "%s does not resolve%s", host, r == -ETIMEDOUT ?
		    " (no answer within 5 s)" : "");
	return false;
}

int
ecs_doc_check_sts(struct ecs_doc *d)
{
	struct ecs_sts_trust trust;
	struct ecs_sts_error err;
	const char *code = NULL, *ep = d->conf.sts_endpoint;
	char host[256], why[512] = "";
	int r;

	if (!ep || url_host(ep, host, sizeof(host)) < 0) {
		ecs_doc_add(d, ECS_DOC_FAIL, ECS_STS_CAUSE_CONFIG, "set region (or sts_endpoint "
			    "to an https:// URL)", "no usable STS endpoint: %s", ep ? ep : "unset");
		return 0;
	}
	/* through a proxy, the proxy resolves STS's name: this host resolves the proxy's */
	if (d->conf.sts_proxy) {
		struct ecs_proxy_url proxy;

		if (ecs_proxy_url_parse(d->conf.sts_proxy, &proxy) == NULL)
			snprintf(host, sizeof(host), "%s", proxy.host);
	}
	if (!check_dns(d, host))
		return 0;
	r = ecs_sts_trust_load(&d->conf, &trust, &code, why, sizeof(why));
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		ecs_doc_add(d, ECS_DOC_FAIL, code ? code : ECS_STS_CAUSE_CA_FILE, "install the "
			    "CA bundle STS's certificate chains to as a root-owned file, mode "
			    "0644", "%s", why);
		return 0;
	}
	r = ecs_sts_probe(ep, &trust, PROBE_TIMEOUT_MS, &err);
	ecs_sts_trust_free(&trust);
	if (r == -ENOMEM)
		return r;
	if (r == 0)
		ecs_doc_add(d, ECS_DOC_OK, "sts", NULL, "%s answers like STS: HTTP %d %s for an "
			    "unsigned probe with no credential (RequestId %s)", ep,
			    err.http_status, err.code, err.request_id[0] ? err.request_id : "-");
	else
		ecs_doc_add(d, ECS_DOC_FAIL, err.cause ? err.cause : ECS_STS_CAUSE_CONNECTION,
			    "check sts_endpoint, sts_ca_file, sts_pin_sha256 and the network path "
			    "from this host to STS (firewall, proxy)", "%s: %s", ep,
			    err.message[0] ? err.message : ecs_strerror(r));
	return 0;
}

/* In a child that has become the federated uid: connect to addr:port within the timeout.
 * Exit 0: no connection; 1: connected; 2: could not become the user or make the socket. */
static void __attribute__((noreturn))
imds_child(uid_t uid, gid_t gid, const struct sockaddr_in *sa)
{
	struct pollfd pfd;
	socklen_t len = sizeof(int);
	int fd, soerr = 0;

	alarm(5);	/* a backstop: poll below has its own, shorter, bound */
	if (setgroups(0, NULL) < 0 || setgid(gid) < 0 || setuid(uid) < 0 || getuid() != uid)
		_exit(2);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		_exit(2);
	if (connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0)
		_exit(1);
	if (errno != EINPROGRESS)
		_exit(0);
	pfd.fd = fd;
	pfd.events = POLLOUT;
	if (poll(&pfd, 1, IMDS_TIMEOUT_MS) <= 0)
		_exit(0);
	getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len);
	_exit(soerr == 0 ? 1 : 0);
}

int
ecs_doc_check_imds(struct ecs_doc *d)
{
	const char *hook = ecs_doc_hook("IMDS");
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(IMDS_PORT) };
	char addr[64];
	uid_t uid = d->fed_uid ? d->fed_uid : d->conf.nss_uid_min;
	int status = 0;
	pid_t pid;

	snprintf(addr, sizeof(addr), "%s", hook ? hook : IMDS_ADDR);
	if (hook && strchr(addr, ':')) {
		sa.sin_port = htons((uint16_t)atoi(strchr(addr, ':') + 1));
		*strchr(addr, ':') = '\0';
	}
	if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1)
		return -EINVAL;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0)
		imds_child(uid, d->conf.nss_gid, &sa);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) == 2)
		ecs_doc_add(d, ECS_DOC_WARN, "imds-unchecked", NULL, "could not try %s:%u as uid "
			    "%u", addr, ntohs(sa.sin_port), (unsigned)uid);
	else if (WEXITSTATUS(status) == 1)
		ecs_doc_add(d, ECS_DOC_FAIL, "imds-reachable", "block it for everyone but root: "
			    "iptables -A OUTPUT -d 169.254.169.254 -m owner ! --uid-owner 0 -j "
			    "REJECT (and require IMDSv2 with hop limit 1, or turn the metadata "
			    "service off if the instance needs no role)", "a federated uid (%u) "
			    "connects to the instance metadata service %s:%u: any user could take "
			    "the instance role's credentials", (unsigned)uid, addr,
			    ntohs(sa.sin_port));
	else
		ecs_doc_add(d, ECS_DOC_OK, "imds", NULL, "a federated uid (%u) cannot reach the "
			    "instance metadata service %s:%u", (unsigned)uid, addr,
			    ntohs(sa.sin_port));
	return 0;
}
