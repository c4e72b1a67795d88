/* tests/unit/tap.h — result lines for C unit tests, counted by tests/run. */
#ifndef ECS_TEST_TAP_H
#define ECS_TEST_TAP_H

#include <stdio.h>

static int tap_failed;

/* cond is evaluated exactly once: tests call the function under test inside it. */
#define T_OK(cond, ...)                                                   \
	do {                                                              \
		int t_ok_ = !!(cond);                                     \
		printf(t_ok_ ? "ok - " : "not ok - ");                    \
		if (!t_ok_)                                               \
			tap_failed++;                                     \
		printf(__VA_ARGS__);                                      \
		if (!t_ok_)                                               \
			printf(": %s (%s:%d)", #cond, __FILE__, __LINE__); \
		printf("\n");                                             \
	} while (0)

#define T_DONE() return tap_failed ? 1 : 0

#endif
