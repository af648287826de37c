/*
 * retry.h — exponential backoff with full jitter, bounded by a deadline.
 *
 * Attempt n (0-based, after the n-th failure) sleeps a uniformly random time in
 * [0, min(cap_ms, base_ms * 2^n)] ("full jitter"). A retry happens only when the
 * sleep plus a reserve still ends before the deadline, so the invocation keeps
 * time to report its result. Randomness and the clock are injected so tests are
 * deterministic.
 *
 * Thread-safety: the functions are reentrant; a struct retry_policy is read-only
 * except for the state its random source keeps in rand_ctx.
 */
#ifndef TK_LAMBDA_AWS_RETRY_H
#define TK_LAMBDA_AWS_RETRY_H

#include <stdbool.h>
#include <stdint.h>

/** A random source: @return 64 uniformly random bits. */
typedef uint64_t (*retry_rand_fn)(void *ctx);
/** A wall clock: @return milliseconds since the Unix epoch. */
typedef int64_t (*retry_clock_fn)(void *ctx);
/** Sleep @p ms milliseconds. */
typedef void (*retry_sleep_fn)(void *ctx, uint32_t ms);

/** How to retry. Fill with retry_policy_default() and override what a test needs. */
struct retry_policy {
    unsigned max_attempts; /**< total tries including the first, >= 1 */
    uint32_t base_ms;      /**< first backoff ceiling */
    uint32_t cap_ms;       /**< largest backoff ceiling */
    uint32_t reserve_ms;   /**< time kept free before the deadline */
    retry_rand_fn rand;
    void *rand_ctx;
    retry_clock_fn now;
    void *now_ctx;
    retry_sleep_fn sleep;
    void *sleep_ctx;
};

/** A xorshift64* generator state for retry_rand_xorshift(). */
struct retry_xorshift {
    uint64_t s; /**< never 0 */
};

/** Seed @p x from the OS (getrandom), falling back to the clock and pid. */
void retry_xorshift_seed(struct retry_xorshift *x);
/** xorshift64*: @p ctx is a struct retry_xorshift. @return the next 64 bits. */
uint64_t retry_rand_xorshift(void *ctx);
/** CLOCK_REALTIME in ms; @p ctx is ignored. */
int64_t retry_clock_realtime(void *ctx);
/** nanosleep(), resumed after signals; @p ctx is ignored. */
void retry_sleep_real(void *ctx, uint32_t ms);

/**
 * Fill @p p with the defaults: 5 attempts, base 50 ms, cap 2000 ms, reserve 500 ms,
 * real clock and sleep, random source @p x (seeded by the caller).
 */
void retry_policy_default(struct retry_policy *p, struct retry_xorshift *x);

/** The policy's clock: @return now, epoch ms (the real clock when none is injected). */
int64_t retry_now(const struct retry_policy *p);

/**
 * The full-jitter backoff before retry number @p attempt (0 after the first failure).
 * @return a value in [0, min(cap_ms, base_ms * 2^attempt)]
 */
uint32_t retry_backoff_ms(const struct retry_policy *p, unsigned attempt);

/**
 * Decide whether to try again after @p failures failed tries (>= 1), and if so sleep the
 * backoff. @p deadline_ms is an epoch time in ms (0: no deadline).
 * @param slept_ms  if not NULL, receives the time slept (0 when giving up)
 * @return true when the caller should try again now
 */
bool retry_wait(const struct retry_policy *p, unsigned failures, int64_t deadline_ms,
                uint32_t *slept_ms);

#endif /* TK_LAMBDA_AWS_RETRY_H */
