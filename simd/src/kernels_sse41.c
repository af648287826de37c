/*
 * kernels_sse41.c — the kernel body (kernels_body.h) on 128-bit SSE4.1
 * registers; the only file built with -msse4.1. pmaddwd multiplies 8 taps of
 * gray, 4 of gray+alpha or 2 of RGB/RGBA per instruction; the vertical pass
 * handles 8 columns per step, premultiplication 16 bytes.
 */
#include <smmintrin.h>

typedef __m128i vec;
#define VEC_I16          8
#define X86_PREFIX       _mm
#define X86_SI_BITS      si128
#define TK_RS_BODY_TABLE tk_kernels_sse41

#include "kernels_x86.h"

#define Z (-1) /* pshufb: write a zero byte */

/* Per channel count: source bytes -> int16 pairs of pixels per channel. */
static const int8_t pix_shuf[4][16] = {
    {0, Z, 1, Z, 2, Z, 3, Z, 4, Z, 5, Z, 6, Z, 7, Z}, /* 8 taps */
    {0, Z, 2, Z, 1, Z, 3, Z, 4, Z, 6, Z, 5, Z, 7, Z}, /* 4 taps x 2 ch */
    {0, Z, 3, Z, 1, Z, 4, Z, 2, Z, 5, Z, Z, Z, Z, Z}, /* 2 taps x 3 ch */
    {0, Z, 4, Z, 1, Z, 5, Z, 2, Z, 6, Z, 3, Z, 7, Z}, /* 2 taps x 4 ch */
};

static inline vec v_unpack(src16 raw, vec pmask) {
    return _mm_shuffle_epi8(raw, pmask);
}

/* One row per register: fold row @p r, round, narrow, store. */
#define V_FOLD_ROWS 1
static inline void v_fold_store(int16_t *const *dst, size_t o, const vec *acc, int r, int rows,
                                vec rnd, int shift, int wide, const int channels) {
    (void)rows;
    const vec s = v_round(v_fold_channels(acc[r], channels), rnd, shift);
    tk_rs_store_pixel(dst[r] + o, _mm_cvtsi128_si64(_mm_packs_epi32(s, s)), wide, channels);
}

static inline void v_store_u8(uint8_t *dst, vec lo, vec hi) {
    const vec v16 = _mm_packs_epi32(lo, hi);
    _mm_storel_epi64((__m128i *)dst, _mm_packus_epi16(v16, v16));
}

#include "kernels_body.h"
