// Counts heap allocations made by one thread, NIO-style, to prove that a hot path allocates
// nothing. The test executable defines malloc & co., which the dynamic linker then uses for the
// whole process; each forwards to glibc's __libc_* entry points and bumps a thread-local counter
// while counting is on. Sanitizer builds intercept malloc themselves, so there this is compiled out.
#include "CMallocCounter.h"
#include <stddef.h>
#include <errno.h>

#if defined(__has_feature)
#  if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#    define CHORUS_NO_COUNTER 1
#  endif
#endif

#ifndef CHORUS_NO_COUNTER
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

static __thread int counting = 0;
static __thread long count = 0;

void *malloc(size_t size) { if (counting) count++; return __libc_malloc(size); }
void *calloc(size_t n, size_t size) { if (counting) count++; return __libc_calloc(n, size); }
void *realloc(void *p, size_t size) { if (counting) count++; return __libc_realloc(p, size); }
void free(void *p) { __libc_free(p); }
void *memalign(size_t alignment, size_t size) { if (counting) count++; return __libc_memalign(alignment, size); }
void *aligned_alloc(size_t alignment, size_t size) { if (counting) count++; return __libc_memalign(alignment, size); }
int posix_memalign(void **out, size_t alignment, size_t size) {
    if (counting) count++;
    void *p = __libc_memalign(alignment, size);
    if (!p) return ENOMEM;
    *out = p;
    return 0;
}

bool chorus_malloc_counter_available(void) { return true; }
void chorus_malloc_counter_begin(void) { count = 0; counting = 1; }
long chorus_malloc_counter_end(void) { counting = 0; return count; }
#else
bool chorus_malloc_counter_available(void) { return false; }
void chorus_malloc_counter_begin(void) {}
long chorus_malloc_counter_end(void) { return 0; }
#endif
