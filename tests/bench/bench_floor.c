/* bench_floor.c — the floor `verify` is measured against: libxml2 parse from memory plus one
 * xmlsec signature verification with a preloaded key, nothing else (no caps, no pre-scan,
 * no claims). Prints the median wall time of N rounds as floor_us=N.
 *
 *   bench_floor CERT.pem RESPONSE.xml ROUNDS
 *
 * The Signature checked is the first one that is a direct child of the Assertion, else of
 * the Response: the same node `verify` checks for the corpus's Assertion-signed files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/xmltree.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/crypto.h>

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return buf;
}

static xmlNode *
signature_of(xmlNode *parent)
{
	xmlNode *c;

	for (c = parent ? parent->children : NULL; c; c = c->next) {
		if (c->type == XML_ELEMENT_NODE && c->ns &&
		    strcmp((const char *)c->name, "Signature") == 0 &&
		    strcmp((const char *)c->ns->href, "http://www.w3.org/2000/09/xmldsig#") == 0)
			return c;
	}
	return NULL;
}

static xmlNode *
assertion_of(xmlNode *response)
{
	xmlNode *c;

	for (c = response->children; c; c = c->next) {
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "Assertion") == 0)
			return c;
	}
	return NULL;
}

/* One round: parse, register the IDs, verify. 0 when the signature is valid. */
static int
round_once(const char *xml, size_t len, xmlSecKeyPtr key)
{
	static const xmlChar *ids[] = { (const xmlChar *)"ID", NULL };
	xmlSecDSigCtxPtr ctx = NULL;
	xmlDoc *doc;
	xmlNode *root, *sig;
	int r = -1;

	doc = xmlReadMemory(xml, (int)len, NULL, NULL, XML_PARSE_NONET);
	if (!doc)
		return -1;
	root = xmlDocGetRootElement(doc);
	xmlSecAddIDs(doc, root, ids);
	sig = signature_of(assertion_of(root));
	if (!sig)
		sig = signature_of(root);
	ctx = xmlSecDSigCtxCreate(NULL);
	if (sig && ctx) {
		/* Lent, not copied: the cheapest way to hand xmlsec a preloaded key. */
		ctx->signKey = key;
		if (xmlSecDSigCtxVerify(ctx, sig) == 0 && ctx->status == xmlSecDSigStatusSucceeded)
			r = 0;
		ctx->signKey = NULL;
	}
	if (ctx)
		xmlSecDSigCtxDestroy(ctx);
	xmlFreeDoc(doc);
	return r;
}

static int
cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
	struct timespec t0, t1;
	xmlSecKeyPtr key;
	size_t len = 0;
	long *us;
	char *xml;
	int i, n;

	if (argc != 4 || (n = atoi(argv[3])) < 1) {
		fprintf(stderr, "usage: bench_floor CERT.pem RESPONSE.xml ROUNDS\n");
		return 2;
	}
	xml = slurp(argv[2], &len);
	us = calloc((size_t)n, sizeof(*us));
	xmlInitParser();
	if (!xml || !us || xmlSecInit() < 0 || xmlSecCryptoAppInit(NULL) < 0 ||
	    xmlSecCryptoInit() < 0) {
		fprintf(stderr, "bench_floor: set-up failed\n");
		return 1;
	}
	key = xmlSecCryptoAppKeyLoad(argv[1], xmlSecKeyDataFormatCertPem, NULL, NULL, NULL);
	if (!key || round_once(xml, len, key) != 0) {
		fprintf(stderr, "bench_floor: %s does not verify with %s\n", argv[2], argv[1]);
		return 1;
	}
	for (i = 0; i < n; i++) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		round_once(xml, len, key);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		us[i] = (t1.tv_sec - t0.tv_sec) * 1000000L + (t1.tv_nsec - t0.tv_nsec) / 1000L;
	}
	qsort(us, (size_t)n, sizeof(*us), cmp_long);
	printf("floor_us=%ld\n", us[n / 2]);
	xmlSecKeyDestroy(key);
	xmlSecCryptoShutdown();
	xmlSecCryptoAppShutdown();
	xmlSecShutdown();
	xmlCleanupParser();
	free(us);
	free(xml);
	return 0;
}
