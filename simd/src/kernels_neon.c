/*
 * kernels_neon.c — the kernel body (kernels_body.h) on 128-bit NEON (AArch64
 * Advanced SIMD, present on every arm64 CPU, so no extra compile flag). The
 * layout is SSE4.1's: the horizontal pass filters 4 rows at once (one per
 * int32 lane, two groups per block), 2 taps per multiply-add lane; the
 * vertical pass handles 8 columns per step, premultiplication 16 bytes. The
 * body is written in x86 terms; each primitive here is the same integer
 * operation in NEON form:
 *   pmaddwd            smull + smull2 + addp (pairwise int32 sums of products)
 *   pshufb             tbl (an index of 0xFF, like pshufb's high bit, gives 0),
 *                      with the unit masks SSE4.1 reads (rs_units.h)
 *   unpacklo/hi        zip1/zip2
 *   packssdw/packuswb  sqxtn/sqxtun (the same saturations)
 *   psrad              sshl by a negative count (arithmetic shift right)
 *   4x4 transpose      trn1/trn2 on 32-bit, then on 64-bit lanes
 * so every result equals the scalar reference's (tk_resample.h).
 */
#include <arm_neon.h>

#include "rs_kernels.h"
#include "rs_units.h"

#include <stddef.h>
#include <stdint.h>

typedef int16x8_t vec;
/* int32 sums of one register. */
typedef int32x4_t vsum;
#define VEC_I16          8
#define TK_RS_BODY_TABLE tk_kernels_neon

#define AS_S32(v) vreinterpretq_s32_s16(v)
#define AS_U8(v)  vreinterpretq_u8_s16(v)
#define AS_U16(v) vreinterpretq_u16_s16(v)
#define S16(v)    vreinterpretq_s16_s32(v)

/* Byte loads and stores: no alignment is assumed, whatever the element type. */
static inline vec v_load(const void *p) {
    return vreinterpretq_s16_u8(vld1q_u8((const uint8_t *)p));
}

static inline void v_store(void *p, vec v) {
    vst1q_u8((uint8_t *)p, AS_U8(v));
}

static inline vec v_zero(void) {
    return vdupq_n_s16(0);
}

static inline vec v_set1_i32(int32_t x) {
    return S16(vdupq_n_s32(x));
}

static inline vec v_set1_i16(int16_t x) {
    return vdupq_n_s16(x);
}

static inline vsum v_sum_zero(void) {
    return vdupq_n_s32(0);
}

static inline vsum v_sum_add(vsum a, vsum b) {
    return vaddq_s32(a, b);
}

/* pmaddwd: the eight int32 products, then adjacent pairs added (addp), in
 * pmaddwd's lane order. The sums wrap in int32 exactly as pmaddwd's do. */
static inline vsum v_madd(vsum acc, vec a, vec b) {
    const int32x4_t lo = vmull_s16(vget_low_s16(a), vget_low_s16(b));
    const int32x4_t hi = vmull_high_s16(a, b);
    return vaddq_s32(acc, vpaddq_s32(lo, hi));
}

static inline vec v_round(vsum s, vec rnd, int shift) {
    return S16(vshlq_s32(vaddq_s32(s, AS_S32(rnd)), vdupq_n_s32(-shift)));
}

static inline vec v_interleave_lo(vec a, vec b) {
    return vzip1q_s16(a, b);
}

static inline vec v_interleave_hi(vec a, vec b) {
    return vzip2q_s16(a, b);
}

static inline vec v_widen_lo_u8(vec v) {
    return vreinterpretq_s16_u16(vmovl_u8(vget_low_u8(AS_U8(v))));
}

static inline vec v_widen_hi_u8(vec v) {
    return vreinterpretq_s16_u16(vmovl_high_u8(AS_U8(v)));
}

/* packuswb: signed int16 to bytes with unsigned saturation. */
static inline vec v_narrow_u8(vec lo, vec hi) {
    return vreinterpretq_s16_u8(vcombine_u8(vqmovun_s16(lo), vqmovun_s16(hi)));
}

static inline vec v_add_i16(vec a, vec b) {
    return vaddq_s16(a, b);
}

static inline vec v_mullo_i16(vec a, vec b) {
    return vmulq_s16(a, b);
}

static inline vec v_shr8_u16(vec v) {
    return vreinterpretq_s16_u16(vshrq_n_u16(AS_U16(v), 8));
}

/* Each pixel's alpha over its lanes: trn2 copies the odd lane of every pair
 * (gray+alpha: [a0 a0 a1 a1 ...]); for RGBA a second trn2 on 32-bit lanes
 * copies the pair holding alpha over the pixel. */
static inline vec v_alpha_spread(vec v, const int channels) {
    const vec odd = vtrn2q_s16(v, v);
    if (channels == 4) {
        return S16(vtrn2q_s32(AS_S32(odd), AS_S32(odd)));
    }
    return odd;
}

/* r with the alpha lanes of v (blend_epi16 0x88 or 0xAA). */
static inline vec v_keep_alpha(vec r, vec v, const int channels) {
    static const uint16_t alpha4[8] = {0, 0, 0, 0xFFFF, 0, 0, 0, 0xFFFF};
    static const uint16_t alpha2[8] = {0, 0xFFFF, 0, 0xFFFF, 0, 0xFFFF, 0, 0xFFFF};
    return vbslq_s16(vld1q_u16(channels == 4 ? alpha4 : alpha2), v, r);
}

/* Units m*4 .. m*4+3 of a period: one 16-byte load (four units span at most
 * 12 bytes) and one tbl with SSE4.1's pshufb mask. */
#define V_UNITS_OVERREAD 16
static inline vec v_units(const uint8_t *p, const int m, const int channels) {
    const int u = m * 4;
    const uint8x16_t raw = vld1q_u8(p + tk_rs_unit_offset(u, channels));
    const uint8x16_t mask = vld1q_u8((const uint8_t *)tk_rs_unit_shuf[channels - 1][u % channels]);
    return vreinterpretq_s16_u8(vqtbl1q_u8(raw, mask));
}

/* 4x4 int32 transpose: trn on 32-bit lanes, then on 64-bit lanes. */
static inline void v_transpose32(vec *m) {
    const int32x4_t t0 = vtrn1q_s32(AS_S32(m[0]), AS_S32(m[1]));
    const int32x4_t t1 = vtrn2q_s32(AS_S32(m[0]), AS_S32(m[1]));
    const int32x4_t t2 = vtrn1q_s32(AS_S32(m[2]), AS_S32(m[3]));
    const int32x4_t t3 = vtrn2q_s32(AS_S32(m[2]), AS_S32(m[3]));
    const int64x2_t q0 = vreinterpretq_s64_s32(t0), q1 = vreinterpretq_s64_s32(t1);
    const int64x2_t q2 = vreinterpretq_s64_s32(t2), q3 = vreinterpretq_s64_s32(t3);
    m[0] = vreinterpretq_s16_s64(vtrn1q_s64(q0, q2));
    m[1] = vreinterpretq_s16_s64(vtrn1q_s64(q1, q3));
    m[2] = vreinterpretq_s16_s64(vtrn2q_s64(q0, q2));
    m[3] = vreinterpretq_s16_s64(vtrn2q_s64(q1, q3));
}

/* The four int32 lanes, narrowed with signed saturation (packssdw). */
static inline void v_store_i16(int16_t *dst, vec v) {
    vst1_s16(dst, vqmovn_s32(AS_S32(v)));
}

static inline void v_store_u8(uint8_t *dst, vec lo, vec hi) {
    const int16x8_t v16 = vcombine_s16(vqmovn_s32(AS_S32(lo)), vqmovn_s32(AS_S32(hi)));
    vst1_u8(dst, vqmovun_s16(v16));
}

#include "kernels_body.h"
