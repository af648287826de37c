/* resize.c — crop + resample through the simd/ resampler. */
#include "image.h"
#include "ops.h"
#include "tk_resample.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

/* The resampler's filters (options.c refuses values outside the enum first). */
static const enum tk_rs_filter rs_filters[] = {
    [TK_FILTER_LANCZOS3] = TK_RS_LANCZOS3,
    [TK_FILTER_CATMULL_ROM] = TK_RS_CATMULL_ROM,
    [TK_FILTER_BILINEAR] = TK_RS_BILINEAR,
    [TK_FILTER_BOX] = TK_RS_BOX,
};

/* The resampler's statuses in the engine's terms (simd/ knows nothing of tk_status). */
static const enum tk_status statuses[] = {
    [TK_RS_OK] = TK_OK,
    [TK_RS_ERR_INVALID_ARGUMENT] = TK_ERR_INVALID_ARGUMENT,
    [TK_RS_ERR_NO_MEMORY] = TK_ERR_NO_MEMORY,
    [TK_RS_ERR_UNSUPPORTED] = TK_ERR_UNSUPPORTED,
    [TK_RS_ERR_ISA_UNAVAILABLE] = TK_ERR_UNSUPPORTED,
};

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
    /* An unknown filter reaches the resampler as one, which refuses it. */
    enum tk_rs_filter rs_filter = (unsigned)filter < sizeof(rs_filters) / sizeof(rs_filters[0])
                                      ? rs_filters[filter]
                                      : (enum tk_rs_filter) - 1;
    struct tk_rs_plan *plan = NULL;
    struct tk_rs_region rr = {region.x, region.y, region.w, region.h};
    enum tk_rs_status rs =
        tk_rs_plan_create_region(src->width, src->height, &rr, out_w, out_h, rs_filter, &plan);
    if (rs == TK_RS_OK) {
        rs = tk_rs_run(plan, src->pixels, src->stride, dst->pixels, dst->stride, (int)ch);
    }
    tk_rs_plan_destroy(plan);
    st = statuses[rs];
    if (st != TK_OK) {
        tk_image_free(dst);
    }
    return st;
}
