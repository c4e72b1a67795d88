/* tests/fuzz/fuzz.h — the one entry point every fuzz target defines (libFuzzer's name),
 * called by libFuzzer in the clang build and by replay_main.c in the gcc build. */
#ifndef ECS_FUZZ_H
#define ECS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
