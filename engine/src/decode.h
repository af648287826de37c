/* decode.h — the decode stage: JPEG (libjpeg, with DCT scaling) and PNG (libspng). */
#ifndef TK_DECODE_H
#define TK_DECODE_H

#include <stdbool.h>

#include "thumbkit.h"

/** What the header says about the source image. */
struct tk_source_info {
    uint32_t width; /**< as stored, before orientation */
    uint32_t height;
    int orientation;  /**< EXIF orientation 1..8 (1 when absent or invalid) */
    int components;   /**< colour components in the file */
    bool progressive; /**< JPEG: multi-scan */
};

/** How the JPEG decode stage should run. */
struct tk_jpeg_request {
    int scale_denom;          /**< shrink-on-load: 1, 2, 4 or 8 */
    uint64_t max_pixels;      /**< refuse larger stored images before allocating */
    double (*clock_ms)(void); /**< what times the stages (tk_jpeg_stats); NULL: monotonic */
};

/**
 * Read the JPEG header only (no pixel data is decoded): dimensions, EXIF
 * orientation, progressive flag. Fails early for images over @p max_pixels.
 * @return TK_OK or a status with a sentence in @p err.
 */
enum tk_status tk_jpeg_probe(const uint8_t *data, size_t size, uint64_t max_pixels,
                             struct tk_source_info *info, char *err, size_t errlen);

/** What one JPEG decode says about itself (tk_jpeg_decode()). */
struct tk_jpeg_stats {
    bool fast;         /**< the fast reduced-scale decoder made the image, not libjpeg */
    double entropy_ms; /**< fast decoder: time spent parsing and entropy decoding */
};

/**
 * Decode a JPEG at 1/req->scale_denom into @p out (GRAY or RGB; CMYK and YCCK
 * are converted to RGB). This is the one place that picks a decode path for a
 * request: the fast reduced-scale decoder (jpeg_fast.h) at 1/8, 1/4 and 1/2
 * when it understands the file, libjpeg-turbo otherwise.
 * @p stats (may be NULL) says which decoder ran and for how long it entropy-decoded.
 * On failure @p out is left zeroed. @return TK_OK or a status with @p err set.
 */
enum tk_status tk_jpeg_decode(const uint8_t *data, size_t size, const struct tk_jpeg_request *req,
                              struct tk_image *out, struct tk_jpeg_stats *stats, char *err,
                              size_t errlen);

/**
 * Decode a PNG to 8 bits per channel: GRAY, GRAY_ALPHA, RGB or RGBA as fits the
 * source (tRNS becomes alpha, 16-bit is reduced to 8, palettes are expanded).
 * Refuses images over @p max_pixels from IHDR, before decoding.
 * On failure @p out is left zeroed. @return TK_OK or a status with @p err set.
 */
enum tk_status tk_png_decode(const uint8_t *data, size_t size, uint64_t max_pixels,
                             struct tk_image *out, struct tk_source_info *info, char *err,
                             size_t errlen);

#endif
