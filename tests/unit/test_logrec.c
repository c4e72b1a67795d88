/* test_logrec.c — the syslog record format: every value quoted and escaped, so that no text
 * from outside can end its field or forge another; values and records are capped. */
#include <stdarg.h>
#include <string.h>

#include "ecs_logrec.h"
#include "tap.h"

static const char *
rec1(const char *event, ...)
{
	static struct ecs_logrec rec;
	va_list ap;

	ecs_logrec_init(&rec, event);
	va_start(ap, event);
	ecs_logrec_addv(&rec, ap);
	va_end(ap);
	return ecs_logrec_text(&rec);
}

static void
test_format(void)
{
	T_OK(strcmp(rec1("auth ok", (char *)NULL), "auth ok") == 0, "an event alone");
	T_OK(strcmp(rec1("auth ok", "user", "alice", "service", "sshd", (char *)NULL),
		    "auth ok: user=\"alice\" service=\"sshd\"") == 0,
	     "EVENT: key=\"value\" key=\"value\"");
	T_OK(strcmp(rec1("e", "rhost", (char *)NULL, "code", "x", (char *)NULL),
		    "e: rhost=\"\" code=\"x\"") == 0,
	     "a NULL value is empty");
	T_OK(strcmp(rec1("e", "Us er=", "v", (char *)NULL), "e: _s_er_=\"v\"") == 0,
	     "a key keeps only [a-z0-9_]");
	T_OK(strcmp(rec1("e", "", "v", (char *)NULL), "e: _=\"v\"") == 0, "an empty key is _");
}

static void
test_escape(void)
{
	T_OK(strcmp(rec1("auth refused", "user", "x", "reason",
			 "alg \" user=root code=ok\nauth ok: user=\"root\"", "code", "algorithm",
			 (char *)NULL),
		    "auth refused: user=\"x\" reason=\"alg \\\" user=root code=ok\\x0aauth ok: "
		    "user=\\\"root\\\"\" code=\"algorithm\"") == 0,
	     "a quote and a newline in a value are escaped: no field can be forged");
	T_OK(strcmp(rec1("e", "v", "a\\\"b", (char *)NULL), "e: v=\"a\\\\\\\"b\"") == 0,
	     "a backslash is doubled, so an escaped quote cannot be unescaped");
	T_OK(strcmp(rec1("e", "v", "\t\r\x1b\x7f", (char *)NULL),
		    "e: v=\"\\x09\\x0d\\x1b\\x7f\"") == 0,
	     "control characters and DEL as \\xNN");
	T_OK(strcmp(rec1("e", "v", "caf\xc3\xa9", (char *)NULL), "e: v=\"caf\\xc3\\xa9\"") == 0,
	     "non-ASCII bytes as \\xNN");
	T_OK(strcmp(rec1("a\"b\nc", (char *)NULL), "a\\\"b\\x0ac") == 0,
	     "even the event is escaped");
}

static void
test_caps(void)
{
	static char big[3000];
	struct ecs_logrec rec;
	const char *t;
	char out[16];
	size_t n;

	memset(big, 'a', sizeof(big) - 1);
	t = rec1("e", "v", big, (char *)NULL);
	n = strlen(t);
	T_OK(n == strlen("e: v=\"\"") + ECS_LOGREC_VALUE_MAX - 1, "a long value is cut at the cap");
	T_OK(strcmp(t + n - 4, "...\"") == 0, "... and says so");

	memset(big, '\x01', sizeof(big) - 1);
	t = rec1("e", "v", big, (char *)NULL);
	n = strlen(t);
	T_OK(n <= strlen("e: v=\"\"") + ECS_LOGREC_VALUE_MAX - 1 &&
		     strcmp(t + n - 8, "\\x01...\"") == 0,
	     "a cut never splits an escape");

	memset(big, 'a', sizeof(big) - 1);
	ecs_logrec_init(&rec, "e");
	for (int i = 0; i < 20; i++)
		ecs_logrec_add(&rec, "v", big);
	t = ecs_logrec_text(&rec);
	n = strlen(t);
	T_OK(n < ECS_LOGREC_MAX && strcmp(t + n - 10, " cut=\"yes\"") == 0,
	     "a record that would outgrow its cap ends with cut=\"yes\" (%zu bytes)", n);
	T_OK(rec.cut, "... and takes no more fields");

	n = ecs_log_escape(out, sizeof(out), "0123456789abcdefgh", 18);
	T_OK(n == 15 && strcmp(out, "0123456789ab...") == 0, "escape into a small buffer");
	n = ecs_log_escape(out, sizeof(out), "0123456789abcde", 15);
	T_OK(n == 15 && strcmp(out, "0123456789abcde") == 0, "an exact fit is not cut");
	n = ecs_log_escape(out, 3, "abc", 3);
	T_OK(n == 0 && out[0] == 0, "no room for the ellipsis: empty");
	ecs_logrec_init(&rec, "e");
	ecs_logrec_addf(&rec, "http", "%d", 503);
	T_OK(strcmp(ecs_logrec_text(&rec), "e: http=\"503\"") == 0, "a formatted value");
}

int
main(void)
{
	test_format();
	test_escape();
	test_caps();
	T_DONE();
}
