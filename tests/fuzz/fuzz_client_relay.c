/* fuzz_client_relay.c — libFuzzer target for ecs-saml-ssh's scan of ssh's standard error
 * (client_relay.c), which carries text the server chose (banners, instructions).
 *
 * Properties checked beyond "no crash": fed in any split, the scan reaches the same verdict
 * as fed whole; the method list it keeps is a NUL-terminated string within its array. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "client_relay.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ecs_client_relay whole, parts;
	size_t cut = size ? data[0] % (size + 1) : 0;

	ecs_client_relay_init(&whole);
	ecs_client_relay_feed(&whole, (const char *)data, size);
	ecs_client_relay_init(&parts);
	ecs_client_relay_feed(&parts, (const char *)data, cut);
	ecs_client_relay_feed(&parts, (const char *)data + cut, size - cut);
	if (whole.denied != parts.denied || strcmp(whole.methods, parts.methods) != 0)
		abort();
	if (memchr(whole.methods, '\0', sizeof(whole.methods)) == NULL)
		abort();
	ecs_client_relay_offered(&whole, "keyboard-interactive");
	return 0;
}
