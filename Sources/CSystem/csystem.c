#define _GNU_SOURCE
#include "csystem.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/syscall.h>
#include <linux/fs.h>
#endif

int continuity_exchange_paths(const char *a, const char *b) {
#if defined(__linux__) && defined(SYS_renameat2)
    return (int)syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
#else
    errno = ENOSYS;
    return -1;
#endif
}

int continuity_write_new_file(const char *path, const void *bytes, size_t count) {
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0) return -1;
    const char *next = bytes;
    size_t left = count;
    while (left > 0) {
        ssize_t written = write(fd, next, left);
        if (written < 0) {
            if (errno == EINTR) continue;
            int saved = errno;
            close(fd);
            unlink(path);
            errno = saved;
            return -1;
        }
        next += written;
        left -= (size_t)written;
    }
    if (close(fd) != 0) {
        int saved = errno;
        unlink(path);
        errno = saved;
        return -1;
    }
    return 0;
}

int continuity_file_has_bytes(const char *path, const void *bytes, size_t count) {
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return 0;
    struct stat info;
    int same = fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && (size_t)info.st_size == count;
    char buffer[65536];
    const char *expected = bytes;
    size_t offset = 0;
    while (same && offset < count) {
        size_t want = count - offset < sizeof buffer ? count - offset : sizeof buffer;
        ssize_t got = read(fd, buffer, want);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0 || memcmp(buffer, expected + offset, (size_t)got) != 0) {
            same = 0;
            break;
        }
        offset += (size_t)got;
    }
    // The file must end where the bytes do: it may have grown since fstat.
    if (same && read(fd, buffer, 1) != 0) same = 0;
    close(fd);
    return same;
}

int continuity_copy_file_times(const char *from, const char *to) {
    struct stat info;
    if (lstat(from, &info) != 0) return -1;
#ifdef __APPLE__
    struct timespec times[2] = {info.st_atimespec, info.st_mtimespec};
#else
    struct timespec times[2] = {info.st_atim, info.st_mtim};
#endif
    return utimensat(AT_FDCWD, to, times, AT_SYMLINK_NOFOLLOW);
}

int continuity_sync_file_system(const char *path) {
#ifdef __linux__
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return -1;
    int status = syncfs(fd);
    int saved = errno;
    close(fd);
    errno = saved;
    return status;
#else
    (void)path;
    sync();
    return 0;
#endif
}
