/* xml_lib.h — libxml2 and xmlsec, loaded by the helper at the moment a verb first needs them.
 *
 * A login starts the helper three times (auth, session-open, session-close), and mapping
 * libxml2 (with ICU, libstdc++, liblzma) and xmlsec (with libxslt) was most of each start's
 * cost, although only the verbs that parse XML use them. So the helper does not link them:
 * like libcurl (libaws/aws_curl.h), each is opened by its pinned soname (RTLD_NOW |
 * RTLD_LOCAL: every function resolved at once, none in the global scope) and its functions
 * are read into one table. ecs_xml_load opens libxml2 and installs the wiping allocator
 * before anything else in it runs; ecs_xmlsec_load opens libxml2 first, then xmlsec and its
 * OpenSSL back end, and initialises them. Who loads what (the callers, not this file):
 *   - ecs_xml_parse_strict loads libxml2 (every parse of outside XML goes through it);
 *   - session-open loads libxml2 before it calls STS (helper/sts/sts.c), so a missing
 *     library refuses the session before STS issues credentials nobody can read;
 *   - building the IdP trust (saml_trust.c) loads xmlsec: auth and verify do it in the parent,
 *     before the sandboxed validator child is forked, which then only calls what is loaded
 *     (its seccomp filter allows no mmap of new files).
 * The libraries stay loaded for the life of the process. Not thread-safe (the helper has
 * one thread).
 *
 * The call sites keep libxml2's and xmlsec's own names: below, each name is redirected to
 * its slot in the table, so this header must be included after every libxml2 and xmlsec
 * header (it includes all the ones the helper uses). A file that calls libxml2 without it
 * does not link: the helper has no libxml2 to resolve the call against. */
#ifndef ECS_XML_LIB_H
#define ECS_XML_LIB_H

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/hash.h>
#include <libxml/valid.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlmemory.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/errors.h>
#include <xmlsec/keys.h>
#include <xmlsec/keysdata.h>
#include <xmlsec/transforms.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/crypto.h>
#include <xmlsec/openssl/evp.h>

/* Debian's packages of the only ABIs this code is built for: the soname, and the package a
 * refusal tells the administrator to install. */
#define ECS_XML_SONAME			"libxml2.so.2"
#define ECS_XML_PACKAGE			"libxml2"
#define ECS_XMLSEC_SONAME		"libxmlsec1.so.1"
#define ECS_XMLSEC_PACKAGE		"libxmlsec1"
#define ECS_XMLSEC_OPENSSL_SONAME	"libxmlsec1-openssl.so.1"
#define ECS_XMLSEC_OPENSSL_PACKAGE	"libxmlsec1-openssl"

/* The refusal code of a library that does not load (auth, verify, session-open, doctor). */
#define ECS_XML_LIB_CODE "xml-library"

/* The functions the helper calls, by library. */
#define ECS_XML_FUNCS(F)                                                                     \
	F(xmlAddID) F(xmlCheckVersion) F(xmlCleanupParser) F(xmlCtxtGetLastError)             \
	F(xmlCtxtReadMemory) F(xmlDocGetRootElement) F(xmlFreeDoc) F(xmlFreeParserCtxt)       \
	F(xmlGetID) F(xmlGetNoNsProp) F(xmlHasNsProp) F(xmlHashAddEntry) F(xmlHashCreate)     \
	F(xmlHashFree) F(xmlHashLookup) F(xmlInitParser) F(xmlMemSetup) F(xmlNewParserCtxt)   \
	F(xmlSetGenericErrorFunc)
#define ECS_XMLSEC_FUNCS(F)                                                                  \
	F(xmlSecCheckVersionExt) F(xmlSecDSigCtxCreate) F(xmlSecDSigCtxDestroy)               \
	F(xmlSecDSigCtxEnableReferenceTransform) F(xmlSecDSigCtxEnableSignatureTransform)     \
	F(xmlSecDSigCtxVerify) F(xmlSecErrorsDefaultCallbackEnableOutput) F(xmlSecInit)       \
	F(xmlSecKeyCreate) F(xmlSecKeyDataDestroy) F(xmlSecKeyDestroy) F(xmlSecKeyDuplicate)  \
	F(xmlSecKeySetValue) F(xmlSecShutdown) F(xmlSecTransformEnvelopedGetKlass)            \
	F(xmlSecTransformExclC14NGetKlass)
#define ECS_XMLSEC_OPENSSL_FUNCS(F)                                                          \
	F(xmlSecOpenSSLAppInit) F(xmlSecOpenSSLAppShutdown) F(xmlSecOpenSSLEvpKeyAdopt)       \
	F(xmlSecOpenSSLInit) F(xmlSecOpenSSLShutdown)                                         \
	F(xmlSecOpenSSLTransformEcdsaSha1GetKlass) F(xmlSecOpenSSLTransformEcdsaSha256GetKlass) \
	F(xmlSecOpenSSLTransformEcdsaSha384GetKlass) F(xmlSecOpenSSLTransformEcdsaSha512GetKlass) \
	F(xmlSecOpenSSLTransformRsaSha1GetKlass) F(xmlSecOpenSSLTransformRsaSha256GetKlass)   \
	F(xmlSecOpenSSLTransformRsaSha384GetKlass) F(xmlSecOpenSSLTransformRsaSha512GetKlass) \
	F(xmlSecOpenSSLTransformSha1GetKlass) F(xmlSecOpenSSLTransformSha256GetKlass)         \
	F(xmlSecOpenSSLTransformSha384GetKlass) F(xmlSecOpenSSLTransformSha512GetKlass)

#define ECS_XML_SLOT(name) __typeof__(&name) name;
struct ecs_xml_fns {
	ECS_XML_FUNCS(ECS_XML_SLOT)
	xmlFreeFunc *xmlFree;	/* a variable, not a function: xmlMemSetup sets it */
};
struct ecs_xmlsec_fns {
	ECS_XMLSEC_FUNCS(ECS_XML_SLOT)
	ECS_XMLSEC_OPENSSL_FUNCS(ECS_XML_SLOT)
};
#undef ECS_XML_SLOT

/* The tables: filled by the loaders below, read by the names redirected at the end. */
extern struct ecs_xml_fns ecs_xml_fn;
extern struct ecs_xmlsec_fns ecs_xmlsec_fn;

/* Load libxml2 (once; later calls answer the same) with the wiping allocator installed and
 * its diagnostics off stderr. 0; -ELIBACC when the library cannot be loaded or lacks a
 * function (not installed, a broken file); -ELIBBAD when it refuses to be set up. */
int ecs_xml_load(void);

/* Load libxml2 as above, then libxmlsec1 and libxmlsec1-openssl (once), and initialise
 * them; the same answers, -ELIBBAD also when xmlsec is not the version built for. */
int ecs_xmlsec_load(void);

/* Why the last load failed, naming the soname and the package to install ("" when none
 * failed). */
const char *ecs_xml_load_error(void);

/* At exit, undo what the loads set up (keeps valgrind's leak report meaningful); nothing
 * when nothing was loaded. */
void ecs_xml_shutdown(void);

#ifndef ECS_XML_LIB_NO_REDIRECT
/* Every name the helper calls, redirected to its slot (see the top of this file). */
#define xmlAddID				(ecs_xml_fn.xmlAddID)
#define xmlCheckVersion				(ecs_xml_fn.xmlCheckVersion)
#define xmlCleanupParser			(ecs_xml_fn.xmlCleanupParser)
#define xmlCtxtGetLastError			(ecs_xml_fn.xmlCtxtGetLastError)
#define xmlCtxtReadMemory			(ecs_xml_fn.xmlCtxtReadMemory)
#define xmlDocGetRootElement			(ecs_xml_fn.xmlDocGetRootElement)
#define xmlFreeDoc				(ecs_xml_fn.xmlFreeDoc)
#define xmlFreeParserCtxt			(ecs_xml_fn.xmlFreeParserCtxt)
#define xmlGetID				(ecs_xml_fn.xmlGetID)
#define xmlGetNoNsProp				(ecs_xml_fn.xmlGetNoNsProp)
#define xmlHasNsProp				(ecs_xml_fn.xmlHasNsProp)
#define xmlHashAddEntry				(ecs_xml_fn.xmlHashAddEntry)
#define xmlHashCreate				(ecs_xml_fn.xmlHashCreate)
#define xmlHashFree				(ecs_xml_fn.xmlHashFree)
#define xmlHashLookup				(ecs_xml_fn.xmlHashLookup)
#define xmlInitParser				(ecs_xml_fn.xmlInitParser)
#define xmlMemSetup				(ecs_xml_fn.xmlMemSetup)
#define xmlNewParserCtxt			(ecs_xml_fn.xmlNewParserCtxt)
#define xmlSetGenericErrorFunc			(ecs_xml_fn.xmlSetGenericErrorFunc)
#undef xmlFree
#define xmlFree					(*ecs_xml_fn.xmlFree)
#define xmlSecCheckVersionExt			(ecs_xmlsec_fn.xmlSecCheckVersionExt)
#define xmlSecDSigCtxCreate			(ecs_xmlsec_fn.xmlSecDSigCtxCreate)
#define xmlSecDSigCtxDestroy			(ecs_xmlsec_fn.xmlSecDSigCtxDestroy)
#define xmlSecDSigCtxEnableReferenceTransform	(ecs_xmlsec_fn.xmlSecDSigCtxEnableReferenceTransform)
#define xmlSecDSigCtxEnableSignatureTransform	(ecs_xmlsec_fn.xmlSecDSigCtxEnableSignatureTransform)
#define xmlSecDSigCtxVerify			(ecs_xmlsec_fn.xmlSecDSigCtxVerify)
#define xmlSecErrorsDefaultCallbackEnableOutput	(ecs_xmlsec_fn.xmlSecErrorsDefaultCallbackEnableOutput)
#define xmlSecInit				(ecs_xmlsec_fn.xmlSecInit)
#define xmlSecKeyCreate				(ecs_xmlsec_fn.xmlSecKeyCreate)
#define xmlSecKeyDataDestroy			(ecs_xmlsec_fn.xmlSecKeyDataDestroy)
#define xmlSecKeyDestroy			(ecs_xmlsec_fn.xmlSecKeyDestroy)
#define xmlSecKeyDuplicate			(ecs_xmlsec_fn.xmlSecKeyDuplicate)
#define xmlSecKeySetValue			(ecs_xmlsec_fn.xmlSecKeySetValue)
#define xmlSecShutdown				(ecs_xmlsec_fn.xmlSecShutdown)
#define xmlSecTransformEnvelopedGetKlass	(ecs_xmlsec_fn.xmlSecTransformEnvelopedGetKlass)
#define xmlSecTransformExclC14NGetKlass		(ecs_xmlsec_fn.xmlSecTransformExclC14NGetKlass)
#define xmlSecOpenSSLAppInit			(ecs_xmlsec_fn.xmlSecOpenSSLAppInit)
#define xmlSecOpenSSLAppShutdown		(ecs_xmlsec_fn.xmlSecOpenSSLAppShutdown)
#define xmlSecOpenSSLEvpKeyAdopt		(ecs_xmlsec_fn.xmlSecOpenSSLEvpKeyAdopt)
#define xmlSecOpenSSLInit			(ecs_xmlsec_fn.xmlSecOpenSSLInit)
#define xmlSecOpenSSLShutdown			(ecs_xmlsec_fn.xmlSecOpenSSLShutdown)
#define xmlSecOpenSSLTransformEcdsaSha1GetKlass	(ecs_xmlsec_fn.xmlSecOpenSSLTransformEcdsaSha1GetKlass)
#define xmlSecOpenSSLTransformEcdsaSha256GetKlass (ecs_xmlsec_fn.xmlSecOpenSSLTransformEcdsaSha256GetKlass)
#define xmlSecOpenSSLTransformEcdsaSha384GetKlass (ecs_xmlsec_fn.xmlSecOpenSSLTransformEcdsaSha384GetKlass)
#define xmlSecOpenSSLTransformEcdsaSha512GetKlass (ecs_xmlsec_fn.xmlSecOpenSSLTransformEcdsaSha512GetKlass)
#define xmlSecOpenSSLTransformRsaSha1GetKlass	(ecs_xmlsec_fn.xmlSecOpenSSLTransformRsaSha1GetKlass)
#define xmlSecOpenSSLTransformRsaSha256GetKlass	(ecs_xmlsec_fn.xmlSecOpenSSLTransformRsaSha256GetKlass)
#define xmlSecOpenSSLTransformRsaSha384GetKlass	(ecs_xmlsec_fn.xmlSecOpenSSLTransformRsaSha384GetKlass)
#define xmlSecOpenSSLTransformRsaSha512GetKlass	(ecs_xmlsec_fn.xmlSecOpenSSLTransformRsaSha512GetKlass)
#define xmlSecOpenSSLTransformSha1GetKlass	(ecs_xmlsec_fn.xmlSecOpenSSLTransformSha1GetKlass)
#define xmlSecOpenSSLTransformSha256GetKlass	(ecs_xmlsec_fn.xmlSecOpenSSLTransformSha256GetKlass)
#define xmlSecOpenSSLTransformSha384GetKlass	(ecs_xmlsec_fn.xmlSecOpenSSLTransformSha384GetKlass)
#define xmlSecOpenSSLTransformSha512GetKlass	(ecs_xmlsec_fn.xmlSecOpenSSLTransformSha512GetKlass)
#endif

#endif
