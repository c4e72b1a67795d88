/* audit_journal.c — the journal sink (audit_sink.h): the only user of libsystemd. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <systemd/sd-journal.h>
#include <unistd.h>

#include "audit_sink.h"

#define JOURNAL_SOCKET "/run/systemd/journal/socket"

static void
on_alarm(int sig)
{
	(void)sig;	/* only interrupts the send */
}

int
ecs_audit_journal_send(const struct iovec *iov, int n)
{
	struct itimerval limit = { .it_value = { .tv_sec = 1 } }, old_timer;
	struct sigaction sa, old_sa;
	struct stat st;
	int r;

	/* no journald on this host (or in this container): nothing to wait for */
	if (stat(JOURNAL_SOCKET, &st) < 0 || !S_ISSOCK(st.st_mode))
		return 0;
	/* A journald that is there but does not read would block the datagram's send; a login
	 * never waits on it: the send is interrupted after a second (no SA_RESTART), and
	 * libsystemd returns the -EINTR. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, &old_sa) < 0)
		return -errno;
	setitimer(ITIMER_REAL, &limit, &old_timer);
	r = sd_journal_sendv(iov, n);
	memset(&limit, 0, sizeof(limit));
	setitimer(ITIMER_REAL, &limit, NULL);
	sigaction(SIGALRM, &old_sa, NULL);
	return r;
}
