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
 * crop, scaled down by it, is still at least twice its output size.
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

/**
 * Map @p g's crop from full-size coordinates onto an image decoded at
 * @p dec_w x @p dec_h (after shrink-on-load). The result lies inside it.
 */
struct tk_rect tk_geom_crop_on(const struct tk_geom *g, uint32_t src_w, uint32_t src_h,
                               uint32_t dec_w, uint32_t dec_h);

#endif
