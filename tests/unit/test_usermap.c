/* test_usermap.c — the user-map format: round trip, search order, corruption, packing, UIDs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecs_err.h"
#include "ecs_usermap.h"
#include "ecs_usermap_pack.h"
#include "ecs_usermap_uid.h"
#include "tap.h"

static struct ecs_usermap_user
mkuser(const char *name, uint32_t uid)
{
	struct ecs_usermap_user u;

	if (ecs_usermap_fill_new(name, uid, 1668300000, "/home/%u", "/bin/bash", &u) < 0)
		abort();
	u.first_login = 1700000000;
	u.last_login = 1700000100;
	return u;
}

/* Names whose order differs between plain strcmp and the "NAME:" order the map uses. */
static const char *const names[] = { "alice", "alice2", "alice-x", "alice_", "al", "bob",
				     "_svc", "z9", "a" };
#define NNAMES (sizeof(names) / sizeof(names[0]))

static void
build(struct ecs_buf *img)
{
	struct ecs_usermap_set s = { 0 };
	struct ecs_usermap_uidref tomb = { .uid = 1668300500, .name = "gone", .removed = 1 };
	struct ecs_usermap_user u;
	size_t i;

	for (i = 0; i < NNAMES; i++) {
		u = mkuser(names[i], (uint32_t)(1668300900 - i * 7));
		ecs_usermap_set_add_user(&s, &u);
	}
	ecs_usermap_set_add_retired(&s, &tomb);
	ecs_buf_init(img, ECS_USERMAP_MAX_SIZE);
	T_OK(ecs_usermap_serialize(&s, img) == 0, "serialize a map of %zu users", NNAMES);
	ecs_usermap_set_free(&s);
}

static void
test_roundtrip(void)
{
	struct ecs_usermap_uidref ref;
	struct ecs_usermap_user u;
	struct ecs_usermap db;
	struct ecs_buf img;
	size_t i, cursor = 0;
	int found = 0;

	build(&img);
	T_OK(ecs_usermap_open(&db, img.data, img.len) == 0, "open the serialized map");
	for (i = 0; i < NNAMES; i++) {
		int r = ecs_usermap_find_name(&db, names[i], &u);

		T_OK(r == 0 && strcmp(u.name, names[i]) == 0 &&
			     u.uid == 1668300900 - i * 7,
		     "find_name %s (binary search in NAME: order)", names[i]);
		memset(&u, 0, sizeof(u));
		r = ecs_usermap_find_uid(&db, (uint32_t)(1668300900 - i * 7), &ref, &u);
		T_OK(r == 0 && !ref.retired && strcmp(ref.name, names[i]) == 0 &&
			     strcmp(u.name, names[i]) == 0 && u.uid == 1668300900 - i * 7,
		     "find_uid %u -> %s, with its entry", (unsigned)(1668300900 - i * 7), names[i]);
	}
	T_OK(ecs_usermap_find_name(&db, "alic", &u) == -ENOENT, "prefix of a name is not found");
	T_OK(ecs_usermap_find_name(&db, "carol", &u) == -ENOENT, "absent name is not found");
	T_OK(ecs_usermap_find_uid(&db, 1668300500, &ref, NULL) == 0 && ref.retired &&
		     strcmp(ref.name, "gone") == 0,
	     "tombstone found by UID and marked retired");
	T_OK(ecs_usermap_find_name(&db, "gone", &u) == -ENOENT, "a retired name does not resolve");
	while (ecs_usermap_next_user(&db, &cursor, &u) == 0)
		found++;
	T_OK(found == (int)NNAMES, "enumeration yields every user (%d)", found);
	ecs_buf_free(&img);
}

static void
test_corrupt(void)
{
	struct ecs_usermap db;
	struct ecs_buf img;
	size_t n;
	int bad = 0;
	char *copy;

	build(&img);
	/* Every strict prefix is a truncated file and must be refused. */
	for (n = 0; n < img.len; n++)
		if (ecs_usermap_open(&db, img.data, n) == 0)
			bad++;
	T_OK(bad == 0, "every truncation of the map is refused (%d accepted)", bad);
	copy = malloc(img.len + 1);
	memcpy(copy, img.data, img.len);
	copy[17] = '2';	/* "ecs-saml-usermap 2" */
	T_OK(ecs_usermap_open(&db, copy, img.len) == -EPROTONOSUPPORT, "version 2 is refused");
	memcpy(copy, img.data, img.len);
	copy[0] = 'E';
	T_OK(ecs_usermap_open(&db, copy, img.len) == -EBADMSG, "bad magic is refused");
	memcpy(copy, img.data, img.len);
	copy[19] = copy[19] == '9' ? '8' : '9';	/* user count */
	T_OK(ecs_usermap_open(&db, copy, img.len) == -EBADMSG, "wrong user count is refused");
	free(copy);
	ecs_buf_free(&img);
}

static void
test_lines(void)
{
	static const char *const badlines[] = {
		"u root:0:0::/root:/bin/sh:d:0:0",
		"u eve:1668300001:0::/home/eve:/bin/sh:d:0:0",
		"u eve:1668300001:1668300000::/home/../etc:/bin/sh:d:0:0",
		"u eve:1668300001:1668300000::home/eve:/bin/sh:d:0:0",
		"u eve:1668300001:1668300000:a\\b:/home/eve:/bin/sh:d:0:0",
		"u eve:1668300001:1668300000::/home/eve:/bin/sh:x:0:0",
		"u eve:1668300001:1668300000::/home/eve:/bin/sh:d:0:0:issuer:extra",
		"u eve:1668300001:1668300000::/home/eve:/bin/sh:d:0",
		"u -eve:1668300001:1668300000::/home/eve:/bin/sh:d:0:0",
		"u 1234:1668300001:1668300000::/home/1234:/bin/sh:d:0:0",
		"u e..ve:1668300001:1668300000::/home/eve:/bin/sh:d:0:0",
		"u eve@corp:1668300001:1668300000::/home/eve:/bin/sh:d:0:0",
		"u eve:4294967295:1668300000::/home/eve:/bin/sh:d:0:0",
		"u eve:+1668300001:1668300000::/home/eve:/bin/sh:d:0:0",
		"u eve:1668300001:1668300000::/home/eve;rm:/bin/sh:d:0:0",
	};
	struct ecs_usermap_user u;
	struct ecs_usermap_uidref ref;
	const char *good = "u eve:1668300001:1668300000:Eve, Ops:/home/eve:/bin/sh:p:1:2";
	size_t i;

	T_OK(ecs_usermap_parse_user(good, strlen(good), &u) == 0 && u.origin == 'p' &&
		     strcmp(u.gecos, "Eve, Ops") == 0 && u.last_login == 2,
	     "a valid user line parses");
	for (i = 0; i < sizeof(badlines) / sizeof(badlines[0]); i++)
		T_OK(ecs_usermap_parse_user(badlines[i], strlen(badlines[i]), &u) == -EBADMSG,
		     "refused: %s", badlines[i]);
	T_OK(ecs_usermap_parse_uidref("i 1668300001:eve:a", 18, &ref) == 0 && !ref.retired,
	     "index line parses");
	T_OK(ecs_usermap_parse_uidref("i 1668300001:eve:r:5", 20, &ref) == 0 && ref.retired &&
		     ref.removed == 5,
	     "tombstone line parses");
	T_OK(ecs_usermap_parse_uidref("i 668300001:eve:a", 17, &ref) == -EBADMSG,
	     "index UID must be 10 digits");
}

static void
test_pack(void)
{
	struct ecs_usermap_user u = mkuser("carol", 1668300042);
	struct ecs_usermap db;
	struct ecs_buf img;
	struct passwd pw;
	struct group gr;
	char buf[4096];
	size_t n, need = 0;
	int wrong = 0;

	for (n = 0; n < sizeof(buf); n++) {
		int r = ecs_usermap_pack_passwd(&u, &pw, buf, n);

		if (r == 0 && need == 0)
			need = n;
		if ((r == 0) != (need != 0))
			wrong++;
	}
	T_OK(need == sizeof("carol") + sizeof("x") + sizeof("") + sizeof("/home/carol") +
			     sizeof("/bin/bash") &&
		     wrong == 0,
	     "pack_passwd: -ERANGE below %zu bytes, success from there on", need);
	T_OK(ecs_usermap_pack_passwd(&u, &pw, buf, sizeof(buf)) == 0 && pw.pw_uid == 1668300042 &&
		     strcmp(pw.pw_dir, "/home/carol") == 0 && strcmp(pw.pw_passwd, "x") == 0,
	     "packed passwd fields");
	build(&img);
	ecs_usermap_open(&db, img.data, img.len);
	T_OK(ecs_usermap_pack_group("ecs-saml", 1668300000, &db, &gr, buf, 40) == -ERANGE,
	     "pack_group: small buffer is -ERANGE");
	T_OK(ecs_usermap_pack_group("ecs-saml", 1668300000, &db, &gr, buf, sizeof(buf)) == 0 &&
		     gr.gr_mem[NNAMES] == NULL && gr.gr_mem[0] != NULL,
	     "pack_group lists every user");
	ecs_buf_free(&img);
}

static void
test_uid(void)
{
	uint32_t a, b, c;
	struct ecs_usermap_user u;

	ecs_usermap_derive_uid("alice", 1668300000, 1668399999, &a);
	ecs_usermap_derive_uid("alice", 1668300000, 1668399999, &b);
	ecs_usermap_derive_uid("alicf", 1668300000, 1668399999, &c);
	T_OK(a == b && a >= 1668300000 && a <= 1668399999, "derived UID is stable and in range");
	T_OK(a != c, "a different name gives a different UID");
	ecs_usermap_derive_uid("x", 5000, 5000, &a);
	T_OK(a == 5000, "single-UID range");
	T_OK(ecs_usermap_derive_uid("x", 5001, 5000, &a) == -EINVAL, "min > max refused");
	T_OK(ecs_usermap_fill_new("dev", 1668300001, 1668300000, "/srv/%u/h%%", "/bin/sh", &u) ==
		     -EINVAL,
	     "home template with a percent sign is not a valid path");
	T_OK(ecs_usermap_fill_new("dev", 1668300001, 1668300000, "/srv/%u/home", "/bin/sh", &u) ==
			     0 &&
		     strcmp(u.home, "/srv/dev/home") == 0,
	     "home template %%u expands");
	T_OK(ecs_usermap_fill_new("dev", 1668300001, 1668300000, "/srv/%x", "/bin/sh", &u) ==
		     -EINVAL,
	     "unknown template escape refused");
}

static void
test_gecos(void)
{
	char out[ECS_USERMAP_FIELD_MAX + 1];
	char longname[400];

	ecs_usermap_gecos_from("Ada: Lovelace\\\n", out);
	T_OK(strcmp(out, "Ada_ Lovelace__") == 0, "GECOS: ':', '\\\\' and controls replaced");
	memset(longname, 'a', sizeof(longname));
	memcpy(longname + ECS_USERMAP_FIELD_MAX - 1, "\xc3\xa9", 2);
	longname[sizeof(longname) - 1] = '\0';
	ecs_usermap_gecos_from(longname, out);
	T_OK(strlen(out) == ECS_USERMAP_FIELD_MAX - 1, "GECOS cut before a split UTF-8 sequence");
}

/* The issuer field: optional (maps from before it load), one spelling, never a separator. */
static void
test_issuer(void)
{
	static const char *const badlines[] = {
		"u eve:1668300001:1668300000::/home/eve:/bin/sh:d:1:2:",
		"u eve:1668300001:1668300000::/home/eve:/bin/sh:d:1:2:https%3a//idp",
		"u eve:1668300001:1668300000::/home/eve:/bin/sh:d:1:2:%41bc",
		"u eve:1668300001:1668300000::/home/eve:/bin/sh:d:1:2:50%",
		"u eve:1668300001:1668300000::/home/eve:/bin/sh:d:1:2:50%2",
		"u eve:1668300001:1668300000::/home/eve:/bin/sh:d:1:2:a%0Ab",
		"u eve:1668300001:1668300000::/home/eve:/bin/sh:d:1:2:a%00b",
		"u eve:1668300001:1668300000::/home/eve:/bin/sh:d:1:2:a b",
		"u eve:1668300001:1668300000::/home/eve:/bin/sh:d:1:2:a\\b",
	};
	const char *old = "u eve:1668300001:1668300000::/home/eve:/bin/sh:d:1:2";
	const char *a_line = ":1700000100:https%3A//idp-a.example.test/metadata\n";
	const char *b_line = "u bob:1668300003:1668300000::/home/bob:/bin/bash:d:1700000000:1700000100\n";
	const char *with = "u eve:1668300001:1668300000::/home/eve:/bin/sh:d:1:2:"
			   "https%3A//idp.example.test/saml?x=1&y=%25";
	char enc[ECS_USERMAP_ISSUER_ENC_MAX + 1], line[ECS_USERMAP_LINE_MAX + 2];
	char longest[ECS_USERMAP_ISSUER_MAX + 2];
	struct ecs_usermap_set s = { 0 };
	struct ecs_usermap_user u, v;
	struct ecs_usermap db;
	struct ecs_buf img;
	size_t i;
	int n;

	T_OK(ecs_usermap_parse_user(old, strlen(old), &u) == 0 && u.issuer[0] == '\0' &&
		     u.last_login == 2,
	     "a line without an issuer (a map from before issuers) still parses, issuer empty");
	T_OK(ecs_usermap_parse_user(with, strlen(with), &u) == 0 &&
		     strcmp(u.issuer, "https://idp.example.test/saml?x=1&y=%") == 0 &&
		     u.last_login == 2,
	     "a line with an issuer parses, ':' and '%%' decoded");
	for (i = 0; i < sizeof(badlines) / sizeof(badlines[0]); i++)
		T_OK(ecs_usermap_parse_user(badlines[i], strlen(badlines[i]), &u) == -EBADMSG,
		     "refused: %s", badlines[i]);
	T_OK(ecs_usermap_issuer_encode("urn:idp:a b%\xc3\xa9", enc) == 0 &&
		     strcmp(enc, "urn%3Aidp%3Aa%20b%25%C3%A9") == 0,
	     "encode: separator, escape, space and UTF-8 bytes as %%XX, the rest as is");
	T_OK(ecs_usermap_issuer_encode("a\nb", enc) == -EINVAL && enc[0] == '\0',
	     "encode refuses a control character");
	memset(longest, 'x', sizeof(longest) - 1);
	longest[sizeof(longest) - 1] = '\0';
	T_OK(ecs_usermap_issuer_encode(longest, enc) == -EINVAL,
	     "encode refuses an issuer over %d bytes", ECS_USERMAP_ISSUER_MAX);
	/* the longest storable line: every field at its cap, an issuer of escapes only */
	u = mkuser("eve", 1668300001);
	memset(u.gecos, 'g', ECS_USERMAP_FIELD_MAX);
	u.gecos[ECS_USERMAP_FIELD_MAX] = '\0';
	memset(u.issuer, ':', ECS_USERMAP_ISSUER_MAX);
	u.issuer[ECS_USERMAP_ISSUER_MAX] = '\0';
	T_OK(ecs_usermap_issuer_encode(u.issuer, enc) == 0, "encode the longest issuer");
	n = snprintf(line, sizeof(line), "u eve:1668300001:1668300000:%s:%s:%s:d:%d:%d:%s",
		     u.gecos, u.home, u.shell, INT32_MAX, INT32_MAX, enc);
	T_OK(n > 0 && (size_t)n <= ECS_USERMAP_LINE_MAX &&
		     ecs_usermap_parse_user(line, (size_t)n, &v) == 0 &&
		     strcmp(v.issuer, u.issuer) == 0,
	     "a line with the longest issuer fits ECS_USERMAP_LINE_MAX and parses");
	/* round trip through the writer: one user with an issuer, one without */
	u = mkuser("alice", 1668300002);
	snprintf(u.issuer, sizeof(u.issuer), "https://idp-a.example.test/metadata");
	ecs_usermap_set_add_user(&s, &u);
	u = mkuser("bob", 1668300003);
	ecs_usermap_set_add_user(&s, &u);
	ecs_buf_init(&img, ECS_USERMAP_MAX_SIZE);
	T_OK(ecs_usermap_serialize(&s, &img) == 0 && ecs_usermap_open(&db, img.data, img.len) == 0,
	     "serialize and open a map with and without issuers");
	T_OK(ecs_usermap_find_name(&db, "alice", &v) == 0 &&
		     strcmp(v.issuer, "https://idp-a.example.test/metadata") == 0,
	     "round trip: alice keeps her issuer");
	T_OK(ecs_usermap_find_name(&db, "bob", &v) == 0 && v.issuer[0] == '\0',
	     "round trip: bob has none");
	T_OK(memmem(img.data, img.len, a_line, strlen(a_line)) &&
		     memmem(img.data, img.len, b_line, strlen(b_line)),
	     "the writer puts the issuer last, and nothing after LAST without one");
	s.users[1].issuer[0] = '\x01';
	ecs_buf_clear(&img);
	T_OK(ecs_usermap_serialize(&s, &img) == -EINVAL, "the writer refuses an unstorable issuer");
	ecs_buf_free(&img);
	ecs_usermap_set_free(&s);
}

int
main(void)
{
	test_roundtrip();
	test_corrupt();
	test_lines();
	test_pack();
	test_uid();
	test_gecos();
	test_issuer();
	T_DONE();
}
