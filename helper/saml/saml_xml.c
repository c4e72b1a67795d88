/* saml_xml.c — strict readers over a libxml2 tree. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "saml_xml.h"
#include "xml_lib.h"	/* last: redirects libxml2's and xmlsec's names */

bool
ecs_xml_is(const xmlNode *n, const char *ns, const char *local)
{
	return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
	       strcmp((const char *)n->name, local) == 0 &&
	       strcmp((const char *)n->ns->href, ns) == 0;
}

static xmlNode *
first_elem_from(xmlNode *n)
{
	while (n && n->type != XML_ELEMENT_NODE)
		n = n->next;
	return n;
}

xmlNode *
ecs_xml_first_elem(const xmlNode *n)
{
	return n ? first_elem_from(n->children) : NULL;
}

xmlNode *
ecs_xml_next_elem(const xmlNode *n)
{
	return n ? first_elem_from(n->next) : NULL;
}

unsigned
ecs_xml_count(const xmlNode *parent, const char *ns, const char *local, xmlNode **first)
{
	xmlNode *c;
	unsigned n = 0;

	if (first)
		*first = NULL;
	for (c = ecs_xml_first_elem(parent); c; c = ecs_xml_next_elem(c)) {
		if (!ecs_xml_is(c, ns, local))
			continue;
		if (n == 0 && first)
			*first = c;
		n++;
	}
	return n;
}

int
ecs_xml_text(const xmlNode *n, size_t max, char **out)
{
	const xmlNode *c;
	size_t len = 0, k;
	char *s;

	*out = NULL;
	/* First pass: refuse anything but text, CDATA and comments, and size the result. */
	for (c = n->children; c; c = c->next) {
		if (c->type == XML_COMMENT_NODE)
			continue;
		if (c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE)
			return -EBADMSG;
		k = c->content ? strlen((const char *)c->content) : 0;
		if (k > max || len > max - k)
			return -E2BIG;
		len += k;
	}
	s = malloc(len + 1);
	if (!s)
		return -ENOMEM;
	len = 0;
	for (c = n->children; c; c = c->next) {
		if (c->type == XML_COMMENT_NODE || !c->content)
			continue;
		k = strlen((const char *)c->content);
		memcpy(s + len, c->content, k);
		len += k;
	}
	s[len] = '\0';
	*out = s;
	return 0;
}

bool
ecs_xml_split(const xmlNode *n)
{
	return n->children && n->children->next;
}

int
ecs_xml_attr(const xmlNode *n, const char *name, char **out)
{
	xmlChar *v;

	*out = NULL;
	if (!xmlHasNsProp(n, (const xmlChar *)name, NULL))
		return 0;
	v = xmlGetNoNsProp(n, (const xmlChar *)name);
	if (!v)
		return -ENOMEM;
	*out = strdup((const char *)v);
	xmlFree(v);
	return *out ? 0 : -ENOMEM;
}

bool
ecs_text_clean(const char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	}
	return true;
}
