/* sts_proxy.h — the credentials of the HTTP proxy STS is reached through (sts_proxy,
 * sts_proxy_auth_file), read by root before the privilege drop.
 *
 * The file is one line USER:PASSWORD (a newline after it is allowed): root's, mode 0600 or
 * 0400, in root-owned directories, no symbolic link on its path (ecs_safefile). The
 * password is a secret: it lives in wiped memory only, goes to libcurl (which sends it to
 * the proxy alone, in Proxy-Authorization), never to argv, the environment or a log. */
#ifndef ECS_STS_PROXY_H
#define ECS_STS_PROXY_H

#include <stddef.h>

#include "ecs_buf.h"

#define ECS_STS_PROXY_AUTH_MAX 1024	/* bytes of sts_proxy_auth_file */

/* Read path into auth (initialised here; "USER\0PASSWORD\0", the user at auth->data, the
 * password after its NUL). 0; -ECS_ECONFIG with why[] saying what is wrong with which file
 * (CODE ECS_MISCONF_STS_PROXY_AUTH); -ENOMEM. auth is wiped and emptied on failure. */
int ecs_sts_proxy_auth_load(const char *path, struct ecs_buf *auth, char *why, size_t whysz);

/* The password of a loaded auth (points into it). */
const char *ecs_sts_proxy_password(const struct ecs_buf *auth);

#endif
