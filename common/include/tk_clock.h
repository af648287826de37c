/*
 * tk_clock.h — the one clock helper of the product: elapsed and wall time in milliseconds.
 *
 * Header-only and libc-only, so simd/, engine/ and both adapters may include it without
 * depending on each other. Where a test needs a fixed clock, the caller injects one instead
 * (see adapter-lambda's retry policy); these read the real clocks.
 *
 * Thread-safety: reentrant.
 */
#ifndef TK_CLOCK_H
#define TK_CLOCK_H

#include <stdint.h>
#include <time.h>

/** @return milliseconds on the monotonic clock, for measuring intervals. */
static inline double tk_clock_mono_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/** @return milliseconds since the Unix epoch on the real-time clock. */
static inline int64_t tk_clock_wall_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#endif /* TK_CLOCK_H */
