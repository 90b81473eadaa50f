#define _GNU_SOURCE
#include "csystem.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dlfcn.h>
#ifdef __linux__
#include <link.h>
#include <elf.h>
#endif
#ifdef __APPLE__
#include <sys/sysctl.h>
#endif
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

static void fill_info(const struct stat *s, struct continuity_file_info *info) {
    info->inode = (uint64_t)s->st_ino;
    info->size = (int64_t)s->st_size;
#ifdef __APPLE__
    info->mtime_ns = (int64_t)s->st_mtimespec.tv_sec * 1000000000 + s->st_mtimespec.tv_nsec;
#else
    info->mtime_ns = (int64_t)s->st_mtim.tv_sec * 1000000000 + s->st_mtim.tv_nsec;
#endif
}

int continuity_write_new_file(const char *path, const void *bytes, size_t count) {
    return continuity_write_new_file_info(path, bytes, count, NULL);
}

/* The most one write() call is given. A page of several megabytes (the handbook, the search index) is
   written in pieces: on Linux 6.18's ext4 a single write() of more than 2 MB ran at about 130 MB/s
   against 4.5 GB/s in 1 MB pieces (the page cache then takes 2 MB folios, which were slow to get on
   the machine measured; docs/BENCHMARKS.md, step 52). Pieces cost nothing elsewhere. */
enum { write_piece = 1 << 20 };

int continuity_write_all(int fd, const void *bytes, size_t count) {
    const char *next = bytes;
    size_t left = count;
    while (left > 0) {
        ssize_t written = write(fd, next, left < write_piece ? left : write_piece);
        if (written < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        next += written;
        left -= (size_t)written;
    }
    return 0;
}

int continuity_close_new_file_info(int fd, const char *path, struct continuity_file_info *info) {
    struct stat written_info;
    if (info && fstat(fd, &written_info) == 0) fill_info(&written_info, info);
    else if (info) info->inode = 0;
    if (close(fd) != 0) {
        int saved = errno;
        unlink(path);
        errno = saved;
        return -1;
    }
    return 0;
}

int continuity_write_new_file_info(const char *path, const void *bytes, size_t count, struct continuity_file_info *info) {
    int fd = continuity_create_with_prefix(path, -1, 0);
    if (fd < 0) return -1;
    if (continuity_write_all(fd, bytes, count) != 0) {
        int saved = errno;
        close(fd);
        unlink(path);
        errno = saved;
        return -1;
    }
    return continuity_close_new_file_info(fd, path, info);
}

int continuity_open_regular_file(const char *path) {
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return -1;
    struct stat info;
    if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        close(fd);
        return -1;
    }
    return fd;
}

int continuity_read_equals(int fd, const void *bytes, size_t count) {
    char buffer[65536];
    const char *expected = bytes;
    size_t offset = 0;
    while (offset < count) {
        size_t want = count - offset < sizeof buffer ? count - offset : sizeof buffer;
        ssize_t got = read(fd, buffer, want);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0 || memcmp(buffer, expected + offset, (size_t)got) != 0) return 0;
        offset += (size_t)got;
    }
    return 1;
}

int continuity_read_at_end_info(int fd, struct continuity_file_info *info) {
    char byte;
    ssize_t got;
    do { got = read(fd, &byte, 1); } while (got < 0 && errno == EINTR);
    if (got != 0) return 0;
    struct stat s;
    if (fstat(fd, &s) != 0) return 0;
    if (info) fill_info(&s, info);
    return 1;
}

int continuity_create_with_prefix(const char *path, int from, size_t prefix) {
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0) return -1;
    char buffer[65536];
    off_t offset = 0;
    while ((size_t)offset < prefix) {
        size_t want = prefix - (size_t)offset < sizeof buffer ? prefix - (size_t)offset : sizeof buffer;
        ssize_t got = pread(from, buffer, want, offset);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0 || continuity_write_all(fd, buffer, (size_t)got) != 0) {
            int saved = got == 0 ? EIO : errno;
            close(fd);
            unlink(path);
            errno = saved;
            return -1;
        }
        offset += got;
    }
    return fd;
}

int continuity_file_has_bytes_info(const char *path, const void *bytes, size_t count, struct continuity_file_info *out) {
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return 0;
    struct stat info;
    int same = fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && (size_t)info.st_size == count;
    // The file must end where the bytes do: it may have grown since fstat.
    same = same && continuity_read_equals(fd, bytes, count) && continuity_read_at_end_info(fd, NULL);
    if (same && out) fill_info(&info, out);
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

int continuity_open_folder(const char *path) {
    return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

int continuity_sync_file_system_of(int fd) {
#ifdef __linux__
    return syncfs(fd);
#else
    (void)fd;
    sync();
    return 0;
#endif
}

int continuity_sync_file_system(const char *path) {
#ifdef __linux__
    int fd = continuity_open_folder(path);
    if (fd < 0) return -1;
    int status = continuity_sync_file_system_of(fd);
    int saved = errno;
    close(fd);
    errno = saved;
    return status;
#else
    (void)path;
    return continuity_sync_file_system_of(-1);
#endif
}

size_t continuity_boot_id(char *out, size_t capacity) {
#if defined(__linux__)
    int fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    ssize_t got;
    do { got = read(fd, out, capacity); } while (got < 0 && errno == EINTR);
    close(fd);
    if (got <= 0) return 0;
    size_t length = (size_t)got;
    while (length > 0 && (out[length - 1] == '\n' || out[length - 1] == ' ')) length--;
    return length < capacity ? length : 0;
#elif defined(__APPLE__)
    size_t length = capacity;
    if (sysctlbyname("kern.bootsessionuuid", out, &length, NULL, 0) != 0) return 0;
    while (length > 0 && out[length - 1] == 0) length--;
    return length;
#else
    (void)out;
    (void)capacity;
    return 0;
#endif
}

int continuity_file_info(const char *path, struct continuity_file_info *info) {
    struct stat s;
    if (lstat(path, &s) != 0) return -1;
    fill_info(&s, info);
    return S_ISREG(s.st_mode) ? 1 : 0;
}

#ifdef __linux__
struct build_id_search {
    uintptr_t address;
    unsigned char *out;
    size_t capacity;
    size_t length;
    int found;
};

static int find_build_id(struct dl_phdr_info *object, size_t size, void *data) {
    (void)size;
    struct build_id_search *search = data;
    int holds = 0;
    for (int i = 0; i < object->dlpi_phnum; i++) {
        const ElfW(Phdr) *segment = &object->dlpi_phdr[i];
        uintptr_t start = object->dlpi_addr + segment->p_vaddr;
        if (segment->p_type == PT_LOAD && search->address >= start && search->address < start + segment->p_memsz) holds = 1;
    }
    if (!holds) return 0;
    search->found = 1;
    for (int i = 0; i < object->dlpi_phnum; i++) {
        const ElfW(Phdr) *segment = &object->dlpi_phdr[i];
        if (segment->p_type != PT_NOTE) continue;
        const unsigned char *note = (const unsigned char *)(object->dlpi_addr + segment->p_vaddr);
        const unsigned char *end = note + segment->p_memsz;
        while (note + sizeof(ElfW(Nhdr)) <= end) {
            const ElfW(Nhdr) *header = (const ElfW(Nhdr) *)note;
            const unsigned char *name = note + sizeof(ElfW(Nhdr));
            const unsigned char *desc = name + ((header->n_namesz + 3) & ~3u);
            const unsigned char *next = desc + ((header->n_descsz + 3) & ~3u);
            if (next > end) break;
            if (header->n_type == NT_GNU_BUILD_ID && header->n_namesz == 4 && memcmp(name, "GNU", 4) == 0
                && header->n_descsz > 0 && header->n_descsz <= search->capacity) {
                memcpy(search->out, desc, header->n_descsz);
                search->length = header->n_descsz;
                return 1;
            }
            note = next;
        }
    }
    return 1;
}
#endif

size_t continuity_build_id(const void *address, unsigned char *out, size_t capacity) {
#ifdef __linux__
    struct build_id_search search = {(uintptr_t)address, out, capacity, 0, 0};
    dl_iterate_phdr(find_build_id, &search);
    return search.length;
#else
    (void)address; (void)out; (void)capacity;
    return 0;
#endif
}

int continuity_object_path(const void *address, char *out, size_t capacity) {
    Dl_info found;
    if (dladdr(address, &found) == 0 || capacity == 0) return -1;
    const char *path = found.dli_fname;
#ifdef __linux__
    // The main program's entry is named as it was started; /proc/self/exe is the file itself.
    void *main_program = dlopen(NULL, RTLD_LAZY | RTLD_NOLOAD);
    Dl_info main_found;
    if (main_program) {
        struct link_map *map = NULL;
        if (dlinfo(main_program, RTLD_DI_LINKMAP, &map) == 0 && map && found.dli_fbase
            && dladdr((void *)map->l_ld, &main_found) != 0 && main_found.dli_fbase == found.dli_fbase) {
            path = "/proc/self/exe";
        }
        dlclose(main_program);
    }
#endif
    if (!path || strlen(path) + 1 > capacity) return -1;
    memcpy(out, path, strlen(path) + 1);
    return 0;
}

const void *continuity_code_address(void) {
    return (const void *)&continuity_code_address;
}

int continuity_file_info_at(int folder, const char *name, struct continuity_file_info *info) {
    struct stat s;
    if (fstatat(folder, name, &s, AT_SYMLINK_NOFOLLOW) != 0) return -1;
    fill_info(&s, info);
    return S_ISREG(s.st_mode) ? 1 : 0;
}

const void *continuity_find_bytes(const void *haystack, size_t length, const void *needle, size_t count) {
    return memmem(haystack, length, needle, count);
}
