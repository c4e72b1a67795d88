/* xml_strict.h — the one way the helper parses XML it did not write: a SAML Response, IdP
 * metadata, STS's reply.
 *
 * Before libxml2 sees a byte, the document is refused if it is empty or over the caller's
 * cap, if its first bytes are not an ASCII-compatible encoding (UTF-16/32 or EBCDIC), if its
 * XML declaration names an encoding other than UTF-8, or if its prolog holds a DOCTYPE: so
 * no internal subset (entity declarations, ATTLIST-declared IDs) is ever parsed, and no
 * other decoder ever reads bytes the scan read as ASCII. libxml2 then parses from memory
 * with XML_PARSE_NONET and nothing else: no entity substitution, no DTD loading, no network,
 * no HUGE mode (its own size limits stay on), diagnostics kept off stderr. The tree is
 * refused if it has a DTD or an entity reference after all, nests elements deeper than
 * ECS_XML_MAX_DEPTH, or declares an XML version other than 1.0 (canonicalisation, and so a
 * signature, is defined over XML 1.0; 1.1 changes line ends and allowed characters).
 *
 * The options never mutate the tree (no NOBLANKS, NSCLEAN or NOCDATA): a signature covers
 * the document as it was sent. libxml2's process-wide DTD and entity globals are never
 * touched. */
#ifndef ECS_XML_STRICT_H
#define ECS_XML_STRICT_H

#include <stddef.h>
#include <libxml/tree.h>

/* Element nesting accepted. Real documents stay under a dozen levels (a signed Response,
 * an IdP's metadata, STS's reply); consumers may walk a tree recursively within this. */
#define ECS_XML_MAX_DEPTH 32

/* What was wrong with a refused document, for the caller to name in its own terms. */
enum ecs_xml_fault {
	ECS_XML_MALFORMED = 1,	/* not well-formed, empty, too deep, or not XML 1.0 */
	ECS_XML_SIZE,		/* over the caller's cap */
	ECS_XML_ENCODING,	/* not UTF-8 */
	ECS_XML_DTD,		/* a DOCTYPE, a DTD or an entity reference */
};

struct ecs_xml_error {
	enum ecs_xml_fault fault;
	char msg[200];		/* one line; never quotes the document */
};

/* Parse xml[len], at most max bytes, as above, loading libxml2 first if no one did
 * (xml_lib.h; once this returned anything but the load's error, libxml2 is there). 0 with *out (caller frees with xmlFreeDoc), -EBADMSG with err filled,
 * -ENOMEM, or ecs_xml_load's error with err->msg naming the library (err->fault 0). */
int ecs_xml_parse_strict(const void *xml, size_t len, size_t max, xmlDoc **out,
			 struct ecs_xml_error *err);

#endif
