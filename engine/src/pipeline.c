/* pipeline.c — tk_thumbnail: sniff -> decode (shrink-on-load) -> per target:
 * resample -> orient -> flatten (JPEG with alpha) -> encode. */
#include "budget.h"
#include "decode.h"
#include "encode.h"
#include "errmsg.h"
#include "geometry.h"
#include "image.h"
#include "jpeg_scans.h"
#include "ops.h"
#include "options.h"
#include "sniff.h"

#include "tk_clock.h"

#include <stdlib.h>
#include <string.h>

/* Refuse (TK_ERR_OVER_BUDGET) before decoding when the estimate exceeds opts->max_memory. */
static enum tk_status check_budget(const struct tk_budget_decode *dec, const struct tk_geom *geoms,
                                   const struct tk_source_info *info, const struct tk_options *opts,
                                   struct tk_result *res) {
    if (opts->max_memory == 0) {
        return TK_OK;
    }
    uint64_t need = tk_budget_estimate(dec, geoms, opts->n_targets, info->width, info->height);
    if (need <= opts->max_memory) {
        return TK_OK;
    }
    tk_errf(res->error, sizeof(res->error),
            "a %ux%u image needs about %llu MiB to thumbnail, over the memory budget of %llu MiB",
            (unsigned)info->width, (unsigned)info->height, (unsigned long long)(need >> 20),
            (unsigned long long)(opts->max_memory >> 20));
    return TK_ERR_OVER_BUDGET;
}

static void plan_targets(const struct tk_source_info *info, const struct tk_options *opts,
                         struct tk_geom *geoms) {
    for (size_t i = 0; i < opts->n_targets; i++) {
        tk_geom_plan(info->width, info->height, info->orientation, &opts->targets[i], &geoms[i]);
    }
}

static uint32_t ceil_div(uint32_t a, uint32_t b) {
    return a / b + (a % b != 0);
}

static enum tk_status decode_jpeg(const uint8_t *data, size_t size, const struct tk_options *opts,
                                  struct tk_geom *geoms, struct tk_image *img,
                                  struct tk_source_info *info, struct tk_result *res) {
    struct tk_jpeg_scans scans;
    enum tk_status st = tk_jpeg_check_scans(data, size, &scans, res->error, sizeof(res->error));
    if (st == TK_OK) {
        st = tk_jpeg_probe(data, size, opts->max_pixels, info, res->error, sizeof(res->error));
    }
    if (st != TK_OK) {
        return st;
    }
    plan_targets(info, opts, geoms);
    int scale = opts->shrink_on_load ? tk_geom_pick_scale(geoms, opts->n_targets) : 1;
    /* A multi-scan file keeps every coefficient (64 int16 per block) until the last scan. */
    struct tk_budget_decode dec = {ceil_div(info->width, (uint32_t)scale),
                                   ceil_div(info->height, (uint32_t)scale), 3,
                                   scans.scans > 1 ? scans.blocks * 128 : 0};
    st = check_budget(&dec, geoms, info, opts, res);
    if (st != TK_OK) {
        return st;
    }
    struct tk_jpeg_request req = {.scale_denom = scale, .max_pixels = opts->max_pixels};
    st = tk_jpeg_decode(data, size, &req, img, res->error, sizeof(res->error));
    res->decode_scale = scale;
    return st;
}

static enum tk_status decode_png(const uint8_t *data, size_t size, const struct tk_options *opts,
                                 struct tk_geom *geoms, struct tk_image *img,
                                 struct tk_source_info *info, struct tk_result *res) {
    enum tk_status st =
        tk_png_probe(data, size, opts->max_pixels, info, res->error, sizeof(res->error));
    if (st != TK_OK) {
        return st;
    }
    plan_targets(info, opts, geoms);
    struct tk_png_request req = {.max_pixels = opts->max_pixels, .shrink_x = 1, .shrink_y = 1};
    if (opts->shrink_on_load) {
        tk_geom_pick_shrink(geoms, opts->n_targets, &req.shrink_x, &req.shrink_y);
    }
    uint32_t ow = ceil_div(info->width, req.shrink_x), oh = ceil_div(info->height, req.shrink_y);
    /* One RGBA source row, and the block sums: one output row, or all of them for Adam7. */
    uint64_t sums =
        req.shrink_x * req.shrink_y > 1 ? (uint64_t)ow * 16 * (info->progressive ? oh : 1) : 0;
    struct tk_budget_decode dec = {ow, oh, 4, (uint64_t)info->width * 4 + sums};
    st = check_budget(&dec, geoms, info, opts, res);
    if (st != TK_OK) {
        return st;
    }
    st = tk_png_decode(data, size, &req, img, info, res->error, sizeof(res->error));
    res->decode_scale = (int)(req.shrink_x > req.shrink_y ? req.shrink_x : req.shrink_y);
    return st;
}

static enum tk_status decode_source(const uint8_t *data, size_t size, const struct tk_options *opts,
                                    struct tk_geom *geoms, struct tk_image *img,
                                    struct tk_source_info *info, struct tk_result *res) {
    if (res->source_format == TK_FORMAT_JPEG) {
        return decode_jpeg(data, size, opts, geoms, img, info, res);
    }
    return decode_png(data, size, opts, geoms, img, info, res);
}

/* One target from the decoded image; on success the thumb owns its outputs. */
static enum tk_status make_thumb(const struct tk_image *decoded, const struct tk_geom *g,
                                 const struct tk_source_info *info, const struct tk_options *opts,
                                 enum tk_format format, struct tk_thumb *thumb,
                                 struct tk_result *res) {
    struct tk_image sized = {0}, upright = {0}, flat = {0};
    double t0 = tk_clock_mono_ms();
    struct tk_rect crop =
        tk_geom_crop_on(g, info->width, info->height, decoded->width, decoded->height);
    enum tk_status st = tk_resize(decoded, crop, g->out_w, g->out_h, opts->filter, &sized);
    if (st == TK_OK) {
        st = tk_orient(&sized, info->orientation, &upright);
    }
    if (st == TK_OK && format == TK_FORMAT_JPEG && tk_layout_has_alpha(upright.layout)) {
        st = tk_flatten(&upright, opts->background, &flat);
        if (st == TK_OK) {
            tk_image_free(&upright);
            upright = flat;
            flat = (struct tk_image){0};
        }
    }
    if (st != TK_OK) {
        tk_errf(res->error, sizeof(res->error), "%s making a %ux%u thumbnail", tk_status_str(st),
                (unsigned)g->out_w, (unsigned)g->out_h);
        goto cleanup;
    }
    double t1 = tk_clock_mono_ms();
    res->resample_ms += t1 - t0;

    if (format == TK_FORMAT_JPEG) {
        st = tk_jpeg_encode(&upright, opts->quality, opts->progressive, &thumb->data, &thumb->size,
                            res->error, sizeof(res->error));
    } else {
        st = tk_png_encode(&upright, &thumb->data, &thumb->size, res->error, sizeof(res->error));
    }
    res->encode_ms += tk_clock_mono_ms() - t1;
    if (st != TK_OK) {
        goto cleanup;
    }
    thumb->width = upright.width;
    thumb->height = upright.height;
    thumb->format = format;
    if (opts->keep_pixels) {
        thumb->pixels = upright;
        upright = (struct tk_image){0};
    }

cleanup:
    tk_image_free(&sized);
    tk_image_free(&upright);
    tk_image_free(&flat);
    return st;
}

enum tk_status tk_thumbnail(const void *data, size_t size, const struct tk_options *opts,
                            struct tk_result *res) {
    struct tk_image decoded = {0};
    struct tk_geom geoms[TK_MAX_TARGETS];
    struct tk_source_info info;
    enum tk_status st;

    if (res == NULL) {
        return TK_ERR_INVALID_ARGUMENT;
    }
    memset(res, 0, sizeof(*res));
    res->isa = tk_simd_name();
    res->orientation = 1;
    if (opts == NULL || (data == NULL && size > 0)) {
        tk_errf(res->error, sizeof(res->error), "options and data must not be NULL");
        return TK_ERR_INVALID_ARGUMENT;
    }
    st = tk_options_validate(opts, res->error, sizeof(res->error));
    if (st != TK_OK) {
        return st;
    }
    if (size > opts->max_input_bytes) {
        tk_errf(res->error, sizeof(res->error), "input is %zu bytes, above the limit of %zu", size,
                opts->max_input_bytes);
        return TK_ERR_TOO_LARGE;
    }
    res->source_format = tk_sniff(data, size);
    if (res->source_format == TK_FORMAT_UNKNOWN) {
        const char *known = tk_sniff_unsupported(data, size);
        if (known != NULL) {
            tk_errf(res->error, sizeof(res->error), "unsupported format: %s", known);
            return TK_ERR_UNSUPPORTED;
        }
        tk_errf(res->error, sizeof(res->error),
                size == 0 ? "input is empty" : "input is neither JPEG nor PNG");
        return TK_ERR_NOT_AN_IMAGE;
    }

    double t0 = tk_clock_mono_ms();
    st = decode_source(data, size, opts, geoms, &decoded, &info, res);
    res->decode_ms = tk_clock_mono_ms() - t0;
    if (st != TK_OK) {
        goto cleanup;
    }
    res->source_width = info.width;
    res->source_height = info.height;
    res->orientation = info.orientation;
    res->decoded_width = decoded.width;
    res->decoded_height = decoded.height;

    enum tk_format format = tk_format_resolve(opts->format, res->source_format);
    for (size_t i = 0; i < opts->n_targets; i++) {
        st = make_thumb(&decoded, &geoms[i], &info, opts, format, &res->thumbs[i], res);
        if (st != TK_OK) {
            goto cleanup;
        }
        res->n_thumbs = i + 1;
    }

cleanup:
    tk_image_free(&decoded);
    if (st != TK_OK) {
        /* on failure no thumbnail survives; what was learned about the source stays */
        for (size_t i = 0; i < TK_MAX_TARGETS; i++) {
            free(res->thumbs[i].data);
            tk_image_free(&res->thumbs[i].pixels);
        }
        memset(res->thumbs, 0, sizeof(res->thumbs));
        res->n_thumbs = 0;
    }
    return st;
}

void tk_result_free(struct tk_result *res) {
    if (res == NULL) {
        return;
    }
    for (size_t i = 0; i < TK_MAX_TARGETS; i++) {
        free(res->thumbs[i].data);
        tk_image_free(&res->thumbs[i].pixels);
    }
    memset(res, 0, sizeof(*res));
}
