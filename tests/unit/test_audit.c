/* test_audit.c — the audit records' JSON (helper/audit): the string escaping is correct for
 * any bytes (fixed cases and a property test over random inputs), records keep their schema's
 * fields in order with null for the unknown, and the file sink refuses a symlink and a file
 * that is not root's 0600. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit.h"
#include "audit_json.h"
#include "audit_sink.h"
#include "ecs_buf.h"
#include "tap.h"

static const char *
esc(const char *s, size_t n)
{
	static struct ecs_buf b;

	ecs_buf_free(&b);
	ecs_buf_init(&b, 1 << 20);
	if (ecs_json_put_str(&b, s, n) < 0)
		return "(error)";
	return (const char *)b.data;
}

/* An independent strict reader of one JSON string: returns the decoded bytes' length into
 * out, or -1 if text is not exactly one valid string (RFC 8259) of valid UTF-8. */
static long
decode(const char *text, unsigned char *out)
{
	const unsigned char *p = (const unsigned char *)text;
	long n = 0;

	if (*p++ != '"')
		return -1;
	while (*p != '"') {
		if (*p == '\0' || *p < 0x20)
			return -1;
		if (*p == '\\') {
			unsigned cp = 0;

			p++;
			switch (*p) {
			case '"': case '\\': case '/':
				out[n++] = *p++;
				continue;
			case 'b': case 'f': case 'n': case 'r': case 't':
				out[n++] = '?';
				p++;
				continue;
			case 'u':
				for (int i = 1; i <= 4; i++) {
					char c = (char)p[i];

					if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
						return -1;
					cp = cp * 16 + (unsigned)(c <= '9' ? c - '0' : c - 'a' + 10);
				}
				p += 5;
				if (cp >= 0xd800 && cp <= 0xdfff)
					return -1;	/* we never write surrogates */
				if (cp < 0x80) {
					out[n++] = (unsigned char)cp;
				} else if (cp < 0x800) {
					out[n++] = (unsigned char)(0xc0 | (cp >> 6));
					out[n++] = (unsigned char)(0x80 | (cp & 0x3f));
				} else {
					out[n++] = (unsigned char)(0xe0 | (cp >> 12));
					out[n++] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
					out[n++] = (unsigned char)(0x80 | (cp & 0x3f));
				}
				continue;
			default:
				return -1;
			}
		}
		size_t len = ecs_utf8_seq_len(p, strlen((const char *)p));

		if (len == 0)
			return -1;
		memcpy(out + n, p, len);
		n += (long)len;
		p += len;
	}
	return p[1] == '\0' ? n : -1;
}

static void
test_escape_cases(void)
{
	T_OK(strcmp(esc("alice", 5), "\"alice\"") == 0, "plain ASCII as it is");
	T_OK(strcmp(esc("a\"b\\c", 5), "\"a\\\"b\\\\c\"") == 0, "quote and backslash escaped");
	T_OK(strcmp(esc("a\nb\x01\x7f", 5), "\"a\\u000ab\\u0001\\u007f\"") == 0,
	     "newline, control characters and DEL as \\u00XX");
	T_OK(strcmp(esc("a\0b", 3), "\"a\\u0000b\"") == 0, "a NUL inside a value is kept, escaped");
	T_OK(strcmp(esc("J\xc3\xa9r\xc3\xb4me \xe2\x82\xac \xf0\x9f\x94\x91", 17),
		    "\"J\xc3\xa9r\xc3\xb4me \xe2\x82\xac \xf0\x9f\x94\x91\"") == 0,
	     "valid UTF-8 passes as it is (2, 3 and 4 bytes)");
	T_OK(strcmp(esc("\xe2\x80\xa8x\xe2\x80\xa9", 7), "\"\\u2028x\\u2029\"") == 0,
	     "U+2028 and U+2029 escaped");
	T_OK(strcmp(esc("a\xff" "b", 3), "\"a\\ufffdb\"") == 0, "an invalid byte becomes U+FFFD");
	T_OK(strcmp(esc("\xc0\xaf", 2), "\"\\ufffd\\ufffd\"") == 0, "an overlong '/' is refused");
	T_OK(strcmp(esc("\xed\xa0\x80", 3), "\"\\ufffd\\ufffd\\ufffd\"") == 0,
	     "an encoded surrogate is refused");
	T_OK(strcmp(esc("\xf4\x90\x80\x80", 4), "\"\\ufffd\\ufffd\\ufffd\\ufffd\"") == 0,
	     "a code point past U+10FFFF is refused");
	T_OK(strcmp(esc("x\xe2\x82", 3), "\"x\\ufffd\\ufffd\"") == 0,
	     "a truncated sequence at the end is refused");
	T_OK(strcmp(esc("", 0), "\"\"") == 0, "the empty string");
}

/* xorshift: the same inputs on every run, so a failure reproduces */
static uint64_t seed = 0x9e3779b97f4a7c15ull;

static uint32_t
rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (uint32_t)seed;
}

static size_t
put_cp(unsigned char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xc0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xe0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (unsigned char)(0xf0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

static void
test_escape_property(void)
{
	unsigned char in[512], out[4096];
	unsigned bad_valid = 0, bad_random = 0, grew = 0;

	/* random bytes: always exactly one valid JSON string of valid UTF-8, one line */
	for (int i = 0; i < 20000; i++) {
		size_t n = rnd() % 64;
		const char *e;

		/* one byte in eight from the troublemakers, the rest anything */
		for (size_t j = 0; j < n; j++)
			in[j] = rnd() % 8 == 0 ? (unsigned char)"\"\\\n\0\x7f\xe2\xc3\xff"[rnd() % 8]
					       : (unsigned char)rnd();
		e = esc((const char *)in, n);
		if (decode(e, out) < 0 || strchr(e, '\n') != NULL)
			bad_random++;
		if (strlen(e) > 2 + n * 6)
			grew++;
	}
	T_OK(bad_random == 0, "20000 random byte strings: each escapes to one valid JSON string "
			      "on one line");
	T_OK(grew == 0, "the escaped form is at most six bytes per input byte");
	/* valid UTF-8 (any scalar value): decodes back to exactly the input */
	for (int i = 0; i < 20000; i++) {
		size_t n = 0, cps = rnd() % 24;
		long got;

		for (size_t j = 0; j < cps; j++) {
			uint32_t cp;

			do
				cp = rnd() % 4 == 0 ? rnd() % 0x80 : rnd() % 0x110000;
			while (cp >= 0xd800 && cp <= 0xdfff);
			n += put_cp(in + n, cp);
		}
		got = decode(esc((const char *)in, n), out);
		if (got != (long)n || memcmp(in, out, n) != 0)
			bad_valid++;
	}
	T_OK(bad_valid == 0, "20000 random valid UTF-8 strings decode back to themselves");
}

static void
test_render(void)
{
	struct ecs_audit_rec a;
	struct ecs_buf b;
	const struct ecs_audit_schema *s = ecs_audit_schema(ECS_AUDIT_SESSION_OPEN);
	const char *t;
	int r;

	ecs_buf_init(&b, ECS_AUDIT_RECORD_MAX);
	ecs_audit_init(&a, ECS_AUDIT_SESSION_OPEN);
	ecs_audit_set(&a, "user", "alice");
	ecs_audit_set(&a, "nameid", "al\"ice\n");
	ecs_audit_setf(&a, "pid", "%d", 42);
	r = ecs_audit_render_json(&a, 0, "bastion-1", &b);
	t = (const char *)b.data;
	T_OK(r == 0 && strncmp(t, "{\"time\":\"1970-01-01T00:00:00Z\",\"host\":\"bastion-1\","
				  "\"event\":\"session_open\",\"message_id\":\"", 85) == 0,
	     "a record starts with time, host, event and message_id");
	T_OK(r == 0 && strstr(t, ",\"user\":\"alice\",\"service\":null,\"rhost\":null,"
				 "\"session\":null,") != NULL &&
		     strstr(t, ",\"expiration\":null,\"pid\":\"42\"}\n") != NULL,
	     "fields in schema order, the unknown ones null");
	T_OK(r == 0 && strstr(t, "\"nameid\":\"al\\\"ice\\u000a\"") != NULL,
	     "a value is escaped");
	T_OK(r == 0 && t[b.len - 1] == '\n' && memchr(t, '\n', b.len - 1) == NULL,
	     "one line, ending in a newline");
	T_OK(s != NULL && strlen(s->message_id) == 32 &&
		     strspn(s->message_id, "0123456789abcdef") == 32,
	     "a MESSAGE_ID is 128 bits in hex");
	for (int e = 0; e < ECS_AUDIT_NEVENTS; e++)
		for (int f = e + 1; f < ECS_AUDIT_NEVENTS; f++)
			if (strcmp(ecs_audit_schema(e)->message_id,
				   ecs_audit_schema(f)->message_id) == 0)
				T_OK(0, "MESSAGE_IDs differ between record types");
	ecs_buf_free(&b);

	{	/* a huge value is cut, and the record says so */
		static char big[ECS_AUDIT_VALUE_MAX * 2];

		memset(big, 'x', sizeof(big) - 1);
		ecs_audit_init(&a, ECS_AUDIT_AUTH_REFUSED);
		ecs_audit_set(&a, "reason", big);
		ecs_buf_init(&b, ECS_AUDIT_RECORD_MAX);
		r = ecs_audit_render_json(&a, 0, "h", &b);
		T_OK(r == 0 && strstr((const char *)b.data, ",\"cut\":true}\n") != NULL,
		     "a value past ECS_AUDIT_VALUE_MAX is cut and the record says cut");
		ecs_buf_free(&b);
	}
}

static void
test_file_sink(void)
{
	char dir[] = "/tmp/ecs-audit-test-XXXXXX", path[128], link[128];
	const char *why = "";
	struct stat st;
	int r, fd;

	if (geteuid() != 0) {
		T_OK(0, "the file sink's tests run as root (the helper's sink is root's)");
		return;
	}
	T_OK(mkdtemp(dir) != NULL && chmod(dir, 0755) == 0, "a root-owned directory");
	snprintf(path, sizeof(path), "%s/audit.jsonl", dir);
	snprintf(link, sizeof(link), "%s/link.jsonl", dir);
	r = ecs_audit_file_append(path, "{}\n", 3, &why);
	T_OK(r == 0 && stat(path, &st) == 0 && (st.st_mode & 07777) == 0600 && st.st_uid == 0,
	     "a missing file is created root 0600");
	T_OK(symlink(path, link) == 0, "plant a symlink to it");
	r = ecs_audit_file_append(link, "{}\n", 3, &why);
	T_OK(r == -ELOOP, "a symlink is refused (%s)", why);
	T_OK(chmod(path, 0644) == 0, "make the file 0644");
	r = ecs_audit_file_append(path, "{}\n", 3, &why);
	T_OK(r == -EPERM, "a file readable by others is refused (%s)", why);
	T_OK(chmod(path, 0600) == 0 && chown(path, 1, 1) == 0, "give the file to uid 1");
	r = ecs_audit_file_append(path, "{}\n", 3, &why);
	T_OK(r == -EPERM, "a file not owned by root is refused (%s)", why);
	fd = open(path, O_RDONLY);
	T_OK(fd >= 0 && fstat(fd, &st) == 0 && st.st_size == 3, "only the accepted record landed");
	if (fd >= 0)
		close(fd);
	unlink(link);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	test_escape_cases();
	test_escape_property();
	test_render();
	test_file_sink();
	T_DONE();
}
