/*
 * kernels_sse41.c — the kernel body (kernels_body.h) on 128-bit SSE4.1
 * registers; the only file built with -msse4.1. The horizontal pass filters
 * 4 rows at once (one per int32 lane), 2 taps per pmaddwd lane; the vertical
 * pass handles 8 columns per step, premultiplication 16 bytes.
 */
#include <smmintrin.h>

typedef __m128i vec;
#define VEC_I16          8
#define X86_PREFIX       _mm
#define X86_SI_BITS      si128
#define TK_RS_BODY_TABLE tk_kernels_sse41

#include "kernels_x86.h"

/* Units m*4 .. m*4+3 of a period: one lane. */
static inline vec v_units(const uint8_t *p, const int m, const int channels) {
    return x86_unit_lane(p, m * 4, channels);
}

/* 4x4 int32 transpose: two rounds of unpacks. */
static inline void v_transpose32(vec *m) {
    const vec t0 = _mm_unpacklo_epi32(m[0], m[1]), t1 = _mm_unpackhi_epi32(m[0], m[1]);
    const vec t2 = _mm_unpacklo_epi32(m[2], m[3]), t3 = _mm_unpackhi_epi32(m[2], m[3]);
    m[0] = _mm_unpacklo_epi64(t0, t2);
    m[1] = _mm_unpackhi_epi64(t0, t2);
    m[2] = _mm_unpacklo_epi64(t1, t3);
    m[3] = _mm_unpackhi_epi64(t1, t3);
}

static inline void v_store_i16(int16_t *dst, vec v) {
    _mm_storel_epi64((__m128i *)dst, _mm_packs_epi32(v, v));
}

static inline void v_store_u8(uint8_t *dst, vec lo, vec hi) {
    const vec v16 = _mm_packs_epi32(lo, hi);
    _mm_storel_epi64((__m128i *)dst, _mm_packus_epi16(v16, v16));
}

#include "kernels_body.h"
