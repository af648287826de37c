/* pipeline.c — tk_thumbnail: sniff -> decode (shrink-on-load) -> per target:
 * resample -> colour (to sRGB) -> orient -> flatten (JPEG with alpha) -> encode. */
#include "budget.h"
#include "colour.h"
#include "decode.h"
#include "encode.h"
#include "errmsg.h"
#include "geometry.h"
#include "image.h"
#include "jpeg_scans.h"
#include "ops.h"
#include "options.h"
#include "testing.h"

#include "tk_clock.h"

#include <stdlib.h>
#include <string.h>

/* How a run is set up: the defaults for tk_thumbnail, other choices for tests (testing.h). */
struct run_knobs {
    int scale_denom;          /* 0: the shrink-on-load rule picks; 1, 2, 4 or 8 forces it */
    double (*clock_ms)(void); /* times the stages */
};

/* Source pixels per decoded pixel on each axis, when the decoder averaged whole blocks (JPEG
 * DCT scaling, PNG's box shrink); 0 x 0 when it resized the image as a whole (WebP, HEIF). */
struct shrink {
    uint32_t x, y;
};

void tk_source_info_free(struct tk_source_info *info) {
    tk_colour_src_free(&info->colour);
}

/* Refuse (TK_ERR_OVER_BUDGET) before decoding when the estimate exceeds opts->max_memory. */
static enum tk_status check_budget(const struct tk_budget_decode *dec, const struct tk_geom *geoms,
                                   const struct tk_source_info *info, const struct tk_options *opts,
                                   char *err, size_t errlen) {
    if (opts->max_memory == 0) {
        return TK_OK;
    }
    uint64_t need = tk_budget_estimate(dec, geoms, opts->n_targets, info->width, info->height);
    if (need <= opts->max_memory) {
        return TK_OK;
    }
    tk_errf(err, errlen,
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

/* JPEG: count the scans (before either decoder runs), probe, pick the DCT scale, check the
 * budget, decode; CMYK goes through its profile while decoding. */
static enum tk_status decode_jpeg(const uint8_t *data, size_t size, const struct tk_options *opts,
                                  const struct run_knobs *k, struct tk_geom *geoms,
                                  struct tk_image *img, struct tk_source_info *info,
                                  struct shrink *sh, struct tk_result *res) {
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
    scale = k->scale_denom != 0 ? k->scale_denom : scale;
    /* A multi-scan file keeps every coefficient (64 int16 per block) until the last scan. */
    struct tk_budget_decode dec = {ceil_div(info->width, (uint32_t)scale),
                                   ceil_div(info->height, (uint32_t)scale), 3,
                                   scans.scans > 1 ? scans.blocks * 128 : 0};
    st = check_budget(&dec, geoms, info, opts, res->error, sizeof(res->error));
    if (st != TK_OK) {
        return st;
    }
    struct tk_colour_xf *cmyk_xf = NULL;
    if (info->cmyk && opts->colour_manage) {
        double t0 = k->clock_ms();
        tk_colour_acquire(&info->colour, TK_COLOUR_IN_CMYK, &cmyk_xf, &res->colour, res->warning,
                          sizeof(res->warning));
        res->colour_ms += k->clock_ms() - t0;
    }
    if (info->cmyk) {
        tk_colour_src_free(&info->colour); /* used up here: the decoder returns RGB */
    }
    struct tk_jpeg_request req = {.scale_denom = scale,
                                  .max_pixels = opts->max_pixels,
                                  .cmyk_xf = cmyk_xf,
                                  .clock_ms = k->clock_ms};
    struct tk_jpeg_stats stats;
    st = tk_jpeg_decode(data, size, &req, img, &stats, res->error, sizeof(res->error));
    tk_colour_release(cmyk_xf);
    res->jpeg_decoder = stats.fast ? "fast" : "libjpeg";
    res->entropy_ms = stats.entropy_ms;
    res->decode_scale = scale;
    sh->x = sh->y = (uint32_t)scale;
    return st;
}

/* PNG: probe, pick whole shrink factors per axis, check the budget, decode row by row. */
static enum tk_status decode_png(const uint8_t *data, size_t size, const struct tk_options *opts,
                                 struct tk_geom *geoms, struct tk_image *img,
                                 struct tk_source_info *info, struct shrink *sh,
                                 struct tk_result *res) {
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
    st = check_budget(&dec, geoms, info, opts, res->error, sizeof(res->error));
    if (st != TK_OK) {
        return st;
    }
    st = tk_png_decode(data, size, &req, img, info, res->error, sizeof(res->error));
    res->decode_scale = (int)(req.shrink_x > req.shrink_y ? req.shrink_x : req.shrink_y);
    sh->x = req.shrink_x;
    sh->y = req.shrink_y;
    return st;
}

/* What the memory check of a WebP or HEIF decode needs: the options and room for the plans. */
struct admit_ctx {
    const struct tk_options *opts;
    struct tk_geom *geoms;
};

/* tk_decode_request.admit: the memory budget, from the header, before any pixel is decoded. */
static enum tk_status admit_decode(void *ctx, const struct tk_decode_plan *p, char *err,
                                   size_t errlen) {
    const struct admit_ctx *a = ctx;
    struct tk_source_info info = {
        .width = p->src_w, .height = p->src_h, .orientation = p->orientation};
    plan_targets(&info, a->opts, a->geoms);
    struct tk_budget_decode dec = {p->dec_w, p->dec_h, 4, p->extra};
    return check_budget(&dec, a->geoms, &info, a->opts, err, errlen);
}

/* WebP and HEIF: the decoders check the header themselves and resize as a whole. */
static enum tk_status decode_resizing(const uint8_t *data, size_t size,
                                      const struct tk_options *opts, struct tk_geom *geoms,
                                      struct tk_image *img, struct tk_source_info *info,
                                      struct tk_result *res) {
    enum tk_status st;
    int scale = 1;
    struct admit_ctx admit = {opts, geoms};
    struct tk_decode_request req = {.max_pixels = opts->max_pixels,
                                    .targets = opts->targets,
                                    .n_targets = opts->n_targets,
                                    .shrink_on_load = opts->shrink_on_load,
                                    .admit = opts->max_memory != 0 ? admit_decode : NULL,
                                    .admit_ctx = &admit};
    if (res->source_format == TK_FORMAT_WEBP) {
        st = tk_webp_decode(data, size, &req, img, info, &scale, res->error, sizeof(res->error));
    } else {
        st = tk_heif_decode(data, size, &req, img, info, &scale, res->error, sizeof(res->error));
    }
    if (st == TK_OK) {
        plan_targets(info, opts, geoms);
        res->decode_scale = scale;
    }
    return st;
}

static enum tk_status decode_source(const uint8_t *data, size_t size, const struct tk_options *opts,
                                    const struct run_knobs *k, struct tk_geom *geoms,
                                    struct tk_image *img, struct tk_source_info *info,
                                    struct shrink *sh, struct tk_result *res) {
    sh->x = sh->y = 0;
    switch (res->source_format) {
    case TK_FORMAT_JPEG:
        return decode_jpeg(data, size, opts, k, geoms, img, info, sh, res);
    case TK_FORMAT_PNG:
        return decode_png(data, size, opts, geoms, img, info, sh, res);
    default:
        return decode_resizing(data, size, opts, geoms, img, info, res);
    }
}

static enum tk_status encode(const struct tk_image *img, enum tk_format format,
                             const struct tk_options *opts, struct tk_thumb *thumb,
                             struct tk_result *res) {
    switch (format) {
    case TK_FORMAT_JPEG:
        return tk_jpeg_encode(img, opts->quality, opts->progressive, opts->jpeg_subsample,
                              &thumb->data, &thumb->size, res->error, sizeof(res->error));
    case TK_FORMAT_WEBP:
        return tk_webp_encode(img, opts->quality, &thumb->data, &thumb->size, res->error,
                              sizeof(res->error));
    default:
        return tk_png_encode(img, &thumb->data, &thumb->size, res->error, sizeof(res->error));
    }
}

/*
 * Where @p g's crop lies on the decoded image, and (in @p whole) how much of it to sample. A
 * decoder that averaged blocks of sh->x x sh->y source pixels (JPEG's DCT scaling, PNG's box
 * shrink): decoded pixel i covers source pixels [i * f, (i + 1) * f). JPEG's partial last block
 * row or column (an average with the encoder's padding) is left out; PNG's is an average of
 * picture only and stays. Other decoders resize the whole image to their output size
 * (libwebp's scaled decode, a HEIF thumbnail): the crop maps by the ratio of the sizes.
 */
static struct tk_region decoded_region(const struct tk_geom *g, const struct tk_source_info *info,
                                       const struct tk_result *res, const struct shrink *sh,
                                       struct tk_image *whole) {
    if (sh->x == 0 || sh->y == 0) {
        return tk_geom_region_resized(g, info->width, info->height, whole->width, whole->height);
    }
    struct tk_region region = tk_geom_region_on(g, sh->x, sh->y);
    if (res->source_format != TK_FORMAT_JPEG) {
        return region;
    }
    uint32_t w = tk_geom_whole_pixels(info->width, res->decode_scale, whole->width);
    uint32_t h = tk_geom_whole_pixels(info->height, res->decode_scale, whole->height);
    if (region.x < w && region.y < h) { /* else a crop inside the partial pixel (tiny images) */
        whole->width = w;
        whole->height = h;
    }
    return region;
}

/* One target from the decoded image; on success the thumb owns its outputs. */
static enum tk_status make_thumb(const struct tk_image *decoded, const struct tk_geom *g,
                                 const struct tk_source_info *info, const struct shrink *sh,
                                 const struct tk_colour_xf *xf, const struct tk_options *opts,
                                 const struct run_knobs *k, enum tk_format format,
                                 struct tk_thumb *thumb, struct tk_result *res) {
    struct tk_image sized = {0}, upright = {0}, flat = {0};
    double t0 = k->clock_ms();
    struct tk_image whole = *decoded;
    struct tk_region region = decoded_region(g, info, res, sh, &whole);
    enum tk_status st = tk_resize(&whole, region, g->out_w, g->out_h, opts->filter, &sized);
    if (st == TK_OK && xf != NULL) { /* at thumbnail size: the cheapest place for it */
        double c0 = k->clock_ms();
        tk_colour_apply(xf, &sized);
        res->colour_ms += k->clock_ms() - c0;
    }
    if (st == TK_OK && tk_orientation_moves(info->orientation)) {
        st = tk_orient(&sized, info->orientation, &upright);
    } else if (st == TK_OK) { /* already upright: the image itself, not a copy */
        upright = sized;
        sized = (struct tk_image){0};
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
    double t1 = k->clock_ms();
    res->resample_ms += t1 - t0;

    st = encode(&upright, format, opts, thumb, res);
    res->encode_ms += k->clock_ms() - t1;
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

static enum tk_status thumbnail(const void *data, size_t size, const struct tk_options *opts,
                                const struct run_knobs *k, struct tk_result *res) {
    struct tk_image decoded = {0};
    struct tk_geom geoms[TK_MAX_TARGETS];
    struct tk_source_info info = {0};
    struct tk_colour_xf *xf = NULL;
    enum tk_status st;

    if (res == NULL) {
        return TK_ERR_INVALID_ARGUMENT;
    }
    memset(res, 0, sizeof(*res));
    res->isa = tk_simd_name();
    res->orientation = 1;
    res->colour = "none";
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
        const char *named = tk_sniff_unsupported(data, size);
        if (named != NULL) {
            tk_errf(res->error, sizeof(res->error), "unsupported format: %s", named);
            return TK_ERR_UNSUPPORTED;
        }
        tk_errf(res->error, sizeof(res->error),
                size == 0 ? "input is empty" : "input is not JPEG, PNG, WebP, HEIC or AVIF");
        return TK_ERR_NOT_AN_IMAGE;
    }

    double t0 = k->clock_ms();
    struct shrink sh;
    st = decode_source(data, size, opts, k, geoms, &decoded, &info, &sh, res);
    res->decode_ms = k->clock_ms() - t0;
    if (st != TK_OK) {
        goto cleanup;
    }
    res->source_width = info.width;
    res->source_height = info.height;
    res->orientation = info.orientation;
    res->decoded_width = decoded.width;
    res->decoded_height = decoded.height;

    if (opts->colour_manage) {
        double c0 = k->clock_ms();
        const char *what = "none";
        tk_colour_acquire(&info.colour, (enum tk_colour_input)decoded.layout, &xf, &what,
                          res->warning, sizeof(res->warning));
        if (info.colour.kind != TK_COLOUR_NONE) { /* a CMYK JPEG said it while decoding */
            res->colour = what;
        }
        res->colour_ms += k->clock_ms() - c0;
    }

    enum tk_format format = tk_format_resolve(opts->format, res->source_format);
    for (size_t i = 0; i < opts->n_targets; i++) {
        st = make_thumb(&decoded, &geoms[i], &info, &sh, xf, opts, k, format, &res->thumbs[i], res);
        if (st != TK_OK) {
            goto cleanup;
        }
        res->n_thumbs = i + 1;
    }

cleanup:
    tk_colour_release(xf);
    tk_source_info_free(&info);
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

enum tk_status tk_thumbnail(const void *data, size_t size, const struct tk_options *opts,
                            struct tk_result *res) {
    static const struct run_knobs defaults = {0, tk_clock_mono_ms};
    return thumbnail(data, size, opts, &defaults, res);
}

/* Tests and benchmarks only (testing.h): the decode scale and the stage clock chosen. */
enum tk_status tk_thumbnail_custom(const void *data, size_t size, const struct tk_options *opts,
                                   int scale_denom, double (*clock_ms)(void),
                                   struct tk_result *res) {
    if (scale_denom != 0 && scale_denom != 1 && scale_denom != 2 && scale_denom != 4 &&
        scale_denom != 8) {
        if (res != NULL) {
            memset(res, 0, sizeof(*res));
            tk_errf(res->error, sizeof(res->error), "invalid scale 1/%d", scale_denom);
        }
        return TK_ERR_INVALID_ARGUMENT;
    }
    struct run_knobs k = {scale_denom, clock_ms != NULL ? clock_ms : tk_clock_mono_ms};
    return thumbnail(data, size, opts, &k, res);
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
