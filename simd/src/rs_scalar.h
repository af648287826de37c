/*
 * rs_scalar.h — the reference arithmetic of one output value, shared by the
 * scalar kernels and the scalar tails of the SIMD kernels so that rounding
 * and clamping exist in exactly one place.
 */
#ifndef TK_RS_SCALAR_H
#define TK_RS_SCALAR_H

#include <stddef.h>
#include <stdint.h>

/* Right shifts of negative sums are arithmetic on every compiler we support
 * (GCC, Clang), matching the SIMD srai instructions. */
static inline int16_t tk_rs_round_i16(int32_t acc, int shift) {
    int32_t v = (acc + (1 << (shift - 1))) >> shift;
    return (int16_t)(v < INT16_MIN ? INT16_MIN : v > INT16_MAX ? INT16_MAX : v);
}

static inline uint8_t tk_rs_round_u8(int32_t acc, int shift) {
    int32_t v = (acc + (1 << (shift - 1))) >> shift;
    return (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
}

/* One vertical output value at column @p i. */
static inline uint8_t tk_rs_vpass_one(const int16_t *const *rows, const int16_t *w, uint32_t n,
                                      size_t i, int shift) {
    int32_t acc = 0;
    for (uint32_t j = 0; j < n; j++) {
        acc += rows[j][i] * w[j];
    }
    return tk_rs_round_u8(acc, shift);
}

#endif /* TK_RS_SCALAR_H */
