/* Unit tests: hardened parse and whole-document pre-scan (helper/saml_doc). */
#include <string.h>

#include "ecs_err.h"
#include "saml_doc.h"
#include "saml_verify.h"
#include "tap.h"
#include "xml_lib.h"

#define P "urn:oasis:names:tc:SAML:2.0:protocol"
#define A "urn:oasis:names:tc:SAML:2.0:assertion"
#define RESP(body) "<p:Response xmlns:p='" P "' xmlns:a='" A "' ID='_r'>" body "</p:Response>"
#define ASSERTION "<a:Assertion ID='_a'/>"

static const char *
code_of(const char *xml)
{
	static struct ecs_reject rej;
	struct ecs_saml_doc d;
	int r;

	memset(&rej, 0, sizeof(rej));
	r = ecs_saml_doc_parse((const uint8_t *)xml, strlen(xml), &d, &rej);
	if (r == 0) {
		ecs_saml_doc_free(&d);
		return "ok";
	}
	return r == -ECS_EREJECT ? rej.code : "error";
}

#define T_CODE(xml, want, name) T_OK(strcmp(code_of(xml), want) == 0, "%s: %s", name, want)

int
main(void)
{
	T_OK(ecs_xmlsec_load() == 0, "libxml2 and xmlsec load");
	T_CODE(RESP(ASSERTION), "ok", "minimal Response with one Assertion");
	T_CODE("<?xml version='1.0'?><!-- c --><?pi x?>" RESP(ASSERTION), "structure",
	       "a PI in the prolog");
	T_CODE("<?xml version='1.0'?>\n<!-- c -->\n<!DOCTYPE p:Response>" RESP(ASSERTION), "dtd",
	       "DOCTYPE after a comment");
	T_CODE("\xef\xbb\xbf<!DOCTYPE x [<!ENTITY e 'v'>]>" RESP(ASSERTION), "dtd",
	       "DOCTYPE after a BOM");
	T_CODE("<!-- <!DOCTYPE inside a comment --> " RESP(ASSERTION), "ok",
	       "DOCTYPE text inside a comment is not a DOCTYPE");
	T_CODE(RESP(ASSERTION) "<x/>", "xml", "two roots");
	T_CODE("<?xml version='1.0'?>" RESP(ASSERTION), "ok", "XML declaration version 1.0");
	T_CODE("<?xml version='1.1'?>" RESP(ASSERTION), "xml", "XML version 1.1");
	T_CODE("<?xml version='1.7'?>" RESP(ASSERTION), "xml", "XML version 1.7");
	T_CODE("<a:Assertion xmlns:a='" A "' ID='_a'/>", "structure", "bare Assertion as the root");
	T_CODE(RESP(""), "structure", "no Assertion");
	T_CODE(RESP(ASSERTION ASSERTION), "wrapping", "two Assertions");
	T_CODE(RESP("<p:Extensions>" ASSERTION "</p:Extensions>"), "wrapping",
	       "Assertion not a direct child");
	T_CODE(RESP("<a:Assertion ID='_a'><x xml:id='_z'/></a:Assertion>"), "wrapping", "xml:id");
	T_CODE(RESP("<a:Assertion ID='_a'><x id='_a'/></a:Assertion>"), "wrapping",
	       "lower-case id duplicating the Assertion ID");
	T_CODE(RESP("<a:Assertion ID='_r'/>"), "wrapping", "Assertion ID equal to the Response ID");
	T_CODE(RESP("<a:Assertion ID='_a'><ds:Object xmlns:ds='http://www.w3.org/2000/09/xmldsig#'/>"
		    "</a:Assertion>"), "structure", "ds:Object");
	T_CODE(RESP("<a:EncryptedAssertion/>"), "encrypted", "EncryptedAssertion");
	T_CODE(RESP("<a:Assertion/>"), "structure", "Assertion without ID");
	T_CODE(RESP("<a:Assertion ID='1bad'/>"), "structure", "Assertion ID not an NCName");
	T_CODE("<p:Response xmlns:p='" P " ' ID='_r'>" ASSERTION "</p:Response>", "structure",
	       "look-alike protocol namespace");
	T_DONE();
}
