/* saml_doc.h — parse a Response and run every whole-document check before any signature
 * work: the strict parse (xml_strict.h: no DOCTYPE, no DTD, no entity), exactly one Response (the root) and one Assertion (its direct child),
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

/* Parse xml[len] (at most ECS_RESPONSE_MAX_XML bytes) with ecs_xml_parse_strict, whose
 * refusals keep their meaning as reject codes (xml, size, encoding, dtd), then check it as
 * above. 0 with d filled (release with ecs_saml_doc_free), -ECS_EREJECT (those codes, and
 * structure, wrapping, encrypted) or -ENOMEM. */
int ecs_saml_doc_parse(const uint8_t *xml, size_t len, struct ecs_saml_doc *d,
		       struct ecs_reject *rej);

void ecs_saml_doc_free(struct ecs_saml_doc *d);

/* true if s has the form the signature Reference can name: [A-Za-z_][A-Za-z0-9._-]* */
bool ecs_saml_id_ok(const char *s);

#endif
