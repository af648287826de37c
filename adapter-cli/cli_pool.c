/*
 * cli_pool.c — a fixed set of pthreads pulling jobs from an atomic counter.
 */
#include "cli_pool.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

struct pool {
    const struct cli_run *run;
    struct cli_plan *plan;
    atomic_size_t next;
    atomic_size_t done;
    atomic_size_t failed;
    pthread_mutex_t lock;
    pthread_cond_t cond; /* signalled when a job finishes, wakes the progress loop */
};

static void *worker(void *arg) {
    struct pool *p = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&p->next, 1);
        if (i >= p->plan->n_jobs) {
            break;
        }
        cli_job_run(p->run, &p->plan->jobs[i]);
        if (p->plan->jobs[i].failed) {
            atomic_fetch_add(&p->failed, 1);
        }
        pthread_mutex_lock(&p->lock);
        atomic_fetch_add(&p->done, 1);
        pthread_cond_signal(&p->cond);
        pthread_mutex_unlock(&p->lock);
    }
    return NULL;
}

static void draw(size_t done, size_t total, size_t failed) {
    enum { WIDTH = 30 };
    size_t fill = total ? done * WIDTH / total : WIDTH;
    char bar[WIDTH + 1];
    memset(bar, '#', fill);
    memset(bar + fill, '.', WIDTH - fill);
    bar[WIDTH] = '\0';
    fprintf(stderr, "\r[%s] %zu/%zu  failed %zu", bar, done, total, failed);
    fflush(stderr);
}

int cli_pool_run(const struct cli_run *run, struct cli_plan *plan, unsigned threads,
                 bool progress) {
    struct pool p = {.run = run, .plan = plan};
    atomic_init(&p.next, 0);
    atomic_init(&p.done, 0);
    atomic_init(&p.failed, 0);
    pthread_mutex_init(&p.lock, NULL);
    pthread_cond_init(&p.cond, NULL);

    if (threads > plan->n_jobs) {
        threads = plan->n_jobs ? (unsigned)plan->n_jobs : 1;
    }
    pthread_t tids[1024];
    unsigned started = 0;
    for (; started < threads && started < sizeof tids / sizeof tids[0]; started++) {
        if (pthread_create(&tids[started], NULL, worker, &p) != 0) {
            break; /* run with fewer threads rather than not at all */
        }
    }
    int rc = 0;
    if (started == 0) {
        rc = -1;
        goto cleanup;
    }
    if (progress) {
        pthread_mutex_lock(&p.lock);
        while (atomic_load(&p.done) < plan->n_jobs) {
            draw(atomic_load(&p.done), plan->n_jobs, atomic_load(&p.failed));
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_nsec += 200 * 1000 * 1000; /* at most ~5 redraws a second */
            if (ts.tv_nsec >= 1000000000L) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&p.cond, &p.lock, &ts);
        }
        pthread_mutex_unlock(&p.lock);
        draw(plan->n_jobs, plan->n_jobs, atomic_load(&p.failed));
        fputc('\n', stderr);
    }
    for (unsigned i = 0; i < started; i++) {
        pthread_join(tids[i], NULL);
    }
cleanup:
    pthread_cond_destroy(&p.cond);
    pthread_mutex_destroy(&p.lock);
    return rc;
}
