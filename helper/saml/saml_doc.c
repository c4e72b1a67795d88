/* saml_doc.c — hardened parse and whole-document pre-scan of a SAML Response. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "ecs_err.h"
#include "ecs_limits.h"
#include "saml_doc.h"
#include "saml_xml.h"
#include "xml_strict.h"
#include "xml_lib.h"	/* last: redirects libxml2's and xmlsec's names */

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

/* The parser's verdict in the validator's codes. */
static int
reject_xml(const struct ecs_xml_error *e, struct ecs_reject *rej)
{
	const char *code = ECS_REJ_XML;

	if (e->fault == ECS_XML_SIZE)
		code = ECS_REJ_SIZE;
	else if (e->fault == ECS_XML_ENCODING)
		code = ECS_REJ_ENCODING;
	else if (e->fault == ECS_XML_DTD)
		code = ECS_REJ_DTD;
	return ecs_reject(rej, code, "%s", e->msg);
}

/* What the pre-scan saw; the verdict is taken afterwards so the code is stable whatever the
 * document order of the faults. */
struct scan {
	unsigned responses, assertions, encrypted, objects, pis;
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
	struct ecs_xml_error xerr;
	struct scan s;
	int r;

	memset(d, 0, sizeof(*d));
	memset(&s, 0, sizeof(s));
	r = ecs_xml_parse_strict(xml, len, ECS_RESPONSE_MAX_XML, &d->doc, &xerr);
	if (r == -EBADMSG)
		r = reject_xml(&xerr, rej);
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
