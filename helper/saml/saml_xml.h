/* saml_xml.h — small, strict readers over a parsed libxml2 tree.
 *
 * Elements are matched on {namespace URI, local name} only, never on a prefix. Text values
 * are read the way exclusive canonicalisation (and so the signature) sees them: the
 * concatenation of the element's text and CDATA children, comments skipped. An element
 * child inside a value is refused rather than flattened. */
#ifndef ECS_SAML_XML_H
#define ECS_SAML_XML_H

#include <stdbool.h>
#include <stddef.h>
#include <libxml/tree.h>

#define ECS_NS_PROTOCOL		"urn:oasis:names:tc:SAML:2.0:protocol"
#define ECS_NS_ASSERTION	"urn:oasis:names:tc:SAML:2.0:assertion"
#define ECS_NS_METADATA		"urn:oasis:names:tc:SAML:2.0:metadata"
#define ECS_NS_DSIG		"http://www.w3.org/2000/09/xmldsig#"
#define ECS_NS_XML		"http://www.w3.org/XML/1998/namespace"

/* true if n is an element named {ns}local. */
bool ecs_xml_is(const xmlNode *n, const char *ns, const char *local);

/* The first element child of n / the next element sibling of n; NULL when none. */
xmlNode *ecs_xml_first_elem(const xmlNode *n);
xmlNode *ecs_xml_next_elem(const xmlNode *n);

/* Number of element children {ns}local of parent; *first (may be NULL) gets the first. */
unsigned ecs_xml_count(const xmlNode *parent, const char *ns, const char *local,
		       xmlNode **first);

/* The text value of n (see above), at most max bytes. 0 with *out (caller frees with
 * free()), -EBADMSG if n holds an element or any other non-text node, -E2BIG, -ENOMEM. */
int ecs_xml_text(const xmlNode *n, size_t max, char **out);

/* true if n's content is more than one node (text split by a comment, CDATA next to
 * text). The signature covers the concatenation, but another reader (STS) may take only
 * the first piece, so a value forwarded to AWS must be one node. */
bool ecs_xml_split(const xmlNode *n);

/* The value of the attribute name (no namespace) of n: 0 with *out (caller frees with
 * free(); NULL when absent), or -ENOMEM. */
int ecs_xml_attr(const xmlNode *n, const char *name, char **out);

/* true if s holds no C0 control character and no DEL: safe on a key=value line. */
bool ecs_text_clean(const char *s);

#endif
