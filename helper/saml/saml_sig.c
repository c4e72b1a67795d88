/* saml_sig.c — signature placement, Reference, algorithm allow-list, pinned-key verify. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ecs_err.h"
#include "saml_sig.h"
#include "saml_xml.h"
#include "xml_lib.h"	/* last: redirects libxml2's and xmlsec's names */

#define URI_EXC_C14N	"http://www.w3.org/2001/10/xml-exc-c14n#"
#define URI_ENVELOPED	"http://www.w3.org/2000/09/xmldsig#enveloped-signature"
#define URI_MORE	"http://www.w3.org/2001/04/xmldsig-more#"

struct sig {
	xmlNode *node;		/* ds:Signature */
	xmlNode *parent;	/* the Response or the Assertion it signs */
	const char *what;
	const char *id;		/* the parent's registered ID */
	enum ecs_key_kind kind;	/* from SignatureMethod */
};

struct alg {
	const char *uri;
	enum ecs_key_kind kind;	/* 0 for digests */
	bool sha1;
};

/* The only signature and digest algorithms accepted; everything else (HMAC, MD5, DSA,
 * RIPEMD, GOST, ...) is refused before xmlsec runs. SHA-1 only behind allow_sha1. */
static const struct alg sig_algs[] = {
	{ URI_MORE "rsa-sha256", ECS_KEY_RSA, false },
	{ URI_MORE "rsa-sha384", ECS_KEY_RSA, false },
	{ URI_MORE "rsa-sha512", ECS_KEY_RSA, false },
	{ URI_MORE "ecdsa-sha256", ECS_KEY_EC, false },
	{ URI_MORE "ecdsa-sha384", ECS_KEY_EC, false },
	{ URI_MORE "ecdsa-sha512", ECS_KEY_EC, false },
	{ "http://www.w3.org/2000/09/xmldsig#rsa-sha1", ECS_KEY_RSA, true },
	{ URI_MORE "ecdsa-sha1", ECS_KEY_EC, true },
};

static const struct alg digest_algs[] = {
	{ "http://www.w3.org/2001/04/xmlenc#sha256", 0, false },
	{ URI_MORE "sha384", 0, false },
	{ "http://www.w3.org/2001/04/xmlenc#sha512", 0, false },
	{ "http://www.w3.org/2000/09/xmldsig#sha1", 0, true },
};

static bool
after_issuer(const xmlNode *sig)
{
	const xmlNode *first = ecs_xml_first_elem(sig->parent);

	if (first == sig)
		return true;
	return ecs_xml_is(first, ECS_NS_ASSERTION, "Issuer") && ecs_xml_next_elem(first) == sig;
}

static int
find_signatures(const struct ecs_saml_doc *d, struct sig sigs[2], unsigned *n,
		struct ecs_reject *rej)
{
	xmlNode *rs, *as;
	unsigned nr, na;

	nr = ecs_xml_count(d->response, ECS_NS_DSIG, "Signature", &rs);
	na = ecs_xml_count(d->assertion, ECS_NS_DSIG, "Signature", &as);
	if (nr > 1 || na > 1)
		return ecs_reject(rej, ECS_REJ_WRAPPING, "more than one Signature on the %s",
				  nr > 1 ? "Response" : "Assertion");
	if (nr + na != d->nsignatures)
		return ecs_reject(rej, ECS_REJ_WRAPPING,
				  "a Signature is not a direct child of the Response or Assertion");
	if (nr + na == 0)
		return ecs_reject(rej, ECS_REJ_SIGNATURE,
				  "unsigned: neither the Response nor the Assertion has a Signature");
	*n = 0;
	if (rs)
		sigs[(*n)++] = (struct sig){ rs, d->response, "Response", d->response_id, 0 };
	if (as)
		sigs[(*n)++] = (struct sig){ as, d->assertion, "Assertion", d->assertion_id, 0 };
	return 0;
}

/* The schema puts the Signature right after the Issuer (first when there is none). Checked
 * only once the Reference is known to name the parent: a Signature elsewhere among its
 * parent's children then still covers exactly the element that is consumed, so it is a
 * malformed layout (node-samlp, Auth0's library, put the Response Signature last until
 * 2017), not a wrapping attempt, and is refused as such rather than interpreted. */
static int
check_position(const struct sig *s, struct ecs_reject *rej)
{
	if (!after_issuer(s->node))
		return ecs_reject(rej, ECS_REJ_STRUCTURE, "the %s Signature is not right after "
				  "its Issuer, where the SAML schema puts it", s->what);
	return 0;
}

static xmlNode *
signed_info(const struct sig *s)
{
	xmlNode *si = ecs_xml_first_elem(s->node);

	return ecs_xml_is(si, ECS_NS_DSIG, "SignedInfo") ? si : NULL;
}

static int
check_reference(const struct sig *s, xmlDoc *doc, xmlNode **ref_out, struct ecs_reject *rej)
{
	xmlNode *si = signed_info(s), *ref;
	xmlAttr *target;
	char *uri = NULL;
	int r;

	if (!si) {
		r = ecs_reject(rej, ECS_REJ_STRUCTURE, "the %s Signature has no SignedInfo first",
			       s->what);
		goto out;
	}
	if (ecs_xml_count(si, ECS_NS_DSIG, "Reference", &ref) != 1) {
		r = ecs_reject(rej, ECS_REJ_REFERENCE,
			       "the %s Signature must have exactly one Reference", s->what);
		goto out;
	}
	r = ecs_xml_attr(ref, "URI", &uri);
	if (r < 0)
		goto out;
	if (!uri || !*uri) {
		r = ecs_reject(rej, ECS_REJ_REFERENCE,
			       "the %s Signature Reference has an empty or missing URI", s->what);
		goto out;
	}
	if (uri[0] != '#' || !ecs_saml_id_ok(uri + 1)) {
		r = ecs_reject(rej, ECS_REJ_REFERENCE,
			       "the %s Signature Reference URI is not a plain same-document "
			       "#ID (remote, xpointer and xmlns forms are refused)", s->what);
		goto out;
	}
	target = xmlGetID(doc, (const xmlChar *)(uri + 1));
	if (strcmp(uri + 1, s->id) != 0 || !target || target->parent != s->parent) {
		r = ecs_reject(rej, ECS_REJ_WRAPPING,
			       "the %s Signature references another element than the %s it "
			       "sits in", s->what, s->what);
		goto out;
	}
	*ref_out = ref;
	r = 0;
out:
	free(uri);
	return r;
}

/* Check the Algorithm of the method element m against table (or the one uri when table is
 * NULL). Children of a method element are refused except an exc-c14n InclusiveNamespaces
 * list (sent by common IdPs); HMACOutputLength, XPath expressions and the like never pass. */
static int
check_alg_node(xmlNode *m, const struct alg *table, size_t n, const char *uri, bool allow_sha1,
	       const struct alg **found, const char *what, struct ecs_reject *rej)
{
	xmlNode *c;
	char *a = NULL;
	size_t i;
	int r;

	r = ecs_xml_attr(m, "Algorithm", &a);
	if (r < 0)
		goto out;
	r = ecs_reject(rej, ECS_REJ_ALGORITHM, "the %s Signature uses %s %s, which is not allowed",
		       what, (const char *)m->name, a && ecs_text_clean(a) ? a : "(none)");
	if (!a)
		goto out;
	if (table) {
		for (i = 0; i < n; i++) {
			if (strcmp(a, table[i].uri) == 0)
				break;
		}
		if (i == n)
			goto out;
		if (table[i].sha1 && !allow_sha1) {
			r = ecs_reject(rej, ECS_REJ_ALGORITHM,
				       "the %s Signature uses SHA-1 (%s); configure the IdP for "
				       "SHA-256, or set allow_sha1 = yes", what, a);
			goto out;
		}
		*found = &table[i];
	} else if (strcmp(a, uri) != 0) {
		goto out;
	}
	for (c = ecs_xml_first_elem(m); c; c = ecs_xml_next_elem(c)) {
		if (strcmp(a, URI_EXC_C14N) != 0 ||
		    !ecs_xml_is(c, URI_EXC_C14N, "InclusiveNamespaces")) {
			r = ecs_reject(rej, ECS_REJ_ALGORITHM, "the %s Signature has parameters "
				       "under %s", what, (const char *)m->name);
			goto out;
		}
	}
	r = 0;
out:
	free(a);
	return r;
}

/* The only {dsig}name child of parent, checked with check_alg_node. */
static int
check_method(xmlNode *parent, const char *name, const struct alg *table, size_t n,
	     const char *uri, bool allow_sha1, const struct alg **found, const char *what,
	     struct ecs_reject *rej)
{
	xmlNode *m;

	if (ecs_xml_count(parent, ECS_NS_DSIG, name, &m) != 1)
		return ecs_reject(rej, ECS_REJ_ALGORITHM, "the %s Signature needs exactly one %s",
				  what, name);
	return check_alg_node(m, table, n, uri, allow_sha1, found, what, rej);
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int
check_algorithms(struct sig *s, xmlNode *ref, bool allow_sha1, struct ecs_reject *rej)
{
	xmlNode *si = signed_info(s), *tr, *t1 = NULL, *t2 = NULL;
	const struct alg *sm = NULL, *dm = NULL;
	int r;

	r = check_method(si, "CanonicalizationMethod", NULL, 0, URI_EXC_C14N, allow_sha1, NULL,
			 s->what, rej);
	if (r < 0)
		return r;
	r = check_method(si, "SignatureMethod", sig_algs, NELEM(sig_algs), NULL, allow_sha1, &sm,
			 s->what, rej);
	if (r < 0)
		return r;
	s->kind = sm->kind;
	/* Transforms: exactly [enveloped, exc-c14n], nothing else in the Reference's chain. */
	if (ecs_xml_count(ref, ECS_NS_DSIG, "Transforms", &tr) == 1) {
		t1 = ecs_xml_first_elem(tr);
		t2 = ecs_xml_next_elem(t1);
	}
	if (!t1 || !t2 || ecs_xml_next_elem(t2) || !ecs_xml_is(t1, ECS_NS_DSIG, "Transform") ||
	    !ecs_xml_is(t2, ECS_NS_DSIG, "Transform"))
		return ecs_reject(rej, ECS_REJ_ALGORITHM,
				  "the %s Signature transforms must be exactly enveloped-signature "
				  "then exc-c14n", s->what);
	r = check_alg_node(t1, NULL, 0, URI_ENVELOPED, allow_sha1, NULL, s->what, rej);
	if (r < 0)
		return r;
	r = check_alg_node(t2, NULL, 0, URI_EXC_C14N, allow_sha1, NULL, s->what, rej);
	if (r < 0)
		return r;
	return check_method(ref, "DigestMethod", digest_algs, NELEM(digest_algs), NULL,
			    allow_sha1, &dm, s->what, rej);
}

/* Allow-lists handed to xmlsec as well, so it refuses on its own anything the checks above
 * would have let through by mistake. (The ids are function calls, hence built here.) */
static int
enable_transforms(xmlSecDSigCtxPtr ctx, bool allow_sha1)
{
	const xmlSecTransformId sign[] = {
		xmlSecTransformExclC14NId,
		xmlSecTransformRsaSha256Id, xmlSecTransformRsaSha384Id, xmlSecTransformRsaSha512Id,
		xmlSecTransformEcdsaSha256Id, xmlSecTransformEcdsaSha384Id,
		xmlSecTransformEcdsaSha512Id,
		xmlSecTransformRsaSha1Id, xmlSecTransformEcdsaSha1Id,	/* allow_sha1 only */
	};
	const xmlSecTransformId ref[] = {
		xmlSecTransformEnvelopedId, xmlSecTransformExclC14NId,
		xmlSecTransformSha256Id, xmlSecTransformSha384Id, xmlSecTransformSha512Id,
		xmlSecTransformSha1Id,	/* allow_sha1 only */
	};
	size_t nsign = NELEM(sign) - (allow_sha1 ? 0 : 2), nref = NELEM(ref) - !allow_sha1, i;

	for (i = 0; i < nsign; i++) {
		if (xmlSecDSigCtxEnableSignatureTransform(ctx, sign[i]) < 0)
			return -ENOMEM;
	}
	for (i = 0; i < nref; i++) {
		if (xmlSecDSigCtxEnableReferenceTransform(ctx, ref[i]) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* true if key verifies the Signature s: a fresh context, the pinned key preset as signKey
 * (so KeyInfo is never read), same-document references only, manifests ignored. */
static int
verify_with(const struct sig *s, xmlSecKeyPtr key, bool allow_sha1, bool *ok)
{
	xmlSecDSigCtxPtr ctx;
	int r;

	*ok = false;
	ctx = xmlSecDSigCtxCreate(NULL);
	if (!ctx)
		return -ENOMEM;
	r = enable_transforms(ctx, allow_sha1);
	if (r < 0)
		goto out;
	ctx->enabledReferenceUris = xmlSecTransformUriTypeSameDocument;
	ctx->flags |= XMLSEC_DSIG_FLAGS_IGNORE_MANIFESTS;
	ctx->signKey = xmlSecKeyDuplicate(key);
	if (!ctx->signKey) {
		r = -ENOMEM;
		goto out;
	}
	/* ret == 0 only means "processed": the status says whether it is valid. */
	*ok = xmlSecDSigCtxVerify(ctx, s->node) == 0 &&
	      ctx->status == xmlSecDSigStatusSucceeded;
	r = 0;
out:
	xmlSecDSigCtxDestroy(ctx);
	return r;
}

static int
verify_sig(const struct ecs_trust *t, const struct sig *s, bool allow_sha1, unsigned *mask,
	   struct ecs_reject *rej)
{
	unsigned i, tried = 0;
	bool ok;
	int r;

	*mask = 0;
	for (i = 0; i < t->nkeys; i++) {
		if (t->keys[i].kind != s->kind || (*mask & (1u << t->keys[i].idp)))
			continue;
		tried++;
		r = verify_with(s, t->keys[i].key, allow_sha1, &ok);
		if (r < 0)
			return r;
		if (ok)
			*mask |= 1u << t->keys[i].idp;
	}
	if (!*mask)
		return ecs_reject(rej, ECS_REJ_SIGNATURE,
				  "the %s signature does not verify with any pinned %s key "
				  "(%u tried): wrong IdP key, or the document was altered",
				  s->what, s->kind == ECS_KEY_RSA ? "RSA" : "EC", tried);
	return 0;
}

int
ecs_saml_sig_check(const struct ecs_trust *t, bool allow_sha1, const struct ecs_saml_doc *d,
		   unsigned *idp_mask, struct ecs_reject *rej)
{
	struct sig sigs[2];
	xmlNode *refs[2];
	unsigned n = 0, i, mask, all = ~0u;
	int r;

	r = find_signatures(d, sigs, &n, rej);
	if (r < 0)
		return r;
	/* Every structural check of every signature comes before any algorithm check, and
	 * those before any cryptography, so the reject code does not depend on which
	 * signature comes first. */
	for (i = 0; i < n; i++) {
		r = check_reference(&sigs[i], d->doc, &refs[i], rej);
		if (r < 0)
			return r;
	}
	for (i = 0; i < n; i++) {
		r = check_position(&sigs[i], rej);
		if (r < 0)
			return r;
	}
	for (i = 0; i < n; i++) {
		r = check_algorithms(&sigs[i], refs[i], allow_sha1, rej);
		if (r < 0)
			return r;
	}
	for (i = 0; i < n; i++) {
		r = verify_sig(t, &sigs[i], allow_sha1, &mask, rej);
		if (r < 0)
			return r;
		all &= mask;
	}
	if (!all)
		return ecs_reject(rej, ECS_REJ_SIGNATURE,
				  "the Response and the Assertion are signed by different IdPs");
	*idp_mask = all;
	return 0;
}
