/* png_decode.c — PNG decode with libspng, row by row, to 8-bit GRAY/GRAY_ALPHA/RGB/RGBA,
 * optionally box-shrunk by whole factors on the way (shrink-on-load for PNG). */
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

/* A decoder on @p data with the limits set and IHDR read and checked against @p max_pixels
 * and TK_MAX_SOURCE_SIDE. On failure *ctx is NULL. */
static enum tk_status open_png(const uint8_t *data, size_t size, uint64_t max_pixels,
                               spng_ctx **ctx, struct spng_ihdr *ihdr, char *err, size_t errlen) {
    *ctx = spng_ctx_new(0);
    if (*ctx == NULL) {
        tk_errf(err, errlen, "PNG: cannot create a decoder");
        return TK_ERR_NO_MEMORY;
    }
    int e = spng_set_png_buffer(*ctx, data, size);
    if (e == 0) {
        e = spng_set_image_limits(*ctx, TK_MAX_SOURCE_SIDE, TK_MAX_SOURCE_SIDE);
    }
    if (e == 0) {
        e = spng_set_chunk_limits(*ctx, PNG_CHUNK_MAX, PNG_CACHE_MAX);
    }
    if (e == 0) {
        e = spng_set_crc_action(*ctx, SPNG_CRC_ERROR, SPNG_CRC_ERROR);
    }
    if (e == 0) {
        e = spng_get_ihdr(*ctx, ihdr);
    }
    enum tk_status st = TK_OK;
    if (e == SPNG_EUSER_WIDTH || e == SPNG_EUSER_HEIGHT) {
        tk_errf(err, errlen, "PNG: a side is longer than %u pixels", TK_MAX_SOURCE_SIDE);
        st = TK_ERR_TOO_LARGE;
    } else if (e != 0) {
        st = fail(e, err, errlen);
    } else if ((uint64_t)ihdr->width * ihdr->height > max_pixels) {
        tk_err_too_many_pixels(err, errlen, ihdr->width, ihdr->height, max_pixels);
        st = TK_ERR_TOO_LARGE;
    }
    if (st != TK_OK) {
        spng_ctx_free(*ctx);
        *ctx = NULL;
    }
    return st;
}

static void fill_info(spng_ctx *ctx, const struct spng_ihdr *ihdr, enum tk_layout layout,
                      struct tk_source_info *info) {
    info->width = ihdr->width;
    info->height = ihdr->height;
    info->orientation = orientation_of(ctx);
    info->components = (int)layout;
    info->progressive = ihdr->interlace_method != 0;
}

enum tk_status tk_png_probe(const uint8_t *data, size_t size, uint64_t max_pixels,
                            struct tk_source_info *info, char *err, size_t errlen) {
    spng_ctx *ctx;
    struct spng_ihdr ihdr;
    memset(info, 0, sizeof(*info));
    enum tk_status st = open_png(data, size, max_pixels, &ctx, &ihdr, err, errlen);
    if (st == TK_OK) {
        fill_info(ctx, &ihdr, TK_LAYOUT_RGBA, info);
        spng_ctx_free(ctx);
    }
    return st;
}

/* Rows land in the output image: copied as they are (factors 1x1), or summed into blocks of
 * fx x fy source pixels (alpha-weighted where there is alpha) and averaged into one output
 * pixel each. Non-interlaced rows arrive in order, so one row of sums suffices; Adam7 rows
 * arrive by pass, so the sums cover the whole (small) output image. */
struct sink {
    struct tk_image *out;
    uint32_t width, height, fx, fy;
    size_t ch; /* == out->layout */
    bool alpha, interlaced;
    uint32_t *sums; /* NULL when copying */
};

/* Adam7: first column and column step of each pass. */
static const uint8_t adam7_x0[7] = {0, 4, 0, 2, 0, 1, 0};
static const uint8_t adam7_dx[7] = {8, 8, 4, 4, 2, 2, 1};

static uint32_t *sums_row(const struct sink *s, uint32_t y) {
    size_t row = s->interlaced ? y / s->fy : 0;
    return s->sums + row * (size_t)s->out->width * s->ch;
}

/* Average the sums of output row @p oy into the image. */
static void emit_row(const struct sink *s, uint32_t oy) {
    const uint32_t *sum = s->sums + (s->interlaced ? (size_t)oy * s->out->width * s->ch : 0);
    uint8_t *dst = s->out->pixels + (size_t)oy * s->out->stride;
    uint32_t bh = s->height - oy * s->fy < s->fy ? s->height - oy * s->fy : s->fy;
    for (uint32_t ox = 0; ox < s->out->width; ox++) {
        uint32_t bw = s->width - ox * s->fx < s->fx ? s->width - ox * s->fx : s->fx;
        uint32_t n = bw * bh;
        const uint32_t *p = sum + (size_t)ox * s->ch;
        uint8_t *q = dst + (size_t)ox * s->ch;
        if (s->alpha) {
            uint32_t a = p[s->ch - 1];
            for (size_t c = 0; c + 1 < s->ch; c++) {
                q[c] = a ? (uint8_t)((p[c] + a / 2) / a) : 0;
            }
            q[s->ch - 1] = (uint8_t)((a + n / 2) / n);
        } else {
            for (size_t c = 0; c < s->ch; c++) {
                q[c] = (uint8_t)((p[c] + n / 2) / n);
            }
        }
    }
}

/* Add the pixels of @p row from column @p x0 on, every @p dx, into the block sums; CH is a
 * constant in each expansion so the channel loops unroll, and block edges are counted rather
 * than divided for. */
#define SUM_PIXELS(CH, ALPHA)                                                                      \
    do {                                                                                           \
        uint32_t ox = x0 / fx, edge = (ox + 1) * fx;                                               \
        for (uint32_t x = x0; x < width; x += dx) {                                                \
            while (x >= edge) {                                                                    \
                ox++;                                                                              \
                edge += fx;                                                                        \
            }                                                                                      \
            const uint8_t *p = row + (size_t)x * (CH);                                             \
            uint32_t *acc = sum + (size_t)ox * (CH);                                               \
            uint32_t a = (ALPHA) ? p[(CH)-1] : 1;                                                  \
            for (size_t c = 0; c < (size_t)(CH) - (ALPHA); c++) {                                  \
                acc[c] += p[c] * a;                                                                \
            }                                                                                      \
            if (ALPHA) {                                                                           \
                acc[(CH)-1] += a;                                                                  \
            }                                                                                      \
        }                                                                                          \
    } while (0)

static void sum_pixels(uint32_t *sum, const uint8_t *row, uint32_t width, uint32_t fx,
                       enum tk_layout layout, uint32_t x0, uint32_t dx) {
    switch (layout) {
    case TK_LAYOUT_GRAY:
        SUM_PIXELS(1, 0);
        break;
    case TK_LAYOUT_GRAY_ALPHA:
        SUM_PIXELS(2, 1);
        break;
    case TK_LAYOUT_RGB:
        SUM_PIXELS(3, 0);
        break;
    case TK_LAYOUT_RGBA:
        SUM_PIXELS(4, 1);
        break;
    }
}

/* Deliver source row @p y (packed to the output layout) whose pixels from column @p x0 on,
 * every @p dx, are valid. */
static void sink_row(struct sink *s, const uint8_t *row, uint32_t y, uint32_t x0, uint32_t dx) {
    size_t ch = s->ch;
    if (s->sums == NULL) {
        uint8_t *dst = s->out->pixels + (size_t)y * s->out->stride;
        if (dx == 1) {
            memcpy(dst, row, (size_t)s->width * ch);
            return;
        }
        for (uint32_t x = x0; x < s->width; x += dx) {
            memcpy(dst + (size_t)x * ch, row + (size_t)x * ch, ch);
        }
        return;
    }
    sum_pixels(sums_row(s, y), row, s->width, s->fx, s->out->layout, x0, dx);
    if (!s->interlaced && ((y + 1) % s->fy == 0 || y + 1 == s->height)) {
        emit_row(s, y / s->fy);
        memset(s->sums, 0, (size_t)s->out->width * ch * sizeof(*s->sums));
    }
}

/* The rows of an image already set up for progressive decoding, into the sink. */
static enum tk_status decode_rows(spng_ctx *ctx, const struct png_plan *plan, struct sink *s,
                                  uint8_t *row, size_t row_len, char *err, size_t errlen) {
    for (;;) {
        struct spng_row_info ri;
        int e = spng_get_row_info(ctx, &ri);
        if (e == 0) {
            e = spng_decode_row(ctx, row, row_len);
        }
        if (e != 0 && e != SPNG_EOI) {
            return fail(e, err, errlen);
        }
        if (ri.row_num >= s->height || ri.pass < 0 || ri.pass > 6) {
            tk_errf(err, errlen, "PNG: decoder returned an unexpected row");
            return TK_ERR_CORRUPT;
        }
        if (plan->decoded != plan->layout) {
            pack_gray(row, s->width, plan->decoded, plan->layout);
        }
        uint32_t x0 = s->interlaced ? adam7_x0[ri.pass] : 0;
        uint32_t dx = s->interlaced ? adam7_dx[ri.pass] : 1;
        sink_row(s, row, ri.row_num, x0, dx);
        if (e == SPNG_EOI) {
            return TK_OK;
        }
    }
}

enum tk_status tk_png_decode(const uint8_t *data, size_t size, const struct tk_png_request *req,
                             struct tk_image *out, struct tk_source_info *info, char *err,
                             size_t errlen) {
    spng_ctx *ctx = NULL;
    struct spng_ihdr ihdr;
    uint8_t *row = NULL;
    struct sink s = {.out = out};
    memset(out, 0, sizeof(*out));
    memset(info, 0, sizeof(*info));
    enum tk_status st = open_png(data, size, req->max_pixels, &ctx, &ihdr, err, errlen);
    if (st != TK_OK) {
        return st;
    }
    struct spng_trns trns;
    int e = spng_get_trns(ctx, &trns);
    if (e != 0 && e != SPNG_ECHUNKAVAIL) {
        st = fail(e, err, errlen);
        goto cleanup;
    }
    struct png_plan plan = plan_for(&ihdr, e == 0);
    e = spng_decode_image(ctx, NULL, 0, plan.fmt, SPNG_DECODE_TRNS | SPNG_DECODE_PROGRESSIVE);
    if (e != 0) {
        st = fail(e, err, errlen);
        goto cleanup;
    }
    s.width = ihdr.width;
    s.height = ihdr.height;
    s.fx = req->shrink_x > 1 ? req->shrink_x : 1;
    s.fy = req->shrink_y > 1 ? req->shrink_y : 1;
    s.ch = (size_t)plan.layout;
    s.alpha = tk_layout_has_alpha(plan.layout);
    s.interlaced = ihdr.interlace_method != 0;
    uint32_t ow = (s.width + s.fx - 1) / s.fx, oh = (s.height + s.fy - 1) / s.fy;
    size_t row_len = (size_t)ihdr.width * (size_t)plan.decoded;
    row = malloc(row_len);
    st = row != NULL ? tk_image_alloc(out, ow, oh, plan.layout) : TK_ERR_NO_MEMORY;
    if (st == TK_OK && (s.fx > 1 || s.fy > 1)) {
        size_t rows = s.interlaced ? oh : 1;
        s.sums = calloc(rows * ow * s.ch, sizeof(*s.sums));
        st = s.sums != NULL ? TK_OK : TK_ERR_NO_MEMORY;
    }
    if (st != TK_OK) {
        tk_errf(err, errlen, "PNG: cannot allocate a %ux%u image", (unsigned)ow, (unsigned)oh);
        goto cleanup;
    }
    st = decode_rows(ctx, &plan, &s, row, row_len, err, errlen);
    if (st != TK_OK) {
        goto cleanup;
    }
    for (uint32_t y = 0; s.sums != NULL && s.interlaced && y < oh; y++) {
        emit_row(&s, y);
    }
    /* IDAT's CRC is only verified when the chunks after the image are read;
     * a file that merely ends early there has all its pixels, so EOF is fine. */
    e = spng_decode_chunks(ctx);
    if (e != 0 && e != SPNG_EOF) {
        st = fail(e, err, errlen);
        goto cleanup;
    }
    fill_info(ctx, &ihdr, plan.layout, info);
    st = colour_of(ctx, &info->colour);
    if (st != TK_OK) {
        tk_errf(err, errlen, "PNG: cannot allocate the colour profile");
        tk_source_info_free(info);
    }

cleanup:
    if (st != TK_OK) {
        tk_image_free(out);
    }
    free(s.sums);
    free(row);
    spng_ctx_free(ctx);
    return st;
}
