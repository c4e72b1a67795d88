/* saml_trust.h — the pinned IdP keys a verifier accepts signatures from.
 *
 * Each configured IdP contributes an entity ID and its signing keys, either from a SAML
 * metadata file (entityID and every IDPSSODescriptor KeyDescriptor whose use is "signing"
 * or absent) or from an entity ID with PEM certificate files. Keys are checked once, at
 * load: RSA of at least 2048 bits or EC on P-256/P-384/P-521; anything weaker or else is a
 * configuration error, not a later signature failure. Certificates are only key carriers:
 * their validity dates and issuers are not consulted (as with AWS IAM's SAML providers);
 * each key keeps its certificate's notAfter and its size only so that `ecs-saml-helper
 * doctor` can tell an operator about a rotation that is due. */
#ifndef ECS_SAML_TRUST_H
#define ECS_SAML_TRUST_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/keys.h>
#include "ecs_conf.h"
#include "saml_reject.h"

#define ECS_TRUST_MAX_KEYS 64
#define ECS_TRUST_MAX_FILE (4u << 20)	/* metadata or PEM file size cap */

enum ecs_key_kind {
	ECS_KEY_RSA = 1,
	ECS_KEY_EC,
};

struct ecs_trust_key {
	xmlSecKeyPtr key;
	enum ecs_key_kind kind;
	unsigned idp;		/* index into entity_ids */
	int bits;		/* key size */
	time_t not_after;	/* the certificate's notAfter; 0 when unreadable */
	char source[256];	/* the file it came from (doctor's messages) */
};

struct ecs_trust {
	char *entity_ids[ECS_CONF_MAX_IDPS];
	unsigned nidps;
	struct ecs_trust_key keys[ECS_TRUST_MAX_KEYS];
	unsigned nkeys;
};

/* Load every IdP of conf, and first libxml2 and xmlsec (xml_lib.h). 0, -ENOMEM or
 * -ECS_ECONFIG (rej->msg names the file and why, or the library that does not load, with
 * the code ECS_XML_LIB_CODE).
 * On error t holds nothing; release a loaded t with ecs_trust_free. */
int ecs_trust_load(struct ecs_trust *t, const struct ecs_conf *conf, struct ecs_reject *rej);

/* Add one IdP with the certificates in pem[len]; what names the source in messages. Loads
 * the libraries as ecs_trust_load does. */
int ecs_trust_add_pem(struct ecs_trust *t, const char *entity_id, const char *pem, size_t len,
		      const char *what, struct ecs_reject *rej);

void ecs_trust_free(struct ecs_trust *t);

#endif
