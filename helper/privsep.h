/* privsep.h — validating a Response without root: privilege separation as OpenSSH does it.
 *
 * The Response comes from whoever reached sshd, before any authentication, and parsing it
 * means libxml2, xmlsec's canonicalisation and OpenSSL run over attacker bytes. So the root
 * helper forks a child that becomes the unprivileged account privsep_user (default
 * _ecs-saml, created by make install), gives up every capability, sets no_new_privs,
 * installs a seccomp filter, takes CPU and address-space rlimits (privsep_sandbox.h), and
 * only then validates, with the IdP keys the parent loaded before the fork, and libxml2 and
 * xmlsec, which building those keys loaded (xml_lib.h): it can open and map no file, and
 * needs no system call to load a library. The child's only way out is one message on a pipe (privsep_wire.h), which the parent
 * treats as untrusted; the parent keeps everything that needs root (the replay cache, the
 * user map, the ticket).
 *
 * When the helper does not run as root (an administrator's `verify`), the child keeps the
 * caller's ids, which hold no privilege, and is sandboxed all the same.
 */
#ifndef ECS_PRIVSEP_H
#define ECS_PRIVSEP_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "ecs_conf.h"
#include "saml_reject.h"
#include "saml_result.h"
#include "saml_verify.h"

/* Seconds of wall clock the parent waits for the child's answer before it kills it (the
 * CPU rlimit catches a busy loop sooner; this catches a child that blocks). */
#define ECS_PRIVSEP_WALL_SECONDS 15

/* ecs_saml_verify(v, in, len, enc, now, out, rej), run in the sandboxed child (so an
 * encoded Response is inflated there too, never as root). Returns as
 * ecs_saml_verify does — 0 with *out filled (caller frees with ecs_saml_result_free),
 * -ECS_EREJECT with rej filled, -ENOMEM or -EIO — and also:
 *   -ECS_EREJECT with a privsep-* code: the child crashed, ran out of CPU or memory, made a
 *                forbidden system call or sent a malformed answer (rej->msg says which);
 *   -ECS_ECONFIG with code privsep-account or privsep-setup: running as root, the account
 *                is missing (or is root), or a sandbox step failed; rej->msg tells the
 *                administrator what to do. Nothing was validated: fail closed. */
int ecs_privsep_validate(const struct ecs_conf *conf, const struct ecs_verifier *v,
			 const char *in, size_t len, enum ecs_kbd_encoding enc, time_t now,
			 struct ecs_saml_result *out, struct ecs_reject *rej);

#endif
