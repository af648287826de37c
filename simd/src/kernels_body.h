/*
 * kernels_body.h — the SIMD kernels, written once and compiled once per ISA
 * (zstd's approach): each kernels_<isa>.c is built with its ISA's flags,
 * defines the vector primitives below for its register width, then includes
 * this file, which builds the horizontal pass, the vertical pass and
 * premultiplication from them and emits the ISA's table. Only what depends on
 * the lane width stays in the ISA file: forming units, the transpose, and the
 * narrowing stores.
 *
 * Horizontal: a block of rows is filtered at once, rows in lanes (one or two
 * groups of V_LANES rows, one row per int32 lane). Each row is cut into units, a pixel pair (2m,
 * 2m+1) of one channel as two int16; a block transpose gathers unit k of every row into one vector.
 * Windows start at even pixels (plan.c), so an output pixel is, per pair of taps, one broadcast
 * weight pair times one vector per channel (pmaddwd / vpdpwssd): no lane is padding whatever the
 * channel count (RGB included), and no sums are folded across lanes. The results, one column of
 * V_LANES rows per vector, are transposed back to rows in groups of V_LANES columns. Vertical: two
 * intermediate rows are interleaved and one multiply-add applies both row weights to VEC_I16
 * columns at once. Premultiplication: one register of bytes per step, in 16-bit lanes.
 *
 * All integer, so every ISA writes the scalar reference's bytes
 * (tk_resample.h); sums may be added in any order because int32 addition is
 * exact.
 *
 * What the including file defines first (functions static inline; on x86,
 * kernels_x86.h writes the lane-independent ones once for every width):
 *   TK_RS_BODY_TABLE        name of the table to emit: tk_kernels_<isa>
 *   vec, VEC_I16            the register type and its number of int16 lanes
 *                           (a power of two from 8 to 32; V_LANES = VEC_I16 / 2)
 *   vsum                    int32 sums of one register (x86: a GCC vector type)
 *   v_load(p), v_store(p, v), v_zero(), v_set1_i32(x), v_set1_i16(x)
 *   v_sum_zero(), v_sum_add(a, b)
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
 *   v_units(p, m, channels) vector m (0 .. channels-1) of the period at p: units
 *                           m*V_LANES .. m*V_LANES + V_LANES-1 of the row, unit k
 *                           being channel k % channels of pixels 2(k / channels)
 *                           and 2(k / channels) + 1 as int16 [first, second];
 *                           a period is the V_LANES pixel pairs from p
 *   V_UNITS_OVERREAD        bytes past a period's end v_units may read (the
 *                           body keeps a zero-padded copy of each row's end)
 *   v_transpose32(m)        m[0 .. V_LANES) as a V_LANES x V_LANES matrix of int32,
 *                           transposed in place
 *   v_store_i16(dst, v)     the V_LANES int32 lanes, narrowed to int16 with
 *                           saturation, to dst[0 .. V_LANES)
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

/* int32 lanes per vector: units per vector, the transpose's size and the pixel
 * pairs of a period. */
#define V_LANES (VEC_I16 / 2)
/* Groups of V_LANES rows filtered together (one vector each per unit), so the
 * weight loads and the per-pixel work are shared by more rows: two, or what the
 * ISA file sets for RGB in V_RGB_GROUPS (one on AVX2, where it measured faster). */
#ifndef V_RGB_GROUPS
#define V_RGB_GROUPS 2
#endif
#define V_GROUPS_OF(c) ((c) == 3 ? V_RGB_GROUPS : 2)
#define V_MAX_ROWS     (V_LANES * 2)

/* Source bytes of one period: V_LANES pixel pairs, i.e. @p channels vectors of units. */
static inline size_t period_bytes(const int channels) {
    return (size_t)2 * V_LANES * channels;
}

/* Bytes kept per row for the periods near the row end, zero-padded (see hpass_c). */
static inline size_t tail_bytes(const int channels) {
    return 3 * period_bytes(channels) + 2 * V_UNITS_OVERREAD;
}

/* Periods covering every pair a window can use: windows end at or before in_size. */
static inline uint32_t n_periods(uint32_t in_size) {
    return ((in_size + 1) / 2 + V_LANES - 1) / V_LANES;
}

/*
 * The transposed units live in a ring of `slots` periods (period p in slot
 * p % slots) followed by a mirror of its first `span` slots, so every window,
 * which spans at most `span` periods, reads contiguous vectors even where the
 * ring wraps. A few KB instead of a whole row of units: the ring stays in L1.
 */
struct unit_ring {
    uint32_t slots;  /* periods in the ring; all of them when the row is that short */
    uint32_t mirror; /* slots copied after the ring: span, or 0 when it never wraps */
};

static inline struct unit_ring unit_ring_of(const struct tk_rs_axis *ax) {
    const uint32_t span = ((ax->max_len + 1) / 2 + V_LANES - 1) / V_LANES + 1;
    const uint32_t all = n_periods(ax->in_size);
    struct unit_ring ring = {span + 2, span};
    if (ring.slots >= all) {
        ring.slots = all;
        ring.mirror = 0;
    }
    return ring;
}

static size_t hpass_work_bytes(const struct tk_rs_axis *ax, int channels) {
    const struct unit_ring ring = unit_ring_of(ax);
    const size_t vecs = ((size_t)(ring.slots + ring.mirror) * channels * V_LANES + 2 * V_LANES) *
                        V_GROUPS_OF(channels);
    return vecs * sizeof(vec) + (size_t)V_LANES * V_GROUPS_OF(channels) * tail_bytes(channels);
}

/*
 * Premultiply transposed units in place: v[i] is unit i of a vector (a pixel
 * pair of one channel, every row), and with 2 or 4 channels the alpha unit of
 * the same pair is v[i - i % channels + channels - 1], lane for lane. So
 * round(c * a / 255) is computed as in alpha.c, as (t + (t >> 8)) >> 8 with
 * t = c * a + 128 < 2^16 in unsigned 16-bit lanes: the same bytes as
 * premultiplying the row first, without a pass over it.
 */
static inline void premul_units(vec *v, const int channels) {
    const vec half = v_set1_i16(128);
#pragma GCC unroll 16
    for (int i = 0; i < V_LANES; i++) {
        if (i % channels != channels - 1) {
            const vec a = v[i - i % channels + channels - 1];
            const vec t = v_add_i16(v_mullo_i16(v[i], a), half);
            v[i] = v_shr8_u16(v_add_i16(t, v_shr8_u16(t)));
        }
    }
}

/* A block reads 8 or 16 rows side by side, more streams than the hardware
 * prefetcher follows, so forming a period asks for each row's bytes this far
 * ahead (a hint: it never faults, even past the row). Measured on the 16 MP
 * shrink (bench/README.md): RGB and RGBA on AVX-512 7-8 % faster, RGBA on
 * AVX2 7 %; gray and gray+alpha, whose periods are a quarter of a cache line,
 * gained nothing, so they do not ask. */
#define PREFETCH_AHEAD 256

/*
 * Transpose the period of a block's rows starting @p off bytes into each row
 * @p q[r] into @p t (and @p copy, when not NULL): vector k * groups + g of
 * the period holds unit k of the rows of group g, lane r from row
 * g * V_LANES + r. A unit is a pixel pair of one channel as two int16, so the
 * compute loop multiplies all rows by one broadcast weight pair. With 2 or 4
 * channels the rows have straight alpha and the colour units are premultiplied
 * here (premul_units).
 */
/* Vector m of the units of group g (rows g * V_LANES on) of one period. */
static inline __attribute__((always_inline)) void form_group(const uint8_t *const *q, size_t off,
                                                             vec *t, vec *copy, const int channels,
                                                             const int m, const int g) {
    const int groups = V_GROUPS_OF(channels);
    vec v[V_LANES];
#pragma GCC unroll 16
    for (int r = 0; r < V_LANES; r++) {
        v[r] = v_units(q[g * V_LANES + r] + off, m, channels);
        if (channels >= 3 && m == 0) {
            __builtin_prefetch(q[g * V_LANES + r] + off + PREFETCH_AHEAD);
        }
    }
    v_transpose32(v);
    if (channels == 2 || channels == 4) {
        premul_units(v, channels);
    }
#pragma GCC unroll 16
    for (int i = 0; i < V_LANES; i++) {
        v_store(t + (m * V_LANES + i) * groups + g, v[i]);
    }
    if (copy) {
#pragma GCC unroll 16
        for (int i = 0; i < V_LANES; i++) {
            v_store(copy + (m * V_LANES + i) * groups + g, v[i]);
        }
    }
}

static inline __attribute__((always_inline)) void
form_period_c(const uint8_t *const *q, size_t off, vec *t, vec *copy, const int channels) {
#pragma GCC unroll 4
    for (int m = 0; m < channels; m++) {
        /* Written out, not a loop: GCC 12 left a loop over two groups rolled. */
        form_group(q, off, t, copy, channels, m, 0);
        if (V_GROUPS_OF(channels) > 1) {
            form_group(q, off, t, copy, channels, m, 1);
        }
    }
}

/* One out-of-line copy per channel count: the compute loop keeps its registers. */
#define FORM_PERIOD(c)                                                                             \
    static __attribute__((noinline)) void form_period##c(const uint8_t *const *q, size_t off,      \
                                                         vec *t, vec *copy) {                      \
        form_period_c(q, off, t, copy, c);                                                         \
    }
FORM_PERIOD(1)
FORM_PERIOD(2)
FORM_PERIOD(3)
FORM_PERIOD(4)

static inline void form_period(const uint8_t *const *q, size_t off, vec *t, vec *copy,
                               const int channels) {
    if (channels == 1) {
        form_period1(q, off, t, copy);
    } else if (channels == 2) {
        form_period2(q, off, t, copy);
    } else if (channels == 3) {
        form_period3(q, off, t, copy);
    } else {
        form_period4(q, off, t, copy);
    }
}

/* The first @p count (<= V_LANES) columns held in @p stage (column i of the
 * rows of group g in vector i * @p groups + g), transposed back to rows,
 * narrowed to int16 with saturation and written to dst[r] + @p done. */
static inline __attribute__((always_inline)) void flush_group(int16_t *const *dst, int rows,
                                                              const vec *stage, size_t done,
                                                              size_t count, const int groups,
                                                              const int g) {
    vec m[V_LANES];
#pragma GCC unroll 16
    for (int i = 0; i < V_LANES; i++) {
        m[i] = stage[i * groups + g];
    }
    v_transpose32(m);
    int16_t *const *d = dst + g * V_LANES;
    const int n = rows - g * V_LANES < V_LANES ? rows - g * V_LANES : V_LANES;
    if (n == V_LANES && count == V_LANES) {
#pragma GCC unroll 16
        for (int r = 0; r < V_LANES; r++) {
            v_store_i16(d[r] + done, m[r]);
        }
        return;
    }
    for (int r = 0; r < n; r++) {
        int16_t tmp[V_LANES];
        v_store_i16(tmp, m[r]);
        memcpy(d[r] + done, tmp, sizeof tmp[0] * count);
    }
}

static inline void flush_columns(int16_t *const *dst, int rows, const vec *stage, size_t done,
                                 size_t count, const int groups) {
    flush_group(dst, rows, stage, done, count, groups, 0);
    if (groups > 1) {
        flush_group(dst, rows, stage, done, count, groups, 1);
    }
}

static inline vec weight_pair(const int16_t *w) {
    int32_t pair;
    memcpy(&pair, w, sizeof pair);
    return v_set1_i32(pair);
}

/*
 * The horizontal pass on a block of V_LANES * groups rows (rows past @p rows repeat the
 * last one; their results are dropped). Work: the ring of transposed units
 * (formed period by period just ahead of the windows that read them), the
 * stage of up to 2 * V_LANES result columns, and per row a zero-padded copy of
 * its last bytes, which the periods near the row end read instead of the row
 * (no load passes the end of a row).
 */
static inline __attribute__((always_inline)) void hpass_c(const uint8_t *const *src,
                                                          int16_t *const *dst,
                                                          const struct tk_rs_axis *ax, void *work,
                                                          const int channels, int rows) {
    const int shift = ax->precision - TK_RS_INTER_BITS;
    const vec rnd = v_set1_i32(1 << (shift - 1));
    const size_t pb = period_bytes(channels), tb = tail_bytes(channels);
    const size_t row_bytes = (size_t)ax->in_size * channels;
    /* Periods read straight from the rows: every load inside the row. */
    const uint32_t direct = row_bytes >= pb + V_UNITS_OVERREAD
                                ? (uint32_t)((row_bytes - pb - V_UNITS_OVERREAD) / pb + 1)
                                : 0;
    const struct unit_ring ring = unit_ring_of(ax);
    const int groups = V_GROUPS_OF(channels), block = V_LANES * groups;
    const size_t per = (size_t)channels * V_LANES * groups; /* vectors per period */
    vec *const t = work;
    vec *const stage = t + (ring.slots + ring.mirror) * per;
    uint8_t *const tails = (uint8_t *)(stage + 2 * V_LANES * groups);
    const uint8_t *row[V_MAX_ROWS], *tail[V_MAX_ROWS];
    for (int r = 0; r < block; r++) {
        const size_t from = (size_t)direct * pb;
        uint8_t *tp = tails + tb * r;
        row[r] = src[r < rows ? r : rows - 1];
        memcpy(tp, row[r] + from, row_bytes - from);
        memset(tp + (row_bytes - from), 0, tb - (row_bytes - from));
        tail[r] = tp;
    }

    uint32_t formed = 0, fslot = 0;  /* periods transposed so far; the ring slot of the next */
    uint32_t wperiod = 0, wslot = 0; /* the period holding the window's first pair; its slot */
    size_t done = 0;                 /* columns written to dst */
    uint32_t pending = 0;            /* columns computed but not yet written, in stage[0 ..) */
    for (uint32_t x = 0; x < ax->out_size; x++) {
        /* Windows start at even pixels (plan.c): pair j0 on. */
        const uint32_t j0 = ax->start[x] / 2, pairs = (ax->len[x] + 1) / 2;
        const uint32_t need = (j0 + pairs + V_LANES - 1) / V_LANES;
        for (; formed < need; formed++) {
            vec *copy = fslot < ring.mirror ? t + (ring.slots + fslot) * per : NULL;
            if (formed < direct) {
                form_period(row, formed * pb, t + fslot * per, copy, channels);
            } else {
                form_period(tail, (formed - direct) * pb, t + fslot * per, copy, channels);
            }
            fslot = fslot + 1 == ring.slots ? 0 : fslot + 1;
        }
        for (; wperiod < j0 / V_LANES; wperiod++) {
            wslot = wslot + 1 == ring.slots ? 0 : wslot + 1;
        }

        /* Every group and channel is a chain of sums of its own; with few
         * chains (gray, gray+alpha), two pairs per step into two sets keep the
         * multiply-adds independent. */
        const int16_t *w = ax->weights + (size_t)x * ax->stride;
        const vec *u = t + wslot * per + (size_t)(j0 % V_LANES) * channels * groups;
        const int chains = channels * groups, step2 = chains <= 4;
        vsum acc[8], acc2[8];
#pragma GCC unroll 8
        for (int k = 0; k < chains; k++) {
            acc[k] = v_sum_zero();
            acc2[k] = v_sum_zero();
        }
        uint32_t j = 0;
        if (step2) {
            for (; j + 2 <= pairs; j += 2, u += 2 * chains) {
                const vec w0 = weight_pair(w + 2 * j), w1 = weight_pair(w + 2 * j + 2);
#pragma GCC unroll 8
                for (int k = 0; k < chains; k++) {
                    acc[k] = v_madd(acc[k], v_load(u + k), w0);
                    acc2[k] = v_madd(acc2[k], v_load(u + chains + k), w1);
                }
            }
        }
        for (; j < pairs; j++, u += chains) {
            const vec w0 = weight_pair(w + 2 * j);
#pragma GCC unroll 8
            for (int k = 0; k < chains; k++) {
                acc[k] = v_madd(acc[k], v_load(u + k), w0);
            }
        }
        /* Chain k is channel k / groups of group k % groups: column
         * pending + k / groups, in the stage's layout. */
#pragma GCC unroll 8
        for (int k = 0; k < chains; k++) {
            const vsum s = step2 ? v_sum_add(acc[k], acc2[k]) : acc[k];
            stage[pending * groups + k] = v_round(s, rnd, shift);
        }
        pending += channels;
        /* channels <= V_LANES, so at most one group of columns completes here. */
        if (pending >= V_LANES) {
            flush_columns(dst, rows, stage, done, V_LANES, groups);
            done += V_LANES;
            pending -= V_LANES;
#pragma GCC unroll 8
            for (int k = 0; k < (channels - 1) * groups; k++) {
                stage[k] = stage[V_LANES * groups + k];
            }
        }
    }
    if (pending > 0) {
        flush_columns(dst, rows, stage, done, pending, groups);
    }
}

static void vpass(const int16_t *const *rows, const int16_t *w, uint32_t n, uint8_t *dst,
                  size_t count, int shift) {
    const vec rnd = v_set1_i32(1 << (shift - 1));
    size_t i = 0;
    for (; i + VEC_I16 <= count; i += VEC_I16) {
        vsum lo = v_sum_zero(), hi = v_sum_zero();
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

/* Rows 2p and 2p + 1 of @p rows at column @p i, interleaved for v_madd. */
#define VPASS_PAIR(p)                                                                              \
    const vec a = v_load(rows[2 * (p)] + i), b = v_load(rows[2 * (p) + 1] + i);                    \
    const vec il = v_interleave_lo(a, b), ih = v_interleave_hi(a, b)

/*
 * Two output rows over the union of their windows, in three stretches of row
 * pairs: output 0 alone, both (each pair loaded and interleaved once for
 * both), output 1 alone. Each output multiplies only its own pairs, so the
 * multiply-adds are those of two single passes and the loads drop by the
 * overlap (about 40 % for a 6x Lanczos3 shrink).
 */
static void vpass2(const int16_t *const *rows, const int16_t *w0, uint32_t n0, const int16_t *w1,
                   uint32_t off1, uint32_t n1, uint8_t *dst0, uint8_t *dst1, size_t count,
                   int shift) {
    const vec rnd = v_set1_i32(1 << (shift - 1));
    const uint32_t end0 = (n0 + 1) / 2, begin1 = off1 / 2, end1 = (off1 + n1 + 1) / 2;
    const uint32_t only0 = begin1 < end0 ? begin1 : end0;
    const uint32_t only1 = begin1 > end0 ? begin1 : end0;
    size_t i = 0;
    for (; i + VEC_I16 <= count; i += VEC_I16) {
        vsum lo0 = v_sum_zero(), hi0 = v_sum_zero(), lo1 = v_sum_zero(), hi1 = v_sum_zero();
        uint32_t p = 0;
        for (; p < only0; p++) {
            VPASS_PAIR(p);
            const vec wp0 = weight_pair(w0 + 2 * p);
            lo0 = v_madd(lo0, il, wp0);
            hi0 = v_madd(hi0, ih, wp0);
        }
        for (p = begin1; p < end0; p++) {
            VPASS_PAIR(p);
            const vec wp0 = weight_pair(w0 + 2 * p), wp1 = weight_pair(w1 + 2 * p);
            lo0 = v_madd(lo0, il, wp0);
            hi0 = v_madd(hi0, ih, wp0);
            lo1 = v_madd(lo1, il, wp1);
            hi1 = v_madd(hi1, ih, wp1);
        }
        for (p = only1; p < end1; p++) {
            VPASS_PAIR(p);
            const vec wp1 = weight_pair(w1 + 2 * p);
            lo1 = v_madd(lo1, il, wp1);
            hi1 = v_madd(hi1, ih, wp1);
        }
        v_store_u8(dst0 + i, v_round(lo0, rnd, shift), v_round(hi0, rnd, shift));
        v_store_u8(dst1 + i, v_round(lo1, rnd, shift), v_round(hi1, rnd, shift));
    }
    for (; i < count; i++) {
        dst0[i] = tk_rs_vpass_one(rows, w0, n0, i, shift);
        dst1[i] = tk_rs_vpass_one(rows + off1, w1 + off1, n1, i, shift);
    }
}

#undef VPASS_PAIR

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

TK_RS_DEFINE_KERNELS(TK_RS_BODY_TABLE, V_LANES *V_GROUPS_OF(1), V_LANES *V_GROUPS_OF(2),
                     V_LANES *V_GROUPS_OF(3), V_LANES *V_GROUPS_OF(4))
