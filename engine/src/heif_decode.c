/* heif_decode.c — HEIC and AVIF input with libheif (libde265 for HEVC, dav1d for AV1),
 * loaded on first use (lazylib.h) so that a process that never meets a HEIF never maps it.
 *
 * Orientation: libheif applies the irot/imir transformations while decoding, which is what
 * the HEIF specification (and every phone) means; the EXIF Orientation tag inside a HEIF
 * describes the stored image too, so applying it again would turn iPhone photos twice. The
 * decoded image is upright and info->orientation is 1.
 * Shrink-on-load: HEVC and AV1 decoders here cannot decode at reduced resolution; a HEIF may
 * carry a thumbnail item (iPhones: 320x240 or 512x384), used when it is at least twice every
 * target. libvips uses it as soon as it covers the output (6x less CPU for a 256 px thumbnail
 * of an iPhone photo), but the item is soft: measured against LittleCMS + Lanczos from the full
 * image, that gives a mean CIEDE2000 of 3.0-4.8 where the full decode gives 0.2. */
#include "decode.h"
#include "errmsg.h"
#include "geometry.h"
#include "image.h"
#include "lazylib.h"

#include <libheif/heif.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define HEIF_FUNCS(X)                                                                              \
    X(heif_context_alloc)                                                                          \
    X(heif_context_free)                                                                           \
    X(heif_context_set_maximum_image_size_limit)                                                   \
    X(heif_context_set_max_decoding_threads)                                                       \
    X(heif_context_read_from_memory_without_copy)                                                  \
    X(heif_context_get_primary_image_handle)                                                       \
    X(heif_image_handle_release)                                                                   \
    X(heif_image_handle_get_width)                                                                 \
    X(heif_image_handle_get_height)                                                                \
    X(heif_image_handle_has_alpha_channel)                                                         \
    X(heif_image_handle_is_premultiplied_alpha)                                                    \
    X(heif_image_handle_get_number_of_thumbnails)                                                  \
    X(heif_image_handle_get_list_of_thumbnail_IDs)                                                 \
    X(heif_image_handle_get_thumbnail)                                                             \
    X(heif_image_handle_get_color_profile_type)                                                    \
    X(heif_image_handle_get_raw_color_profile_size)                                                \
    X(heif_image_handle_get_raw_color_profile)                                                     \
    X(heif_image_handle_get_nclx_color_profile)                                                    \
    X(heif_nclx_color_profile_free)                                                                \
    X(heif_decoding_options_alloc)                                                                 \
    X(heif_decoding_options_free)                                                                  \
    X(heif_decode_image)                                                                           \
    X(heif_image_get_width)                                                                        \
    X(heif_image_get_height)                                                                       \
    X(heif_image_get_plane_readonly)                                                               \
    X(heif_image_release)

/* The trimmed build shipped in the Lambda layer has the same SONAME as Debian's. */
static const char *const heif_sonames[] = {"libheif.so.1", NULL};

static struct {
    HEIF_FUNCS(TK_LAZY_MEMBER)
    bool ok;
    char why[TK_ERRLEN];
} heif;
static pthread_once_t heif_once = PTHREAD_ONCE_INIT;

#define RESOLVE(f) TK_LAZY_RESOLVE(&heif, h, f)

static void load_heif(void) {
    char *why = heif.why;
    size_t whylen = sizeof(heif.why);
    void *h = tk_lazylib_open(heif_sonames, why, whylen);
    if (h == NULL) {
        return;
    }
    bool ok = true;
    HEIF_FUNCS(RESOLVE)
    heif.ok = ok;
}

static enum tk_status status_of(struct heif_error e) {
    switch (e.code) {
    case heif_error_Ok:
        return TK_OK;
    case heif_error_Memory_allocation_error:
        return TK_ERR_NO_MEMORY;
    case heif_error_Unsupported_filetype:
    case heif_error_Unsupported_feature:
        return TK_ERR_UNSUPPORTED;
    case heif_error_Decoder_plugin_error:
        return e.subcode == heif_suberror_Unsupported_codec ? TK_ERR_UNSUPPORTED : TK_ERR_CORRUPT;
    case heif_error_Invalid_input:
        return e.subcode == heif_suberror_Security_limit_exceeded ? TK_ERR_TOO_LARGE
                                                                  : TK_ERR_CORRUPT;
    default:
        return TK_ERR_CORRUPT;
    }
}

static enum tk_status fail(struct heif_error e, const char *what, char *err, size_t errlen) {
    tk_errf(err, errlen, "HEIF: %s: %s", what, e.message != NULL ? e.message : "error");
    return status_of(e);
}

/* nclx transfer characteristics (ITU-T H.273) thumbkit converts; others are taken as sRGB. */
static bool transfer_of(enum heif_transfer_characteristics t, struct tk_colour_src *c) {
    switch ((int)t) {
    case 1: /* BT.709 */
    case 6: /* BT.601 */
    case 14:
    case 15: /* BT.2020 10/12-bit */
        c->transfer = TK_TRANSFER_BT709;
        return true;
    case 2:  /* unspecified */
    case 13: /* sRGB */
        c->transfer = TK_TRANSFER_SRGB;
        return true;
    case 4:
        c->transfer = TK_TRANSFER_GAMMA;
        c->gamma = 2.2;
        return true;
    case 5:
        c->transfer = TK_TRANSFER_GAMMA;
        c->gamma = 2.8;
        return true;
    case 8:
        c->transfer = TK_TRANSFER_GAMMA;
        c->gamma = 1.0;
        return true;
    default: /* PQ, HLG, log: HDR, not tone-mapped here */
        return false;
    }
}

static void nclx_to(const struct heif_color_profile_nclx *n, struct tk_colour_src *c) {
    if (!transfer_of(n->transfer_characteristics, c)) {
        return; /* left as "no description": taken as sRGB */
    }
    c->kind = TK_COLOUR_PARAMS;
    tk_colour_srgb_primaries(c->xy);
    const float xy[4][2] = {{n->color_primary_red_x, n->color_primary_red_y},
                            {n->color_primary_green_x, n->color_primary_green_y},
                            {n->color_primary_blue_x, n->color_primary_blue_y},
                            {n->color_primary_white_x, n->color_primary_white_y}};
    if (xy[3][0] > 0 && xy[3][1] > 0) { /* libheif fills them for every known primaries code */
        for (int i = 0; i < 4; i++) {
            c->xy[i][0] = xy[i][0];
            c->xy[i][1] = xy[i][1];
        }
    }
}

static enum tk_status colour_of(const struct heif_image_handle *hd, struct tk_colour_src *c) {
    enum heif_color_profile_type t = heif.heif_image_handle_get_color_profile_type(hd);
    if (t == heif_color_profile_type_prof || t == heif_color_profile_type_rICC) {
        size_t n = heif.heif_image_handle_get_raw_color_profile_size(hd);
        if (n == 0) {
            return TK_OK;
        }
        c->icc = malloc(n);
        if (c->icc == NULL) {
            return TK_ERR_NO_MEMORY;
        }
        if (heif.heif_image_handle_get_raw_color_profile(hd, c->icc).code != heif_error_Ok) {
            tk_colour_src_free(c);
            return TK_OK; /* unreadable profile: as if there were none */
        }
        c->icc_size = n;
        c->kind = TK_COLOUR_ICC;
    } else if (t == heif_color_profile_type_nclx) {
        struct heif_color_profile_nclx *n = NULL;
        if (heif.heif_image_handle_get_nclx_color_profile(hd, &n).code == heif_error_Ok &&
            n != NULL) {
            nclx_to(n, c);
        }
        heif.heif_nclx_color_profile_free(n);
    }
    return TK_OK;
}

/* The embedded thumbnail to decode instead of the primary image, or NULL. */
static struct heif_image_handle *usable_thumbnail(const struct heif_image_handle *primary,
                                                  const struct tk_decode_request *req, uint32_t w,
                                                  uint32_t h) {
    if (!req->shrink_on_load || req->n_targets == 0 ||
        heif.heif_image_handle_get_number_of_thumbnails(primary) < 1) {
        return NULL;
    }
    heif_item_id id;
    struct heif_image_handle *th = NULL;
    if (heif.heif_image_handle_get_list_of_thumbnail_IDs(primary, &id, 1) != 1 ||
        heif.heif_image_handle_get_thumbnail(primary, id, &th).code != heif_error_Ok) {
        return NULL;
    }
    /* The same picture, smaller: aspect within 1%, and twice every target's crop. */
    uint32_t tw = (uint32_t)heif.heif_image_handle_get_width(th);
    uint32_t tht = (uint32_t)heif.heif_image_handle_get_height(th);
    bool ok = tw > 0 && tht > 0 && tw < w && (double)tw / tht > 0.99 * w / h &&
              (double)tw / tht < 1.01 * w / h &&
              heif.heif_image_handle_has_alpha_channel(th) ==
                  heif.heif_image_handle_has_alpha_channel(primary);
    for (size_t i = 0; ok && i < req->n_targets && i < TK_MAX_TARGETS; i++) {
        struct tk_geom g;
        tk_geom_plan(w, h, 1, &req->targets[i], &g);
        ok = (uint64_t)g.crop.w * tw >= (uint64_t)2 * g.out_w * w &&
             (uint64_t)g.crop.h * tht >= (uint64_t)2 * g.out_h * h;
    }
    if (!ok) {
        heif.heif_image_handle_release(th);
        return NULL;
    }
    return th;
}

/* Straight alpha from premultiplied (the engine keeps alpha straight). */
static void unpremultiply(struct tk_image *img) {
    for (uint32_t y = 0; y < img->height; y++) {
        uint8_t *p = img->pixels + (size_t)y * img->stride;
        for (uint32_t x = 0; x < img->width; x++, p += 4) {
            unsigned a = p[3];
            for (int c = 0; c < 3 && a > 0 && a < 255; c++) {
                unsigned v = (p[c] * 255u + a / 2) / a;
                p[c] = (uint8_t)(v > 255 ? 255 : v);
            }
        }
    }
}

static enum tk_status decode_handle(const struct heif_image_handle *hd, bool alpha,
                                    struct tk_image *out, char *err, size_t errlen) {
    struct heif_decoding_options *o = heif.heif_decoding_options_alloc();
    if (o == NULL) {
        tk_errf(err, errlen, "HEIF: cannot allocate decoding options");
        return TK_ERR_NO_MEMORY;
    }
    o->ignore_transformations = 0; /* irot/imir applied here, once */
    o->convert_hdr_to_8bit = 1;
    o->strict_decoding = 1; /* a damaged tile fails the image rather than showing as grey */
    struct heif_image *img = NULL;
    struct heif_error e = heif.heif_decode_image(
        hd, &img, heif_colorspace_RGB,
        alpha ? heif_chroma_interleaved_RGBA : heif_chroma_interleaved_RGB, o);
    heif.heif_decoding_options_free(o);
    if (e.code != heif_error_Ok) {
        return fail(e, "decoding the image", err, errlen);
    }
    int stride = 0;
    const uint8_t *px = heif.heif_image_get_plane_readonly(img, heif_channel_interleaved, &stride);
    int w = heif.heif_image_get_width(img, heif_channel_interleaved);
    int h = heif.heif_image_get_height(img, heif_channel_interleaved);
    enum tk_layout layout = alpha ? TK_LAYOUT_RGBA : TK_LAYOUT_RGB;
    enum tk_status st = TK_OK;
    if (px == NULL || w <= 0 || h <= 0 || stride < w * (int)layout) {
        tk_errf(err, errlen, "HEIF: the decoder returned no %s image", alpha ? "RGBA" : "RGB");
        st = TK_ERR_CORRUPT;
    } else {
        st = tk_image_alloc(out, (uint32_t)w, (uint32_t)h, layout);
        for (int y = 0; st == TK_OK && y < h; y++) {
            memcpy(out->pixels + (size_t)y * out->stride, px + (size_t)y * (size_t)stride,
                   out->stride);
        }
        if (st != TK_OK) {
            tk_errf(err, errlen, "HEIF: cannot allocate a %dx%d image", w, h);
        }
    }
    heif.heif_image_release(img);
    return st;
}

enum tk_status tk_heif_decode(const uint8_t *data, size_t size, const struct tk_decode_request *req,
                              struct tk_image *out, struct tk_source_info *info, int *scale,
                              char *err, size_t errlen) {
    memset(out, 0, sizeof(*out));
    memset(info, 0, sizeof(*info));
    *scale = 1;
    pthread_once(&heif_once, load_heif);
    if (!heif.ok) {
        tk_errf(err, errlen, "HEIF: %s", heif.why);
        return TK_ERR_UNSUPPORTED;
    }
    struct heif_context *ctx = heif.heif_context_alloc();
    struct heif_image_handle *hd = NULL, *thumb = NULL;
    enum tk_status st = TK_OK;
    if (ctx == NULL) {
        tk_errf(err, errlen, "HEIF: cannot allocate a context");
        return TK_ERR_NO_MEMORY;
    }
    /* libheif's own cap on each side; thumbkit's pixel limit is checked below. */
    heif.heif_context_set_maximum_image_size_limit(ctx, TK_MAX_SOURCE_SIDE);
    /* Tiles in the calling thread: libheif would start a thread per tile (48 for an iPhone
     * photo), which costs more than it gains on Lambda's one or two vCPUs and under the CLI,
     * which already runs one image per core. */
    heif.heif_context_set_max_decoding_threads(ctx, 0);
    struct heif_error e = heif.heif_context_read_from_memory_without_copy(ctx, data, size, NULL);
    if (e.code == heif_error_Ok) {
        e = heif.heif_context_get_primary_image_handle(ctx, &hd);
    }
    if (e.code != heif_error_Ok) {
        st = fail(e, "reading the container", err, errlen);
        goto cleanup;
    }
    /* The size after irot, from the header (ispe): the limit holds before any decoding. */
    int w = heif.heif_image_handle_get_width(hd), h = heif.heif_image_handle_get_height(hd);
    if (w <= 0 || h <= 0) {
        tk_errf(err, errlen, "HEIF: the primary image has no size");
        st = TK_ERR_CORRUPT;
        goto cleanup;
    }
    st = tk_check_source_size((uint32_t)w, (uint32_t)h, req->max_pixels, err, errlen);
    if (st != TK_OK) {
        goto cleanup;
    }
    bool alpha = heif.heif_image_handle_has_alpha_channel(hd) != 0;
    info->width = (uint32_t)w;
    info->height = (uint32_t)h;
    info->orientation = 1;
    st = colour_of(hd, &info->colour);
    if (st != TK_OK) {
        tk_errf(err, errlen, "HEIF: cannot allocate the colour profile");
        goto cleanup;
    }
    thumb = usable_thumbnail(hd, req, (uint32_t)w, (uint32_t)h);
    {
        const struct heif_image_handle *use = thumb != NULL ? thumb : hd;
        uint32_t dw = (uint32_t)heif.heif_image_handle_get_width(use);
        uint32_t dh = (uint32_t)heif.heif_image_handle_get_height(use);
        /* libheif's YCbCr planes (up to 16-bit samples) and its interleaved RGB(A) image,
         * besides the copy returned. */
        struct tk_decode_plan plan = {info->width, info->height, 1, dw, dh, (uint64_t)dw * dh * 10};
        st = tk_decode_admit(req, &plan, err, errlen);
        if (st != TK_OK) {
            goto cleanup;
        }
    }
    st = decode_handle(thumb != NULL ? thumb : hd, alpha, out, err, errlen);
    if (st == TK_OK && alpha &&
        heif.heif_image_handle_is_premultiplied_alpha(thumb != NULL ? thumb : hd)) {
        unpremultiply(out);
    }
    if (st == TK_OK && thumb != NULL) {
        *scale = (int)(info->width / out->width);
    }
    info->components = (int)out->layout;

cleanup:
    if (thumb != NULL) {
        heif.heif_image_handle_release(thumb);
    }
    if (hd != NULL) {
        heif.heif_image_handle_release(hd);
    }
    heif.heif_context_free(ctx);
    if (st != TK_OK) {
        tk_image_free(out);
        tk_source_info_free(info);
        *scale = 1;
    }
    return st;
}
