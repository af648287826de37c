/*
 * rs_test_util.h — small helpers shared by the resampler tests: a seeded
 * PRNG (tests must be reproducible; rand() is banned), image buffers with
 * padded strides. Checks and the skip code come from tests/common/check.h.
 */
#ifndef TK_RS_TEST_UTIL_H
#define TK_RS_TEST_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* splitmix64: tiny, good enough for test pixels, same sequence everywhere. */
static inline uint64_t test_rng_next(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform in [lo, hi]. */
static inline uint32_t test_rng_range(uint64_t *state, uint32_t lo, uint32_t hi) {
    return lo + (uint32_t)(test_rng_next(state) % ((uint64_t)hi - lo + 1));
}

static inline void *test_xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "out of memory (%zu bytes)\n", n);
        exit(2);
    }
    return p;
}

/*
 * Random pixels. With alpha (2 or 4 channels) a third of the alphas are 0 and
 * a third 255, so both extremes of premultiplication are exercised.
 */
static inline void test_fill_random(uint64_t *rng, uint8_t *img, uint32_t w, uint32_t h,
                                    size_t stride, int channels) {
    const int has_alpha = channels == 2 || channels == 4;
    for (uint32_t y = 0; y < h; y++) {
        uint8_t *row = img + (size_t)y * stride;
        for (size_t i = 0; i < stride; i++) {
            row[i] = (uint8_t)test_rng_next(rng);
        }
        if (!has_alpha) {
            continue;
        }
        for (uint32_t x = 0; x < w; x++) {
            uint32_t pick = test_rng_range(rng, 0, 2);
            if (pick < 2) {
                row[(size_t)x * channels + channels - 1] = pick ? 255 : 0;
            }
        }
    }
}

#endif /* TK_RS_TEST_UTIL_H */
