#include "csystem.h"
#include <pthread.h>
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

typedef struct arena_state {
    /* The block being filled, and before it the older ones. */
    arena_block *current;
    /* One emptied block of the usual size, kept for the next parse on this thread. */
    arena_block *spare;
    /* The latest allocation, which realloc may grow where it stands. */
    unsigned char *last;
} arena_state;

enum { arena_block_size = 256 * 1024, arena_header = 16 };

/* This thread's state, made on its first allocation. It is also the value of a key whose destructor
   frees the thread's blocks when the thread ends; the destructor is handed the state itself, so that it
   does not read thread-local storage the thread may be taking down. */
static _Thread_local arena_state *arena;
static pthread_key_t arena_key;
static pthread_once_t arena_key_once = PTHREAD_ONCE_INIT;

static void arena_end_thread(void *value) {
    arena_state *state = value;
    while (state->current) {
        arena_block *block = state->current;
        state->current = block->previous;
        free(block);
    }
    free(state->spare);
    free(state);
}

static void arena_make_key(void) {
    if (pthread_key_create(&arena_key, arena_end_thread) != 0) abort();
}

static arena_state *arena_here(void) {
    arena_state *state = arena;
    if (!state) {
        state = calloc(1, sizeof *state);
        if (!state) abort();
        pthread_once(&arena_key_once, arena_make_key);
        if (pthread_setspecific(arena_key, state) != 0) abort();
        arena = state;
    }
    return state;
}

static size_t arena_need(size_t size) {
    if (size > SIZE_MAX / 2) abort();
    return (size + arena_header + 15) & ~(size_t)15;
}

static void *arena_take(arena_state *state, size_t size) {
    size_t need = arena_need(size);
    arena_block *block = state->current;
    if (!block || block->capacity - block->used < need) {
        arena_block *fresh;
        if (need <= arena_block_size && state->spare) {
            fresh = state->spare;
            state->spare = NULL;
        } else {
            size_t capacity = need > arena_block_size ? need : arena_block_size;
            fresh = malloc(sizeof(arena_block) + capacity);
            if (!fresh) abort();
            fresh->capacity = capacity;
        }
        fresh->used = 0;
        fresh->previous = block;
        state->current = fresh;
        block = fresh;
    }
    unsigned char *start = block->bytes + block->used;
    block->used += need;
    memcpy(start, &size, sizeof size);
    state->last = start + arena_header;
    return state->last;
}

void *continuity_arena_calloc(size_t count, size_t size) {
    if (size != 0 && count > SIZE_MAX / size) abort();
    void *memory = arena_take(arena_here(), count * size);
    memset(memory, 0, count * size);
    return memory;
}

void *continuity_arena_realloc(void *memory, size_t size) {
    arena_state *state = arena_here();
    if (!memory) return arena_take(state, size);
    unsigned char *bytes = memory;
    size_t old;
    memcpy(&old, bytes - arena_header, sizeof old);
    arena_block *block = state->current;
    if (bytes == state->last && block) {
        size_t offset = (size_t)(bytes - arena_header - block->bytes);
        size_t need = arena_need(size);
        if (need <= block->capacity - offset) {
            block->used = offset + need;
            memcpy(bytes - arena_header, &size, sizeof size);
            return memory;
        }
    }
    void *moved = arena_take(state, size);
    memcpy(moved, memory, old < size ? old : size);
    return moved;
}

void continuity_arena_free(void *memory) {
    (void)memory;
}

struct continuity_arena_mark continuity_arena_mark_now(void) {
    arena_state *state = arena_here();
    struct continuity_arena_mark mark = {state->current, state->current ? state->current->used : 0};
    return mark;
}

void continuity_arena_release(struct continuity_arena_mark mark) {
    arena_state *state = arena_here();
    while (state->current && state->current != mark.block) {
        arena_block *block = state->current;
        state->current = block->previous;
        if (block->capacity == arena_block_size) {
            /* The oldest such block is kept: the one the next parse would have started in. */
            free(state->spare);
            state->spare = block;
        } else {
            free(block);
        }
    }
    if (state->current) state->current->used = mark.used;
    state->last = NULL;
}
