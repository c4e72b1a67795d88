/* audit_json.c — JSON string escaping (audit_json.h). */
#include <stdio.h>

#include "audit_json.h"

size_t
ecs_utf8_seq_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len, i;
	unsigned long cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;	/* a continuation byte, 0xc0/0xc1 (always overlong), 0xf5.. */
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;	/* overlong, past Unicode, or a surrogate */
	return len;
}

int
ecs_json_put_str(struct ecs_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	char esc[8];
	size_t i = 0, run, len;
	int r;

	r = ecs_buf_append(b, "\"", 1);
	while (r == 0 && i < n) {
		/* the longest run that goes out as it is */
		run = i;
		while (run < n) {
			if (p[run] < 0x80) {
				if (p[run] < 0x20 || p[run] == 0x7f || p[run] == '"' ||
				    p[run] == '\\')
					break;
				run++;
				continue;
			}
			len = ecs_utf8_seq_len(p + run, n - run);
			/* U+2028, U+2029: JSON allows them raw, JavaScript source does not */
			if (len == 0 || (len == 3 && p[run] == 0xe2 && p[run + 1] == 0x80 &&
					 (p[run + 2] == 0xa8 || p[run + 2] == 0xa9)))
				break;
			run += len;
		}
		if (run > i)
			r = ecs_buf_append(b, p + i, run - i);
		i = run;
		if (r < 0 || i >= n)
			break;
		if (p[i] == '"' || p[i] == '\\') {
			esc[0] = '\\';
			esc[1] = (char)p[i];
			r = ecs_buf_append(b, esc, 2);
			i++;
		} else if (p[i] < 0x80) {
			snprintf(esc, sizeof(esc), "\\u%04x", p[i]);
			r = ecs_buf_append(b, esc, 6);
			i++;
		} else if (ecs_utf8_seq_len(p + i, n - i) == 3) {	/* U+2028 / U+2029 */
			snprintf(esc, sizeof(esc), "\\u%04x", p[i + 2] == 0xa8 ? 0x2028 : 0x2029);
			r = ecs_buf_append(b, esc, 6);
			i += 3;
		} else {
			r = ecs_buf_append(b, "\\ufffd", 6);
			i++;
		}
	}
	if (r == 0)
		r = ecs_buf_append(b, "\"", 1);
	return r;
}
