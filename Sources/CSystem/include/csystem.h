#ifndef CONTINUITY_CSYSTEM_H
#define CONTINUITY_CSYSTEM_H

#include <stddef.h>
#include <stdint.h>

/// What a build remembers of one output file to tell, later, whether it is still the file it wrote:
/// like git's index, the inode, the size and the modification time in nanoseconds.
struct continuity_file_info {
    uint64_t inode;
    int64_t size;
    int64_t mtime_ns;
};

/// Atomically exchanges two paths (Linux renameat2 with RENAME_EXCHANGE). Returns 0 on success, -1 with
/// errno set otherwise (ENOSYS or EINVAL where the kernel or file system does not support it).
int continuity_exchange_paths(const char *a, const char *b);

/// Creates the file `path`, which must not exist yet, holding `count` bytes; its mode is 0666 less the
/// umask. Returns 0 on success, -1 with errno set otherwise (a partly written file is removed).
int continuity_write_new_file(const char *path, const void *bytes, size_t count);


/// Gives `to` the access and modification times of `from`. Returns 0, or -1 with errno set.
int continuity_copy_file_times(const char *from, const char *to);

/// Writes to disk the data of the file system that holds `path` (Linux syncfs), so that files written so
/// far survive a power loss. Returns 0, or -1 with errno set. Elsewhere it calls sync(), which may return
/// before the writing ends, and returns 0.
int continuity_sync_file_system(const char *path);

/// As continuity_sync_file_system, for the file system of the folder open as `fd`. On Linux a failure to
/// write back data since `fd` was opened is reported once, by the first call that sees it.
int continuity_sync_file_system_of(int fd);

/// Opens the folder `path` for reading (for continuity_sync_file_system_of). Returns the descriptor, or -1.
int continuity_open_folder(const char *path);

/// Copies into `out` (at most `capacity` bytes) an identifier of the system's current boot, which changes
/// whenever the machine starts again (Linux: /proc/sys/kernel/random/boot_id; Apple systems: the boot
/// session UUID). Returns its length, or 0 when the system does not offer one.
size_t continuity_boot_id(char *out, size_t capacity);

/// As continuity_write_new_file, and on success fills `info` with the new file's identity.
int continuity_write_new_file_info(const char *path, const void *bytes, size_t count, struct continuity_file_info *info);

/// Returns 1 when `path` is a regular file (a symbolic link is not followed) holding exactly `count`
/// bytes equal to `bytes`, and 0 when it is not, does not exist or cannot be read; when it returns 1,
/// fills `info` (when not NULL) with the file's identity as it was read.
int continuity_file_has_bytes_info(const char *path, const void *bytes, size_t count, struct continuity_file_info *info);

/// The identity of `path` (a symbolic link is not followed). Returns 1 when it is a regular file, 0 when
/// it is something else, -1 with errno set when it cannot be examined.
int continuity_file_info(const char *path, struct continuity_file_info *info);

/// Writes all `count` bytes at `bytes` to `fd`, in pieces of at most 1 MB. Returns 0, or -1 with errno set.
int continuity_write_all(int fd, const void *bytes, size_t count);

/// Closes `fd`, a file just created at `path`, first filling `info` (when not NULL) with its identity
/// (inode 0 when unknown). Returns 0, or -1 with errno set and the file removed.
int continuity_close_new_file_info(int fd, const char *path, struct continuity_file_info *info);

/// Opens `path` for reading when it is a regular file (a symbolic link is not followed). Returns the
/// descriptor, or -1.
int continuity_open_regular_file(const char *path);

/// Reads the next `count` bytes of `fd` and returns 1 when there are that many and they equal `bytes`,
/// 0 otherwise (the position is then unspecified).
int continuity_read_equals(int fd, const void *bytes, size_t count);

/// Returns 1 when nothing is left to read from `fd`, filling `info` (when not NULL) with the file's
/// identity; 0 otherwise.
int continuity_read_at_end_info(int fd, struct continuity_file_info *info);

/// Creates the file `path`, which must not exist yet, and writes into it the first `prefix` bytes of the
/// file open as `from`. Returns the new file's descriptor, open for writing at its end, or -1 with errno
/// set (a partly written file is removed).
int continuity_create_with_prefix(const char *path, int from, size_t prefix);

/// Copies into `out` (at most `capacity` bytes) the GNU build ID of the loaded object that holds the
/// code at `address`: a hash of the object's contents that the linker wrote into it. Returns its
/// length, or 0 when the object has none or the system does not offer one.
size_t continuity_build_id(const void *address, unsigned char *out, size_t capacity);

/// Copies into `out` the path of the file of the loaded object that holds `address` (for the main
/// program on Linux, /proc/self/exe). Returns 0, or -1 when it is not known or does not fit.
int continuity_object_path(const void *address, char *out, size_t capacity);

/// As continuity_file_info, for `name` in the folder open as `folder`.
int continuity_file_info_at(int folder, const char *name, struct continuity_file_info *info);

/// The first place where the `count` bytes at `needle` occur in the `length` bytes at `haystack`
/// (the C library's memmem), or NULL when they do not occur.
const void *continuity_find_bytes(const void *haystack, size_t length, const void *needle, size_t count);

/// An address inside the code of this library, to find the object it was linked into.
const void *continuity_code_address(void);

/// A bump allocator for the memory of one parse (libcmark's nodes and buffers), per thread: allocations
/// move a pointer in blocks of 256 KB, `free` does nothing, and `continuity_arena_release` gives back
/// everything allocated on this thread since `continuity_arena_mark_now`. Functions with the signatures
/// of calloc, realloc and free, for an allocator table. Aborts when memory runs out, as libcmark's own
/// allocator does. A thread's blocks are freed when the thread ends.
void *continuity_arena_calloc(size_t count, size_t size);
void *continuity_arena_realloc(void *memory, size_t size);
void continuity_arena_free(void *memory);

/// A point in this thread's arena to return to.
struct continuity_arena_mark {
    void *block;
    size_t used;
};

struct continuity_arena_mark continuity_arena_mark_now(void);

/// Gives back what this thread allocated from the arena since `mark`; one emptied block is kept for the
/// next parse on the thread.
void continuity_arena_release(struct continuity_arena_mark mark);

#endif
