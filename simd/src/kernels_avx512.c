/*
 * kernels_avx512.c — the kernel body (kernels_body.h) on 512-bit AVX-512
 * registers; the only file built with AVX-512 flags. It needs AVX512F and BW
 * (512-bit integer and word operations), VNNI (vpdpwssd: multiply-add and
 * accumulate in one instruction) and VBMI (vpermb: any byte of 64 to any
 * position), the set of Ice Lake, Sapphire Rapids and Zen 4 and later; older
 * AVX-512 CPUs run the AVX2 kernels (cpu.c). The horizontal pass filters 16
 * rows at once (one per int32 lane); a unit vector is one 64-byte load and one
 * vpermb. The vertical pass handles 32 columns per step, premultiplication 64
 * bytes.
 */
#include <immintrin.h>

typedef __m512i vec;
#define VEC_I16          32
#define X86_PREFIX       _mm512
#define X86_SI_BITS      si512
#define X86_VNNI         1 /* v_madd below */
#define X86_MASK_BLEND   1 /* v_keep_alpha below: AVX-512 blends take a mask register */
#define V_UNITS_OVERREAD 64
#define TK_RS_BODY_TABLE tk_kernels_avx512

#include "kernels_x86.h"

/* One instruction: acc + a[2k] * b[2k] + a[2k+1] * b[2k+1] per int32 lane, exact
 * like vpmaddwd + vpaddd (no product pair reaches 2^31 here). */
static inline vsum v_madd(vsum acc, vec a, vec b) {
    return (vsum)_mm512_dpwssd_epi32((vec)acc, a, b);
}

static inline vec v_keep_alpha(vec r, vec v, const int channels) {
    return _mm512_mask_blend_epi16(channels == 4 ? 0x88888888u : 0xAAAAAAAAu, r, v);
}

#define Z (-1) /* vpermb: any byte, zeroed by the mask in v_units */

/*
 * vpermb indices of the 16 units of a vector, the first of phase q (its index
 * mod channels), into 64 bytes loaded at the first unit's pixel pair: the
 * 16-byte lane masks of kernels_x86.h (x86_unit_shuf) continued over 64 bytes.
 * Index: [channels - 1][q]; with 1, 2 or 4 channels every vector starts at
 * phase 0. RGB reads at most 36 bytes, the others 32.
 */
static const int8_t unit_perm[4][3][64] = {
    {
        {0,  Z, 1,  Z, 2,  Z, 3,  Z, 4,  Z, 5,  Z, 6,  Z, 7,  Z, 8,  Z, 9,  Z, 10, Z,
         11, Z, 12, Z, 13, Z, 14, Z, 15, Z, 16, Z, 17, Z, 18, Z, 19, Z, 20, Z, 21, Z,
         22, Z, 23, Z, 24, Z, 25, Z, 26, Z, 27, Z, 28, Z, 29, Z, 30, Z, 31, Z},
    },
    {
        {0,  Z, 2,  Z, 1,  Z, 3,  Z, 4,  Z, 6,  Z, 5,  Z, 7,  Z, 8,  Z, 10, Z, 9,  Z,
         11, Z, 12, Z, 14, Z, 13, Z, 15, Z, 16, Z, 18, Z, 17, Z, 19, Z, 20, Z, 22, Z,
         21, Z, 23, Z, 24, Z, 26, Z, 25, Z, 27, Z, 28, Z, 30, Z, 29, Z, 31, Z},
    },
    {
        {0,  Z, 3,  Z, 1,  Z, 4,  Z, 2,  Z, 5,  Z, 6,  Z, 9,  Z, 7,  Z, 10, Z, 8,  Z,
         11, Z, 12, Z, 15, Z, 13, Z, 16, Z, 14, Z, 17, Z, 18, Z, 21, Z, 19, Z, 22, Z,
         20, Z, 23, Z, 24, Z, 27, Z, 25, Z, 28, Z, 26, Z, 29, Z, 30, Z, 33, Z},
        {1,  Z, 4,  Z, 2,  Z, 5,  Z, 6,  Z, 9,  Z, 7,  Z, 10, Z, 8,  Z, 11, Z, 12, Z,
         15, Z, 13, Z, 16, Z, 14, Z, 17, Z, 18, Z, 21, Z, 19, Z, 22, Z, 20, Z, 23, Z,
         24, Z, 27, Z, 25, Z, 28, Z, 26, Z, 29, Z, 30, Z, 33, Z, 31, Z, 34, Z},
        {2,  Z, 5,  Z, 6,  Z, 9,  Z, 7,  Z, 10, Z, 8,  Z, 11, Z, 12, Z, 15, Z, 13, Z,
         16, Z, 14, Z, 17, Z, 18, Z, 21, Z, 19, Z, 22, Z, 20, Z, 23, Z, 24, Z, 27, Z,
         25, Z, 28, Z, 26, Z, 29, Z, 30, Z, 33, Z, 31, Z, 34, Z, 32, Z, 35, Z},
    },
    {
        {0,  Z, 4,  Z, 1,  Z, 5,  Z, 2,  Z, 6,  Z, 3,  Z, 7,  Z, 8,  Z, 12, Z, 9,  Z,
         13, Z, 10, Z, 14, Z, 11, Z, 15, Z, 16, Z, 20, Z, 17, Z, 21, Z, 18, Z, 22, Z,
         19, Z, 23, Z, 24, Z, 28, Z, 25, Z, 29, Z, 26, Z, 30, Z, 27, Z, 31, Z},
    },
};

#undef Z

/* Units m*16 .. m*16+15 of a period. */
static inline vec v_units(const uint8_t *p, const int m, const int channels) {
    const int u = m * 16;
    const vec raw = _mm512_loadu_si512(p + x86_unit_offset(u, channels));
    const vec idx = _mm512_loadu_si512(unit_perm[channels - 1][u % channels]);
    return _mm512_maskz_permutexvar_epi8(0x5555555555555555ull, idx, raw);
}

/* 16x16 int32 transpose: 4x4 blocks within each 128-bit lane, then the lanes
 * of each group of four vectors transposed as 4x4 blocks of 128 bits. */
static inline void v_transpose32(vec *m) {
    vec t[16], u[16];
    for (int i = 0; i < 16; i += 2) {
        t[i] = _mm512_unpacklo_epi32(m[i], m[i + 1]);
        t[i + 1] = _mm512_unpackhi_epi32(m[i], m[i + 1]);
    }
    for (int i = 0; i < 16; i += 4) {
        u[i] = _mm512_unpacklo_epi64(t[i], t[i + 2]);
        u[i + 1] = _mm512_unpackhi_epi64(t[i], t[i + 2]);
        u[i + 2] = _mm512_unpacklo_epi64(t[i + 1], t[i + 3]);
        u[i + 3] = _mm512_unpackhi_epi64(t[i + 1], t[i + 3]);
    }
    /* u[4g + k], lane L: column 4L + k of rows 4g .. 4g + 3. */
    for (int k = 0; k < 4; k++) {
        const vec a = _mm512_shuffle_i32x4(u[k], u[4 + k], 0x44);
        const vec b = _mm512_shuffle_i32x4(u[k], u[4 + k], 0xEE);
        const vec c = _mm512_shuffle_i32x4(u[8 + k], u[12 + k], 0x44);
        const vec d = _mm512_shuffle_i32x4(u[8 + k], u[12 + k], 0xEE);
        m[k] = _mm512_shuffle_i32x4(a, c, 0x88);
        m[4 + k] = _mm512_shuffle_i32x4(a, c, 0xDD);
        m[8 + k] = _mm512_shuffle_i32x4(b, d, 0x88);
        m[12 + k] = _mm512_shuffle_i32x4(b, d, 0xDD);
    }
}

static inline void v_store_i16(int16_t *dst, vec v) {
    _mm256_storeu_si256((__m256i *)dst, _mm512_cvtsepi32_epi16(v));
}

/* In-lane packs keep column order within each lane; gather the low quadword
 * of each lane to get the 32 bytes in order. */
static inline void v_store_u8(uint8_t *dst, vec lo, vec hi) {
    const vec v16 = _mm512_packs_epi32(lo, hi);
    const vec v8 = _mm512_permutexvar_epi64(_mm512_setr_epi64(0, 2, 4, 6, 1, 3, 5, 7),
                                            _mm512_packus_epi16(v16, v16));
    _mm256_storeu_si256((__m256i *)dst, _mm512_castsi512_si256(v8));
}

#include "kernels_body.h"
