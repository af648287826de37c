/*
 * kernels_avx512.c — the kernel body (kernels_body.h) with AVX-512 on 256-bit
 * registers; the only file built with AVX-512 flags. What AVX-512 adds here:
 *   VNNI  vpdpwssd, the multiply-add and its accumulation in one instruction;
 *   VBMI  vpermb, so a vector of units is one load and one byte permute
 *         (AVX2 needs a load per 128-bit lane);
 *   VL    both on 256-bit registers.
 * 512-bit registers did not pay on the machine this was measured on (Zen 4
 * splits them into two 256-bit halves: the same multiply throughput, slower
 * transposes; simd/README.md), so the layout is AVX2's: 16 rows at once, the
 * same transpose and stores (kernels_x86_256.h). The CPU needs AVX512F, BW,
 * VL, VNNI and VBMI (Ice Lake, Sapphire Rapids, Zen 4 and later; cpu.c).
 */
#include <immintrin.h>

typedef __m256i vec;
#define VEC_I16          16
#define X86_PREFIX       _mm256
#define X86_SI_BITS      si256
#define X86_VNNI         1  /* v_madd below */
#define V_UNITS_OVERREAD 32 /* v_units loads 32 bytes */
#define TK_RS_BODY_TABLE tk_kernels_avx512

#include "kernels_x86.h"

/* One instruction: acc + a[2k] * b[2k] + a[2k+1] * b[2k+1] per int32 lane,
 * exactly vpmaddwd + vpaddd (no product pair reaches 2^31 here). */
static inline vsum v_madd(vsum acc, vec a, vec b) {
    return (vsum)_mm256_dpwssd_epi32((vec)acc, a, b);
}

/* Units m*8 .. m*8+7 of a period: one 32-byte load and one vpermb. Its byte
 * indices are the two 16-byte masks of rs_units.h, the second moved by the
 * distance between the two lanes' first pixel pairs (at most 12 bytes: eight
 * units span at most 24); the mask zeroes the high byte of every int16. */
static inline vec v_units(const uint8_t *p, const int m, const int channels) {
    const int u0 = m * 8, u1 = m * 8 + 4;
    const size_t o0 = tk_rs_unit_offset(u0, channels), o1 = tk_rs_unit_offset(u1, channels);
    const vec raw = _mm256_loadu_si256((const __m256i *)(p + o0));
    const vec masks =
        _mm256_loadu2_m128i((const __m128i *)tk_rs_unit_shuf[channels - 1][u1 % channels],
                            (const __m128i *)tk_rs_unit_shuf[channels - 1][u0 % channels]);
    const vec idx = _mm256_add_epi8(
        masks, _mm256_set_m128i(_mm_set1_epi8((char)(o1 - o0)), _mm_setzero_si128()));
    return _mm256_maskz_permutexvar_epi8(0x55555555u, idx, raw);
}

#include "kernels_x86_256.h"

#include "kernels_body.h"
