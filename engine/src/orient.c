/* orient.c — EXIF orientation applied to the (small) resampled image. */
#include "geometry.h"
#include "image.h"
#include "ops.h"

#include <stddef.h>
#include <string.h>

/*
 * The stored pixel shown at upright (x, y) is at byte origin + x * step_x + y * step_y of the
 * source: each orientation is a corner to start from and two unit steps (a column or a row
 * of the source, either way), so the copy is one strided walk, not a switch per pixel.
 */
struct walk {
    ptrdiff_t origin, step_x, step_y;
};

static struct walk walk_for(int o, const struct tk_image *src, ptrdiff_t ch) {
    const ptrdiff_t right = ch, down = (ptrdiff_t)src->stride;
    const ptrdiff_t last_x = (ptrdiff_t)src->width - 1, last_y = (ptrdiff_t)src->height - 1;
    switch (o) {
    case 2: /* mirrored */
        return (struct walk){last_x * right, -right, down};
    case 3: /* rotated 180 */
        return (struct walk){last_x * right + last_y * down, -right, -down};
    case 4: /* flipped */
        return (struct walk){last_y * down, right, -down};
    case 5: /* transposed */
        return (struct walk){0, down, right};
    case 6: /* needs 90 degrees clockwise */
        return (struct walk){last_y * down, -down, right};
    case 7: /* transversed */
        return (struct walk){last_x * right + last_y * down, -down, -right};
    case 8: /* needs 90 degrees counter-clockwise */
        return (struct walk){last_x * right, down, -right};
    default:
        return (struct walk){0, right, down};
    }
}

/* One upright row of @p w pixels of @p ch bytes (a constant after inlining). */
static inline void walk_row(uint8_t *out, const uint8_t *base, ptrdiff_t at, ptrdiff_t step,
                            uint32_t w, const size_t ch) {
    for (uint32_t x = 0; x < w; x++, at += step) {
        memcpy(out + (size_t)x * ch, base + at, ch);
    }
}

enum tk_status tk_orient(const struct tk_image *src, int orientation, struct tk_image *dst) {
    int o = orientation >= 1 && orientation <= 8 ? orientation : 1;
    uint32_t sw = src->width, sh = src->height;
    uint32_t dw = tk_orientation_swaps(o) ? sh : sw;
    uint32_t dh = tk_orientation_swaps(o) ? sw : sh;
    enum tk_status st = tk_image_alloc(dst, dw, dh, src->layout);
    if (st != TK_OK) {
        return st;
    }
    const size_t ch = (size_t)src->layout;
    const struct walk wk = walk_for(o, src, (ptrdiff_t)ch);
    for (uint32_t y = 0; y < dh; y++) {
        uint8_t *out = dst->pixels + (size_t)y * dst->stride;
        const ptrdiff_t at = wk.origin + (ptrdiff_t)y * wk.step_y;
        if (wk.step_x == (ptrdiff_t)ch) {
            memcpy(out, src->pixels + at, (size_t)dw * ch); /* a row read forwards */
        } else if (ch == 3) {
            walk_row(out, src->pixels, at, wk.step_x, dw, 3);
        } else if (ch == 4) {
            walk_row(out, src->pixels, at, wk.step_x, dw, 4);
        } else if (ch == 1) {
            walk_row(out, src->pixels, at, wk.step_x, dw, 1);
        } else {
            walk_row(out, src->pixels, at, wk.step_x, dw, 2);
        }
    }
    return TK_OK;
}
