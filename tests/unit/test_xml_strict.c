/* test_xml_strict.c — the strict XML parse every reader of outside XML uses: what the scan
 * refuses before libxml2 runs, and what the tree check refuses after. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "xml_strict.h"

#define CAP 4096

static struct ecs_xml_error last;

/* 0 when doc[len] parses, else the fault (-1 for an error that is not a refusal). */
static int
fault_of(const char *doc, size_t len)
{
	xmlDoc *d = NULL;
	int r = ecs_xml_parse_strict(doc, len, CAP, &d, &last);

	if (r == 0) {
		if (!d)
			return -1;
		xmlFreeDoc(d);
		return 0;
	}
	if (d)
		return -1;	/* a refusal must hand back nothing */
	return r == -EBADMSG ? (int)last.fault : -1;
}

#define FAULT(s) fault_of(s, sizeof(s) - 1)

static void
test_prescan(void)
{
	/* an internal subset libxml2 could not even parse: refused as a DOCTYPE, not as
	 * malformed XML, so the scan refused it before libxml2 saw it */
	T_OK(FAULT("<!DOCTYPE r [<!ENTITY x \"unterminated><r/>") == ECS_XML_DTD &&
		     strstr(last.msg, "DOCTYPE"),
	     "a DOCTYPE is refused before its internal subset is parsed");
	T_OK(FAULT("<?xml version='1.0'?>\n<!-- c -->\n<?pi x?>\n<!DOCTYPE r><r/>") == ECS_XML_DTD,
	     "a DOCTYPE after the declaration, a comment and a PI");
	T_OK(FAULT("\xef\xbb\xbf<!DOCTYPE r><r/>") == ECS_XML_DTD, "a DOCTYPE after a BOM");
	T_OK(FAULT("<!-- <!DOCTYPE r> --><r/>") == 0, "DOCTYPE text inside a comment is none");
	T_OK(FAULT("") == ECS_XML_MALFORMED, "an empty document");
	T_OK(fault_of("<r/>", CAP + 1) == ECS_XML_SIZE, "over the caller's cap (never read)");
	T_OK(FAULT("\xff\xfe<\0r\0/\0>\0") == ECS_XML_ENCODING, "UTF-16 with a byte-order mark");
	T_OK(FAULT("\0<\0r\0/\0>") == ECS_XML_ENCODING, "UTF-16 without a byte-order mark");
	T_OK(FAULT("\x4c\x6f\xa7\x94\x40\xa5\x85\x99") == ECS_XML_ENCODING, "EBCDIC");
	T_OK(FAULT("<?xml version='1.0' encoding='ISO-8859-1'?><r/>") == ECS_XML_ENCODING &&
		     strstr(last.msg, "ISO-8859-1"),
	     "a declared encoding other than UTF-8, named");
	T_OK(FAULT("<?xml version='1.0' encoding='x\n<evil>'?><r/>") == ECS_XML_ENCODING &&
		     !strstr(last.msg, "evil"),
	     "an unreadable encoding name is refused without quoting it");
	T_OK(FAULT("<?xml version=\"1.0\" encoding = \"utf-8\"?><r/>") == 0,
	     "UTF-8 declared in lower case");
}

static void
test_tree(void)
{
	char deep[1024];
	size_t n = 0;
	int i;

	T_OK(FAULT("<r><a>text &amp; more</a></r>") == 0, "a plain document");
	T_OK(FAULT("<r>&undefined;</r>") == ECS_XML_MALFORMED, "an undefined entity");
	T_OK(FAULT("<?xml version='1.1'?><r/>") == ECS_XML_MALFORMED, "XML 1.1");
	T_OK(FAULT("<r><!-- open\n<secret>") == ECS_XML_MALFORMED && !strchr(last.msg, '\n') &&
		     !strstr(last.msg, "secret"),
	     "a parse error is one line that quotes no document text");
	for (i = 0; i < ECS_XML_MAX_DEPTH; i++)
		n += (size_t)snprintf(deep + n, sizeof(deep) - n, "<e>");
	for (i = 0; i < ECS_XML_MAX_DEPTH; i++)
		n += (size_t)snprintf(deep + n, sizeof(deep) - n, "</e>");
	T_OK(fault_of(deep, n) == 0, "elements nested ECS_XML_MAX_DEPTH deep");
	n = 0;
	for (i = 0; i <= ECS_XML_MAX_DEPTH; i++)
		n += (size_t)snprintf(deep + n, sizeof(deep) - n, "<e>");
	for (i = 0; i <= ECS_XML_MAX_DEPTH; i++)
		n += (size_t)snprintf(deep + n, sizeof(deep) - n, "</e>");
	T_OK(fault_of(deep, n) == ECS_XML_MALFORMED && strstr(last.msg, "deeper"),
	     "one level deeper is refused");
}

int
main(void)
{
	test_prescan();
	test_tree();
	T_DONE();
}
