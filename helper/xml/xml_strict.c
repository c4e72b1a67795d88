/* xml_strict.c — the strict XML parse: scan, parse, check the tree (see xml_strict.h). */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "xml_strict.h"
#include "xml_lib.h"	/* last: redirects libxml2's and xmlsec's names */

/* No network, and nothing that expands entities, loads DTDs or mutates the tree. Errors
 * come back through the parser context instead of stderr. */
#define XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

#define ENC_NAME_MAX 40	/* longer than any encoding name worth naming in a message */

static int __attribute__((format(printf, 3, 4)))
refuse(struct ecs_xml_error *err, enum ecs_xml_fault fault, const char *fmt, ...)
{
	va_list ap;

	err->fault = fault;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -EBADMSG;
}

static bool
has_prefix(const uint8_t *p, const uint8_t *end, const char *lit)
{
	size_t n = strlen(lit);

	return (size_t)(end - p) >= n && memcmp(p, lit, n) == 0;
}

/* The first byte after lit, searching from p; NULL when lit does not occur. */
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

static bool
is_space(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* UTF-16 and UTF-32 put a NUL beside '<' (or open with a byte-order mark libxml2 honours);
 * EBCDIC spells "<?xm" 4C 6F A7 94. Any of them would have libxml2 decode bytes that the
 * DOCTYPE scan below read as ASCII. */
static bool
foreign_encoding(const uint8_t *p, size_t len)
{
	size_t i;

	if (len >= 2 && ((p[0] == 0xfe && p[1] == 0xff) || (p[0] == 0xff && p[1] == 0xfe)))
		return true;
	for (i = 0; i < len && i < 4; i++) {
		if (p[i] == 0)
			return true;
	}
	return len >= 4 && memcmp(p, "\x4c\x6f\xa7\x94", 4) == 0;
}

/* The encoding named by the XML declaration at p, if there is one, into enc[ENC_NAME_MAX + 1]
 * ("" when none is named; "(unreadable)" when the name is not an EncName or too long, so it
 * never puts document bytes into a message). A declaration that cannot be read at all is
 * left for libxml2 to call malformed. */
static void
declared_encoding(const uint8_t *p, const uint8_t *end, char enc[ENC_NAME_MAX + 1])
{
	const uint8_t *decl_end;
	const uint8_t *v;
	uint8_t quote;
	size_t n = 0;

	enc[0] = '\0';
	if (!has_prefix(p, end, "<?xml") || end - p < 6 || !is_space(p[5]))
		return;
	decl_end = find_lit(p + 5, end, "?>");
	if (!decl_end)
		return;
	v = find_lit(p + 5, decl_end, "encoding");
	if (!v)
		return;
	while (v < decl_end && is_space(*v))
		v++;
	if (v < decl_end && *v == '=')
		v++;
	while (v < decl_end && is_space(*v))
		v++;
	if (v >= decl_end || (*v != '"' && *v != '\''))
		return;
	quote = *v++;
	for (; v < decl_end && *v != quote; v++, n++) {
		if (n >= ENC_NAME_MAX ||
		    !((*v >= 'A' && *v <= 'Z') || (*v >= 'a' && *v <= 'z') ||
		      (n > 0 && ((*v >= '0' && *v <= '9') || *v == '.' || *v == '_' || *v == '-')))) {
			snprintf(enc, ENC_NAME_MAX + 1, "(unreadable)");
			return;
		}
		enc[n] = (char)*v;
	}
	enc[n] = '\0';
}

/* A DOCTYPE can only sit in the prolog (after the XML declaration, comments and PIs). */
static bool
prolog_has_doctype(const uint8_t *p, const uint8_t *end)
{
	while (p < end) {
		if (is_space(*p)) {
			p++;
		} else if (has_prefix(p, end, "<?")) {
			p = find_lit(p + 2, end, "?>");
		} else if (has_prefix(p, end, "<!--")) {
			p = find_lit(p + 4, end, "-->");
		} else {
			return has_prefix(p, end, "<!DOCTYPE");
		}
		if (!p)
			return false;	/* unterminated: libxml2 will call it malformed */
	}
	return false;
}

/* Everything decided on the bytes, before any parsing. */
static int
prescan(const uint8_t *p, size_t len, size_t max, struct ecs_xml_error *err)
{
	const uint8_t *end = p + len;
	char enc[ENC_NAME_MAX + 1];

	if (len == 0)
		return refuse(err, ECS_XML_MALFORMED, "the document is empty");
	if (len > max || len > INT_MAX)
		return refuse(err, ECS_XML_SIZE, "the document is %zu bytes, the limit is %zu", len,
			      max < INT_MAX ? max : (size_t)INT_MAX);
	if (foreign_encoding(p, len))
		return refuse(err, ECS_XML_ENCODING,
			      "the document is not UTF-8 (it looks like UTF-16, UTF-32 or EBCDIC)");
	if (has_prefix(p, end, "\xef\xbb\xbf"))
		p += 3;
	declared_encoding(p, end, enc);
	if (enc[0] && strcasecmp(enc, "UTF-8") != 0)
		return refuse(err, ECS_XML_ENCODING, "the document declares encoding %s, not UTF-8",
			      enc);
	if (prolog_has_doctype(p, end))
		return refuse(err, ECS_XML_DTD, "the document has a DOCTYPE; none is allowed");
	return 0;
}

/* libxml2 is loaded on first use (xml_lib.h), its wiping allocator installed before it
 * parses anything; first of all, so that a caller may free what it holds through libxml2
 * whatever this answers. In the sandboxed validator it was loaded before the fork: this
 * only answers from memory there. */
static int
load(struct ecs_xml_error *err)
{
	int r = ecs_xml_load();

	if (r < 0)
		snprintf(err->msg, sizeof(err->msg), "%s", ecs_xml_load_error());
	return r;
}

static int
parse_error(xmlParserCtxt *ctxt, struct ecs_xml_error *err)
{
	const xmlError *e = xmlCtxtGetLastError(ctxt);
	char msg[160] = "unknown error";
	size_t n;

	/* libxml2 may quote document text after a line break ("Comment not terminated\n<!--
	 * ..."): keep only its first line, so no part of the document reaches the report. */
	if (e && e->message) {
		snprintf(msg, sizeof(msg), "%s", e->message);
		msg[strcspn(msg, "\r\n")] = '\0';
		n = strlen(msg);
		while (n > 0 && msg[n - 1] == ' ')
			msg[--n] = '\0';
	}
	return refuse(err, ECS_XML_MALFORMED, "not well-formed XML (line %d): %s",
		      e ? e->line : 0, msg);
}

/* Visit every node once, iteratively (no recursion on the document's depth). */
static int
check_tree(const xmlDoc *doc, struct ecs_xml_error *err)
{
	const xmlNode *n = doc->children;
	unsigned depth = 1;

	while (n) {
		if (n->type == XML_ENTITY_REF_NODE)
			return refuse(err, ECS_XML_DTD, "entity reference in the document");
		if (n->type == XML_ELEMENT_NODE && depth > ECS_XML_MAX_DEPTH)
			return refuse(err, ECS_XML_MALFORMED, "elements nested deeper than %d",
				      ECS_XML_MAX_DEPTH);
		if (n->type == XML_ELEMENT_NODE && n->children) {
			n = n->children;
			depth++;
			continue;
		}
		while (n && !n->next) {
			n = n->parent;
			depth--;
			if (n && n->type != XML_ELEMENT_NODE)
				n = NULL;	/* back at the document node */
		}
		if (n)
			n = n->next;
	}
	return 0;
}

static int
check_doc(const xmlDoc *doc, struct ecs_xml_error *err)
{
	if (doc->intSubset || doc->extSubset)
		return refuse(err, ECS_XML_DTD, "the document has a DTD; none is allowed");
	/* the scan refused a declared encoding other than UTF-8; this is what libxml2 read */
	if (doc->encoding && strcasecmp((const char *)doc->encoding, "UTF-8") != 0)
		return refuse(err, ECS_XML_ENCODING, "the document is not UTF-8");
	if (!doc->version || strcmp((const char *)doc->version, "1.0") != 0)
		return refuse(err, ECS_XML_MALFORMED,
			      "the XML declaration names a version other than 1.0");
	return check_tree(doc, err);
}

int
ecs_xml_parse_strict(const void *xml, size_t len, size_t max, xmlDoc **out,
		     struct ecs_xml_error *err)
{
	xmlParserCtxt *ctxt = NULL;
	xmlDoc *doc = NULL;
	int r;

	*out = NULL;
	memset(err, 0, sizeof(*err));
	r = load(err);
	if (r == 0)
		r = prescan(xml, len, max, err);
	if (r < 0)
		goto out;
	ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		r = -ENOMEM;
		goto out;
	}
	doc = xmlCtxtReadMemory(ctxt, xml, (int)len, NULL, NULL, XML_OPTIONS);
	if (!doc) {
		r = parse_error(ctxt, err);
		goto out;
	}
	r = check_doc(doc, err);
	if (r < 0)
		goto out;
	*out = doc;
	doc = NULL;	/* ownership passed to the caller */
out:
	if (doc)
		xmlFreeDoc(doc);
	if (ctxt)
		xmlFreeParserCtxt(ctxt);
	return r;
}
