/* webp_decode.c — WebP input with libwebp: lossy, lossless, alpha, the first frame of an
 * animation; EXIF orientation and the ICC profile from the RIFF chunks (libwebp's demuxer);
 * shrink-on-load with libwebp's scaled decode. */
#include "decode.h"
#include "errmsg.h"
#include "exif.h"
#include "geometry.h"
#include "image.h"

#include <webp/decode.h>
#include <webp/demux.h>

#include <stdlib.h>
#include <string.h>

static enum tk_status status_of(VP8StatusCode c) {
    switch (c) {
    case VP8_STATUS_OK:
        return TK_OK;
    case VP8_STATUS_OUT_OF_MEMORY:
        return TK_ERR_NO_MEMORY;
    case VP8_STATUS_UNSUPPORTED_FEATURE:
        return TK_ERR_UNSUPPORTED;
    default:
        return TK_ERR_CORRUPT;
    }
}

static enum tk_status fail(VP8StatusCode c, const char *what, char *err, size_t errlen) {
    static const char *const why[] = {
        [VP8_STATUS_OK] = "ok",
        [VP8_STATUS_OUT_OF_MEMORY] = "out of memory",
        [VP8_STATUS_INVALID_PARAM] = "invalid parameter",
        [VP8_STATUS_BITSTREAM_ERROR] = "bitstream error",
        [VP8_STATUS_UNSUPPORTED_FEATURE] = "unsupported feature",
        [VP8_STATUS_SUSPENDED] = "suspended",
        [VP8_STATUS_USER_ABORT] = "aborted",
        [VP8_STATUS_NOT_ENOUGH_DATA] = "truncated data",
    };
    unsigned i = (unsigned)c;
    tk_errf(err, errlen, "WebP: %s: %s", what, i < sizeof(why) / sizeof(why[0]) ? why[i] : "error");
    return status_of(c);
}

/* EXIF orientation from an EXIF chunk: raw TIFF as the spec says, or "Exif\0\0" + TIFF as
 * some writers store it. */
static int orientation_of(WebPDemuxer *dmux) {
    WebPChunkIterator it;
    int o = 1;
    if (WebPDemuxGetChunk(dmux, "EXIF", 1, &it)) {
        o = tk_exif_orientation_app1(it.chunk.bytes, it.chunk.size);
        if (o == 0) {
            o = tk_exif_orientation_tiff(it.chunk.bytes, it.chunk.size);
        }
        WebPDemuxReleaseChunkIterator(&it);
    }
    return o;
}

static enum tk_status icc_of(WebPDemuxer *dmux, struct tk_colour_src *c) {
    WebPChunkIterator it;
    enum tk_status st = TK_OK;
    if (WebPDemuxGetChunk(dmux, "ICCP", 1, &it)) {
        if (it.chunk.size > 0) {
            c->icc = malloc(it.chunk.size);
            if (c->icc != NULL) {
                memcpy(c->icc, it.chunk.bytes, it.chunk.size);
                c->icc_size = it.chunk.size;
                c->kind = TK_COLOUR_ICC;
            } else {
                st = TK_ERR_NO_MEMORY;
            }
        }
        WebPDemuxReleaseChunkIterator(&it);
    }
    return st;
}

/* The first frame of an animation, composed on its canvas (RGBA). */
static enum tk_status decode_animation(const WebPData *wd, struct tk_image *out, char *err,
                                       size_t errlen) {
    WebPAnimDecoderOptions o;
    if (!WebPAnimDecoderOptionsInit(&o)) {
        tk_errf(err, errlen, "WebP: library version mismatch");
        return TK_ERR_UNSUPPORTED;
    }
    o.color_mode = MODE_RGBA;
    o.use_threads = 0;
    WebPAnimDecoder *dec = WebPAnimDecoderNew(wd, &o);
    if (dec == NULL) {
        tk_errf(err, errlen, "WebP: the animation is malformed");
        return TK_ERR_CORRUPT;
    }
    WebPAnimInfo ai;
    uint8_t *frame = NULL;
    int ts = 0;
    enum tk_status st = TK_OK;
    if (!WebPAnimDecoderGetInfo(dec, &ai) || !WebPAnimDecoderGetNext(dec, &frame, &ts)) {
        tk_errf(err, errlen, "WebP: the first frame of the animation does not decode");
        st = TK_ERR_CORRUPT;
    } else {
        st = tk_image_alloc(out, ai.canvas_width, ai.canvas_height, TK_LAYOUT_RGBA);
        if (st == TK_OK) {
            memcpy(out->pixels, frame, out->stride * out->height);
        } else {
            tk_errf(err, errlen, "WebP: cannot allocate a %ux%u canvas", ai.canvas_width,
                    ai.canvas_height);
        }
    }
    WebPAnimDecoderDelete(dec);
    return st;
}

/* The shrink-on-load reduction for the targets: JPEG's rule (tk_geom_pick_scale, measured on
 * JPEG's DCT scaling); libwebp's scaled decode also averages areas, the same prefilter. */
static int pick_scale(const struct tk_decode_request *req, uint32_t w, uint32_t h,
                      int orientation) {
    struct tk_geom g[TK_MAX_TARGETS];
    size_t n = req->n_targets < TK_MAX_TARGETS ? req->n_targets : TK_MAX_TARGETS;
    if (!req->shrink_on_load || n == 0) {
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        tk_geom_plan(w, h, orientation, &req->targets[i], &g[i]);
    }
    return tk_geom_pick_scale(g, n);
}

static enum tk_status decode_still(const uint8_t *data, size_t size, const WebPBitstreamFeatures *f,
                                   int scale, const struct tk_decode_request *req,
                                   struct tk_decode_plan *plan, struct tk_image *out, char *err,
                                   size_t errlen) {
    WebPDecoderConfig cfg;
    if (!WebPInitDecoderConfig(&cfg)) {
        tk_errf(err, errlen, "WebP: library version mismatch");
        return TK_ERR_UNSUPPORTED;
    }
    uint32_t w = ((uint32_t)f->width + (uint32_t)scale - 1) / (uint32_t)scale;
    uint32_t h = ((uint32_t)f->height + (uint32_t)scale - 1) / (uint32_t)scale;
    /* Lossless (and a lossy image's alpha plane) decodes the whole image before scaling it;
     * lossy decodes a few macroblock rows at a time. */
    uint64_t full = (uint64_t)f->width * (uint64_t)f->height;
    plan->dec_w = w;
    plan->dec_h = h;
    plan->extra = f->format != 1 ? full * 4 : f->has_alpha ? full : (uint64_t)f->width * 64;
    enum tk_status st = tk_decode_admit(req, plan, err, errlen);
    if (st != TK_OK) {
        return st;
    }
    enum tk_layout layout = f->has_alpha ? TK_LAYOUT_RGBA : TK_LAYOUT_RGB;
    st = tk_image_alloc(out, w, h, layout);
    if (st != TK_OK) {
        tk_errf(err, errlen, "WebP: cannot allocate a %ux%u image", (unsigned)w, (unsigned)h);
        return st;
    }
    if (scale > 1) {
        cfg.options.use_scaling = 1;
        cfg.options.scaled_width = (int)w;
        cfg.options.scaled_height = (int)h;
    }
    cfg.output.colorspace = f->has_alpha ? MODE_RGBA : MODE_RGB;
    cfg.output.is_external_memory = 1;
    cfg.output.u.RGBA.rgba = out->pixels;
    cfg.output.u.RGBA.stride = (int)out->stride;
    cfg.output.u.RGBA.size = out->stride * out->height;
    VP8StatusCode c = WebPDecode(data, size, &cfg);
    WebPFreeDecBuffer(&cfg.output);
    if (c != VP8_STATUS_OK) {
        tk_image_free(out);
        return fail(c, "decoding the image", err, errlen);
    }
    return TK_OK;
}

enum tk_status tk_webp_decode(const uint8_t *data, size_t size, const struct tk_decode_request *req,
                              struct tk_image *out, struct tk_source_info *info, int *scale,
                              char *err, size_t errlen) {
    memset(out, 0, sizeof(*out));
    memset(info, 0, sizeof(*info));
    *scale = 1;
    WebPBitstreamFeatures f;
    VP8StatusCode c = WebPGetFeatures(data, size, &f);
    if (c != VP8_STATUS_OK) {
        return fail(c, "reading the header", err, errlen);
    }
    if ((uint64_t)f.width * (uint64_t)f.height > req->max_pixels) { /* before anything else */
        tk_err_too_many_pixels(err, errlen, (uint32_t)f.width, (uint32_t)f.height, req->max_pixels);
        return TK_ERR_TOO_LARGE;
    }
    WebPData wd = {data, size};
    WebPDemuxer *dmux = WebPDemux(&wd);
    if (dmux == NULL) {
        tk_errf(err, errlen, "WebP: the RIFF container is malformed or truncated");
        return TK_ERR_CORRUPT;
    }
    /* The canvas (VP8X) is what an animation shows; a still image's canvas is its size. */
    uint32_t w = WebPDemuxGetI(dmux, WEBP_FF_CANVAS_WIDTH);
    uint32_t h = WebPDemuxGetI(dmux, WEBP_FF_CANVAS_HEIGHT);
    enum tk_status st = TK_OK;
    st = tk_check_source_size(w, h, req->max_pixels, err, errlen); /* a canvas side: 2^24 */
    if (st != TK_OK) {
        goto cleanup;
    }
    info->width = w;
    info->height = h;
    info->orientation = orientation_of(dmux);
    st = icc_of(dmux, &info->colour);
    if (st != TK_OK) {
        tk_errf(err, errlen, "WebP: cannot allocate the colour profile");
        goto cleanup;
    }
    /* An animation: the decoder's canvas and previous frame, allocated when it is made. */
    struct tk_decode_plan plan = {w, h, info->orientation, w, h, (uint64_t)w * h * 8};
    if (f.has_animation) {
        st = tk_decode_admit(req, &plan, err, errlen);
        st = st == TK_OK ? decode_animation(&wd, out, err, errlen) : st;
    } else if ((uint32_t)f.width != w || (uint32_t)f.height != h) {
        tk_errf(err, errlen, "WebP: canvas %ux%u differs from the image %dx%d", (unsigned)w,
                (unsigned)h, f.width, f.height);
        st = TK_ERR_CORRUPT;
    } else {
        *scale = pick_scale(req, w, h, info->orientation);
        st = decode_still(data, size, &f, *scale, req, &plan, out, err, errlen);
    }
    info->components = out->pixels != NULL ? (int)out->layout : 0;

cleanup:
    WebPDemuxDelete(dmux);
    if (st != TK_OK) {
        tk_image_free(out);
        tk_source_info_free(info);
        *scale = 1;
    }
    return st;
}
