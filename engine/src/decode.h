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
    int scale_denom;     /**< shrink-on-load: 1, 2, 4 or 8 */
    uint64_t max_pixels; /**< refuse larger stored images before allocating */
};

/**
 * Read the JPEG header only (no pixel data is decoded): dimensions, EXIF
 * orientation, progressive flag. Fails early for images over @p max_pixels.
 * @return TK_OK or a status with a sentence in @p err.
 */
enum tk_status tk_jpeg_probe(const uint8_t *data, size_t size, uint64_t max_pixels,
                             struct tk_source_info *info, char *err, size_t errlen);

/**
 * Decode a JPEG at 1/req->scale_denom into @p out (GRAY or RGB; CMYK and YCCK
 * are converted to RGB). This is the one place that picks a decode path for a
 * request, so a faster special path (e.g. DC-only for 1/8 of progressive
 * files) can be added here without touching the pipeline.
 * On failure @p out is left zeroed. @return TK_OK or a status with @p err set.
 */
enum tk_status tk_jpeg_decode(const uint8_t *data, size_t size, const struct tk_jpeg_request *req,
                              struct tk_image *out, char *err, size_t errlen);

/** How the PNG decode stage should run. */
struct tk_png_request {
    uint64_t max_pixels; /**< refuse larger stored images before allocating */
    uint32_t shrink_x;   /**< shrink-on-load: average blocks of shrink_x x shrink_y pixels */
    uint32_t shrink_y;   /**< (1 x 1: full size); shrink_x * shrink_y <= 65536 */
};

/**
 * Read the PNG header only: dimensions and EXIF orientation (components is not set). Fails
 * early for images over @p max_pixels or with a side over TK_MAX_SOURCE_SIDE.
 * @return TK_OK or a status with a sentence in @p err.
 */
enum tk_status tk_png_probe(const uint8_t *data, size_t size, uint64_t max_pixels,
                            struct tk_source_info *info, char *err, size_t errlen);

/**
 * Decode a PNG to 8 bits per channel: GRAY, GRAY_ALPHA, RGB or RGBA as fits the
 * source (tRNS becomes alpha, 16-bit is reduced to 8, palettes are expanded).
 * Rows are decoded one at a time, so besides the output the decode holds one source row;
 * with shrink factors each output pixel is the (alpha-weighted) mean of its block, so the
 * output is ceil(width / shrink_x) x ceil(height / shrink_y).
 * Refuses images over req->max_pixels or TK_MAX_SOURCE_SIDE from IHDR, before decoding.
 * On failure @p out is left zeroed. @return TK_OK or a status with @p err set.
 */
enum tk_status tk_png_decode(const uint8_t *data, size_t size, const struct tk_png_request *req,
                             struct tk_image *out, struct tk_source_info *info, char *err,
                             size_t errlen);

#endif
