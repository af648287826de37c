/*
 * kernels_x86.h — the vector primitives of kernels_body.h for every x86 ISA
 * at once: SSE4.1, AVX2 and AVX-512 name the same operations _mm_op and
 * _mm256_op, so each is written here once through X86(op). The including
 * kernel file sets
 *   X86_PREFIX   _mm or _mm256
 *   X86_SI_BITS  si128 or si256 (suffix of whole-register loads and stores)
 *   vec          the register type
 *   X86_VNNI     (optional) when it defines v_madd itself (vpdpwssd)
 *   V_UNITS_OVERREAD  (optional) when its v_units reads more than 16 bytes
 * and defines what depends on the lane width itself: VEC_I16, v_units,
 * v_transpose32, v_store_i16 and v_store_u8 (see kernels_body.h;
 * kernels_x86_256.h has the 256-bit ones).
 */
#ifndef TK_RS_KERNELS_X86_H
#define TK_RS_KERNELS_X86_H

#include "rs_kernels.h"
#include "rs_units.h"

#include <immintrin.h>

#define X86_JOIN_(a, b) a##_##b
#define X86_JOIN(a, b)  X86_JOIN_(a, b)
/* X86(add_epi32) is _mm_add_epi32 or _mm256_add_epi32. */
#define X86(op) X86_JOIN(X86_PREFIX, op)
/* X86_SI(loadu) is _mm_loadu_si128 or _mm256_loadu_si256. */
#define X86_SI(op) X86_JOIN(X86(op), X86_SI_BITS)

static inline vec v_load(const void *p) {
    return X86_SI(loadu)((const vec *)p);
}

static inline void v_store(void *p, vec v) {
    X86_SI(storeu)((vec *)p, v);
}

static inline vec v_zero(void) {
    return X86_SI(setzero)();
}

static inline vec v_set1_i32(int32_t x) {
    return X86(set1_epi32)(x);
}

static inline vec v_set1_i16(int16_t x) {
    return X86(set1_epi16)(x);
}

/* Sums live in a GCC vector of int32, not in vec: GCC 12 copies a loop-carried
 * __m256i sum to a new register on every iteration when the additions are
 * int32 (the intrinsics convert between the two vector types). */
typedef int32_t vsum __attribute__((vector_size(sizeof(vec))));

static inline vsum v_sum_zero(void) {
    return (vsum){0};
}

static inline vsum v_sum_add(vsum a, vsum b) {
    return a + b;
}

#ifndef X86_VNNI
static inline vsum v_madd(vsum acc, vec a, vec b) {
    return acc + (vsum)X86(madd_epi16)(a, b);
}
#endif

static inline vec v_round(vsum s, vec rnd, int shift) {
    return X86(srai_epi32)(X86(add_epi32)((vec)s, rnd), shift);
}

static inline vec v_interleave_lo(vec a, vec b) {
    return X86(unpacklo_epi16)(a, b);
}

static inline vec v_interleave_hi(vec a, vec b) {
    return X86(unpackhi_epi16)(a, b);
}

/* unpack and pack work within 128-bit lanes and are inverses, so pixel order is kept. */
static inline vec v_widen_lo_u8(vec v) {
    return X86(unpacklo_epi8)(v, v_zero());
}

static inline vec v_widen_hi_u8(vec v) {
    return X86(unpackhi_epi8)(v, v_zero());
}

static inline vec v_narrow_u8(vec lo, vec hi) {
    return X86(packus_epi16)(lo, hi);
}

static inline vec v_add_i16(vec a, vec b) {
    return X86(add_epi16)(a, b);
}

static inline vec v_mullo_i16(vec a, vec b) {
    return X86(mullo_epi16)(a, b);
}

static inline vec v_shr8_u16(vec v) {
    return X86(srli_epi16)(v, 8);
}

/* shufflelo/hi copy each pixel's alpha (lane 3 of 4, or 1 of 2) over its lanes.
 * Immediates must be literal constants for clang, hence no ?: inside the intrinsics. */
static inline vec v_alpha_spread(vec v, const int channels) {
    return channels == 4 ? X86(shufflehi_epi16)(X86(shufflelo_epi16)(v, 0xFF), 0xFF)
                         : X86(shufflehi_epi16)(X86(shufflelo_epi16)(v, 0xF5), 0xF5);
}

static inline vec v_keep_alpha(vec r, vec v, const int channels) {
    return channels == 4 ? X86(blend_epi16)(r, v, 0x88) : X86(blend_epi16)(r, v, 0xAA);
}

/* The four units of a 128-bit lane, the first being unit @p u of the period at
 * @p p: one 16-byte load (four units span at most 12 bytes, so the loads of a
 * period read at most 8 bytes past its end) and one pshufb. */
#ifndef V_UNITS_OVERREAD
#define V_UNITS_OVERREAD 16
#endif

static inline __m128i x86_unit_lane(const uint8_t *p, int u, const int channels) {
    const __m128i raw = _mm_loadu_si128((const __m128i *)(p + tk_rs_unit_offset(u, channels)));
    const __m128i mask =
        _mm_loadu_si128((const __m128i *)tk_rs_unit_shuf[channels - 1][u % channels]);
    return _mm_shuffle_epi8(raw, mask);
}

#endif /* TK_RS_KERNELS_X86_H */
