/* encode.h — JPEG, PNG and WebP encoders. None ever leaves a partial output. */
#ifndef TK_ENCODE_H
#define TK_ENCODE_H

#include "thumbkit.h"

/**
 * Encode a GRAY or RGB image as baseline (or progressive) JPEG: 4:4:4, or 4:2:0
 * with @p subsample; optimized Huffman tables, no metadata. On success *@p out is
 * malloc'd and owned by the caller; on failure it is NULL.
 * @return TK_OK or TK_ERR_ENCODE.
 */
enum tk_status tk_jpeg_encode(const struct tk_image *img, int quality, bool progressive,
                              bool subsample, uint8_t **out, size_t *out_size, char *err,
                              size_t errlen);

/**
 * Encode any layout as an 8-bit PNG (alpha kept). On success *@p out is
 * malloc'd and owned by the caller; on failure it is NULL.
 * @return TK_OK or TK_ERR_ENCODE.
 */
enum tk_status tk_png_encode(const struct tk_image *img, uint8_t **out, size_t *out_size, char *err,
                             size_t errlen);

/**
 * Encode any layout as a lossy WebP of @p quality (1..100); alpha is kept, gray is widened to
 * RGB. No metadata (the pixels are sRGB). On success *@p out is malloc'd and owned by the
 * caller; on failure it is NULL.
 * @return TK_OK or TK_ERR_ENCODE.
 */
enum tk_status tk_webp_encode(const struct tk_image *img, int quality, uint8_t **out,
                              size_t *out_size, char *err, size_t errlen);

#endif
