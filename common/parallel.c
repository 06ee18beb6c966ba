#include "parallel.h"

#include <pthread.h>

#include "error.h"

#define PARALLEL_MAX_THREADS 64

/* The pool: workers 1 .. threads-1 wait for a new `generation`, run
 * their range of the current job, and count themselves out. */
static struct {
    pthread_mutex_t lock;
    pthread_cond_t start, done;
    int threads;      /* wanted, the caller included */
    int started;      /* workers created so far */
    unsigned long generation;
    int pending;      /* workers still running the current job */
    ParallelFn fn;
    void *ctx;
    size_t n;
} pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
          PTHREAD_COND_INITIALIZER, 1, 0, 0, 0, NULL, NULL, 0};

static void range_of(int part, int parts, size_t n, size_t *begin,
                     size_t *end)
{
    *begin = n * (size_t)part / (size_t)parts;
    *end = n * (size_t)(part + 1) / (size_t)parts;
}

static void *worker(void *arg)
{
    int part = (int)(size_t)arg;
    unsigned long seen = 0;
    pthread_mutex_lock(&pool.lock);
    for (;;) {
        while (pool.generation == seen)
            pthread_cond_wait(&pool.start, &pool.lock);
        seen = pool.generation;
        int parts = pool.threads;
        ParallelFn fn = pool.fn;
        void *ctx = pool.ctx;
        size_t n = pool.n;
        pthread_mutex_unlock(&pool.lock);
        if (part < parts) {
            size_t begin, end;
            range_of(part, parts, n, &begin, &end);
            fn(ctx, begin, end);
        }
        pthread_mutex_lock(&pool.lock);
        if (--pool.pending == 0)
            pthread_cond_signal(&pool.done);
    }
    return NULL;
}

void parallel_set_threads(int threads)
{
    if (threads < 1)
        threads = 1;
    if (threads > PARALLEL_MAX_THREADS)
        threads = PARALLEL_MAX_THREADS;
    pthread_mutex_lock(&pool.lock);
    pool.threads = threads;
    pthread_mutex_unlock(&pool.lock);
}

int parallel_threads(void) { return pool.threads; }

void parallel_for(size_t n, ParallelFn fn, void *ctx)
{
    parallel_for_items(n, 1, fn, ctx);
}

void parallel_for_items(size_t n, size_t cost, ParallelFn fn, void *ctx)
{
    int parts = pool.threads;
    if (parts == 1 || n < 2 || n * cost < PARALLEL_MIN_ELEMENTS) {
        fn(ctx, 0, n);
        return;
    }
    pthread_mutex_lock(&pool.lock);
    while (pool.started < parts - 1) {
        pthread_t t;
        if (pthread_create(&t, NULL, worker,
                           (void *)(size_t)(pool.started + 1)) != 0)
            fatal("cannot start a worker thread");
        pthread_detach(t);
        pool.started++;
    }
    pool.fn = fn;
    pool.ctx = ctx;
    pool.n = n;
    pool.pending = pool.started;
    pool.generation++;
    pthread_cond_broadcast(&pool.start);
    pthread_mutex_unlock(&pool.lock);

    size_t begin, end;
    range_of(0, parts, n, &begin, &end);
    fn(ctx, begin, end);

    pthread_mutex_lock(&pool.lock);
    while (pool.pending > 0)
        pthread_cond_wait(&pool.done, &pool.lock);
    pthread_mutex_unlock(&pool.lock);
}
