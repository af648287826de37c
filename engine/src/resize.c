/* resize.c — crop + resample through the simd/ resampler. */
#include "image.h"
#include "ops.h"
#include "tk_resample.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

static enum tk_rs_filter rs_filter(enum tk_filter f) {
    switch (f) {
    case TK_FILTER_CATMULL_ROM:
        return TK_RS_CATMULL_ROM;
    case TK_FILTER_BILINEAR:
        return TK_RS_BILINEAR;
    case TK_FILTER_BOX:
        return TK_RS_BOX;
    case TK_FILTER_LANCZOS3:
        break;
    }
    return TK_RS_LANCZOS3;
}

/* A region on whole pixels, of exactly the output's size, inside the source. */
static bool is_plain_crop(const struct tk_image *src, struct tk_region r, uint32_t out_w,
                          uint32_t out_h) {
    return r.w == (double)out_w && r.h == (double)out_h && r.x == floor(r.x) && r.y == floor(r.y) &&
           r.x >= 0 && r.y >= 0 && r.x + r.w <= src->width && r.y + r.h <= src->height;
}

enum tk_status tk_resize(const struct tk_image *src, struct tk_region region, uint32_t out_w,
                         uint32_t out_h, enum tk_filter filter, struct tk_image *dst) {
    enum tk_status st = tk_image_alloc(dst, out_w, out_h, src->layout);
    if (st != TK_OK) {
        return st;
    }
    size_t ch = (size_t)src->layout;
    if (is_plain_crop(src, region, out_w, out_h)) {
        const uint8_t *origin =
            src->pixels + (size_t)region.y * src->stride + (size_t)region.x * ch;
        for (uint32_t y = 0; y < out_h; y++) {
            memcpy(dst->pixels + (size_t)y * dst->stride, origin + (size_t)y * src->stride,
                   (size_t)out_w * ch);
        }
        return TK_OK;
    }
    struct tk_rs_region rr = {region.x, region.y, region.w, region.h};
    struct tk_rs_plan *plan =
        tk_rs_plan_create_region(src->width, src->height, &rr, out_w, out_h, rs_filter(filter));
    if (plan == NULL ||
        tk_rs_run(plan, src->pixels, src->stride, dst->pixels, dst->stride, (int)ch)) {
        st = TK_ERR_NO_MEMORY;
        tk_image_free(dst);
    }
    tk_rs_plan_destroy(plan);
    return st;
}
