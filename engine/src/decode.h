/* decode.h — the decode stage: JPEG (libjpeg, with DCT scaling), PNG (libspng), WebP
 * (libwebp) and HEIC/AVIF (libheif). */
#ifndef TK_DECODE_H
#define TK_DECODE_H

#include <stdbool.h>

#include "colour.h"
#include "thumbkit.h"

/** What the header says about the source image. */
struct tk_source_info {
    uint32_t width; /**< as stored, before orientation */
    uint32_t height;
    int orientation;             /**< EXIF orientation 1..8 (1 when absent or invalid) */
    int components;              /**< colour components in the file */
    bool progressive;            /**< JPEG: multi-scan */
    bool cmyk;                   /**< JPEG: CMYK or YCCK, which tk_jpeg_decode() turns into RGB */
    struct tk_colour_src colour; /**< embedded profile; released with tk_source_info_free() */
};

/** Release what @p info owns (its colour description). */
void tk_source_info_free(struct tk_source_info *info);

/** How the JPEG decode stage should run. */
struct tk_jpeg_request {
    int scale_denom;                    /**< shrink-on-load: 1, 2, 4 or 8 */
    uint64_t max_pixels;                /**< refuse larger stored images before allocating */
    const struct tk_colour_xf *cmyk_xf; /**< CMYK/YCCK through this embedded profile to sRGB;
                                             NULL: the naive (1-C)(1-K) conversion */
    double (*clock_ms)(void); /**< what times the stages (tk_jpeg_stats); NULL: monotonic */
};

/**
 * Read the JPEG header only (no pixel data is decoded): dimensions, EXIF
 * orientation, progressive flag, the ICC profile (APP2, assembled from all its
 * segments). Fails early for images over @p max_pixels. On failure @p info owns nothing.
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
 * Colour from iCCP, else sRGB, else cHRM/gAMA (applied later, at thumbnail size).
 * Refuses images over req->max_pixels or TK_MAX_SOURCE_SIDE from IHDR, before decoding.
 * On failure @p out is left zeroed and @p info owns nothing. @return TK_OK or a status
 * with @p err set.
 */
enum tk_status tk_png_decode(const uint8_t *data, size_t size, const struct tk_png_request *req,
                             struct tk_image *out, struct tk_source_info *info, char *err,
                             size_t errlen);

/** What a WebP or HEIF decode is about to do, for tk_decode_request.admit. */
struct tk_decode_plan {
    uint32_t src_w, src_h; /**< the stored image (after HEIF's irot) */
    int orientation;       /**< EXIF orientation still to apply (1 for HEIF) */
    uint32_t dec_w, dec_h; /**< the image the decoder will return (scaled, or a thumbnail) */
    uint64_t extra;        /**< the decoder's own buffers alive with it at its peak, in bytes
                                (estimated: lossless WebP's full ARGB image, an animation's
                                canvases, HEIF's planes before the conversion to RGB) */
};

/** What a WebP or HEIF decode should do besides decoding. */
struct tk_decode_request {
    uint64_t max_pixels;             /**< refuse larger images from the header, before decoding */
    const struct tk_target *targets; /**< the thumbnails to be made (for shrink-on-load) */
    size_t n_targets;
    bool shrink_on_load; /**< WebP: scaled decode; HEIF: the embedded thumbnail when big enough */
    /** Called once the header is read and the decode chosen, before any pixel is decoded (the
     *  memory budget): TK_OK lets it go on; another status stops the decode with it, @p err
     *  written. NULL: always go on. */
    enum tk_status (*admit)(void *ctx, const struct tk_decode_plan *plan, char *err, size_t errlen);
    void *admit_ctx;
};

/** Run @p req's admit callback on @p plan. @return its status, TK_OK when there is none */
static inline enum tk_status tk_decode_admit(const struct tk_decode_request *req,
                                             const struct tk_decode_plan *plan, char *err,
                                             size_t errlen) {
    return req->admit != NULL ? req->admit(req->admit_ctx, plan, err, errlen) : TK_OK;
}

/**
 * Decode a WebP (lossy, lossless, with alpha; the first frame of an animation) to RGB or
 * RGBA with libwebp, scaled down while decoding when @p req allows (never below twice each
 * target). @p info gets the stored size, EXIF orientation and ICC profile; *@p scale the
 * whole-number part of the reduction.
 * On failure @p out is zeroed and @p info owns nothing. @return TK_OK or a status with @p err.
 */
enum tk_status tk_webp_decode(const uint8_t *data, size_t size, const struct tk_decode_request *req,
                              struct tk_image *out, struct tk_source_info *info, int *scale,
                              char *err, size_t errlen);

/**
 * Decode the primary image of a HEIF (HEVC, AV1) with libheif, loaded on first use: grids
 * assembled, irot/imir applied by libheif (so info->orientation is 1: the EXIF tag of a HEIF
 * describes the stored image and must not be applied again), alpha kept, 10/12 bits reduced
 * to 8. The size comes from the header and is checked against the limit before decoding.
 * With shrink-on-load an embedded thumbnail at least twice every target is used instead.
 * On failure @p out is zeroed and @p info owns nothing. @return TK_OK or a status with @p err.
 */
enum tk_status tk_heif_decode(const uint8_t *data, size_t size, const struct tk_decode_request *req,
                              struct tk_image *out, struct tk_source_info *info, int *scale,
                              char *err, size_t errlen);

#endif
