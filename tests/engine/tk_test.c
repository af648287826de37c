/* tk_test.c — image helpers shared by the engine tests (see tk_test.h). */
#include "tk_test.h"

#include <math.h>

double tk_test_mad(const struct tk_image *a, const struct tk_image *b) {
    if (a->width != b->width || a->height != b->height || a->layout != b->layout) {
        return -1;
    }
    double sum = 0;
    size_t row = (size_t)a->width * (size_t)a->layout;
    for (uint32_t y = 0; y < a->height; y++) {
        const uint8_t *pa = a->pixels + (size_t)y * a->stride;
        const uint8_t *pb = b->pixels + (size_t)y * b->stride;
        for (size_t i = 0; i < row; i++) {
            sum += fabs((double)pa[i] - (double)pb[i]);
        }
    }
    return sum / ((double)row * a->height);
}

double tk_test_region_mean(const struct tk_image *img, uint32_t x, uint32_t y, uint32_t w,
                           uint32_t h, int c) {
    double sum = 0;
    for (uint32_t j = y; j < y + h; j++) {
        for (uint32_t i = x; i < x + w; i++) {
            sum += img->pixels[(size_t)j * img->stride + (size_t)i * img->layout + (size_t)c];
        }
    }
    return sum / ((double)w * h);
}

enum tk_status tk_test_thumb(const struct test_file *f, uint32_t box_w, uint32_t box_h,
                             struct tk_result *res) {
    struct tk_options o;
    tk_options_init(&o);
    o.targets[0].width = box_w;
    o.targets[0].height = box_h;
    o.format = TK_FORMAT_PNG;
    o.keep_pixels = true;
    return tk_thumbnail(f->data, f->size, &o, res);
}

uint32_t tk_test_crc32(const uint8_t *p, size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++) {
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
        }
    }
    return ~c;
}
