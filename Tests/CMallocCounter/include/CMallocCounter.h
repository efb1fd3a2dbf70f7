#ifndef CHORUS_MALLOC_COUNTER_H
#define CHORUS_MALLOC_COUNTER_H
#include <stdbool.h>

/// Whether allocations can be counted in this build (not under ASan/TSan, which own malloc).
bool chorus_malloc_counter_available(void);
/// Starts counting the calling thread's allocations (malloc, calloc, realloc, aligned allocations).
void chorus_malloc_counter_begin(void);
/// Stops counting and returns how many allocations the calling thread made since begin.
long chorus_malloc_counter_end(void);
#endif
