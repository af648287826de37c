/* geometry.h — thumbnail sizes, crops and the shrink-on-load scale. */
#ifndef TK_GEOMETRY_H
#define TK_GEOMETRY_H

#include "thumbkit.h"

/** A rectangle in pixels. */
struct tk_rect {
    uint32_t x, y, w, h;
};

/**
 * The plan for one target, all in stored (pre-orientation) coordinates of the
 * full-size source: resample @c crop to @c out_w x @c out_h, then orient.
 */
struct tk_geom {
    struct tk_rect crop;
    uint32_t out_w, out_h;
};

/** @return true when EXIF orientation @p o moves pixels (2..8; anything else is shown as stored).
 */
static inline int tk_orientation_moves(int o) {
    return o >= 2 && o <= 8;
}

/** @return true when EXIF orientation @p o swaps width and height (5..8). */
static inline int tk_orientation_swaps(int o) {
    return o >= 5 && o <= 8;
}

/**
 * Plan target @p t for a @p src_w x @p src_h stored image shown with EXIF
 * orientation @p orientation. INSIDE keeps the aspect ratio (rounded, at
 * least 1 px); COVER crops the centre to the box aspect and scales it to the
 * box. Neither upscales.
 */
void tk_geom_plan(uint32_t src_w, uint32_t src_h, int orientation, const struct tk_target *t,
                  struct tk_geom *g);

/**
 * The shrink-on-load denominator: the largest of 8, 4, 2, 1 for which every
 * crop, scaled down by it, is still at least 1.7 times its output size
 * (geometry.c says why 1.7).
 */
int tk_geom_pick_scale(const struct tk_geom *g, size_t n);

/** Most source pixels one shrink-on-load block may average (sums stay in 32 bits). */
#define TK_MAX_SHRINK_BLOCK 65536u

/**
 * Whole shrink-on-load factors per axis for decoders that can average blocks (PNG): the
 * largest @p fx, @p fy for which every crop, divided by them, is still at least twice its
 * output size, with fx * fy <= TK_MAX_SHRINK_BLOCK.
 */
void tk_geom_pick_shrink(const struct tk_geom *g, size_t n, uint32_t *fx, uint32_t *fy);

/** A rectangle in pixels of a decoded image, fractional allowed. */
struct tk_region {
    double x, y, w, h;
};

/**
 * Map @p g's crop from full-size coordinates onto the image decoded with blocks of @p fx x @p fy
 * source pixels per decoded pixel (JPEG at 1/s: s x s; PNG's shrink factors).
 * Decoded pixel i covers source pixels [i * f, (i + 1) * f), so the region is the crop
 * divided by f: a partial last block row or column (a 2322-row image decodes to 291 rows at
 * 1/8, of which 290.25 are picture) is sampled as far as it holds picture, no further.
 */
struct tk_region tk_geom_region_on(const struct tk_geom *g, uint32_t fx, uint32_t fy);

/**
 * Map @p g's crop from full-size coordinates onto an image that a decoder resized as a whole
 * from @p src_w x @p src_h to @p dec_w x @p dec_h (libwebp's scaled decode, a HEIF thumbnail):
 * every coordinate scales by the ratio of the sizes.
 */
struct tk_region tk_geom_region_resized(const struct tk_geom *g, uint32_t src_w, uint32_t src_h,
                                        uint32_t dec_w, uint32_t dec_h);

/**
 * How many of the @p decoded pixels along one axis to resample from: at a reduced scale a
 * partial last block (@p src not a multiple of @p scale_denom) averages the encoder's padding
 * into its pixel, and some encoders pad with black; that pixel is left out (the region of
 * tk_geom_region_on() then reaches less than a pixel past the end, which the resampler
 * clamps like any edge). Never fewer than one pixel.
 */
uint32_t tk_geom_whole_pixels(uint32_t src, int scale_denom, uint32_t decoded);

#endif
