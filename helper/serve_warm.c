/* serve_warm.c — the helper server's rehearsal (serve_warm.h). */
#include <openssl/rand.h>
#include <openssl/ssl.h>

#include "ecs_conf.h"
#include "saml_verify.h"
#include "serve_warm.h"

/* Every certificate of a PEM bundle into a TLS client context, as the STS call will. */
static void
warm_tls(const char *ca_file)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (ctx == NULL)
		return;
	if (ca_file != NULL)
		(void)SSL_CTX_load_verify_file(ctx, ca_file);
	SSL_CTX_free(ctx);
}

void
ecs_serve_warm(void)
{
	unsigned char b[16];
	struct ecs_conf c;
	struct ecs_verifier *v = NULL;
	struct ecs_reject rej = { 0 };
	char err[ECS_CONF_ERRSZ];

	ecs_conf_remember_rules();
	if (ecs_conf_load(&c, ECS_CONF_PATH, NULL, 0, err, sizeof(err)) == 0) {
		if (ecs_verifier_new(&c, &v, &rej) == 0)
			ecs_verifier_free(v);
		warm_tls(c.sts_ca_file);
	} else {
		warm_tls(NULL);
	}
	ecs_conf_free(&c);
	(void)RAND_bytes(b, sizeof(b));
	(void)RAND_priv_bytes(b, sizeof(b));
	OPENSSL_cleanse(b, sizeof(b));
}
