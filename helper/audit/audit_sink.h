/* audit_sink.h — the audit record's file and journal sinks (audit.h), each in a file of its
 * own. */
#ifndef ECS_AUDIT_SINK_H
#define ECS_AUDIT_SINK_H

#include <stddef.h>
#include <sys/uio.h>

/* Append line[0..len) to the audit file path with one write(2) on an O_APPEND descriptor.
 * The parent directories are walked without following symlinks and must be root's, the file
 * itself is opened O_NOFOLLOW (created root 0600 when missing) and must be a regular file
 * owned by root without group or other permissions. 0 or -errno (-ELOOP: a symlink; -EPERM:
 * owner or mode; -EIO: a short write), with *why a phrase for the log. */
int ecs_audit_file_append(const char *path, const char *line, size_t len, const char **why);

/* Send one record's fields ("NAME=value" each) to the journal in its native protocol. When
 * journald's socket is absent nothing is sent (0); a journald that does not take the record
 * within a second is given up on (-ETIMEDOUT). 0 or -errno. */
int ecs_audit_journal_send(const struct iovec *iov, int n);

struct ecs_buf;
/* The datagram ecs_audit_journal_send sends: each field framed as the native protocol wants
 * (a value holding a newline in the binary form). 0 or -errno (-EINVAL: a field without a
 * name). */
int ecs_audit_journal_frame(const struct iovec *iov, int n, struct ecs_buf *dg);

#endif
