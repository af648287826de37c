/* kernels_scalar.c — the reference kernels every SIMD version must match byte for byte. */
#include "rs_alpha.h"
#include "rs_kernels.h"
#include "rs_scalar.h"

static inline __attribute__((always_inline)) void
hpass_c(const uint8_t *src, int16_t *dst, const struct tk_rs_axis *ax, const int channels) {
    const int shift = ax->precision - TK_RS_INTER_BITS;
    for (uint32_t x = 0; x < ax->out_size; x++) {
        const int16_t *w = ax->weights + (size_t)x * ax->stride;
        const uint8_t *p = src + (size_t)ax->start[x] * channels;
        int32_t acc[4] = {0, 0, 0, 0};
        for (uint32_t k = 0; k < ax->len[x]; k++, p += channels) {
            for (int c = 0; c < channels; c++)
                acc[c] += p[c] * w[k];
        }
        for (int c = 0; c < channels; c++)
            dst[(size_t)x * channels + c] = tk_rs_round_i16(acc[c], shift);
    }
}

static void hpass1(const uint8_t *const *src, int16_t *const *dst, int rows,
                   const struct tk_rs_axis *ax, int16_t *work) {
    (void)work;
    for (int r = 0; r < rows; r++)
        hpass_c(src[r], dst[r], ax, 1);
}

static void hpass2(const uint8_t *const *src, int16_t *const *dst, int rows,
                   const struct tk_rs_axis *ax, int16_t *work) {
    (void)work;
    for (int r = 0; r < rows; r++)
        hpass_c(src[r], dst[r], ax, 2);
}

static void hpass3(const uint8_t *const *src, int16_t *const *dst, int rows,
                   const struct tk_rs_axis *ax, int16_t *work) {
    (void)work;
    for (int r = 0; r < rows; r++)
        hpass_c(src[r], dst[r], ax, 3);
}

static void hpass4(const uint8_t *const *src, int16_t *const *dst, int rows,
                   const struct tk_rs_axis *ax, int16_t *work) {
    (void)work;
    for (int r = 0; r < rows; r++)
        hpass_c(src[r], dst[r], ax, 4);
}

static void vpass(const int16_t *const *rows, const int16_t *w, uint32_t n, uint8_t *dst,
                  size_t count, int shift) {
    for (size_t i = 0; i < count; i++)
        dst[i] = tk_rs_vpass_one(rows, w, n, i, shift);
}

static void premul2(const uint8_t *src, uint8_t *dst, uint32_t width) {
    tk_rs_premultiply_row(src, dst, width, 2);
}

static void premul4(const uint8_t *src, uint8_t *dst, uint32_t width) {
    tk_rs_premultiply_row(src, dst, width, 4);
}

const struct tk_kernels tk_kernels_scalar = {
    {hpass1, hpass2, hpass3, hpass4}, vpass, {premul2, premul4}};
