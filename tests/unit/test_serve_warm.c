/* test_serve_warm.c — the helper server's rehearsal (helper/serve_warm.h): the random
 * generators it sets up once still give each forked child bytes of its own. */
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "serve_warm.h"
#include "tap.h"

#define DRAW 32

/* A forked child's draw from OpenSSL's public or private generator, through a pipe. */
static int
child_draw(int priv, unsigned char *out)
{
	int p[2], status = 0;
	ssize_t n = -1;
	pid_t pid;

	if (pipe(p) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		unsigned char b[DRAW];
		int ok = (priv ? RAND_priv_bytes(b, DRAW) : RAND_bytes(b, DRAW)) == 1;

		_exit(ok && write(p[1], b, DRAW) == DRAW ? 0 : 1);
	}
	close(p[1]);
	if (pid > 0) {
		n = read(p[0], out, DRAW);
		waitpid(pid, &status, 0);
	}
	close(p[0]);
	return pid > 0 && n == DRAW && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int
main(void)
{
	unsigned char a[DRAW], b[DRAW], mine[DRAW];

	/* no configuration here (ECS_CONF_PATH is the deployed one, absent or not ours): the
	 * rehearsal still sets up the generators and a TLS context, and must not fail */
	ecs_serve_warm();
	for (int priv = 0; priv <= 1; priv++) {
		const char *which = priv ? "private" : "public";

		T_OK(child_draw(priv, a) == 0 && child_draw(priv, b) == 0,
		     "two children of a rehearsed process draw from the %s generator", which);
		T_OK(memcmp(a, b, DRAW) != 0,
		     "... and get different bytes (the generator reseeds in each child)");
		T_OK((priv ? RAND_priv_bytes(mine, DRAW) : RAND_bytes(mine, DRAW)) == 1 &&
		     memcmp(mine, a, DRAW) != 0 && memcmp(mine, b, DRAW) != 0,
		     "... and bytes the parent does not draw next");
	}
	T_DONE();
}
