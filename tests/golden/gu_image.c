/*
 * gu_image.c — image allocation and FNV-1a hashes for the golden tools.
 */
#include "golden_util.h"

#include <stdlib.h>
#include <string.h>

int gu_image_alloc(struct tk_image *img, uint32_t w, uint32_t h, enum tk_layout layout) {
    memset(img, 0, sizeof *img);
    size_t stride = (size_t)w * (size_t)layout;
    img->pixels = calloc((stride * h) > 0 ? stride * h : 1, 1);
    if (img->pixels == NULL) {
        return -1;
    }
    img->width = w;
    img->height = h;
    img->stride = stride;
    img->layout = layout;
    return 0;
}

uint64_t gu_fnv1a(const void *data, size_t size, uint64_t h) {
    const uint8_t *p = data;
    for (size_t i = 0; i < size; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}
