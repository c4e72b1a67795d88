/* saml_trust.c — loading and checking the pinned IdP keys. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "ecs_b64.h"
#include "ecs_buf.h"
#include "ecs_err.h"
#include "ecs_safefile.h"
#include "saml_doc.h"
#include "saml_trust.h"
#include "saml_xml.h"
#include "xml_strict.h"
#include "xml_lib.h"	/* last: redirects libxml2's and xmlsec's names */

#define ECS_TRUST_MAX_CERT 65536	/* DER bytes of one certificate */

static int
find_or_add_idp(struct ecs_trust *t, const char *entity_id, const char *what, unsigned *idx,
		struct ecs_reject *rej)
{
	unsigned i;

	if (!entity_id || !*entity_id || !ecs_text_clean(entity_id))
		return ecs_reject_config(rej, NULL, "%s: empty or unprintable IdP entity ID",
					 what);
	for (i = 0; i < t->nidps; i++) {
		if (strcmp(t->entity_ids[i], entity_id) == 0) {
			*idx = i;
			return 0;
		}
	}
	if (t->nidps == ECS_CONF_MAX_IDPS)
		return ecs_reject_config(rej, NULL, "%s: more than %d IdPs", what,
					 ECS_CONF_MAX_IDPS);
	t->entity_ids[t->nidps] = strdup(entity_id);
	if (!t->entity_ids[t->nidps])
		return -ENOMEM;
	*idx = t->nidps++;
	return 0;
}

/* Decide whether a pinned key is strong enough; a weak key is refused at load, so no
 * signature by it is ever checked. */
static int
key_kind(EVP_PKEY *pk, const char *what, enum ecs_key_kind *kind, struct ecs_reject *rej)
{
	char group[64];
	int bits = EVP_PKEY_get_bits(pk);

	switch (EVP_PKEY_get_base_id(pk)) {
	case EVP_PKEY_RSA:
		if (bits < 2048)
			return ecs_reject_config(rej, ECS_TRUST_KEY_WEAK,
						 "%s: RSA key of %d bits, at least 2048 needed",
						 what, bits);
		*kind = ECS_KEY_RSA;
		return 0;
	case EVP_PKEY_EC:
		if (!EVP_PKEY_get_utf8_string_param(pk, OSSL_PKEY_PARAM_GROUP_NAME, group,
						    sizeof(group), NULL))
			return ecs_reject_config(rej, ECS_TRUST_KEY_WEAK,
						 "%s: EC key without a named curve", what);
		if (strcmp(group, "prime256v1") != 0 && strcmp(group, "secp384r1") != 0 &&
		    strcmp(group, "secp521r1") != 0)
			return ecs_reject_config(rej, ECS_TRUST_KEY_WEAK,
						 "%s: EC curve %s, need P-256, P-384 or P-521",
						 what, group);
		*kind = ECS_KEY_EC;
		return 0;
	default:
		return ecs_reject_config(rej, ECS_TRUST_KEY_WEAK,
					 "%s: unsupported key type (RSA or EC only)", what);
	}
}

/* notAfter as Unix seconds, 0 when it cannot be read (never a reason to refuse the key). */
static time_t
cert_not_after(const X509 *cert)
{
	const ASN1_TIME *t = X509_get0_notAfter(cert);
	struct tm tm;

	if (!t || ASN1_TIME_to_tm(t, &tm) != 1)
		return 0;
	return timegm(&tm);
}

static int
add_cert(struct ecs_trust *t, unsigned idp, X509 *cert, const char *what,
	 struct ecs_reject *rej)
{
	EVP_PKEY *pk = NULL;
	xmlSecKeyDataPtr data = NULL;
	xmlSecKeyPtr key = NULL;
	enum ecs_key_kind kind = ECS_KEY_RSA;
	int bits, r;

	if (t->nkeys == ECS_TRUST_MAX_KEYS) {
		r = ecs_reject_config(rej, NULL, "%s: more than %d pinned keys", what,
				      ECS_TRUST_MAX_KEYS);
		goto out;
	}
	pk = X509_get_pubkey(cert);
	if (!pk) {
		r = ecs_reject_config(rej, NULL, "%s: certificate without a usable public key",
				      what);
		goto out;
	}
	r = key_kind(pk, what, &kind, rej);
	if (r < 0)
		goto out;
	bits = EVP_PKEY_get_bits(pk);
	data = xmlSecOpenSSLEvpKeyAdopt(pk);
	if (!data) {
		r = -ENOMEM;
		goto out;
	}
	pk = NULL;	/* owned by data now */
	key = xmlSecKeyCreate();
	if (!key || xmlSecKeySetValue(key, data) < 0) {
		r = -ENOMEM;
		goto out;
	}
	data = NULL;	/* owned by key now */
	t->keys[t->nkeys].key = key;
	t->keys[t->nkeys].kind = kind;
	t->keys[t->nkeys].idp = idp;
	t->keys[t->nkeys].bits = bits;
	t->keys[t->nkeys].not_after = cert_not_after(cert);
	snprintf(t->keys[t->nkeys].source, sizeof(t->keys[t->nkeys].source), "%s", what);
	t->nkeys++;
	key = NULL;
	r = 0;
out:
	if (key)
		xmlSecKeyDestroy(key);
	if (data)
		xmlSecKeyDataDestroy(data);
	EVP_PKEY_free(pk);
	return r;
}

/* The keys are xmlsec's, and metadata is XML: both paths that add an IdP load the libraries
 * first (xml_lib.h), so that a missing one is named as such, not as a bad trust file. */
static int
load_libs(struct ecs_reject *rej)
{
	if (ecs_xmlsec_load() < 0)
		return ecs_reject_config(rej, ECS_XML_LIB_CODE, "%s", ecs_xml_load_error());
	return 0;
}

int
ecs_trust_add_pem(struct ecs_trust *t, const char *entity_id, const char *pem, size_t len,
		  const char *what, struct ecs_reject *rej)
{
	BIO *bio = NULL;
	X509 *cert = NULL;
	unsigned idp, n = 0;
	int r;

	r = load_libs(rej);
	if (r == 0)
		r = find_or_add_idp(t, entity_id, what, &idp, rej);
	if (r < 0)
		goto out;
	if (len == 0 || len > INT32_MAX) {
		r = ecs_reject_config(rej, NULL, "%s: empty or too large", what);
		goto out;
	}
	bio = BIO_new_mem_buf(pem, (int)len);
	if (!bio) {
		r = -ENOMEM;
		goto out;
	}
	while ((cert = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
		r = add_cert(t, idp, cert, what, rej);
		X509_free(cert);
		cert = NULL;
		if (r < 0)
			goto out;
		n++;
	}
	r = n ? 0 : ecs_reject_config(rej, NULL, "%s: no PEM certificate found", what);
out:
	ERR_clear_error();	/* the end of the PEM stream leaves a "no start line" error */
	BIO_free(bio);
	return r;
}

static int
add_der_text(struct ecs_trust *t, unsigned idp, const char *b64, const char *what,
	     struct ecs_reject *rej)
{
	struct ecs_buf der;
	const unsigned char *p;
	X509 *cert = NULL;
	int r;

	ecs_buf_init(&der, ECS_TRUST_MAX_CERT);
	r = ecs_b64_decode(b64, strlen(b64), &der);
	if (r == -EBADMSG || r == -E2BIG) {
		r = ecs_reject_config(rej, NULL, "%s: X509Certificate is not valid base64",
				      what);
		goto out;
	}
	if (r < 0)
		goto out;
	p = der.data;
	cert = p ? d2i_X509(NULL, &p, (long)der.len) : NULL;
	if (!cert || p != der.data + der.len) {
		r = ecs_reject_config(rej, NULL, "%s: X509Certificate is not one DER certificate",
				      what);
		goto out;
	}
	r = add_cert(t, idp, cert, what, rej);
out:
	X509_free(cert);
	ERR_clear_error();
	ecs_buf_free(&der);
	return r;
}

/* Every X509Certificate of one KeyDescriptor's ds:KeyInfo/ds:X509Data. */
static int
add_key_descriptor(struct ecs_trust *t, unsigned idp, xmlNode *kd, const char *what,
		   unsigned *found, struct ecs_reject *rej)
{
	xmlNode *ki, *xd, *c;
	char *use = NULL, *text = NULL;
	int r;

	r = ecs_xml_attr(kd, "use", &use);
	if (r < 0 || (use && strcmp(use, "signing") != 0))
		goto out;	/* encryption keys never verify signatures */
	for (ki = ecs_xml_first_elem(kd); ki; ki = ecs_xml_next_elem(ki)) {
		if (!ecs_xml_is(ki, ECS_NS_DSIG, "KeyInfo"))
			continue;
		for (xd = ecs_xml_first_elem(ki); xd; xd = ecs_xml_next_elem(xd)) {
			if (!ecs_xml_is(xd, ECS_NS_DSIG, "X509Data"))
				continue;
			for (c = ecs_xml_first_elem(xd); c; c = ecs_xml_next_elem(c)) {
				if (!ecs_xml_is(c, ECS_NS_DSIG, "X509Certificate"))
					continue;
				r = ecs_xml_text(c, ECS_TRUST_MAX_CERT * 2, &text);
				if (r < 0) {
					r = ecs_reject_config(rej, NULL,
							      "%s: unreadable X509Certificate",
							      what);
					goto out;
				}
				r = add_der_text(t, idp, text, what, rej);
				free(text);
				text = NULL;
				if (r < 0)
					goto out;
				(*found)++;
			}
		}
	}
out:
	free(use);
	return r;
}

/* Add the IdP described by the SAML metadata document xml[len]. */
static int
add_metadata(struct ecs_trust *t, const uint8_t *xml, size_t len, const char *what,
	     struct ecs_reject *rej)
{
	struct ecs_xml_error why;
	xmlDoc *doc = NULL;
	xmlNode *root, *sso, *kd;
	char *entity_id = NULL;
	unsigned idp, found = 0;
	int r;

	r = load_libs(rej);
	if (r < 0)
		goto out;
	r = ecs_xml_parse_strict(xml, len, ECS_TRUST_MAX_FILE, &doc, &why);
	if (r == -EBADMSG) {
		r = ecs_reject_config(rej, NULL, "%s: %s", what, why.msg);
		goto out;
	}
	if (r < 0)
		goto out;
	root = xmlDocGetRootElement(doc);
	if (!ecs_xml_is(root, ECS_NS_METADATA, "EntityDescriptor")) {
		r = ecs_reject_config(rej, NULL,
				      "%s: root is not a SAML metadata EntityDescriptor", what);
		goto out;
	}
	r = ecs_xml_attr(root, "entityID", &entity_id);
	if (r < 0)
		goto out;
	r = find_or_add_idp(t, entity_id, what, &idp, rej);
	if (r < 0)
		goto out;
	for (sso = ecs_xml_first_elem(root); sso; sso = ecs_xml_next_elem(sso)) {
		if (!ecs_xml_is(sso, ECS_NS_METADATA, "IDPSSODescriptor"))
			continue;
		for (kd = ecs_xml_first_elem(sso); kd; kd = ecs_xml_next_elem(kd)) {
			if (!ecs_xml_is(kd, ECS_NS_METADATA, "KeyDescriptor"))
				continue;
			r = add_key_descriptor(t, idp, kd, what, &found, rej);
			if (r < 0)
				goto out;
		}
	}
	if (!found)
		r = ecs_reject_config(rej, NULL, "%s: no IDPSSODescriptor signing certificate",
				      what);
out:
	free(entity_id);
	if (doc)
		xmlFreeDoc(doc);
	return r;
}

/* Read one trust file; unreadable is refused with code (one of ECS_TRUST_*_UNREADABLE). */
static int
read_trust_file(const char *path, const char *code, struct ecs_buf *out,
		struct ecs_reject *rej)
{
	int r;

	ecs_buf_init(out, ECS_TRUST_MAX_FILE);
	r = ecs_safe_read_path(path, 0, ECS_TRUST_MAX_FILE, out, NULL);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return ecs_reject_config(rej, code, "cannot read %s: %s (it must be a root-owned "
					 "file, not group/other-writable, in a safe directory)",
					 path, strerror(-r));
	return 0;
}

/* A fault inside a trust file's content is named after the kind of file it was found in. */
static int
name_fault(int r, const char *code, struct ecs_reject *rej)
{
	if (r == -ECS_ECONFIG && rej && !rej->code)
		rej->code = code;
	return r;
}

int
ecs_trust_load(struct ecs_trust *t, const struct ecs_conf *conf, struct ecs_reject *rej)
{
	const struct ecs_conf_idp *idp;
	struct ecs_buf file;
	unsigned i, k;
	int r = 0;

	memset(t, 0, sizeof(*t));
	ecs_buf_init(&file, ECS_TRUST_MAX_FILE);
	if (conf->nidps == 0) {
		r = ecs_reject_config(rej, ECS_TRUST_NONE, "no trusted IdP: set idp_metadata, or "
				      "idp_entity_id with idp_cert");
		goto out;
	}
	for (i = 0; i < conf->nidps; i++) {
		idp = &conf->idps[i];
		if (idp->metadata) {
			r = read_trust_file(idp->metadata, ECS_TRUST_METADATA_UNREADABLE, &file,
					    rej);
			if (r < 0)
				goto out;
			r = name_fault(add_metadata(t, file.data, file.len, idp->metadata, rej),
				       ECS_TRUST_METADATA_INVALID, rej);
			ecs_buf_free(&file);
			if (r < 0)
				goto out;
		}
		for (k = 0; k < idp->certs.n; k++) {
			r = read_trust_file(idp->certs.v[k], ECS_TRUST_CERT_UNREADABLE, &file, rej);
			if (r < 0)
				goto out;
			r = name_fault(ecs_trust_add_pem(t, idp->entity_id, (const char *)file.data,
							 file.len, idp->certs.v[k], rej),
				       ECS_TRUST_CERT_INVALID, rej);
			ecs_buf_free(&file);
			if (r < 0)
				goto out;
		}
	}
out:
	ecs_buf_free(&file);
	if (r < 0)
		ecs_trust_free(t);
	return r;
}

void
ecs_trust_free(struct ecs_trust *t)
{
	unsigned i;

	for (i = 0; i < t->nkeys; i++)
		xmlSecKeyDestroy(t->keys[i].key);
	for (i = 0; i < t->nidps; i++)
		free(t->entity_ids[i]);
	memset(t, 0, sizeof(*t));
}
