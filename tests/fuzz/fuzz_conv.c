/* fuzz_conv.c — libFuzzer target for the module's side of the conversation (pam_conv.c):
 * the three ways in (whole answer, chunk header + chunks, line by line) and the role
 * choice, with the user's answers taken from the input.
 *
 * The target stands in for libpam: pam_conv.c asks through pam_prompt only, and this file
 * defines it (the fuzz build links no libpam). Input: the first byte picks the call (even:
 * the Response, odd: a role among 2 + byte/2 % 9), the rest is the answers, separated by
 * NUL bytes; past the last answer the "client" is gone (PAM_CONV_ERR).
 *
 * Property checked beyond "no crash": a Response collected is never over the caps, a
 * refusal always says why in words, and a role choice is always one of the numbers. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <security/pam_ext.h>

#include "ecs_err.h"
#include "ecs_kbd_proto.h"
#include "ecs_helper_proto.h"
#include "fuzz.h"
#include "pam_conv.h"

static const uint8_t *in_next, *in_end;
static char fake_handle;	/* never dereferenced: pam_prompt below ignores it */
#define PAMH ((pam_handle_t *)&fake_handle)

int
pam_prompt(pam_handle_t *pamh, int style, char **response, const char *fmt, ...)
{
	const uint8_t *nul;
	size_t n;

	(void)pamh;	/* the prompt's text and kind do not change the answers */
	(void)style;
	(void)fmt;
	if (in_next == NULL || in_next > in_end)
		return PAM_CONV_ERR;
	nul = memchr(in_next, '\0', (size_t)(in_end - in_next));
	n = nul != NULL ? (size_t)(nul - in_next) : (size_t)(in_end - in_next);
	*response = strndup((const char *)in_next, n);
	if (*response == NULL)
		return PAM_BUF_ERR;
	in_next = nul != NULL ? nul + 1 : NULL;
	return PAM_SUCCESS;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const roles[] = {
		"arn:aws:iam::123456789012:role/A", "arn:aws:iam::123456789012:role/B",
		"arn:aws:iam::123456789012:role/C", "arn:aws:iam::123456789012:role/D",
		"arn:aws:iam::123456789012:role/E", "arn:aws:iam::123456789012:role/F",
		"arn:aws:iam::123456789012:role/G", "arn:aws:iam::123456789012:role/H",
		"arn:aws:iam::123456789012:role/I", "arn:aws:iam::123456789012:role/J",
	};
	char msg[ECS_CONV_MSGSZ];
	struct ecs_buf out;
	unsigned choice = 0, n;
	enum ecs_kbd_encoding enc = ECS_KBD_ENC_PACKED1;
	int r;

	if (size == 0)
		return 0;
	in_next = data + 1;
	in_end = data + size;
	if ((data[0] & 1) == 0) {
		r = ecs_conv_get_response(PAMH, 60, &out, &enc, msg);
		if (r != 0 && enc != ECS_KBD_ENC_NONE)
			abort();	/* only a whole conversation says anything */
		if (r == 0) {
			if (out.len == 0 || out.len > ECS_HELPER_PROTO_MAX_FRAME)
				abort();
			ecs_buf_free(&out);
		}
	} else {
		n = 2 + (unsigned)(data[0] >> 1) % 9;
		r = ecs_conv_choose_role(PAMH, 60, roles, n, &choice, msg);
		if (r == 0 && (choice < 1 || choice > n))
			abort();
	}
	if ((r == -ECS_EPROTO || r == -EACCES) && msg[0] == '\0')
		abort();
	if (r != 0 && r != -ECS_EPROTO && r != -EACCES && r != -ECONNABORTED && r != -ENOMEM)
		abort();
	return 0;
}
