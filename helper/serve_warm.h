/* serve_warm.h — the helper server's rehearsal before its first request.
 *
 * OpenSSL 3 builds much of itself on first use: the random generators, the table of every
 * algorithm a TLS context or a certificate decoder fetches, the decoders themselves. A child
 * of the server that does this afresh pays for it on every request (about 2 ms each on a
 * 2-core virtual machine, twice per login). So the server does it once, the way the verbs
 * will: it loads the configuration as a request would, builds the SAML verifier from its
 * trust anchors, reads the STS CA bundle into a TLS client context, and draws from every
 * generator. Then it throws all of it away but the library's caches, which each child
 * inherits by fork. Nothing of a request is in it, and each child still reads the
 * configuration and trust afresh (serve.h): a file that changed is read as it is now.
 * OpenSSL's generators reseed in a child (they notice the new process id), so no two
 * children draw the same bytes. A rehearsal that fails is not an error: the verbs meet the
 * same failure with their own codes. */
#ifndef ECS_SERVE_WARM_H
#define ECS_SERVE_WARM_H

void ecs_serve_warm(void);

#endif
