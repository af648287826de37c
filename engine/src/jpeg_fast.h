/*
 * jpeg_fast.h — the fast JPEG decoder for reduced scales (1/8, 1/4, 1/2).
 *
 * At 1/8 each 8x8 block becomes one pixel, at 1/4 a 2x2 and at 1/2 a 4x4 box of pixels, so
 * only the lowest coefficients of each block matter: the DC at 1/8, zig-zag 0..4 at 1/4
 * (natural 0, 1, 8, 9) and 0..24 at 1/2 (the top-left 4x4). This decoder never materialises
 * the rest:
 *   - Baseline (sequential Huffman): the AC symbols past the last needed coefficient are
 *     consumed by a table that skips several symbols per lookup (jpeg_fast_huff.h).
 *   - Progressive: scans that touch only unneeded coefficients (and that no needed scan
 *     depends on) are skipped by marker scanning, without entropy decoding.
 *
 * Pixels:
 *   - 1/8: the DC through libjpeg-turbo's own 1x1 IDCT, upsampling and colour tables, so
 *     gray, 4:4:4, 4:2:2 and 4:4:0 equal libjpeg-turbo's scale-1/8 output byte for byte.
 *     For 4:2:0 libjpeg-turbo builds chroma with a 2x2 IDCT that needs AC coefficients;
 *     here the chroma DC plane is upsampled with a triangle filter instead.
 *   - 1/4 and 1/2: each output pixel is the exact box average of the block's band-limited
 *     signal (the IDCT restricted to the needed coefficients, averaged over 4x4 or 2x2
 *     pixels). libjpeg-turbo's reduced IDCTs also use the odd coefficients 3, 5 and 7, so
 *     these outputs differ slightly from libjpeg-turbo's; the tests state the tolerance.
 *
 * Anything else — CMYK/YCCK, RGB-coded, arithmetic coding, 12-bit, lossless, DNL, other
 * samplings, baseline at 1/2 — is "not eligible": the caller decodes with libjpeg-turbo.
 * Corrupt or truncated data is reported as TK_ERR_CORRUPT; the caller then lets libjpeg-turbo
 * have the final say on the same bytes.
 */
#ifndef TK_JPEG_FAST_H
#define TK_JPEG_FAST_H

#include "thumbkit.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Codings the caller lets the fast decoder take (a bit set). */
enum tk_jpeg_fast_codings {
    TK_JPEG_FAST_BASELINE = 1,    /**< sequential Huffman, SOF0/SOF1 */
    TK_JPEG_FAST_PROGRESSIVE = 2, /**< progressive Huffman, SOF2 */
};

/** One fast decode. */
struct tk_jpeg_fast_request {
    int scale_denom;     /**< 2, 4 or 8 */
    unsigned codings;    /**< enum tk_jpeg_fast_codings bits */
    uint64_t max_pixels; /**< refuse larger stored images before allocating */
    double *entropy_ms;  /**< if not NULL, receives the time spent parsing and entropy decoding */
    double (*clock_ms)(void); /**< the clock for entropy_ms; NULL: monotonic (tk_clock.h) */
};

/**
 * Decode @p data at 1/req->scale_denom into @p out: ceil(width/s) x ceil(height/s),
 * TK_LAYOUT_GRAY or TK_LAYOUT_RGB (caller frees with tk_image_free()).
 * Sets @p *eligible to false, returns TK_OK and leaves @p out empty when the file is valid so
 * far but not for this decoder; the caller then decodes normally.
 * @return TK_OK, TK_ERR_CORRUPT (bad or truncated data), TK_ERR_TOO_LARGE, TK_ERR_NO_MEMORY
 * or TK_ERR_INVALID_ARGUMENT (scale), with a sentence in @p err.
 * Reentrant: no global state.
 */
enum tk_status tk_jpeg_fast_decode(const uint8_t *data, size_t size,
                                   const struct tk_jpeg_fast_request *req, struct tk_image *out,
                                   bool *eligible, char *err, size_t errlen);

#endif /* TK_JPEG_FAST_H */
