/*
 * golden_util.h — helpers shared by the golden-test tools (gu_*.c): PNG in/out, decoding
 * the engine's encoded output (JPEG through the tests' reference decoder,
 * tests/common/jpeg_reference.h), PSNR, and the case manifest. Files are read and written
 * with tests/common/files.h.
 */
#ifndef TK_GOLDEN_UTIL_H
#define TK_GOLDEN_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "thumbkit.h"

/** Decode an 8-bit gray/gray+alpha/RGB/RGBA PNG into @p img (tk_image_free()). @return 0 or -1. */
int gu_png_decode(const uint8_t *data, size_t size, struct tk_image *img, char *err, size_t errlen);

/** gu_png_decode() of a file. */
int gu_png_read(const char *path, struct tk_image *img, char *err, size_t errlen);

/** Write @p img as a lossless 8-bit PNG of the matching colour type. @return 0 or -1. */
int gu_png_write(const char *path, const struct tk_image *img, char *err, size_t errlen);

/** Decode a baseline/progressive JPEG (gray -> GRAY, colour -> RGB). @return 0 or -1. */
int gu_jpeg_decode(const uint8_t *data, size_t size, struct tk_image *img, char *err,
                   size_t errlen);

/** Decode a WebP (libwebp): RGB, or RGBA with alpha; an animation's first frame. @return 0/-1. */
int gu_webp_decode(const uint8_t *data, size_t size, struct tk_image *img, char *err,
                   size_t errlen);

/** Decode a HEIC/AVIF's primary image (libheif, irot/imir applied) as RGB. @return 0 or -1. */
int gu_heif_decode(const uint8_t *data, size_t size, struct tk_image *img, char *err,
                   size_t errlen);

/**
 * Decode a JPEG or PNG as stored (no EXIF orientation) for display, with libjpeg/libspng,
 * independently of the engine: PNG -> RGBA, colour JPEG -> RGB (CMYK converted naively),
 * gray JPEG -> GRAY; WebP (libwebp) and HEIC/AVIF (libheif) at full size, no colour management.
 * JPEGs are DCT-scaled down while their longer side stays >= @p min_side.
 * @return 0 or -1.
 */
int gu_decode_stored(const uint8_t *data, size_t size, uint32_t min_side, struct tk_image *img,
                     char *err, size_t errlen);

/** @return non-zero when @p a and @p b have the same size, layout and every pixel equal. */
int gu_image_equal(const struct tk_image *a, const struct tk_image *b);

/** PSNR in dB over all samples of two images of the same size and layout; 999 when equal. */
double gu_psnr(const struct tk_image *a, const struct tk_image *b);

/**
 * PSNR in dB of the luma of two GRAY or RGB images of the same size (BT.601 weights),
 * 999 when equal. Luma, because chroma subsampling blurs colour edges of a small JPEG
 * far more than anything the engine could get wrong without also moving luma.
 */
double gu_psnr_luma(const struct tk_image *a, const struct tk_image *b);

/** Copy @p src mirrored left-right into @p dst (allocated). @return 0 or -1. */
int gu_mirror(const struct tk_image *src, struct tk_image *dst);

/** Allocate a zeroed image. @return 0 or -1. */
int gu_image_alloc(struct tk_image *img, uint32_t w, uint32_t h, enum tk_layout layout);

/** One line of manifest.txt. */
struct gu_case {
    char name[64];
    char input[256]; /**< relative to the test data folder */
    struct tk_options opts;
    uint32_t expect_w, expect_h;
};

/**
 * Parse @p path. Lines: NAME INPUT SIZE FIT FILTER FORMAT EXPECT_WxH; '#' starts a comment.
 * @return the number of cases (*@p cases, free()), or -1 with @p err set.
 */
int gu_manifest_load(const char *path, struct gu_case **cases, char *err, size_t errlen);

/** 64-bit FNV-1a, to compare outputs across runs. */
uint64_t gu_fnv1a(const void *data, size_t size, uint64_t h);
#define GU_FNV_INIT 0xcbf29ce484222325ULL

#endif
