/* The script's arena (pd_arena.h): a list of blocks, freed together. */
#include "pd_arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PD_ARENA_BLOCK 16384u

struct pd_block {
    struct pd_block *next;
    size_t used, size;
    alignas(max_align_t) unsigned char data[];
};

struct pd_arena {
    struct pd_block *head;
};

struct pd_arena *pd_arena_new(void)
{
    return calloc(1, sizeof(struct pd_arena));
}

void pd_arena_free(struct pd_arena *a)
{
    struct pd_block *b, *next;

    if (!a)
        return;
    for (b = a->head; b; b = next) {
        next = b->next;
        free(b);
    }
    free(a);
}

void *pd_arena_alloc(struct pd_arena *a, size_t size)
{
    const size_t align = alignof(max_align_t);
    struct pd_block *b = a->head;
    size_t need;
    void *p;

    if (size > SIZE_MAX / 2)
        return NULL;
    need = (size + align - 1) & ~(align - 1);
    if (!b || b->size - b->used < need) {
        size_t bsize = need > PD_ARENA_BLOCK ? need : PD_ARENA_BLOCK;

        b = malloc(sizeof(*b) + bsize);
        if (!b)
            return NULL;
        b->size = bsize;
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    p = b->data + b->used;
    b->used += need;
    memset(p, 0, size);
    return p;
}

char *pd_arena_strndup(struct pd_arena *a, const char *s, size_t len)
{
    char *p = pd_arena_alloc(a, len + 1);

    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

void *pd_arena_push(struct pd_arena *a, void **items, size_t *n, size_t *cap, size_t elem)
{
    unsigned char *base;

    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 4;
        void *grown;

        if (ncap > SIZE_MAX / elem)
            return NULL;
        grown = pd_arena_alloc(a, ncap * elem);
        if (!grown)
            return NULL;
        if (*n)
            memcpy(grown, *items, *n * elem);
        *items = grown;
        *cap = ncap;
    }
    base = *items;
    memset(base + *n * elem, 0, elem);
    return base + (*n)++ * elem;
}
