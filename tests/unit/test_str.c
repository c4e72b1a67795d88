/* test_str.c — strict decimal and boolean parsing, bounded copies, constant-time compare;
 * and the small pieces next to them: the error texts and exit codes, secure wipe. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ecs_err.h"
#include "ecs_secmem.h"
#include "ecs_str.h"
#include "tap.h"

static void
test_u64(void)
{
	uint64_t v = 7;

	T_OK(ecs_parse_u64("0", 0, 10, &v) == 0 && v == 0, "zero");
	T_OK(ecs_parse_u64("3600", 0, 3600, &v) == 0 && v == 3600, "upper bound inclusive");
	T_OK(ecs_parse_u64("3601", 0, 3600, &v) == -ERANGE && v == 3600, "above max: -ERANGE");
	T_OK(ecs_parse_u64("899", 900, 43200, &v) == -ERANGE, "below min: -ERANGE");
	T_OK(ecs_parse_u64("18446744073709551615", 0, UINT64_MAX, &v) == 0 && v == UINT64_MAX,
	     "UINT64_MAX");
	T_OK(ecs_parse_u64("18446744073709551616", 0, UINT64_MAX, &v) == -ERANGE,
	     "overflow is -ERANGE");
	T_OK(ecs_parse_u64("", 0, 10, &v) == -EINVAL, "empty: -EINVAL");
	T_OK(ecs_parse_u64("-1", 0, 10, &v) == -EINVAL, "sign: -EINVAL");
	T_OK(ecs_parse_u64("+1", 0, 10, &v) == -EINVAL, "plus: -EINVAL");
	T_OK(ecs_parse_u64(" 1", 0, 10, &v) == -EINVAL, "leading space: -EINVAL");
	T_OK(ecs_parse_u64("1 ", 0, 10, &v) == -EINVAL, "trailing space: -EINVAL");
	T_OK(ecs_parse_u64("0x10", 0, 100, &v) == -EINVAL, "hex: -EINVAL");
	T_OK(ecs_parse_u64("1e3", 0, 10000, &v) == -EINVAL, "exponent: -EINVAL");
}

static void
test_bool(void)
{
	bool b = false;

	T_OK(ecs_parse_bool("yes", &b) == 0 && b, "yes");
	T_OK(ecs_parse_bool("true", &b) == 0 && b, "true");
	T_OK(ecs_parse_bool("1", &b) == 0 && b, "1");
	T_OK(ecs_parse_bool("no", &b) == 0 && !b, "no");
	T_OK(ecs_parse_bool("false", &b) == 0 && !b, "false");
	T_OK(ecs_parse_bool("0", &b) == 0 && !b, "0");
	T_OK(ecs_parse_bool("on", &b) == -EINVAL, "on refused");
	T_OK(ecs_parse_bool("", &b) == -EINVAL, "empty refused");
	T_OK(ecs_parse_bool("yes ", &b) == -EINVAL, "trailing space refused");
}

static void
test_copy_compare(void)
{
	char dst[6];

	T_OK(ecs_strlcpy(dst, "hello", sizeof(dst)) == 0 && strcmp(dst, "hello") == 0,
	     "strlcpy exact fit");
	T_OK(ecs_strlcpy(dst, "hello!", sizeof(dst)) == -ENAMETOOLONG && dst[0] == 0,
	     "strlcpy too long leaves an empty string");
	T_OK(ecs_startswith("https://x", "https://"), "startswith");
	T_OK(!ecs_startswith("http://x", "https://"), "startswith mismatch");
	T_OK(!ecs_startswith("htt", "https://"), "startswith shorter string");
	T_OK(ecs_memeq_ct("abcd", "abcd", 4) == 0, "memeq_ct equal");
	T_OK(ecs_memeq_ct("abcd", "abce", 4) != 0, "memeq_ct last byte differs");
	T_OK(ecs_memeq_ct("xbcd", "abcd", 4) != 0, "memeq_ct first byte differs");
	T_OK(ecs_memeq_ct("a", "b", 0) == 0, "memeq_ct of nothing is equal");
}

static void
test_err(void)
{
	T_OK(strcmp(ecs_strerror(-ENOENT), "No such file or directory") == 0, "errno text");
	T_OK(strcmp(ecs_strerror(-ECS_EREPLAY), "assertion already used") == 0, "domain text");
	T_OK(strcmp(ecs_strerror(-ECS_E_MAX), "unknown error") == 0, "past the last value");
	T_OK(strcmp(ecs_strerror(-ECS_E_BASE), "unknown error") == 0, "the base itself");
	T_OK(strcmp(ecs_strerror(0), "success") == 0, "zero");
	T_OK(ecs_err_to_exit(0) == ECS_EXIT_OK, "0 exits 0");
	T_OK(ecs_err_to_exit(-ECS_EREJECT) == ECS_EXIT_REJECT &&
		     ecs_err_to_exit(-ECS_EREPLAY) == ECS_EXIT_REJECT &&
		     ecs_err_to_exit(-ECS_ETICKET) == ECS_EXIT_REJECT &&
		     ecs_err_to_exit(-ECS_ECOLLISION) == ECS_EXIT_REJECT &&
		     ecs_err_to_exit(-ECS_ESTS) == ECS_EXIT_REJECT,
	     "rejections exit 1");
	T_OK(ecs_err_to_exit(-ECS_ECONFIG) == ECS_EXIT_USAGE &&
		     ecs_err_to_exit(-EINVAL) == ECS_EXIT_USAGE,
	     "configuration and usage exit 2");
	T_OK(ecs_err_to_exit(-ENOMEM) == ECS_EXIT_INTERNAL &&
		     ecs_err_to_exit(-ECS_EPROTO) == ECS_EXIT_INTERNAL,
	     "everything else exits 3");
}

static void
test_wipe(void)
{
	char secret[16] = "hunter2hunter2!";
	char *p = secret;
	struct { char k[8]; } obj;
	long n;
	size_t i;
	int zero = 1;

	ECS_WIPE_OBJ(secret);
	for (i = 0; i < sizeof(secret); i++)
		if (secret[i])
			zero = 0;
	T_OK(zero, "ECS_WIPE_OBJ clears the whole array");
	/* what ECS_WIPE_OBJ's compile-time check refuses (p), and what it lets through */
	T_OK(ECS_IS_POINTER(p) && !ECS_IS_POINTER(secret) && !ECS_IS_POINTER(obj) &&
		     !ECS_IS_POINTER(n),
	     "ECS_IS_POINTER: a pointer yes; an array, a struct, a number no");
	/* NULL is documented as fine: these must simply not crash */
	ecs_wipe(NULL, 0);
	ecs_free_secret(NULL, 0);
	ecs_free_secret_str(NULL);
}

int
main(void)
{
	test_u64();
	test_bool();
	test_copy_compare();
	test_err();
	test_wipe();
	T_DONE();
}
