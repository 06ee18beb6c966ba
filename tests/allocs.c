/* allocs.c - counts the heap allocations the project's own code makes
 * in the test runner, so a test can say "a training step allocates
 * nothing".
 *
 * The runner's malloc, calloc and realloc hand every call to glibc's
 * (__libc_malloc and friends, which glibc exports for exactly this)
 * and count those made from the runner's own code: common/ and the
 * chapters are linked into it statically, so their calls come from
 * between __executable_start and etext (symbols GNU ld defines).
 * Calls from shared libraries are not ours to count: OpenBLAS's
 * small-matrix kernels, for one, allocate a packing buffer per call.
 *
 * Under AddressSanitizer the sanitizer owns malloc and the count is not
 * available: allocations() returns -1 and the tests that need it say
 * so and pass. */
#include "helpers.h"

#include <stddef.h>
#include <stdint.h>

#if defined(__SANITIZE_ADDRESS__)
#define ALLOCS_UNAVAILABLE 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ALLOCS_UNAVAILABLE 1
#endif
#endif

#ifdef ALLOCS_UNAVAILABLE
long allocations(void) { return -1; }
#else
extern const char __executable_start[], etext[];

static volatile long count;

long allocations(void) { return count; }

static void count_if_ours(const void *caller)
{
    uintptr_t at = (uintptr_t)caller;
    if (at >= (uintptr_t)__executable_start && at < (uintptr_t)etext)
        count++;
}

void *__libc_malloc(size_t size);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *ptr, size_t size);

void *malloc(size_t size)
{
    count_if_ours(__builtin_return_address(0));
    return __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
    count_if_ours(__builtin_return_address(0));
    return __libc_calloc(n, size);
}

void *realloc(void *ptr, size_t size)
{
    count_if_ours(__builtin_return_address(0));
    return __libc_realloc(ptr, size);
}
#endif
