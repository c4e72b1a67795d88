/* saml_doc.h — parse a Response and run every whole-document check before any signature
 * work: no DTD, exactly one Response (the root) and one Assertion (its direct child),
 * no xml:id, no duplicate ID/Id/id value, no ds:Object, no processing instruction, no
 * EncryptedAssertion. Then the Response and Assertion IDs, and only those, are registered
 * in the document's ID table and looked up again to prove the table points at them. */
#ifndef ECS_SAML_DOC_H
#define ECS_SAML_DOC_H

#include <stddef.h>
#include <stdint.h>
#include <libxml/tree.h>
#include "saml_reject.h"

struct ecs_saml_doc {
	xmlDoc *doc;
	xmlNode *response;	/* the root */
	xmlNode *assertion;	/* the only Assertion, a direct child of response */
	const char *response_id;	/* borrowed from the tree */
	const char *assertion_id;
	unsigned nsignatures;	/* ds:Signature elements anywhere in the document */
};

/* Parse xml[len] (libxml2 from memory, XML_PARSE_NONET only; errors are silenced and
 * reported through rej). 0 with d filled (release with ecs_saml_doc_free), -ECS_EREJECT
 * (xml, encoding, dtd, structure, wrapping, encrypted) or -ENOMEM. */
int ecs_saml_doc_parse(const uint8_t *xml, size_t len, struct ecs_saml_doc *d,
		       struct ecs_reject *rej);

/* Parse trusted-but-checked XML (IdP metadata) with the same settings and DTD ban.
 * 0 with *out (caller frees with xmlFreeDoc), -ECS_EREJECT or -ENOMEM. */
int ecs_xml_parse_strict(const uint8_t *xml, size_t len, xmlDoc **out, struct ecs_reject *rej);

void ecs_saml_doc_free(struct ecs_saml_doc *d);

/* true if s has the form the signature Reference can name: [A-Za-z_][A-Za-z0-9._-]* */
bool ecs_saml_id_ok(const char *s);

#endif
