/* resize.c — crop + resample through the simd/ resampler. */
#include "image.h"
#include "ops.h"
#include "tk_resample.h"

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

/* The resampler's status in the engine's terms (simd/ knows nothing of tk_status). */
static enum tk_status status_of(enum tk_rs_status s) {
    switch (s) {
    case TK_RS_OK:
        return TK_OK;
    case TK_RS_ERR_NO_MEMORY:
        return TK_ERR_NO_MEMORY;
    case TK_RS_ERR_INVALID_ARGUMENT:
        return TK_ERR_INVALID_ARGUMENT;
    case TK_RS_ERR_UNSUPPORTED:
    case TK_RS_ERR_ISA_UNAVAILABLE:
        break;
    }
    return TK_ERR_UNSUPPORTED;
}

enum tk_status tk_resize(const struct tk_image *src, struct tk_rect crop, uint32_t out_w,
                         uint32_t out_h, enum tk_filter filter, struct tk_image *dst) {
    enum tk_status st = tk_image_alloc(dst, out_w, out_h, src->layout);
    if (st != TK_OK) {
        return st;
    }
    size_t ch = (size_t)src->layout;
    const uint8_t *origin = src->pixels + (size_t)crop.y * src->stride + (size_t)crop.x * ch;
    if (crop.w == out_w && crop.h == out_h) {
        for (uint32_t y = 0; y < out_h; y++) {
            memcpy(dst->pixels + (size_t)y * dst->stride, origin + (size_t)y * src->stride,
                   (size_t)out_w * ch);
        }
        return TK_OK;
    }
    struct tk_rs_plan *plan = NULL;
    enum tk_rs_status rs =
        tk_rs_plan_create(crop.w, crop.h, out_w, out_h, rs_filter(filter), &plan);
    if (rs == TK_RS_OK) {
        rs = tk_rs_run(plan, origin, src->stride, dst->pixels, dst->stride, (int)ch);
    }
    tk_rs_plan_destroy(plan);
    st = status_of(rs);
    if (st != TK_OK) {
        tk_image_free(dst);
    }
    return st;
}
