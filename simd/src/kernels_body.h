/*
 * kernels_body.h — the SIMD kernels, written once and compiled once per ISA
 * (zstd's approach): each kernels_<isa>.c is built with its ISA's flags,
 * defines the vector primitives below for its register width, then includes
 * this file, which builds the horizontal pass, the vertical pass and
 * premultiplication from them and emits the ISA's table. Only what depends on
 * the lane width stays in the ISA file: the source unpacking, the fold of
 * partial sums and the final narrowing.
 *
 * Horizontal: each source row is unpacked once into int16 pairs of pixels per
 * channel, e.g. RGB [r0 r1 g0 g1 b0 b1 0 0]; windows start at even pixels, so
 * every output pixel just loads those pairs and multiplies them by the
 * matching weight pairs (rs_plan.h) with a pairwise multiply-add (pmaddwd),
 * with each weight load shared by up to four rows.
 * Vertical: two intermediate rows are interleaved and one multiply-add applies
 * both row weights to VEC_I16 columns at once.
 * Premultiplication: one register of bytes per step, in 16-bit lanes.
 *
 * All integer, so every ISA writes the scalar reference's bytes
 * (tk_resample.h); sums may be added in any order because int32 addition is
 * exact.
 *
 * What the including file defines first (functions static inline; on x86,
 * kernels_x86.h writes the lane-independent ones once for every width):
 *   TK_RS_BODY_TABLE        name of the table to emit: tk_kernels_<isa>
 *   vec, VEC_I16            the register type and its number of int16 lanes
 *   src16, src16_load(p), src16_load_tail(row, off, row_bytes)
 *                           16 source bytes as loaded (rs_load.h on x86)
 *   v_load(p), v_store(p, v), v_zero(), v_set1_i32(x), v_set1_i16(x)
 *   v_madd(acc, a, b)       acc + pairwise int16 products:
 *                           acc.i32[k] += a[2k] * b[2k] + a[2k+1] * b[2k+1]
 *   v_round(s, rnd, shift)  (s + rnd) >> shift, arithmetic, int32 lanes
 *   v_interleave_lo(a, b), v_interleave_hi(a, b)
 *                           int16 lanes of two rows interleaved, in the ISA's
 *                           unpacklo/unpackhi order
 *   v_widen_lo_u8(v), v_widen_hi_u8(v), v_narrow_u8(lo, hi)
 *                           bytes <-> int16 lanes; narrow(widen_lo, widen_hi) == v
 *   v_add_i16, v_mullo_i16, v_shr8_u16(v)   16-bit lane arithmetic
 *   v_alpha_spread(v, channels)  each pixel's alpha copied over its lanes
 *   v_keep_alpha(r, v, channels) r with the alpha lanes of v
 * and, depending on the lane width:
 *   pix_shuf[4][2 * VEC_I16]  per channel count, the byte shuffle v_unpack()
 *                           applies (int8_t, loaded with v_load)
 *   v_unpack(raw, pmask)    16 source bytes -> VEC_I16 int16 pixel pairs
 *   V_FOLD_ROWS             rows one v_fold_store() finishes (1, or 2 when a
 *                           register holds two rows' sums)
 *   v_fold_store(dst, o, acc, r, rows, rnd, shift, wide, channels)
 *                           for rows r .. r + V_FOLD_ROWS - 1 below @p rows: the
 *                           partial sums acc[r] of each channel added into lanes
 *                           0..channels-1, rounded, narrowed to int16 with
 *                           saturation and written to dst[r] + o with
 *                           tk_rs_store_pixel() (rs_kernels.h)
 *   v_store_u8(dst, lo, hi) the rounded int32 sums of v_interleave_lo/hi, narrowed
 *                           with saturation to VEC_I16 bytes in column order
 *
 * A new ISA (NEON, AVX-512) is one more kernels_<isa>.c: its primitives, this
 * include, a line in the table lookup of dispatch.c and its flags in CMake.
 */
#ifndef TK_RS_BODY_TABLE
#error "define the vector primitives and TK_RS_BODY_TABLE before including kernels_body.h"
#endif

#include "rs_alpha.h"
#include "rs_kernels.h"
#include "rs_scalar.h"

#include <stdint.h>
#include <string.h>

/* Weights of pixel @p x in the layout matching the unpacked pixels (see rs_plan.h). */
static inline const int16_t *pixel_weights(const struct tk_rs_axis *ax, uint32_t x,
                                           const int channels) {
    if (channels == 1) {
        return ax->weights + (size_t)x * ax->stride;
    }
    if (channels == 2) {
        return ax->pairs2 + (size_t)x * ax->stride * 2;
    }
    return ax->pairs4 + (size_t)x * ax->stride * 4;
}

/* Taps of one channel per multiply: gray fills every lane, gray+alpha half,
 * RGB(A) a quarter (pairs of r, g, b and a or padding). */
static inline uint32_t taps_per_vec(const int channels) {
    return VEC_I16 / (channels == 1 ? 1 : channels == 2 ? 2 : 4);
}

/*
 * Unpack chunks [@p from, @p to) of each source row into its buffer: every
 * 16-byte load is shuffled once into int16 pairs of pixels (the layout of
 * pix_shuf), so the per-output loop only loads and multiplies, however many
 * windows share a pixel. Done just ahead of the windows that need them, so the
 * unpacked data is still in L1 when read and source loads overlap the math.
 * Chunks past the row end (loaded as zeros) feed the zero-weight taps.
 */
static inline void unpack_chunks(const uint8_t *const *src, int16_t *const *e, uint32_t from,
                                 uint32_t to, size_t row_bytes, vec pmask, const int channels,
                                 const int rows) {
    const size_t advance = (size_t)taps_per_vec(channels) * channels; /* bytes per chunk */
    for (uint32_t j = from; j < to; j++) {
        const size_t off = (size_t)j * advance;
        const int whole = off + 16 <= row_bytes;
#pragma GCC unroll 4
        for (int r = 0; r < rows; r++) {
            const src16 raw =
                whole ? src16_load(src[r] + off) : src16_load_tail(src[r], off, row_bytes);
            v_store(e[r] + (size_t)j * VEC_I16, v_unpack(raw, pmask));
        }
    }
}

static inline __attribute__((always_inline)) void
hpass_c(const uint8_t *const *src, int16_t *const *dst, const struct tk_rs_axis *ax, int16_t *work,
        const int channels, const int rows) {
    const uint32_t step = taps_per_vec(channels);
    const uint32_t pair_elems = channels == 1 ? 2 : channels == 2 ? 4 : 8; /* int16 per 2 px */
    const int shift = ax->precision - TK_RS_INTER_BITS;
    const vec pmask = v_load(pix_shuf[channels - 1]);
    const vec rnd = v_set1_i32(1 << (shift - 1));
    const size_t row_bytes = (size_t)ax->in_size * channels;
    const uint32_t chunks = (ax->in_size + step - 1) / step + 1; /* a chunk holds step pixels */
    uint32_t unpacked = 0;
    int16_t *e[TK_RS_HPASS_MAX_ROWS];
#pragma GCC unroll 4
    for (int r = 0; r < rows; r++) {
        e[r] = work + tk_rs_hpass_work_elems(ax->in_size) * r;
    }

    for (uint32_t x = 0; x < ax->out_size; x++) {
        const int16_t *w = pixel_weights(ax, x, channels);
        const uint32_t n = (ax->len[x] + step - 1) / step;
        /* Windows start at even pixels (plan.c), i.e. on a pair boundary. */
        const size_t base = (size_t)(ax->start[x] / 2) * pair_elems;
        const size_t end = base + (size_t)n * VEC_I16;
        const uint32_t need = (uint32_t)((end + VEC_I16 - 1) / VEC_I16);
        if (need > unpacked) {
            unpack_chunks(src, e, unpacked, need < chunks ? need : chunks, row_bytes, pmask,
                          channels, rows);
            unpacked = need;
        }
        vec acc[TK_RS_HPASS_MAX_ROWS];
#pragma GCC unroll 4
        for (int r = 0; r < rows; r++) {
            acc[r] = v_zero();
        }
        for (size_t i = base; i < end; i += VEC_I16, w += VEC_I16) {
            const vec wv = v_load(w);
#pragma GCC unroll 4
            for (int r = 0; r < rows; r++) {
                acc[r] = v_madd(acc[r], v_load(e[r] + i), wv);
            }
        }
        const int wide = x + 1 < ax->out_size;
#pragma GCC unroll 4
        for (int r = 0; r < rows; r += V_FOLD_ROWS) {
            v_fold_store(dst, (size_t)x * channels, acc, r, rows, rnd, shift, wide, channels);
        }
    }
}

static inline vec weight_pair(const int16_t *w) {
    int32_t pair;
    memcpy(&pair, w, sizeof pair);
    return v_set1_i32(pair);
}

static void vpass(const int16_t *const *rows, const int16_t *w, uint32_t n, uint8_t *dst,
                  size_t count, int shift) {
    const vec rnd = v_set1_i32(1 << (shift - 1));
    size_t i = 0;
    for (; i + VEC_I16 <= count; i += VEC_I16) {
        vec lo = v_zero(), hi = v_zero();
        for (uint32_t j = 0; j < n; j += 2) {
            const vec a = v_load(rows[j] + i);
            const vec b = v_load(rows[j + 1] + i);
            const vec wp = weight_pair(w + j);
            lo = v_madd(lo, v_interleave_lo(a, b), wp);
            hi = v_madd(hi, v_interleave_hi(a, b), wp);
        }
        v_store_u8(dst + i, v_round(lo, rnd, shift), v_round(hi, rnd, shift));
    }
    for (; i < count; i++) {
        dst[i] = tk_rs_vpass_one(rows, w, n, i, shift);
    }
}

/*
 * Premultiply the int16 lanes of one register: round(c * a / 255) as
 * (t + (t >> 8)) >> 8 with t = c * a + 128, which stays below 2^16, so
 * unsigned 16-bit lanes compute exactly what alpha.c computes; alpha lanes
 * are kept.
 */
static inline vec premul_lanes(vec v, const int channels) {
    const vec a = v_alpha_spread(v, channels);
    const vec t = v_add_i16(v_mullo_i16(v, a), v_set1_i16(128));
    const vec r = v_shr8_u16(v_add_i16(t, v_shr8_u16(t)));
    return v_keep_alpha(r, v, channels);
}

static inline void premul_c(const uint8_t *src, uint8_t *dst, uint32_t width, const int channels) {
    const uint32_t bytes = sizeof(vec);
    const uint32_t per = bytes / channels; /* pixels per register */
    uint32_t x = 0;
    for (; x + per <= width; x += per, src += bytes, dst += bytes) {
        const vec v = v_load(src);
        const vec lo = premul_lanes(v_widen_lo_u8(v), channels);
        const vec hi = premul_lanes(v_widen_hi_u8(v), channels);
        v_store(dst, v_narrow_u8(lo, hi));
    }
    tk_rs_premultiply_row(src, dst, width - x, channels);
}

TK_RS_DEFINE_KERNELS(TK_RS_BODY_TABLE)
