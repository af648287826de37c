/*
 * jpeg_dc.h — the DC-only JPEG decoder: the 1/8-scale fast path.
 *
 * At 1/8 scale each 8x8 block becomes one pixel, its DC coefficient. For a
 * progressive JPEG the DC image sits in the first few scans; the AC scans,
 * most of the file, are skipped by marker scanning without being entropy-
 * decoded, and no whole-image coefficient buffer is built (one int16 per block).
 *
 * Output equals libjpeg-turbo's own scale-1/8 decode exactly for grayscale,
 * 4:4:4 and 4:2:2 (same 1x1 IDCT rounding, h2v1 upsampling and colour
 * tables). For 4:2:0, libjpeg-turbo reconstructs chroma with a 2x2 IDCT that
 * uses AC coefficients; this path upsamples the DC chroma with a triangle
 * filter instead, so chroma differs slightly (the test states the tolerance).
 *
 * Anything else — CMYK/YCCK, RGB-coded, arithmetic coding, 12-bit, lossless,
 * other samplings — is "not eligible" and the caller takes the general path.
 */
#ifndef TK_JPEG_DC_H
#define TK_JPEG_DC_H

#include "thumbkit.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * Decode the DC image of the progressive JPEG @p data: ceil(width/8) x
 * ceil(height/8), TK_LAYOUT_GRAY or TK_LAYOUT_RGB, into @p out (caller frees
 * with tk_image_free()). Refuses images over @p max_pixels (stored width x
 * height) before allocating.
 * Two results: the status, and in @p *eligible whether this path applies.
 * When the file is valid so far but not for this path (baseline, CMYK,
 * arithmetic coding, ...), @p *eligible is false, the status TK_OK and @p out
 * empty; the caller then decodes with the general path.
 * @return TK_OK, TK_ERR_CORRUPT (bad or truncated data), TK_ERR_TOO_LARGE or
 * TK_ERR_NO_MEMORY, with a sentence in @p err.
 * Reentrant: no global state.
 */
enum tk_status tk_jpeg_dc_decode(const uint8_t *data, size_t size, uint64_t max_pixels,
                                 struct tk_image *out, bool *eligible, char *err, size_t errlen);

#endif /* TK_JPEG_DC_H */
