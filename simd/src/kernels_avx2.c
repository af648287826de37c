/*
 * kernels_avx2.c — the kernel body (kernels_body.h) on 256-bit AVX2
 * registers; the only file built with -mavx2. The horizontal pass filters 8
 * rows at once (one per int32 lane), 2 taps per vpmaddwd lane. Most AVX2 byte
 * and word operations work within each 128-bit lane, so each lane of a unit
 * vector has its own 16-byte load, the transpose ends with lane swaps, and the
 * vertical pass puts its two lanes back in column order when narrowing
 * (kernels_x86_256.h). The vertical pass handles 16 columns per step,
 * premultiplication 32 bytes.
 */
#include <immintrin.h>

typedef __m256i vec;
#define VEC_I16          16
#define X86_PREFIX       _mm256
#define X86_SI_BITS      si256
#define TK_RS_BODY_TABLE tk_kernels_avx2
/* RGB in blocks of 8 rows, not 16: 6 % faster here (simd/README.md). */
#define V_RGB_GROUPS 1

#include "kernels_x86.h"

/* Units m*8 .. m*8+7 of a period: four per 128-bit lane, each lane loaded
 * on its own, then one shuffle for both. */
static inline vec v_units(const uint8_t *p, const int m, const int channels) {
    const int u0 = m * 8, u1 = m * 8 + 4;
    const vec raw = _mm256_inserti128_si256(
        _mm256_castsi128_si256(
            _mm_loadu_si128((const __m128i *)(p + tk_rs_unit_offset(u0, channels)))),
        _mm_loadu_si128((const __m128i *)(p + tk_rs_unit_offset(u1, channels))), 1);
    const vec mask =
        _mm256_loadu2_m128i((const __m128i *)tk_rs_unit_shuf[channels - 1][u1 % channels],
                            (const __m128i *)tk_rs_unit_shuf[channels - 1][u0 % channels]);
    return _mm256_shuffle_epi8(raw, mask);
}

#include "kernels_x86_256.h"

#include "kernels_body.h"
