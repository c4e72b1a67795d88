/* saml_doc.c — hardened parse and whole-document pre-scan of a SAML Response. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/hash.h>
#include <libxml/valid.h>
#include <libxml/xmlerror.h>

#include "ecs_err.h"
#include "saml_doc.h"
#include "saml_xml.h"

/* libxml2 options: no network, and nothing that expands entities, loads DTDs or mutates the
 * tree (NOBLANKS/NSCLEAN/NOCDATA would change what was signed). Errors come back through the
 * parser context instead of stderr. */
#define ECS_XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

bool
ecs_saml_id_ok(const char *s)
{
	const char *p;

	if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
		return false;
	for (p = s + 1; *p; p++) {
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-'))
			return false;
	}
	return p - s <= 256;
}

static bool
has_prefix(const uint8_t *p, size_t len, const char *lit)
{
	size_t n = strlen(lit);

	return len >= n && memcmp(p, lit, n) == 0;
}

static const uint8_t *
find_lit(const uint8_t *p, const uint8_t *end, const char *lit)
{
	size_t n = strlen(lit);

	for (; (size_t)(end - p) >= n; p++) {
		if (memcmp(p, lit, n) == 0)
			return p + n;
	}
	return NULL;
}

/* A DOCTYPE can only sit in the prolog (after the XML declaration, comments and PIs).
 * Finding it there before libxml2 runs means no internal subset is ever parsed, so entity
 * and ATTLIST-ID tricks never reach the tree. */
static bool
prolog_has_doctype(const uint8_t *p, size_t len)
{
	const uint8_t *end = p + len;

	if (has_prefix(p, len, "\xef\xbb\xbf"))
		p += 3;
	while (p < end) {
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
			p++;
		} else if (has_prefix(p, (size_t)(end - p), "<?")) {
			p = find_lit(p + 2, end, "?>");
		} else if (has_prefix(p, (size_t)(end - p), "<!--")) {
			p = find_lit(p + 4, end, "-->");
		} else {
			return has_prefix(p, (size_t)(end - p), "<!DOCTYPE");
		}
		if (!p)
			return false;	/* unterminated: libxml2 will call it malformed */
	}
	return false;
}

static int
parse_error(xmlParserCtxt *ctxt, struct ecs_reject *rej)
{
	const xmlError *e = xmlCtxtGetLastError(ctxt);
	char msg[160] = "unknown error";
	size_t n;

	/* libxml2 may quote document text after a line break ("Comment not terminated\n<!--
	 * ..."): keep only its first line, so no part of the Response reaches the report. */
	if (e && e->message) {
		snprintf(msg, sizeof(msg), "%s", e->message);
		msg[strcspn(msg, "\r\n")] = '\0';
		n = strlen(msg);
		while (n > 0 && msg[n - 1] == ' ')
			msg[--n] = '\0';
	}
	return ecs_reject(rej, ECS_REJ_XML, "not well-formed XML (line %d): %s", e ? e->line : 0,
			  msg);
}

int
ecs_xml_parse_strict(const uint8_t *xml, size_t len, xmlDoc **out, struct ecs_reject *rej)
{
	xmlParserCtxt *ctxt = NULL;
	xmlDoc *doc = NULL;
	int r;

	*out = NULL;
	if (len > INT32_MAX) {
		r = ecs_reject(rej, ECS_REJ_SIZE, "document too large");
		goto out;
	}
	if (prolog_has_doctype(xml, len)) {
		r = ecs_reject(rej, ECS_REJ_DTD, "the document has a DOCTYPE; none is allowed");
		goto out;
	}
	ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		r = -ENOMEM;
		goto out;
	}
	doc = xmlCtxtReadMemory(ctxt, (const char *)xml, (int)len, NULL, NULL, ECS_XML_OPTIONS);
	if (!doc) {
		r = parse_error(ctxt, rej);
		goto out;
	}
	if (doc->intSubset || doc->extSubset) {
		r = ecs_reject(rej, ECS_REJ_DTD, "the document has a DTD; none is allowed");
		goto out;
	}
	if (doc->encoding && strcasecmp((const char *)doc->encoding, "UTF-8") != 0) {
		r = ecs_reject(rej, ECS_REJ_ENCODING, "the document declares encoding %s, not UTF-8",
			       (const char *)doc->encoding);
		goto out;
	}
	/* Canonical XML and the signature are defined over XML 1.0; 1.1 changes line ends and
	 * allowed characters, so another reader could see different bytes than were signed. */
	if (!doc->version || strcmp((const char *)doc->version, "1.0") != 0) {
		r = ecs_reject(rej, ECS_REJ_XML, "the XML declaration names a version other than "
			       "1.0");
		goto out;
	}
	*out = doc;
	doc = NULL;	/* ownership passed to the caller */
	r = 0;
out:
	if (doc)
		xmlFreeDoc(doc);
	if (ctxt)
		xmlFreeParserCtxt(ctxt);
	return r;
}

/* What the pre-scan saw; the verdict is taken afterwards so the code is stable whatever the
 * document order of the faults. */
struct scan {
	unsigned responses, assertions, encrypted, objects, pis, entity_refs;
	bool xml_id, dup_id, assertion_misplaced;
	char dup_value[64];
	xmlHashTable *ids;
};

static int
scan_attrs(struct scan *s, const xmlNode *n)
{
	const xmlAttr *a;
	const char *name, *v;

	for (a = n->properties; a; a = a->next) {
		name = (const char *)a->name;
		if (a->ns) {
			if (a->ns->href && strcmp((const char *)a->ns->href, ECS_NS_XML) == 0 &&
			    strcmp(name, "id") == 0)
				s->xml_id = true;
			continue;
		}
		if (strcmp(name, "ID") != 0 && strcmp(name, "Id") != 0 && strcmp(name, "id") != 0)
			continue;
		v = (a->children && a->children->content) ? (const char *)a->children->content : "";
		if (xmlHashLookup(s->ids, (const xmlChar *)v)) {
			if (!s->dup_id)
				snprintf(s->dup_value, sizeof(s->dup_value), "%s", v);
			s->dup_id = true;
			continue;
		}
		if (xmlHashAddEntry(s->ids, (const xmlChar *)v, s) < 0)
			return -ENOMEM;
	}
	return 0;
}

static int
scan_element(struct scan *s, const xmlNode *n, const xmlNode *root)
{
	if (ecs_xml_is(n, ECS_NS_PROTOCOL, "Response")) {
		s->responses++;
	} else if (ecs_xml_is(n, ECS_NS_ASSERTION, "Assertion")) {
		s->assertions++;
		if (n->parent != root)
			s->assertion_misplaced = true;
	} else if (ecs_xml_is(n, ECS_NS_ASSERTION, "EncryptedAssertion")) {
		s->encrypted++;
	} else if (ecs_xml_is(n, ECS_NS_DSIG, "Object")) {
		s->objects++;
	}
	return scan_attrs(s, n);
}

/* Visit every node once, iteratively (no recursion on attacker-controlled depth). */
static int
scan_tree(struct scan *s, struct ecs_saml_doc *d)
{
	xmlNode *n = d->doc->children;
	int r;

	while (n) {
		if (n->type == XML_PI_NODE)
			s->pis++;
		else if (n->type == XML_ENTITY_REF_NODE)
			s->entity_refs++;
		if (n->type == XML_ELEMENT_NODE) {
			if (ecs_xml_is(n, ECS_NS_DSIG, "Signature"))
				d->nsignatures++;
			r = scan_element(s, n, d->response);
			if (r < 0)
				return r;
			if (n->children) {
				n = n->children;
				continue;
			}
		}
		while (n && !n->next) {
			n = n->parent;
			if (n && n->type != XML_ELEMENT_NODE)
				n = NULL;	/* back at the document node */
		}
		if (n)
			n = n->next;
	}
	return 0;
}

static int
scan_verdict(const struct scan *s, struct ecs_reject *rej)
{
	if (s->encrypted)
		return ecs_reject(rej, ECS_REJ_ENCRYPTED,
				  "EncryptedAssertion is not supported: configure the IdP to send "
				  "a signed, unencrypted assertion to AWS");
	if (s->entity_refs)
		return ecs_reject(rej, ECS_REJ_DTD, "entity reference in the document");
	if (s->responses != 1)
		return ecs_reject(rej, ECS_REJ_WRAPPING, "%u Response elements, expected one",
				  s->responses);
	if (s->assertions > 1)
		return ecs_reject(rej, ECS_REJ_WRAPPING, "%u Assertion elements, expected one",
				  s->assertions);
	if (s->assertion_misplaced)
		return ecs_reject(rej, ECS_REJ_WRAPPING,
				  "the Assertion is not a direct child of the Response");
	if (s->xml_id)
		return ecs_reject(rej, ECS_REJ_WRAPPING, "xml:id attribute present");
	if (s->dup_id)
		return ecs_reject(rej, ECS_REJ_WRAPPING, "duplicate ID value \"%s\"", s->dup_value);
	if (s->assertions == 0)
		return ecs_reject(rej, ECS_REJ_STRUCTURE, "no Assertion in the Response");
	if (s->objects)
		return ecs_reject(rej, ECS_REJ_STRUCTURE, "ds:Object is not allowed");
	if (s->pis)
		return ecs_reject(rej, ECS_REJ_STRUCTURE, "processing instructions are not allowed");
	return 0;
}

/* Register n's ID attribute as the only ID of that element and prove the table resolves the
 * value to this very attribute. */
static int
register_id(xmlDoc *doc, xmlNode *n, const char *what, const char **id_out,
	    struct ecs_reject *rej)
{
	xmlAttr *a = xmlHasNsProp(n, (const xmlChar *)"ID", NULL);
	const char *v;

	if (!a || !a->children || a->children->type != XML_TEXT_NODE || a->children->next ||
	    !a->children->content)
		return ecs_reject(rej, ECS_REJ_STRUCTURE, "the %s has no ID attribute", what);
	v = (const char *)a->children->content;
	if (!ecs_saml_id_ok(v))
		return ecs_reject(rej, ECS_REJ_STRUCTURE, "the %s ID is not a valid XML name", what);
	if (!xmlAddID(NULL, doc, (const xmlChar *)v, a) || xmlGetID(doc, (const xmlChar *)v) != a)
		return ecs_reject(rej, ECS_REJ_WRAPPING,
				  "the %s ID does not resolve to the %s itself", what, what);
	*id_out = v;
	return 0;
}

int
ecs_saml_doc_parse(const uint8_t *xml, size_t len, struct ecs_saml_doc *d,
		   struct ecs_reject *rej)
{
	struct scan s;
	int r;

	memset(d, 0, sizeof(*d));
	memset(&s, 0, sizeof(s));
	r = ecs_xml_parse_strict(xml, len, &d->doc, rej);
	if (r < 0)
		goto out;
	d->response = xmlDocGetRootElement(d->doc);
	if (!ecs_xml_is(d->response, ECS_NS_PROTOCOL, "Response")) {
		r = ecs_reject(rej, ECS_REJ_STRUCTURE,
			       "the root element is not a SAML 2.0 protocol Response");
		goto out;
	}
	s.ids = xmlHashCreate(16);
	if (!s.ids) {
		r = -ENOMEM;
		goto out;
	}
	r = scan_tree(&s, d);
	if (r < 0)
		goto out;
	r = scan_verdict(&s, rej);
	if (r < 0)
		goto out;
	(void)ecs_xml_count(d->response, ECS_NS_ASSERTION, "Assertion", &d->assertion);
	r = register_id(d->doc, d->response, "Response", &d->response_id, rej);
	if (r < 0)
		goto out;
	r = register_id(d->doc, d->assertion, "Assertion", &d->assertion_id, rej);
out:
	if (s.ids)
		xmlHashFree(s.ids, NULL);
	if (r < 0)
		ecs_saml_doc_free(d);
	return r;
}

void
ecs_saml_doc_free(struct ecs_saml_doc *d)
{
	if (d->doc)
		xmlFreeDoc(d->doc);
	memset(d, 0, sizeof(*d));
}
