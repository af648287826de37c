/* alpha.c — exact integer premultiplication around the filter passes. */
#include "rs_alpha.h"

/* round(v / 255) for 0 <= v <= 255 * 255, without a division. */
static inline uint8_t div255(uint32_t v) {
    v += 128;
    return (uint8_t)((v + (v >> 8)) >> 8);
}

void tk_rs_premultiply_row(const uint8_t *src, uint8_t *dst, uint32_t width, int channels) {
    const int colours = channels - 1;
    for (uint32_t x = 0; x < width; x++, src += channels, dst += channels) {
        const uint32_t a = src[colours];
        for (int c = 0; c < colours; c++) {
            dst[c] = div255(src[c] * a);
        }
        dst[colours] = (uint8_t)a;
    }
}

void tk_rs_unpremultiply_row(uint8_t *row, uint32_t width, int channels) {
    const int colours = channels - 1;
    for (uint32_t x = 0; x < width; x++, row += channels) {
        const uint32_t a = row[colours];
        for (int c = 0; c < colours; c++) {
            /* A filtered colour can exceed its alpha (ringing): clamp. */
            uint32_t v = a ? (row[c] * 255u + a / 2) / a : 0;
            row[c] = (uint8_t)(v > 255 ? 255 : v);
        }
    }
}
