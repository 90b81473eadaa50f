#ifndef CONTINUITY_CSYSTEM_H
#define CONTINUITY_CSYSTEM_H

/// Atomically exchanges two paths (Linux renameat2 with RENAME_EXCHANGE). Returns 0 on success, -1 with
/// errno set otherwise (ENOSYS or EINVAL where the kernel or file system does not support it).
int continuity_exchange_paths(const char *a, const char *b);

#endif
