/*
 * kernels_avx2.c — the kernel body (kernels_body.h) on 256-bit AVX2
 * registers; the only file built with -mavx2. Most AVX2 byte and word
 * operations work within each 128-bit lane, so: to unpack a row, 16 source
 * bytes are broadcast to both lanes and each lane shuffles out its own pixel
 * pairs; the partial sums of two rows are folded together, one row per lane;
 * the vertical pass puts its two lanes back in column order when narrowing.
 * vpmaddwd multiplies 16 taps of gray, 8 of gray+alpha or 4 of RGB/RGBA; the
 * vertical pass handles 16 columns per step, premultiplication 32 bytes.
 */
#include <immintrin.h>

typedef __m256i vec;
#define VEC_I16          16
#define X86_PREFIX       _mm256
#define X86_SI_BITS      si256
#define TK_RS_BODY_TABLE tk_kernels_avx2

#include "kernels_x86.h"

#define Z (-1) /* pshufb: write a zero byte */

/* Lane 1 takes the taps after those of lane 0. */
static const int8_t pix_shuf[4][32] = {
    {0, Z, 1, Z, 2,  Z, 3,  Z, 4,  Z, 5,  Z, 6,  Z, 7,  Z,
     8, Z, 9, Z, 10, Z, 11, Z, 12, Z, 13, Z, 14, Z, 15, Z},
    {0, Z, 2,  Z, 1, Z, 3,  Z, 4,  Z, 6,  Z, 5,  Z, 7,  Z,
     8, Z, 10, Z, 9, Z, 11, Z, 12, Z, 14, Z, 13, Z, 15, Z},
    {0, Z, 3, Z, 1, Z, 4,  Z, 2, Z, 5,  Z, Z, Z, Z, Z,
     6, Z, 9, Z, 7, Z, 10, Z, 8, Z, 11, Z, Z, Z, Z, Z},
    {0, Z, 4,  Z, 1, Z, 5,  Z, 2,  Z, 6,  Z, 3,  Z, 7,  Z,
     8, Z, 12, Z, 9, Z, 13, Z, 10, Z, 14, Z, 11, Z, 15, Z},
};

static inline vec v_unpack(src16 raw, vec pmask) {
    return _mm256_shuffle_epi8(_mm256_broadcastsi128_si256(raw), pmask);
}

/* The sums of two rows, one per 128-bit lane, so two rows share every
 * instruction: folded, rounded and narrowed. */
static inline vec fold_two(vec a0, vec a1, vec rnd, int shift, const int channels) {
    const vec s = _mm256_add_epi32(_mm256_permute2x128_si256(a0, a1, 0x20),
                                   _mm256_permute2x128_si256(a0, a1, 0x31));
    const vec v = v_round(v_fold_channels(s, channels), rnd, shift);
    return _mm256_packs_epi32(v, v);
}

/* Rows @p r and @p r + 1 (when below @p rows) through one fold_two. */
#define V_FOLD_ROWS 2
static inline void v_fold_store(int16_t *const *dst, size_t o, const vec *acc, int r, int rows,
                                vec rnd, int shift, int wide, const int channels) {
    const vec v = fold_two(acc[r], acc[r + 1 < rows ? r + 1 : r], rnd, shift, channels);
    tk_rs_store_pixel(dst[r] + o, _mm_cvtsi128_si64(_mm256_castsi256_si128(v)), wide, channels);
    if (r + 1 < rows) {
        tk_rs_store_pixel(dst[r + 1] + o, _mm_cvtsi128_si64(_mm256_extracti128_si256(v, 1)), wide,
                          channels);
    }
}

/* In-lane packs keep column order within each lane; gather the two low
 * quadwords to get the 16 bytes in order. */
static inline void v_store_u8(uint8_t *dst, vec lo, vec hi) {
    const vec v16 = _mm256_packs_epi32(lo, hi);
    const vec v8 = _mm256_permute4x64_epi64(_mm256_packus_epi16(v16, v16), 0x08);
    _mm_storeu_si128((__m128i *)dst, _mm256_castsi256_si128(v8));
}

#include "kernels_body.h"
