/*
 * kernels_avx2.c — the kernel body (kernels_body.h) on 256-bit AVX2
 * registers; the only file built with -mavx2. The horizontal pass filters 8
 * rows at once (one per int32 lane), 2 taps per vpmaddwd lane. Most AVX2 byte
 * and word operations work within each 128-bit lane, so each lane of a unit
 * vector has its own 16-byte load, the transpose ends with lane swaps, and the
 * vertical pass puts its two lanes back in column order when narrowing. The
 * vertical pass handles 16 columns per step, premultiplication 32 bytes.
 */
#include <immintrin.h>

typedef __m256i vec;
#define VEC_I16          16
#define X86_PREFIX       _mm256
#define X86_SI_BITS      si256
#define TK_RS_BODY_TABLE tk_kernels_avx2

#include "kernels_x86.h"

/* Units m*8 .. m*8+7 of a period: four per 128-bit lane, each lane loaded
 * on its own, then one shuffle for both. */
static inline vec v_units(const uint8_t *p, const int m, const int channels) {
    const int u0 = m * 8, u1 = m * 8 + 4;
    const vec raw = _mm256_inserti128_si256(
        _mm256_castsi128_si256(
            _mm_loadu_si128((const __m128i *)(p + x86_unit_offset(u0, channels)))),
        _mm_loadu_si128((const __m128i *)(p + x86_unit_offset(u1, channels))), 1);
    const vec mask =
        _mm256_loadu2_m128i((const __m128i *)x86_unit_shuf[channels - 1][u1 % channels],
                            (const __m128i *)x86_unit_shuf[channels - 1][u0 % channels]);
    return _mm256_shuffle_epi8(raw, mask);
}

/* 8x8 int32 transpose: 4x4 blocks within each lane, then the lanes swapped. */
static inline void v_transpose32(vec *m) {
    vec t[8], u[8];
    for (int i = 0; i < 8; i += 2) {
        t[i] = _mm256_unpacklo_epi32(m[i], m[i + 1]);
        t[i + 1] = _mm256_unpackhi_epi32(m[i], m[i + 1]);
    }
    for (int i = 0; i < 8; i += 4) {
        u[i] = _mm256_unpacklo_epi64(t[i], t[i + 2]);
        u[i + 1] = _mm256_unpackhi_epi64(t[i], t[i + 2]);
        u[i + 2] = _mm256_unpacklo_epi64(t[i + 1], t[i + 3]);
        u[i + 3] = _mm256_unpackhi_epi64(t[i + 1], t[i + 3]);
    }
    for (int i = 0; i < 4; i++) {
        m[i] = _mm256_permute2x128_si256(u[i], u[i + 4], 0x20);
        m[i + 4] = _mm256_permute2x128_si256(u[i], u[i + 4], 0x31);
    }
}

/* packs works per lane: gather the two low quadwords for the 8 values in order. */
static inline void v_store_i16(int16_t *dst, vec v) {
    const vec p = _mm256_permute4x64_epi64(_mm256_packs_epi32(v, v), 0x08);
    _mm_storeu_si128((__m128i *)dst, _mm256_castsi256_si128(p));
}

/* In-lane packs keep column order within each lane; gather the two low
 * quadwords to get the 16 bytes in order. */
static inline void v_store_u8(uint8_t *dst, vec lo, vec hi) {
    const vec v16 = _mm256_packs_epi32(lo, hi);
    const vec v8 = _mm256_permute4x64_epi64(_mm256_packus_epi16(v16, v16), 0x08);
    _mm_storeu_si128((__m128i *)dst, _mm256_castsi256_si128(v8));
}

#include "kernels_body.h"
