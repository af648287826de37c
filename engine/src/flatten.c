/* flatten.c — composite straight alpha over an opaque background (for JPEG). */
#include "image.h"
#include "ops.h"

static uint8_t over(unsigned c, unsigned a, unsigned bg) {
    return (uint8_t)((c * a + bg * (255 - a) + 127) / 255);
}

enum tk_status tk_flatten(const struct tk_image *src, const uint8_t bg[3], struct tk_image *dst) {
    bool gray_bg = bg[0] == bg[1] && bg[1] == bg[2];
    enum tk_layout to =
        src->layout == TK_LAYOUT_GRAY_ALPHA && gray_bg ? TK_LAYOUT_GRAY : TK_LAYOUT_RGB;
    enum tk_status st = tk_image_alloc(dst, src->width, src->height, to);
    if (st != TK_OK) {
        return st;
    }
    size_t in_ch = (size_t)src->layout;
    for (uint32_t y = 0; y < src->height; y++) {
        const uint8_t *s = src->pixels + (size_t)y * src->stride;
        uint8_t *d = dst->pixels + (size_t)y * dst->stride;
        for (uint32_t x = 0; x < src->width; x++, s += in_ch) {
            unsigned a = s[in_ch - 1];
            if (to == TK_LAYOUT_GRAY) {
                *d++ = over(s[0], a, bg[0]);
            } else if (src->layout == TK_LAYOUT_GRAY_ALPHA) {
                for (int c = 0; c < 3; c++) {
                    *d++ = over(s[0], a, bg[c]);
                }
            } else {
                for (int c = 0; c < 3; c++) {
                    *d++ = over(s[c], a, bg[c]);
                }
            }
        }
    }
    return TK_OK;
}
