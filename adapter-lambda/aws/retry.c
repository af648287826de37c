/*
 * retry.c — exponential backoff with full jitter (see retry.h).
 */
#include "aws/retry.h"

#include <errno.h>
#include <stddef.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "tk_clock.h"

void retry_xorshift_seed(struct retry_xorshift *x) {
    uint64_t s = 0;
    if (getrandom(&s, sizeof s, GRND_NONBLOCK) != (ssize_t)sizeof s) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        s = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^ ((uint64_t)getpid() << 40);
    }
    x->s = s ? s : 0x9e3779b97f4a7c15ULL;
}

uint64_t retry_rand_xorshift(void *ctx) {
    struct retry_xorshift *x = ctx;
    uint64_t s = x->s;
    s ^= s >> 12;
    s ^= s << 25;
    s ^= s >> 27;
    x->s = s;
    return s * 0x2545f4914f6cdd1dULL;
}

int64_t retry_clock_realtime(void *ctx) {
    (void)ctx;
    return tk_clock_wall_ms();
}

void retry_sleep_real(void *ctx, uint32_t ms) {
    (void)ctx;
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

void retry_policy_default(struct retry_policy *p, struct retry_xorshift *x) {
    *p = (struct retry_policy){
        .max_attempts = 5,
        .base_ms = 50,
        .cap_ms = 2000,
        .reserve_ms = 500,
        .rand = retry_rand_xorshift,
        .rand_ctx = x,
        .now = retry_clock_realtime,
        .sleep = retry_sleep_real,
    };
}

int64_t retry_now(const struct retry_policy *p) {
    return p->now ? p->now(p->now_ctx) : retry_clock_realtime(NULL);
}

uint32_t retry_backoff_ms(const struct retry_policy *p, unsigned attempt) {
    uint64_t ceiling = p->base_ms;
    for (unsigned i = 0; i < attempt && ceiling < p->cap_ms; i++) {
        ceiling *= 2;
    }
    if (ceiling > p->cap_ms) {
        ceiling = p->cap_ms;
    }
    if (ceiling == 0 || !p->rand) {
        return 0;
    }
    return (uint32_t)(p->rand(p->rand_ctx) % (ceiling + 1));
}

bool retry_wait(const struct retry_policy *p, unsigned failures, int64_t deadline_ms,
                uint32_t *slept_ms) {
    if (slept_ms) {
        *slept_ms = 0;
    }
    if (failures == 0 || failures >= p->max_attempts) {
        return false;
    }
    uint32_t wait = retry_backoff_ms(p, failures - 1);
    if (deadline_ms > 0 && retry_now(p) + (int64_t)wait + (int64_t)p->reserve_ms >= deadline_ms) {
        return false;
    }
    if (wait && p->sleep) {
        p->sleep(p->sleep_ctx, wait);
    }
    if (slept_ms) {
        *slept_ms = wait;
    }
    return true;
}
