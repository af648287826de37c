/* png_decode.c — PNG decode with libspng to 8-bit GRAY/GRAY_ALPHA/RGB/RGBA. */
#include "decode.h"
#include "errmsg.h"
#include "exif.h"
#include "image.h"

#include <stdlib.h>
#include <string.h>

#include <spng.h>

/* Bounds for ancillary chunks: no legitimate PNG needs more, and they cap the
 * memory a hostile file can make libspng hold. */
#define PNG_CHUNK_MAX (16u * 1024u * 1024u)
#define PNG_CACHE_MAX (64u * 1024u * 1024u)
/* PNG's own limit for each dimension (2^31 - 1). */
#define PNG_DIM_MAX 0x7fffffffu

static enum tk_status status_of(int e) {
    switch (e) {
    case SPNG_EMEM:
        return TK_ERR_NO_MEMORY;
    case SPNG_EUSER_WIDTH:
    case SPNG_EUSER_HEIGHT:
    case SPNG_ECHUNK_LIMITS:
    case SPNG_EOVERFLOW:
        return TK_ERR_TOO_LARGE;
    case SPNG_ESIGNATURE:
        return TK_ERR_NOT_AN_IMAGE;
    default:
        return TK_ERR_CORRUPT;
    }
}

static enum tk_status fail(int e, char *err, size_t errlen) {
    tk_errf(err, errlen, "PNG: %s", spng_strerror(e));
    return status_of(e);
}

/* Which libspng output format to ask for, and the layout we keep. libspng only
 * offers G8/GA8 for gray of 8 bits or fewer; every other case that keeps fewer
 * than four channels is decoded wider and packed down afterwards. */
struct png_plan {
    int fmt;
    enum tk_layout decoded; /* channels of fmt */
    enum tk_layout layout;  /* channels we return */
};

static struct png_plan plan_for(const struct spng_ihdr *h, bool trns) {
    struct png_plan p;
    switch (h->color_type) {
    case SPNG_COLOR_TYPE_GRAYSCALE:
        if (h->bit_depth <= 8) {
            p.fmt = trns ? SPNG_FMT_GA8 : SPNG_FMT_G8;
            p.decoded = trns ? TK_LAYOUT_GRAY_ALPHA : TK_LAYOUT_GRAY;
        } else {
            p.fmt = trns ? SPNG_FMT_RGBA8 : SPNG_FMT_RGB8;
            p.decoded = trns ? TK_LAYOUT_RGBA : TK_LAYOUT_RGB;
        }
        p.layout = trns ? TK_LAYOUT_GRAY_ALPHA : TK_LAYOUT_GRAY;
        break;
    case SPNG_COLOR_TYPE_GRAYSCALE_ALPHA:
        p.fmt = SPNG_FMT_RGBA8;
        p.decoded = TK_LAYOUT_RGBA;
        p.layout = TK_LAYOUT_GRAY_ALPHA;
        break;
    case SPNG_COLOR_TYPE_TRUECOLOR_ALPHA:
        p.fmt = SPNG_FMT_RGBA8;
        p.decoded = p.layout = TK_LAYOUT_RGBA;
        break;
    default: /* truecolour and palette */
        p.fmt = trns ? SPNG_FMT_RGBA8 : SPNG_FMT_RGB8;
        p.decoded = p.layout = trns ? TK_LAYOUT_RGBA : TK_LAYOUT_RGB;
        break;
    }
    return p;
}

/* Keep the gray (first) channel and, when wanted, alpha (last); in place,
 * front to back, which is safe because the output is never wider. */
static void pack_gray(uint8_t *px, size_t n, enum tk_layout from, enum tk_layout to) {
    size_t in = (size_t)from, out = (size_t)to;
    for (size_t i = 0; i < n; i++) {
        uint8_t g = px[i * in];
        uint8_t a = px[i * in + in - 1];
        px[i * out] = g;
        if (to == TK_LAYOUT_GRAY_ALPHA) {
            px[i * out + 1] = a;
        }
    }
}

/* gAMA values that mean "about 2.2", which browsers take as sRGB when no cHRM says otherwise. */
#define GAMA_SRGB_LOW  0.4500
#define GAMA_SRGB_HIGH 0.4600

/* The colour description: iCCP, else sRGB, else cHRM and/or gAMA (PNG 1.2, 10.7). */
static enum tk_status colour_of(spng_ctx *ctx, struct tk_colour_src *c) {
    struct spng_iccp iccp;
    uint8_t intent;
    if (spng_get_iccp(ctx, &iccp) == 0 && iccp.profile_len > 0) {
        c->icc = malloc(iccp.profile_len);
        if (c->icc == NULL) {
            return TK_ERR_NO_MEMORY;
        }
        memcpy(c->icc, iccp.profile, iccp.profile_len);
        c->icc_size = iccp.profile_len;
        c->kind = TK_COLOUR_ICC;
        return TK_OK;
    }
    if (spng_get_srgb(ctx, &intent) == 0) {
        c->kind = TK_COLOUR_SRGB;
        return TK_OK;
    }
    struct spng_chrm chrm;
    double gama = 0;
    bool has_chrm = spng_get_chrm(ctx, &chrm) == 0;
    bool has_gama = spng_get_gama(ctx, &gama) == 0 && gama > 0.01 && gama < 100;
    if (!has_chrm && (!has_gama || (gama >= GAMA_SRGB_LOW && gama <= GAMA_SRGB_HIGH))) {
        return TK_OK; /* nothing, or the "about sRGB" gamma alone */
    }
    c->kind = TK_COLOUR_PARAMS;
    tk_colour_srgb_primaries(c->xy);
    if (has_chrm) {
        const double xy[4][2] = {{chrm.red_x, chrm.red_y},
                                 {chrm.green_x, chrm.green_y},
                                 {chrm.blue_x, chrm.blue_y},
                                 {chrm.white_point_x, chrm.white_point_y}};
        memcpy(c->xy, xy, sizeof(xy));
    }
    c->transfer = has_gama ? TK_TRANSFER_GAMMA : TK_TRANSFER_SRGB;
    c->gamma = has_gama ? 1.0 / gama : 0;
    return TK_OK;
}

static int orientation_of(spng_ctx *ctx) {
    struct spng_exif exif;
    if (spng_get_exif(ctx, &exif) != 0) {
        return 1;
    }
    return tk_exif_orientation_tiff((const uint8_t *)exif.data, exif.length);
}

enum tk_status tk_png_decode(const uint8_t *data, size_t size, uint64_t max_pixels,
                             struct tk_image *out, struct tk_source_info *info, char *err,
                             size_t errlen) {
    enum tk_status st = TK_OK;
    uint8_t *buf = NULL;
    memset(out, 0, sizeof(*out));
    memset(info, 0, sizeof(*info));

    spng_ctx *ctx = spng_ctx_new(0);
    if (ctx == NULL) {
        tk_errf(err, errlen, "PNG: cannot create a decoder");
        return TK_ERR_NO_MEMORY;
    }
    int e = spng_set_png_buffer(ctx, data, size);
    if (e == 0) {
        e = spng_set_image_limits(ctx, PNG_DIM_MAX, PNG_DIM_MAX);
    }
    if (e == 0) {
        e = spng_set_chunk_limits(ctx, PNG_CHUNK_MAX, PNG_CACHE_MAX);
    }
    if (e == 0) {
        e = spng_set_crc_action(ctx, SPNG_CRC_ERROR, SPNG_CRC_ERROR);
    }
    struct spng_ihdr ihdr;
    if (e == 0) {
        e = spng_get_ihdr(ctx, &ihdr);
    }
    if (e != 0) {
        st = fail(e, err, errlen);
        goto cleanup;
    }
    if ((uint64_t)ihdr.width * ihdr.height > max_pixels) {
        tk_err_too_many_pixels(err, errlen, ihdr.width, ihdr.height, max_pixels);
        st = TK_ERR_TOO_LARGE;
        goto cleanup;
    }

    struct spng_trns trns;
    e = spng_get_trns(ctx, &trns);
    if (e != 0 && e != SPNG_ECHUNKAVAIL) {
        st = fail(e, err, errlen);
        goto cleanup;
    }
    struct png_plan plan = plan_for(&ihdr, e == 0);

    size_t len;
    e = spng_decoded_image_size(ctx, plan.fmt, &len);
    if (e != 0) {
        st = fail(e, err, errlen);
        goto cleanup;
    }
    buf = malloc(len);
    if (buf == NULL) {
        tk_errf(err, errlen, "PNG: cannot allocate %zu bytes for a %ux%u image", len,
                (unsigned)ihdr.width, (unsigned)ihdr.height);
        st = TK_ERR_NO_MEMORY;
        goto cleanup;
    }
    e = spng_decode_image(ctx, buf, len, plan.fmt, SPNG_DECODE_TRNS);
    if (e != 0) {
        st = fail(e, err, errlen);
        goto cleanup;
    }
    /* IDAT's CRC is only verified when the chunks after the image are read;
     * a file that merely ends early there has all its pixels, so EOF is fine. */
    e = spng_decode_chunks(ctx);
    if (e != 0 && e != SPNG_EOF) {
        st = fail(e, err, errlen);
        goto cleanup;
    }
    size_t n = (size_t)ihdr.width * ihdr.height;
    if (plan.decoded != plan.layout) {
        pack_gray(buf, n, plan.decoded, plan.layout);
    }
    out->pixels = buf;
    out->width = ihdr.width;
    out->height = ihdr.height;
    out->stride = (size_t)ihdr.width * (size_t)plan.layout;
    out->layout = plan.layout;
    buf = NULL;
    info->width = ihdr.width;
    info->height = ihdr.height;
    info->orientation = orientation_of(ctx);
    info->components = (int)plan.layout;
    info->progressive = ihdr.interlace_method != 0;
    st = colour_of(ctx, &info->colour);
    if (st != TK_OK) {
        tk_errf(err, errlen, "PNG: cannot allocate the colour profile");
        tk_image_free(out);
        tk_source_info_free(info);
    }

cleanup:
    free(buf);
    spng_ctx_free(ctx);
    return st;
}
