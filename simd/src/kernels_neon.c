/*
 * kernels_neon.c — the kernel body (kernels_body.h) on 128-bit NEON (AArch64
 * Advanced SIMD, present on every arm64 CPU, so no extra compile flag). The
 * body is written in x86 terms; each primitive here is the same integer
 * operation in NEON form:
 *   pmaddwd         smull + smull2 + addp (pairwise int32 sums of products)
 *   pshufb          tbl (an index of 0xFF, like pshufb's high bit, gives 0)
 *   unpacklo/hi     zip1/zip2
 *   packssdw/packuswb  sqxtn/sqxtun (the same saturations)
 *   psrad           sshl by a negative count (arithmetic shift right)
 * so every result equals the scalar reference's (tk_resample.h). The vector
 * type is int16x8_t; other lane views are free reinterpretations. One row per
 * register as with SSE4.1: 8 taps of gray, 4 of gray+alpha or 2 of RGB/RGBA
 * per multiply-add; the vertical pass handles 8 columns per step,
 * premultiplication 16 bytes.
 */
#include <arm_neon.h>

#include "rs_kernels.h"
#include "rs_src128.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef int16x8_t vec;
#define VEC_I16          8
#define TK_RS_BODY_TABLE tk_kernels_neon

#define AS_S32(v) vreinterpretq_s32_s16(v)
#define AS_U8(v)  vreinterpretq_u8_s16(v)
#define AS_U16(v) vreinterpretq_u16_s16(v)
#define S16(v)    vreinterpretq_s16_s32(v)

/** 16 source bytes, before they are unpacked. */
typedef uint8x16_t src16;

static inline src16 src16_load(const uint8_t *p) {
    return vld1q_u8(p);
}

/* Zeros past the row's end: a whole-vector load must not cross into memory the row does not own. */
static inline src16 src16_load_tail(const uint8_t *row, size_t off, size_t row_bytes) {
    uint8_t tmp[16];
    return src16_load(tk_rs_src16_at(row, off, row_bytes, tmp));
}

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

/* pmaddwd: the eight int32 products, then adjacent pairs added (addp). The sums
 * wrap in int32 exactly as pmaddwd's do. */
static inline vec v_madd(vec acc, vec a, vec b) {
    const int32x4_t lo = vmull_s16(vget_low_s16(a), vget_low_s16(b));
    const int32x4_t hi = vmull_high_s16(a, b);
    return S16(vaddq_s32(AS_S32(acc), vpaddq_s32(lo, hi)));
}

static inline vec v_round(vec s, vec rnd, int shift) {
    return S16(vshlq_s32(vaddq_s32(AS_S32(s), AS_S32(rnd)), vdupq_n_s32(-shift)));
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

/* Per channel count: source bytes -> int16 pairs of pixels per channel, the
 * table SSE4.1's pshufb reads too (rs_src128.h). */
#define pix_shuf tk_rs_pix_shuf128

static inline vec v_unpack(src16 raw, vec pmask) {
    return vreinterpretq_s16_u8(vqtbl1q_u8(raw, AS_U8(pmask)));
}

/* The partial sums of each channel into int32 lanes 0..channels-1 (gray: all
 * four lanes hold gray sums; gray+alpha: lanes 0, 2 gray and 1, 3 alpha). */
static inline int32x4_t fold_channels(int32x4_t s, const int channels) {
    if (channels == 1) {
        return vdupq_n_s32(vaddvq_s32(s));
    }
    if (channels == 2) {
        return vaddq_s32(s, vextq_s32(s, s, 2));
    }
    return s;
}

/* One row per register: fold row @p r, round, narrow, store. */
#define V_FOLD_ROWS 1
static inline void v_fold_store(int16_t *const *dst, size_t o, const vec *acc, int r, int rows,
                                vec rnd, int shift, int wide, const int channels) {
    (void)rows;
    const vec s = v_round(S16(fold_channels(AS_S32(acc[r]), channels)), rnd, shift);
    const int16x4_t packed = vqmovn_s32(AS_S32(s));
    tk_rs_store_pixel(dst[r] + o, vget_lane_s64(vreinterpret_s64_s16(packed), 0), wide, channels);
}

static inline void v_store_u8(uint8_t *dst, vec lo, vec hi) {
    const int16x8_t v16 = vcombine_s16(vqmovn_s32(AS_S32(lo)), vqmovn_s32(AS_S32(hi)));
    vst1_u8(dst, vqmovun_s16(v16));
}

#include "kernels_body.h"
