/* ecs_io.h — whole reads and writes on a descriptor, and closing one.
 *
 * Kept apart from ecs_safefile so the PAM and NSS modules can close and stream through a
 * descriptor without linking the directory-walking code. */
#ifndef ECS_IO_H
#define ECS_IO_H

#include <stddef.h>

#include "ecs_buf.h"

/* Close *fd if >= 0 and set it to -1 (errno preserved). */
void ecs_close(int *fd);

/* Append everything fd yields up to EOF to out, retrying EINTR. out->max is the cap: more
 * bytes than fit is -E2BIG, and out is then left as it was. 0, -E2BIG, -ENOMEM or -errno. */
int ecs_read_all(int fd, struct ecs_buf *out);

/* Write all n bytes at p to fd, retrying EINTR and short writes. A peer that went away is
 * -EPIPE, never a SIGPIPE: sockets are written with MSG_NOSIGNAL, anything else with write()
 * while SIGPIPE is blocked for the calling thread. 0 or -errno. */
int ecs_write_all(int fd, const void *p, size_t n);

#endif
