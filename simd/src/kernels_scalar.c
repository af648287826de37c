/* kernels_scalar.c — the reference kernels every SIMD version must match byte for byte. */
#include "rs_alpha.h"
#include "rs_kernels.h"
#include "rs_scalar.h"

/* Kept out of line: the compiler clones it per constant channel count, and
 * that clone is about 12 % fewer instructions for RGB than the copy GCC 12
 * inlines into each channel count's entry point. */
static __attribute__((noinline)) void hpass_row(const uint8_t *src, int16_t *dst,
                                                const struct tk_rs_axis *ax, const int channels) {
    const int shift = ax->precision - TK_RS_INTER_BITS;
    for (uint32_t x = 0; x < ax->out_size; x++) {
        const int16_t *w = ax->weights + (size_t)x * ax->stride;
        const uint8_t *p = src + (size_t)ax->start[x] * channels;
        int32_t acc[4] = {0, 0, 0, 0};
        for (uint32_t k = 0; k < ax->len[x]; k++, p += channels) {
            for (int c = 0; c < channels; c++) {
                acc[c] += p[c] * w[k];
            }
        }
        for (int c = 0; c < channels; c++) {
            dst[(size_t)x * channels + c] = tk_rs_round_i16(acc[c], shift);
        }
    }
}

/* Rows one after the other: the scalar pass has no loads to share between rows.
 * Straight alpha is premultiplied into @p work first. */
static inline void hpass_c(const uint8_t *const *src, int16_t *const *dst,
                           const struct tk_rs_axis *ax, void *work, const int channels, int rows) {
    for (int r = 0; r < rows; r++) {
        const uint8_t *row = src[r];
        if (channels == 2 || channels == 4) {
            tk_rs_premultiply_row(row, work, ax->in_size, channels);
            row = work;
        }
        hpass_row(row, dst[r], ax, channels);
    }
}

static size_t hpass_work_bytes(const struct tk_rs_axis *ax, int channels) {
    return (size_t)ax->in_size * channels;
}

static void vpass(const int16_t *const *rows, const int16_t *w, uint32_t n, uint8_t *dst,
                  size_t count, int shift) {
    for (size_t i = 0; i < count; i++) {
        dst[i] = tk_rs_vpass_one(rows, w, n, i, shift);
    }
}

static void vpass2(const int16_t *const *rows, const int16_t *w0, uint32_t n0, const int16_t *w1,
                   uint32_t off1, uint32_t n1, uint8_t *dst0, uint8_t *dst1, size_t count,
                   int shift) {
    vpass(rows, w0, n0, dst0, count, shift);
    vpass(rows + off1, w1 + off1, n1, dst1, count, shift);
}

static inline void premul_c(const uint8_t *src, uint8_t *dst, uint32_t width, const int channels) {
    tk_rs_premultiply_row(src, dst, width, channels);
}

TK_RS_DEFINE_KERNELS(tk_kernels_scalar, 1, 1, 1, 1)
