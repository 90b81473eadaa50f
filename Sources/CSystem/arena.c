#include "csystem.h"
#include <stdlib.h>
#include <string.h>

/* Memory for one parse, taken from large blocks by moving a pointer and given back all at once.
   Each thread has its own blocks: the allocator functions have no context argument. Every allocation
   is preceded by its size (realloc copies that much) and aligned to 16 bytes. */

typedef struct arena_block {
    struct arena_block *previous;
    size_t capacity;
    size_t used;
    size_t unused; /* keeps `bytes` 16-byte aligned */
    unsigned char bytes[];
} arena_block;

enum { arena_block_size = 256 * 1024, arena_header = 16 };

static _Thread_local arena_block *arena_current;
/* One emptied block of the usual size, kept for the next parse on this thread. */
static _Thread_local arena_block *arena_spare;
/* The latest allocation, which realloc may grow where it stands. */
static _Thread_local unsigned char *arena_last;

static size_t arena_need(size_t size) {
    if (size > SIZE_MAX / 2) abort();
    return (size + arena_header + 15) & ~(size_t)15;
}

static void *arena_take(size_t size) {
    size_t need = arena_need(size);
    arena_block *block = arena_current;
    if (!block || block->capacity - block->used < need) {
        arena_block *fresh;
        if (need <= arena_block_size && arena_spare) {
            fresh = arena_spare;
            arena_spare = NULL;
        } else {
            size_t capacity = need > arena_block_size ? need : arena_block_size;
            fresh = malloc(sizeof(arena_block) + capacity);
            if (!fresh) abort();
            fresh->capacity = capacity;
        }
        fresh->used = 0;
        fresh->previous = block;
        arena_current = fresh;
        block = fresh;
    }
    unsigned char *start = block->bytes + block->used;
    block->used += need;
    memcpy(start, &size, sizeof size);
    arena_last = start + arena_header;
    return arena_last;
}

void *continuity_arena_calloc(size_t count, size_t size) {
    if (size != 0 && count > SIZE_MAX / size) abort();
    void *memory = arena_take(count * size);
    memset(memory, 0, count * size);
    return memory;
}

void *continuity_arena_realloc(void *memory, size_t size) {
    if (!memory) return arena_take(size);
    unsigned char *bytes = memory;
    size_t old;
    memcpy(&old, bytes - arena_header, sizeof old);
    arena_block *block = arena_current;
    if (bytes == arena_last && block) {
        size_t offset = (size_t)(bytes - arena_header - block->bytes);
        size_t need = arena_need(size);
        if (need <= block->capacity - offset) {
            block->used = offset + need;
            memcpy(bytes - arena_header, &size, sizeof size);
            return memory;
        }
    }
    void *moved = arena_take(size);
    memcpy(moved, memory, old < size ? old : size);
    return moved;
}

void continuity_arena_free(void *memory) {
    (void)memory;
}

struct continuity_arena_mark continuity_arena_mark_now(void) {
    struct continuity_arena_mark mark = {arena_current, arena_current ? arena_current->used : 0};
    return mark;
}

void continuity_arena_release(struct continuity_arena_mark mark) {
    while (arena_current && arena_current != mark.block) {
        arena_block *block = arena_current;
        arena_current = block->previous;
        if (block->capacity == arena_block_size) {
            /* The oldest such block is kept: the one the next parse would have started in. */
            free(arena_spare);
            arena_spare = block;
        } else {
            free(block);
        }
    }
    if (arena_current) arena_current->used = mark.used;
    arena_last = NULL;
}
