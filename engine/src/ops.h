/* ops.h — pixel operations between decode and encode. */
#ifndef TK_OPS_H
#define TK_OPS_H

#include "geometry.h"
#include "thumbkit.h"

/**
 * Resample @p region of @p src (fractional allowed; see tk_rs_plan_create_region() for how
 * far past the last pixel it may reach) to @p out_w x @p out_h with @p filter into a new
 * image @p dst (same layout). A whole-pixel region of the output's size is copied.
 * @return TK_OK, or on failure (@p dst zeroed) TK_ERR_NO_MEMORY, TK_ERR_TOO_LARGE
 * (the output size overflows), TK_ERR_INVALID_ARGUMENT (a zero size or a bad region) or
 * TK_ERR_UNSUPPORTED (the filter's weights do not fit 16-bit fixed point).
 */
enum tk_status tk_resize(const struct tk_image *src, struct tk_region region, uint32_t out_w,
                         uint32_t out_h, enum tk_filter filter, struct tk_image *dst);

/**
 * Apply EXIF orientation @p orientation (1..8) to @p src, writing a new upright
 * image @p dst (width and height swap for 5..8).
 * @return TK_OK or TK_ERR_NO_MEMORY (@p dst zeroed).
 */
enum tk_status tk_orient(const struct tk_image *src, int orientation, struct tk_image *dst);

/**
 * Composite an image with alpha over the opaque colour @p bg into @p dst:
 * RGBA -> RGB; GRAY_ALPHA -> GRAY when @p bg is a gray, else RGB.
 * @return TK_OK or TK_ERR_NO_MEMORY (@p dst zeroed).
 */
enum tk_status tk_flatten(const struct tk_image *src, const uint8_t bg[3], struct tk_image *dst);

#endif
