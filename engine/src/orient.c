/* orient.c — EXIF orientation applied to the (small) resampled image. */
#include "geometry.h"
#include "image.h"
#include "ops.h"

#include <string.h>

enum tk_status tk_orient(const struct tk_image *src, int orientation, struct tk_image *dst) {
    int o = orientation >= 1 && orientation <= 8 ? orientation : 1;
    uint32_t sw = src->width, sh = src->height;
    uint32_t dw = tk_orientation_swaps(o) ? sh : sw;
    uint32_t dh = tk_orientation_swaps(o) ? sw : sh;
    enum tk_status st = tk_image_alloc(dst, dw, dh, src->layout);
    if (st != TK_OK) {
        return st;
    }
    size_t ch = (size_t)src->layout;
    for (uint32_t y = 0; y < dh; y++) {
        uint8_t *out = dst->pixels + (size_t)y * dst->stride;
        for (uint32_t x = 0; x < dw; x++) {
            /* (sx, sy): the stored pixel shown at (x, y) */
            uint32_t sx, sy;
            switch (o) {
            case 2: /* mirrored */
                sx = sw - 1 - x, sy = y;
                break;
            case 3: /* rotated 180 */
                sx = sw - 1 - x, sy = sh - 1 - y;
                break;
            case 4: /* flipped */
                sx = x, sy = sh - 1 - y;
                break;
            case 5: /* transposed */
                sx = y, sy = x;
                break;
            case 6: /* needs 90 degrees clockwise */
                sx = y, sy = sh - 1 - x;
                break;
            case 7: /* transversed */
                sx = sw - 1 - y, sy = sh - 1 - x;
                break;
            case 8: /* needs 90 degrees counter-clockwise */
                sx = sw - 1 - y, sy = x;
                break;
            default:
                sx = x, sy = y;
                break;
            }
            memcpy(out + (size_t)x * ch, src->pixels + (size_t)sy * src->stride + (size_t)sx * ch,
                   ch);
        }
    }
    return TK_OK;
}
