/* fuzz_saml_verify.c — libFuzzer target for the whole SAML validation entry point
 * (ecs_saml_verify: input caps, parse, pre-scan, signatures, claims, user mapping).
 *
 * The verifier trusts the shared corpus's TEST-ONLY IdP certificates (RSA-2048 and EC P-256,
 * public halves only) and runs at a fixed instant inside the corpus's validity window, so
 * seeds taken from the corpus go all the way through the claim checks.
 *
 * Properties checked beyond "no crash, no leak": an accepted Response yields printable
 * fields, a valid Unix user and at least one role; a refusal carries a code and a one-line
 * message; nothing else than a refusal or ENOMEM comes back. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ecs_conf.h"
#include "ecs_err.h"
#include "ecs_names.h"
#include "fuzz.h"
#include "saml_verify.h"

#define FUZZ_NOW 1736942550	/* 2025-01-15T12:02:30Z */
#define FUZZ_ENTITY "https://idp.example.test/metadata"

static const char idp_certs[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIDWzCCAkOgAwIBAgIUU+EqsiIhXeyWlhN3ol8QubQNJwYwDQYJKoZIhvcNAQEL\n"
	"BQAwPDEfMB0GA1UECgwWcGFtX2Vjc19zYW1sIFRFU1QgT05MWTEZMBcGA1UEAwwQ\n"
	"aWRwLmV4YW1wbGUudGVzdDAgFw0yMDAxMDEwMDAwMDBaGA8yMDk5MTIxMjAwMDAw\n"
	"MFowPDEfMB0GA1UECgwWcGFtX2Vjc19zYW1sIFRFU1QgT05MWTEZMBcGA1UEAwwQ\n"
	"aWRwLmV4YW1wbGUudGVzdDCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEB\n"
	"AK51RtvEkd5RSoFWFvt5PM2/62LTh/gSyO/HE2qocmZOunpWGDl2HNRxHYQ8rS0S\n"
	"EX5V4nWkscUimWsJ6I2BZe1AY1GZyvcNZ4qODqeOZHHzdFUHiz4S/pxnHywzp2kV\n"
	"ghIvskmz6ZGpS7JDrzN6taKXgvnwxu65X32yAji3QqJv8XHG48TN0xij+YUlO8tY\n"
	"YLjhHzhKRy8TwuzLehldRkdlow/Q+kpx0QCa0b1oDwluobGvAoNmHkRxkbiTVl1W\n"
	"9M87tEJabrQ/EwPycOEcwlAbvZe4pQzVQPchv9EzCXkTsyvvJbgum0B9WZum8nRX\n"
	"7R5QmJSjUjjWv0s9MH7223UCAwEAAaNTMFEwHQYDVR0OBBYEFCeMIRSwfVwC0Xii\n"
	"HnrrHrOIwiFGMB8GA1UdIwQYMBaAFCeMIRSwfVwC0XiiHnrrHrOIwiFGMA8GA1Ud\n"
	"EwEB/wQFMAMBAf8wDQYJKoZIhvcNAQELBQADggEBACIOne7bR3RHqPShF7GpPllZ\n"
	"vhPlGoth6nMi2lbA5RPTB+1dXyLOYsZ9CWo0iw9nGRLHQBMM/9HQ0Ikj/540r61B\n"
	"ZRKc56chnvQd6XEnpLRiKPxxg8s2c1aRalBZIha5Wo1h9iLMCyWasKDXFh18VW4P\n"
	"Tp1JAWwxJtSdScuBYiPi/HkAr1tzuvkreylx83+R4l+sUEZbQ0zX6t0f2dZkcffC\n"
	"uclnp+FaHFu3kEBYdl8CnWVX4bMTGug3yJuEgPmS+TkcRrPZuK1lpbYiWp6yibVC\n"
	"X6vmDvwKS8D8UzZ0HIrnCoSy8B/MGMih+YqjKB4ERa23paJOcMnJxhhKmJqLt3s=\n"
	"-----END CERTIFICATE-----\n"
	"-----BEGIN CERTIFICATE-----\n"
	"MIIB1TCCAXugAwIBAgIUJoTHQhCfd5xMt64PSAeEVDrEDWswCgYIKoZIzj0EAwIw\n"
	"PzEfMB0GA1UECgwWcGFtX2Vjc19zYW1sIFRFU1QgT05MWTEcMBoGA1UEAwwTaWRw\n"
	"LWVjLmV4YW1wbGUudGVzdDAgFw0yMDAxMDEwMDAwMDBaGA8yMDk5MTIxMjAwMDAw\n"
	"MFowPzEfMB0GA1UECgwWcGFtX2Vjc19zYW1sIFRFU1QgT05MWTEcMBoGA1UEAwwT\n"
	"aWRwLWVjLmV4YW1wbGUudGVzdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABAb0\n"
	"80dPbBxw0cjF/Hv6XbCDuFc4ro31gBt4WsvSVnWcDPq/c6am++oeYSTXd+rutmZN\n"
	"VVjSmjp+n6PSGTYDkz2jUzBRMB0GA1UdDgQWBBSUNyPKEdAJNgAIYhWTcFgSNOYN\n"
	"eDAfBgNVHSMEGDAWgBSUNyPKEdAJNgAIYhWTcFgSNOYNeDAPBgNVHRMBAf8EBTAD\n"
	"AQH/MAoGCCqGSM49BAMCA0gAMEUCIQDCg8LT2wMNaKAl8OU7snXd2mBuhwtdH9h6\n"
	"Ngo8tEeqZAIgAqFsV87512OSz3JNUUXtSWQr2th2hKOMxwNlq3y7tz4=\n"
	"-----END CERTIFICATE-----\n"
	;

static struct ecs_verifier *
verifier(void)
{
	static struct ecs_verifier *v;
	static struct ecs_conf conf;
	char err[ECS_CONF_ERRSZ];
	struct ecs_reject rej;

	if (v)
		return v;
	ecs_conf_init(&conf);
	/* building the verifier loads libxml2 and xmlsec (xml_lib.h) */
	if (ecs_conf_set(&conf, "user_strip_suffix", "@corp.example.test", ECS_CONF_ORIGIN_FILE,
			 err, sizeof(err)) < 0 ||
	    ecs_conf_finish(&conf, err, sizeof(err)) < 0 ||
	    ecs_verifier_new_pem(&conf, FUZZ_ENTITY, idp_certs, sizeof(idp_certs) - 1, &v,
				 &rej) < 0)
		abort();
	return v;
}

static void
check_text(const char *s)
{
	if (!s)
		abort();
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			abort();
}

static void
check_accepted(const struct ecs_saml_result *r)
{
	size_t i;

	if (!ecs_name_user_ok(r->user) || r->nroles == 0 || !r->response_b64 ||
	    r->response_b64_len == 0 || strcmp(r->issuer, FUZZ_ENTITY) != 0)
		abort();
	check_text(r->nameid);
	check_text(r->session_name);
	check_text(r->assertion_id);
	if (r->source_identity)
		check_text(r->source_identity);
	if (r->display_name)
		check_text(r->display_name);
	for (i = 0; i < r->nroles; i++) {
		if (!ecs_arn_role_ok(r->roles[i].role_arn) ||
		    !ecs_arn_provider_ok(r->roles[i].provider_arn))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ecs_saml_result res;
	struct ecs_reject rej;
	int r;

	r = ecs_saml_verify(verifier(), (const char *)data, size, ECS_KBD_ENC_NONE, FUZZ_NOW, &res, &rej);
	if (r == 0) {
		check_accepted(&res);
	} else if (r == -ECS_EREJECT) {
		if (!rej.code || res.user || res.roles)
			abort();
		check_text(rej.msg);
	} else if (r != -ENOMEM) {
		abort();
	}
	ecs_saml_result_free(&res);
	return 0;
}
