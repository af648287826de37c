/*
 * gu_compare.c — exact and PSNR comparison of images, and a mirror for negative checks.
 */
#include "golden_util.h"

#include <math.h>
#include <string.h>

int gu_image_equal(const struct tk_image *a, const struct tk_image *b) {
    if (a->width != b->width || a->height != b->height || a->layout != b->layout) {
        return 0;
    }
    size_t row = (size_t)a->width * (size_t)a->layout;
    for (uint32_t y = 0; y < a->height; y++) {
        if (memcmp(a->pixels + y * a->stride, b->pixels + y * b->stride, row) != 0) {
            return 0;
        }
    }
    return 1;
}

double gu_psnr(const struct tk_image *a, const struct tk_image *b) {
    size_t row = (size_t)a->width * (size_t)a->layout;
    double sum = 0.0;
    for (uint32_t y = 0; y < a->height; y++) {
        const uint8_t *pa = a->pixels + y * a->stride;
        const uint8_t *pb = b->pixels + y * b->stride;
        for (size_t x = 0; x < row; x++) {
            double d = (double)pa[x] - (double)pb[x];
            sum += d * d;
        }
    }
    double n = (double)row * (double)a->height;
    if (sum == 0.0 || n == 0.0) {
        return 999.0;
    }
    return 10.0 * log10(255.0 * 255.0 / (sum / n));
}

static double luma(const uint8_t *p, enum tk_layout layout) {
    if (layout == TK_LAYOUT_GRAY) {
        return p[0];
    }
    return 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
}

double gu_psnr_luma(const struct tk_image *a, const struct tk_image *b) {
    double sum = 0.0;
    for (uint32_t y = 0; y < a->height; y++) {
        for (uint32_t x = 0; x < a->width; x++) {
            double d = luma(a->pixels + y * a->stride + x * (size_t)a->layout, a->layout) -
                       luma(b->pixels + y * b->stride + x * (size_t)b->layout, b->layout);
            sum += d * d;
        }
    }
    double n = (double)a->width * (double)a->height;
    if (sum == 0.0 || n == 0.0) {
        return 999.0;
    }
    return 10.0 * log10(255.0 * 255.0 / (sum / n));
}

int gu_mirror(const struct tk_image *src, struct tk_image *dst) {
    if (gu_image_alloc(dst, src->width, src->height, src->layout) != 0) {
        return -1;
    }
    size_t nc = (size_t)src->layout;
    for (uint32_t y = 0; y < src->height; y++) {
        for (uint32_t x = 0; x < src->width; x++) {
            memcpy(dst->pixels + y * dst->stride + x * nc,
                   src->pixels + y * src->stride + (src->width - 1 - x) * nc, nc);
        }
    }
    return 0;
}
