/* ecs_usermap_uid.h — how a federated user's UID is derived from the name.
 *
 * Every bastion must derive the same UID for the same name without talking to the others, so
 * the derivation is pure and versioned: changing it is a new salt, never an edit.
 */
#ifndef ECS_USERMAP_UID_H
#define ECS_USERMAP_UID_H

#include <stdint.h>

/* UID derivation, version 1: the first 8 bytes of SHA-256("ecs-saml-uid-v1\0" || name) as a
 * big-endian integer, modulo (max - min + 1), plus min. Pure: every bastion agrees.
 * 0 or -EINVAL (min > max). */
int ecs_usermap_derive_uid(const char *name, uint32_t min, uint32_t max, uint32_t *out);

#endif
