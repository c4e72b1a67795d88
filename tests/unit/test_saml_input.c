/* Unit tests: input caps, base64 or raw XML, UTF-8, ID syntax (helper/saml_input, saml_doc). */
#include <stdlib.h>
#include <string.h>

#include "ecs_err.h"
#include "ecs_limits.h"
#include "saml_doc.h"
#include "saml_input.h"
#include "saml_verify.h"
#include "tap.h"

static const char *
code_of(const char *in, size_t len)
{
	static struct ecs_reject rej;
	struct ecs_saml_input d;
	int r;

	memset(&rej, 0, sizeof(rej));
	r = ecs_saml_input_decode(in, len, ECS_KBD_ENC_NONE, &d, &rej);
	if (r == 0) {
		ecs_saml_input_free(&d);
		return "ok";
	}
	return r == -ECS_EREJECT ? rej.code : "error";
}

static int
canonical_b64(const char *in, const char *want)
{
	struct ecs_saml_input d;
	struct ecs_reject rej;
	int ok;

	if (ecs_saml_input_decode(in, strlen(in), ECS_KBD_ENC_NONE, &d, &rej) != 0)
		return 0;
	ok = d.b64_len == strlen(want) && strcmp(d.b64, want) == 0;
	ecs_saml_input_free(&d);
	return ok;
}

int
main(void)
{
	static char big[ECS_RESPONSE_MAX_XML + 2];
	const unsigned char good[] = "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80";

	T_OK(ecs_utf8_ok(good, sizeof(good) - 1), "UTF-8: 2, 3 and 4 byte forms");
	T_OK(!ecs_utf8_ok((const unsigned char *)"\xc0\xaf", 2), "UTF-8: overlong refused");
	T_OK(!ecs_utf8_ok((const unsigned char *)"\xed\xa0\x80", 3), "UTF-8: surrogate refused");
	T_OK(!ecs_utf8_ok((const unsigned char *)"\xf4\x90\x80\x80", 4), "UTF-8: > U+10FFFF");
	T_OK(!ecs_utf8_ok((const unsigned char *)"\xe2\x82", 2), "UTF-8: truncated sequence");
	T_OK(!ecs_utf8_ok((const unsigned char *)"a\0b", 3), "UTF-8: NUL refused");

	T_OK(strcmp(code_of("PHg+PC94Pg==", 12), "ok") == 0, "base64 accepted");
	T_OK(strcmp(code_of("  <x/>", 6), "ok") == 0, "raw XML after blanks accepted");
	T_OK(strcmp(code_of(" \r\n\t", 4), "encoding") == 0, "only blanks: encoding");
	T_OK(strcmp(code_of("PHg+-_==", 8), "encoding") == 0, "URL-safe base64: encoding");
	T_OK(strcmp(code_of("/w==", 4), "encoding") == 0, "base64 of a non-UTF-8 byte: encoding");
	T_OK(canonical_b64(" PHg+\r\nPC94\r\nPg==\r\n", "PHg+PC94Pg=="),
	     "wrapped base64 comes back without its blanks");
	T_OK(strcmp(code_of("PHg+PC94Pg", 10), "encoding") == 0, "missing padding: encoding");
	T_OK(strcmp(code_of("PHg+PC94P===", 12), "encoding") == 0, "three pad characters");
	T_OK(strcmp(code_of("PHg=PC94", 8), "encoding") == 0, "data after padding");
	T_OK(canonical_b64("<x/>", "PHgvPg=="), "raw XML is base64-encoded for STS");

	memset(big, 'x', sizeof(big));
	big[0] = '<';
	T_OK(strcmp(code_of(big, ECS_RESPONSE_MAX_XML), "ok") == 0, "raw XML at the cap accepted");
	T_OK(strcmp(code_of(big, ECS_RESPONSE_MAX_XML + 1), "size") == 0,
	     "raw XML over the cap: size");

	T_OK(ecs_saml_id_ok("_a0f1-e2.d3"), "ID: NCName accepted");
	T_OK(!ecs_saml_id_ok("1abc"), "ID: leading digit refused");
	T_OK(!ecs_saml_id_ok("xpointer(id('a'))"), "ID: xpointer form refused");
	T_OK(!ecs_saml_id_ok(""), "ID: empty refused");
	T_DONE();
}
