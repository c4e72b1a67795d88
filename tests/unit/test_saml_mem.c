/* Unit tests: the wiping allocator ecs_xml_load installs in libxml2 (helper/xml/xml_lib.c),
 * which every path that parses XML loads first (session-open's libxml2 alone, too).
 *
 * A parsed document holding a marker is freed through a spy that wraps the installed free
 * function, and the spy looks at each block right after it was released:
 *   - plain build: malloc of the same size at once hands the same chunk back (glibc reuses
 *     the last freed chunk), and a reused chunk may be read;
 *   - ASan build: freed blocks sit in quarantine, never reused; the spy unpoisons a block
 *     for the look and poisons it again.
 * A control run wraps libc's free instead and must see the marker survive: that proves the
 * spy can see an unwiped block, so the wiped run's "no marker" means something. */
#include <malloc.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/xmlmemory.h>

#include "saml_verify.h"
#include "tap.h"
#include "xml_strict.h"
#include "xml_lib.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define SPY_ASAN 1
#else
#define SPY_ASAN 0
#endif

#define MARKER "ECS-WIPE-MARKER-7f3a9c1e5b2d4068"

static const char doc_xml[] =
	"<r xmlns='urn:x'><v attr='" MARKER "-attr'>" MARKER "-text</v>"
	"<!-- " MARKER "-comment --></r>";

static xmlFreeFunc spy_inner;	/* the free function the spy wraps */
static unsigned seen;		/* freed blocks the spy could look at afterwards */
static unsigned held;		/* of those, blocks holding the marker before the free */
static unsigned survived;	/* of those, blocks still holding it after the free */

static bool
has_marker(const void *p, size_t n)
{
	return memmem(p, n, MARKER, strlen(MARKER)) != NULL;
}

static void
spy_free(void *p)
{
	size_t n;
	bool before;
	void *q;
#if !SPY_ASAN
	void *volatile fresh;
#endif

	if (!p)
		return;
	n = malloc_usable_size(p);
	before = has_marker(p, n);
	spy_inner(p);
	if (!before)
		return;
	held++;
#if SPY_ASAN
	__asan_unpoison_memory_region(p, n);
	seen++;
	if (has_marker(p, n))
		survived++;
	__asan_poison_memory_region(p, n);
	(void)q;
#else
	/* Read back through a volatile: the compiler must not treat the reused chunk as
	 * fresh, never-written memory (reading it is the point). */
	fresh = malloc(n);
	q = fresh;
	if (q == p) {
		seen++;
		if (has_marker(q, n))
			survived++;
	}
	free(q);
#endif
}

/* Parse and free doc_xml with the spy wrapping inner. */
static void
run(xmlFreeFunc inner)
{
	xmlFreeFunc f;
	xmlMallocFunc m;
	xmlReallocFunc r;
	xmlStrdupFunc s;
	struct ecs_xml_error err;
	xmlDoc *doc = NULL;

	seen = held = survived = 0;
	xmlMemGet(&f, &m, &r, &s);
	spy_inner = inner;
	xmlMemSetup(spy_free, m, r, s);
	if (ecs_xml_parse_strict(doc_xml, strlen(doc_xml), strlen(doc_xml), &doc, &err) == 0)
		xmlFreeDoc(doc);
	xmlMemSetup(f, m, r, s);
}

int
main(void)
{
	xmlFreeFunc f;
	xmlMallocFunc m;
	xmlReallocFunc r;
	xmlStrdupFunc s;
	char *p;

	T_OK(ecs_xml_load() == 0, "libxml2 loads");
	xmlMemGet(&f, &m, &r, &s);
	T_OK(f != free && r != realloc, "a wiping free and realloc are installed in libxml2");

	run(free);
	T_OK(held > 0 && seen > 0 && survived > 0,
	     "control: with libc free the marker survives in freed blocks (held %u, seen %u, "
	     "survived %u)", held, seen, survived);
	run(f);
	T_OK(held > 0 && seen > 0 && survived == 0,
	     "installed free: no freed block of the document keeps the marker (held %u, seen "
	     "%u, survived %u)", held, seen, survived);

	/* realloc moves the block and wipes the old one; the content comes along. */
	p = s(MARKER);
	p = r(p, 4096);
	T_OK(p && strcmp(p, MARKER) == 0, "installed realloc keeps the content");
	f(p);
	T_DONE();
}
