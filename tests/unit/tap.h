/* tests/unit/tap.h — result lines for C unit tests, counted by tests/run. */
#ifndef ECS_TEST_TAP_H
#define ECS_TEST_TAP_H

#include <stdio.h>

static int tap_failed;

#define T_OK(cond, ...)                                                   \
	do {                                                              \
		if (cond) {                                               \
			printf("ok - ");                                  \
		} else {                                                  \
			printf("not ok - ");                              \
			tap_failed++;                                     \
		}                                                         \
		printf(__VA_ARGS__);                                      \
		if (!(cond))                                              \
			printf(": %s (%s:%d)", #cond, __FILE__, __LINE__); \
		printf("\n");                                             \
	} while (0)

#define T_DONE() return tap_failed ? 1 : 0

#endif
