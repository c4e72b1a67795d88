/* xml_lib.c — libxml2 and xmlsec, loaded on first use (see xml_lib.h). */
#include <dlfcn.h>
#include <errno.h>
#include <malloc.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* this file fills the tables, and calls through them by their slots */
#define ECS_XML_LIB_NO_REDIRECT
#include "xml_lib.h"

struct ecs_xml_fns ecs_xml_fn;
struct ecs_xmlsec_fns ecs_xmlsec_fn;

static int xml_r = 1;		/* 1: not tried yet; else ecs_xml_load's answer */
static int xmlsec_r = 1;	/* the same for ecs_xmlsec_load */
static char load_error[384];

struct sym {
	size_t off;
	const char *name;
};

#define SYM_XML(name) { offsetof(struct ecs_xml_fns, name), #name },
#define SYM_XMLSEC(name) { offsetof(struct ecs_xmlsec_fns, name), #name },
static const struct sym xml_syms[] = { ECS_XML_FUNCS(SYM_XML) };
static const struct sym xmlsec_syms[] = { ECS_XMLSEC_FUNCS(SYM_XMLSEC) };
static const struct sym xmlsec_openssl_syms[] = { ECS_XMLSEC_OPENSSL_FUNCS(SYM_XMLSEC) };
#undef SYM_XML
#undef SYM_XMLSEC

/* One library of the three: its name, the package that ships it, its functions. */
struct lib {
	const char *soname;
	const char *package;
	const struct sym *syms;
	size_t nsyms;
	void *table;
};

static int
fail(int r, const struct lib *l, const char *what, const char *detail)
{
	snprintf(load_error, sizeof(load_error), "%s: %s%s%s: install the distribution's %s "
		 "package", l->soname, what, detail ? ": " : "", detail ? detail : "", l->package);
	return r;
}

static int
open_lib(const struct lib *l)
{
	void *lib, *f;

	lib = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL);
	if (!lib)
		return fail(-ELIBACC, l, "cannot be loaded", dlerror());
	for (size_t i = 0; i < l->nsyms; i++) {
		f = dlsym(lib, l->syms[i].name);
		if (!f)
			return fail(-ELIBACC, l, "lacks a function the helper uses",
				    l->syms[i].name);
		/* POSIX guarantees dlsym's object pointer converts to a function pointer */
		memcpy((char *)l->table + l->syms[i].off, &f, sizeof(f));
	}
	/* xmlFree is libxml2's variable (xmlMemSetup sets it), not a function */
	if (l->table == &ecs_xml_fn) {
		ecs_xml_fn.xmlFree = dlsym(lib, "xmlFree");
		if (!ecs_xml_fn.xmlFree)
			return fail(-ELIBACC, l, "lacks a variable the helper uses", "xmlFree");
	}
	/* the handle is never closed: the functions stay for the life of the process */
	return 0;
}

/* Library diagnostics would go to stderr, mixing with our one-line verdicts and possibly
 * quoting document content; the reject message is the only report. */
static void
quiet_generic(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* libxml2 and xmlsec allocate through xmlMalloc & co. The trees they build hold the bearer
 * Response (every text node, the decoded digests, canonical forms), so whatever they free
 * is wiped first. malloc_usable_size covers the whole block, slack included. */
static void
wipe_free(void *p)
{
	if (!p)
		return;
	explicit_bzero(p, malloc_usable_size(p));
	free(p);
}

/* Never realloc in place: a block that moves would leave its old copy behind unwiped. */
static void *
wipe_realloc(void *p, size_t n)
{
	size_t old;
	void *q;

	if (!p)
		return malloc(n);
	q = malloc(n ? n : 1);
	if (!q)
		return NULL;	/* like realloc: p stays valid and owned by the caller */
	old = malloc_usable_size(p);
	memcpy(q, p, old < n ? old : n);
	wipe_free(p);
	return q;
}

static int
load_xml(void)
{
	static const struct lib xml = { ECS_XML_SONAME, ECS_XML_PACKAGE, xml_syms,
					sizeof(xml_syms) / sizeof(xml_syms[0]), &ecs_xml_fn };
	int r;

	r = open_lib(&xml);
	if (r < 0)
		return r;
	/* before anything else in libxml2 allocates, so every block goes through these */
	if (ecs_xml_fn.xmlMemSetup(wipe_free, malloc, wipe_realloc, strdup) != 0)
		return fail(-ELIBBAD, &xml, "refuses the helper's allocator", NULL);
	ecs_xml_fn.xmlInitParser();
	ecs_xml_fn.xmlCheckVersion(LIBXML_VERSION);	/* LIBXML_TEST_VERSION, by its slot */
	ecs_xml_fn.xmlSetGenericErrorFunc(NULL, quiet_generic);
	return 0;
}

static int
load_xmlsec(void)
{
	static const struct lib xmlsec = {
		ECS_XMLSEC_SONAME, ECS_XMLSEC_PACKAGE, xmlsec_syms,
		sizeof(xmlsec_syms) / sizeof(xmlsec_syms[0]), &ecs_xmlsec_fn
	};
	static const struct lib xmlsec_openssl = {
		ECS_XMLSEC_OPENSSL_SONAME, ECS_XMLSEC_OPENSSL_PACKAGE, xmlsec_openssl_syms,
		sizeof(xmlsec_openssl_syms) / sizeof(xmlsec_openssl_syms[0]), &ecs_xmlsec_fn
	};
	int r;

	r = ecs_xml_load();
	if (r == 0)
		r = open_lib(&xmlsec);
	if (r == 0)
		r = open_lib(&xmlsec_openssl);
	if (r < 0)
		return r;
	if (ecs_xmlsec_fn.xmlSecInit() < 0)
		return fail(-ELIBBAD, &xmlsec, "does not initialise", NULL);
	ecs_xmlsec_fn.xmlSecErrorsDefaultCallbackEnableOutput(0);
	/* xmlSecCheckVersion(), by its slot */
	if (ecs_xmlsec_fn.xmlSecCheckVersionExt(XMLSEC_VERSION_MAJOR, XMLSEC_VERSION_MINOR,
						XMLSEC_VERSION_SUBMINOR,
						xmlSecCheckVersionABICompatible) != 1)
		return fail(-ELIBBAD, &xmlsec, "is not compatible with the version the helper "
			    "was built for", XMLSEC_VERSION);
	/* xmlSecCryptoAppInit and xmlSecCryptoInit of the OpenSSL back end */
	if (ecs_xmlsec_fn.xmlSecOpenSSLAppInit(NULL) < 0 || ecs_xmlsec_fn.xmlSecOpenSSLInit() < 0)
		return fail(-ELIBBAD, &xmlsec_openssl, "does not initialise", NULL);
	return 0;
}

int
ecs_xml_load(void)
{
	if (xml_r == 1)
		xml_r = load_xml();
	return xml_r;
}

int
ecs_xmlsec_load(void)
{
	if (xmlsec_r == 1)
		xmlsec_r = load_xmlsec();
	return xmlsec_r;
}

const char *
ecs_xml_load_error(void)
{
	return load_error;
}

void
ecs_xml_shutdown(void)
{
	if (xmlsec_r == 0) {
		ecs_xmlsec_fn.xmlSecOpenSSLShutdown();
		ecs_xmlsec_fn.xmlSecOpenSSLAppShutdown();
		ecs_xmlsec_fn.xmlSecShutdown();
	}
	if (xml_r == 0)
		ecs_xml_fn.xmlCleanupParser();
}
