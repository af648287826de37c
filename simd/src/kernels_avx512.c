/*
 * kernels_avx512.c — the kernel body (kernels_body.h) with AVX-512 on 256-bit
 * registers; the only file built with AVX-512 flags. What AVX-512 adds here:
 *   VNNI  vpdpwssd, the multiply-add and its accumulation in one instruction;
 *   VBMI  vpermb, so a vector of units is one load and one byte permute
 *         (AVX2 needs a load per 128-bit lane);
 *   VL    both on 256-bit registers.
 * 512-bit registers did not pay on the machine this was measured on (Zen 4
 * splits them into two 256-bit halves: the same multiply throughput, slower
 * transposes; simd/README.md), so the layout is AVX2's: 8 rows at once, the
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

#define Z (-1) /* vpermb: any byte, zeroed by the mask in v_units */

/*
 * vpermb indices of the 8 units of a vector, the first of phase q (its index
 * mod channels), into 32 bytes loaded at the first unit's pixel pair: the
 * 16-byte masks of rs_units.h (tk_rs_unit_shuf) continued over 32 bytes.
 * Index: [channels - 1][q]; with 1, 2 or 4 channels every vector starts at
 * phase 0. Eight units span at most 24 bytes (RGB).
 */
static const int8_t unit_perm[4][3][32] = {
    {
        {0, Z, 1, Z, 2,  Z, 3,  Z, 4,  Z, 5,  Z, 6,  Z, 7,  Z,
         8, Z, 9, Z, 10, Z, 11, Z, 12, Z, 13, Z, 14, Z, 15, Z},
    },
    {
        {0, Z, 2,  Z, 1, Z, 3,  Z, 4,  Z, 6,  Z, 5,  Z, 7,  Z,
         8, Z, 10, Z, 9, Z, 11, Z, 12, Z, 14, Z, 13, Z, 15, Z},
    },
    {
        {0, Z, 3,  Z, 1, Z, 4,  Z, 2,  Z, 5,  Z, 6,  Z, 9,  Z,
         7, Z, 10, Z, 8, Z, 11, Z, 12, Z, 15, Z, 13, Z, 16, Z},
        {1, Z, 4,  Z, 2,  Z, 5,  Z, 6,  Z, 9,  Z, 7,  Z, 10, Z,
         8, Z, 11, Z, 12, Z, 15, Z, 13, Z, 16, Z, 14, Z, 17, Z},
        {2,  Z, 5,  Z, 6,  Z, 9,  Z, 7,  Z, 10, Z, 8,  Z, 11, Z,
         12, Z, 15, Z, 13, Z, 16, Z, 14, Z, 17, Z, 18, Z, 21, Z},
    },
    {
        {0, Z, 4,  Z, 1, Z, 5,  Z, 2,  Z, 6,  Z, 3,  Z, 7,  Z,
         8, Z, 12, Z, 9, Z, 13, Z, 10, Z, 14, Z, 11, Z, 15, Z},
    },
};

#undef Z

/* Units m*8 .. m*8+7 of a period: one 32-byte load, one vpermb; the mask
 * zeroes the high byte of every int16. */
static inline vec v_units(const uint8_t *p, const int m, const int channels) {
    const int u = m * 8;
    const vec raw = _mm256_loadu_si256((const __m256i *)(p + tk_rs_unit_offset(u, channels)));
    const vec idx = _mm256_loadu_si256((const __m256i *)unit_perm[channels - 1][u % channels]);
    return _mm256_maskz_permutexvar_epi8(0x55555555u, idx, raw);
}

#include "kernels_x86_256.h"

#include "kernels_body.h"
