/*
 * rs_kernels.h — the kernel signatures, one per pass, and the per-ISA tables.
 *
 * All kernels are integer-only and must write identical values for the same
 * input on every ISA (the bit-exact contract of tk_resample.h).
 */
#ifndef TK_RS_KERNELS_H
#define TK_RS_KERNELS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "rs_plan.h"

/*
 * Horizontal pass over @p rows (1..the table's hpass_rows[channels - 1]) rows of ax->in_size
 * 8-bit pixels of a fixed channel count (one function per count); rows done
 * together share the weight loads and loop overhead. With 2 or 4 channels the
 * last is straight alpha, and the pass filters the premultiplied pixels
 * (tk_rs_premultiply_row() of rs_alpha.h, exactly). Writes ax->out_size pixels
 * per row as int16 with TK_RS_INTER_BITS fraction bits:
 *   dst = clamp_int16((sum_k src[start+k] * w[k] + round) >> (precision - INTER_BITS)).
 * Never reads outside src[r][0 .. in_size * channels) nor writes outside
 * dst[r][0 .. out_size * channels). @p work is scratch of the table's
 * hpass_work_bytes(ax, channels) bytes, aligned to TK_RS_WORK_ALIGN.
 */
typedef void (*tk_rs_hpass_fn)(const uint8_t *const *src, int16_t *const *dst, int rows,
                               const struct tk_rs_axis *ax, void *work);

/* The most rows any kernel filters in one horizontal call (AVX-512: 16 int32 lanes). */
#define TK_RS_HPASS_MAX_ROWS 16

/* Alignment of the horizontal pass's scratch (a cache line, the widest register). */
#define TK_RS_WORK_ALIGN 64

/*
 * Vertical pass producing @p count bytes of one output row:
 *   dst[i] = clamp_u8((sum_j rows[j][i] * w[j] + round) >> shift), j < n.
 * @p rows and @p w hold n rounded up to even entries: for odd n the extra
 * weight is 0 and the extra row pointer repeats a valid row.
 */
typedef void (*tk_rs_vpass_fn)(const int16_t *const *rows, const int16_t *w, uint32_t n,
                               uint8_t *dst, size_t count, int shift);

/*
 * The vertical pass for two output rows whose windows overlap, each source row
 * loaded once for both: @p rows is the union of the windows (rows[k] for k up
 * to the larger of n0 and off1 + n1, rounded up to even; entries past the
 * union repeat a valid row). Output 0 is the vpass of rows[0 .. n0) with @p w0
 * (zero from n0 to the stride); output 1 that of rows[off1 .. off1 + n1) with
 * weights @p w1 laid out on the union: w1[k] for row k, zero outside
 * [off1, off1 + n1) and up to the rounded union length.
 */
typedef void (*tk_rs_vpass2_fn)(const int16_t *const *rows, const int16_t *w0, uint32_t n0,
                                const int16_t *w1, uint32_t off1, uint32_t n1, uint8_t *dst0,
                                uint8_t *dst1, size_t count, int shift);

/*
 * Premultiply one row of @p width pixels with straight alpha last (2 or 4
 * channels, one function each): colour = round(colour * alpha / 255), alpha
 * kept; exactly tk_rs_premultiply_row() of rs_alpha.h, which the SIMD
 * versions use for their tails.
 */
typedef void (*tk_rs_premul_fn)(const uint8_t *src, uint8_t *dst, uint32_t width);

struct tk_kernels {
    tk_rs_hpass_fn hpass[4]; /* index: channels - 1 */
    tk_rs_vpass_fn vpass;
    tk_rs_vpass2_fn vpass2;
    tk_rs_premul_fn premul[2]; /* index: 0 for 2 channels, 1 for 4 */
    int hpass_rows[4];         /* per channel count: rows per horizontal call */
    /* Scratch bytes hpass needs for the axis @p ax and @p channels. */
    size_t (*hpass_work_bytes)(const struct tk_rs_axis *ax, int channels);
};

extern const struct tk_kernels tk_kernels_scalar;
#ifdef TK_SIMD_X86
extern const struct tk_kernels tk_kernels_sse41;
extern const struct tk_kernels tk_kernels_avx2;
extern const struct tk_kernels tk_kernels_avx512;
#endif
#ifdef TK_SIMD_NEON
extern const struct tk_kernels tk_kernels_neon;
#endif

/*
 * The wiring every kernel file shares, so each file writes only its arithmetic.
 * Before TK_RS_DEFINE_KERNELS(name, rows1, rows2, rows3, rows4) a file defines:
 *   static inline void hpass_c(const uint8_t *const *src, int16_t *const *dst,
 *                              const struct tk_rs_axis *ax, void *work,
 *                              const int channels, int rows);
 *   static size_t hpass_work_bytes(const struct tk_rs_axis *ax, int channels);
 *   static void vpass(...);                                (a tk_rs_vpass_fn)
 *   static void vpass2(...);                               (a tk_rs_vpass2_fn)
 *   static inline void premul_c(const uint8_t *src, uint8_t *dst, uint32_t width,
 *                               const int channels);
 * and gets one horizontal pass per channel count (the channel count turned
 * into a constant, so hpass_c can unroll over channels), the premultiply entry
 * points and the table `const struct tk_kernels name` for @p rows1 .. @p rows4
 * rows per call with 1 .. 4 channels.
 */
#define TK_RS_HPASS(c)                                                                             \
    static void hpass##c(const uint8_t *const *src, int16_t *const *dst, int rows,                 \
                         const struct tk_rs_axis *ax, void *work) {                                \
        hpass_c(src, dst, ax, work, c, rows);                                                      \
    }

#define TK_RS_DEFINE_KERNELS(name, rows1, rows2, rows3, rows4)                                     \
    TK_RS_HPASS(1)                                                                                 \
    TK_RS_HPASS(2)                                                                                 \
    TK_RS_HPASS(3)                                                                                 \
    TK_RS_HPASS(4)                                                                                 \
    static void premul2(const uint8_t *src, uint8_t *dst, uint32_t width) {                        \
        premul_c(src, dst, width, 2);                                                              \
    }                                                                                              \
    static void premul4(const uint8_t *src, uint8_t *dst, uint32_t width) {                        \
        premul_c(src, dst, width, 4);                                                              \
    }                                                                                              \
    const struct tk_kernels name = {                                                               \
        {hpass1, hpass2, hpass3, hpass4}, vpass,           vpass2, {premul2, premul4},             \
        {rows1, rows2, rows3, rows4},     hpass_work_bytes};

/** @return the kernel table of @p isa (the scalar one if @p isa is not compiled in). */
const struct tk_kernels *tk_kernels_get(enum tk_isa isa);

#endif /* TK_RS_KERNELS_H */
