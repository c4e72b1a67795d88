/* client_relay.h — ssh's standard error, passed through to ours unchanged, with an eye on
 * one line: "USER@HOST: Permission denied (METHODS)." says which authentication methods
 * the bastion offered. When ssh gave up without pam_ecs_saml ever asking, that list tells
 * a bastion that does not offer keyboard-interactive at all (its sshd configuration) from
 * one that ran it and refused first (its reason is already on the screen).
 *
 * The text is ssh's, but parts of it come from the server (banners, keyboard-interactive
 * instructions): it is only scanned, bounded, and only ever used to choose which advice
 * to print. */
#ifndef ECS_CLIENT_RELAY_H
#define ECS_CLIENT_RELAY_H

#include <stdbool.h>
#include <stddef.h>

#define ECS_RELAY_LINE_MAX 512		/* longer lines are passed through, not scanned */
#define ECS_RELAY_METHODS_MAX 128

struct ecs_client_relay {
	char line[ECS_RELAY_LINE_MAX];
	size_t len;
	bool overlong;			/* the current line outgrew line[] */
	bool denied;			/* a "Permission denied (...)" line was seen */
	char methods[ECS_RELAY_METHODS_MAX];	/* the last such line's method list */
};

void ecs_client_relay_init(struct ecs_client_relay *r);

/* Scan n more bytes of ssh's standard error. */
void ecs_client_relay_feed(struct ecs_client_relay *r, const char *p, size_t n);

/* Copy what the non-blocking fd holds now to out_fd and scan it. 1 at end of file, 0 when
 * nothing more is there for now, or -errno. */
int ecs_client_relay_pump(struct ecs_client_relay *r, int fd, int out_fd);

/* Whether the bastion's method list (from the last "Permission denied") names method. */
bool ecs_client_relay_offered(const struct ecs_client_relay *r, const char *method);

#endif
