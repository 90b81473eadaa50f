#ifndef CONTINUITY_CSYSTEM_H
#define CONTINUITY_CSYSTEM_H

#include <stddef.h>

/// Atomically exchanges two paths (Linux renameat2 with RENAME_EXCHANGE). Returns 0 on success, -1 with
/// errno set otherwise (ENOSYS or EINVAL where the kernel or file system does not support it).
int continuity_exchange_paths(const char *a, const char *b);

/// Creates the file `path`, which must not exist yet, holding `count` bytes; its mode is 0666 less the
/// umask. Returns 0 on success, -1 with errno set otherwise (a partly written file is removed).
int continuity_write_new_file(const char *path, const void *bytes, size_t count);

/// Returns 1 when `path` is a regular file (a symbolic link is not followed) holding exactly `count`
/// bytes equal to `bytes`, and 0 when it is not, does not exist or cannot be read.
int continuity_file_has_bytes(const char *path, const void *bytes, size_t count);

/// Gives `to` the access and modification times of `from`. Returns 0, or -1 with errno set.
int continuity_copy_file_times(const char *from, const char *to);

/// Writes to disk the data of the file system that holds `path` (Linux syncfs; elsewhere sync), so that
/// files written so far survive a power loss. Returns 0, or -1 with errno set.
int continuity_sync_file_system(const char *path);

#endif
